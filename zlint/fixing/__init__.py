"""Applying fixes and writing files: the fix loop (:mod:`zlint.fixing.loop`), node
replacements rendered into text (:mod:`zlint.fixing.apply`), notebooks and Markdown pages
put back together (:mod:`zlint.fixing.embedded`), ``--add-ignore`` comments
(:mod:`zlint.fixing.add_ignore`), and the one atomic writer every file goes through
(:mod:`zlint.fixing.write`)."""
