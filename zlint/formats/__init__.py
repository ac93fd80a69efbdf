"""Output formats. :mod:`zlint.formats.output` chooses and prints one; each format renders a
:class:`~zlint.formats.report.Report` in its own module (``text``: full and concise,
``json_format``, ``sarif``, ``ci``: GitHub and GitLab)."""
