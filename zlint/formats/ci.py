"""Formats for CI services: GitHub Actions workflow commands and GitLab Code Quality."""

from __future__ import annotations

import json

from zlint.formats.report import (
    Report,
    file_span,
    fingerprints,
    located_message,
    posix_display_path,
)

# --------------------------------------------------------------------------- GitHub

#: What GitHub unescapes in a workflow command's message and in its properties.
_DATA_ESCAPES = (("%", "%25"), ("\r", "%0D"), ("\n", "%0A"))
_PROPERTY_ESCAPES = (*_DATA_ESCAPES, (":", "%3A"), (",", "%2C"))


def _escape(text: str, escapes: tuple[tuple[str, str], ...]) -> str:
    for char, escaped in escapes:  # "%" first, so escapes are not escaped again
        text = text.replace(char, escaped)
    return text


def github(report: Report) -> str:
    """One ``::error`` workflow command per finding; GitHub turns each into an annotation."""
    lines = []
    for d in report.diagnostics:
        span = file_span(d)
        properties = {
            "title": f"zlint ({d.code})",
            "file": posix_display_path(d.path),
            "line": str(span.start.line),
            "col": str(span.start.column),
            "endLine": str(span.end.line),
            "endColumn": str(span.end.column),
        }
        joined = ",".join(f"{k}={_escape(v, _PROPERTY_ESCAPES)}" for k, v in properties.items())
        lines.append(f"::error {joined}::{_escape(located_message(d), _DATA_ESCAPES)}")
    return "\n".join(lines)


# --------------------------------------------------------------------------- GitLab

#: Code Quality severities are info, minor, major, critical and blocker; every zlint finding
#: is a pipeline that fails or loses track of its artifacts.
GITLAB_SEVERITY = "major"


def gitlab(report: Report) -> str:
    """A Code Quality report (``artifacts: reports: codequality``).

    Paths are relative to the current folder, which in a GitLab job is the repository root.
    """
    paths = {d.path: posix_display_path(d.path) for d in report.diagnostics}
    items = [
        {
            "description": f"{d.code} {located_message(d)}",
            "check_name": d.code,
            "fingerprint": fingerprint,
            "severity": GITLAB_SEVERITY,
            "location": {
                "path": paths[d.path],
                "lines": {"begin": file_span(d).start.line, "end": file_span(d).end.line},
            },
        }
        for d, fingerprint in zip(report.diagnostics, fingerprints(report, paths), strict=True)
    ]
    return json.dumps(items, indent=2)
