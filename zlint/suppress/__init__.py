"""Suppression comments: ``# zlint: ignore[ZL001]``, ``# zlint: file-ignore[ZL001]`` and
``# noqa: ZL001``. :mod:`~zlint.suppress.comments` reads them, :mod:`~zlint.suppress.scopes`
says which lines each covers, :mod:`~zlint.suppress.apply` drops the findings they cover and
judges stale (ZL900) and invalid (ZL901) ones, :mod:`~zlint.suppress.removal` builds the
fixes that remove stale codes. ``--add-ignore`` writes new ones (:mod:`zlint.fixing.add_ignore`)."""
