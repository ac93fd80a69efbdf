"""``json`` (one list, in Ruff's shape) and ``json-lines`` (one such object per line)."""

from __future__ import annotations

import json
from typing import Any

from zlint import catalog
from zlint.formats.report import Report, applicability, cell_of, edits_of, fix_message
from zlint.types import Diagnostic


def item(d: Diagnostic) -> dict[str, Any]:
    rule = catalog.info(d.code)
    return {
        "code": d.code,
        "name": d.name,
        "message": d.message,
        "filename": str(d.path),
        "location": {"row": d.span.start.line, "column": d.span.start.column},
        "end_location": {"row": d.span.end.line, "column": d.span.end.column},
        "fix": _fix(d),
        "url": rule.url if rule is not None else None,
        # Ruff's key: the notebook cell the locations are in (null for other files).
        "cell": cell_of(d),
    }


def _fix(d: Diagnostic) -> dict[str, Any] | None:
    kind = applicability(d)
    if kind is None:
        return None
    return {
        "applicability": kind.value,
        "message": fix_message(d),
        "edits": [
            {
                "content": edit.content,
                "location": {"row": edit.start_line, "column": edit.start_column},
                "end_location": {"row": edit.end_line, "column": edit.end_column},
            }
            for edit in edits_of(d)
        ],
    }


def as_json(report: Report) -> str:
    return json.dumps([item(d) for d in report.diagnostics], indent=2)


def json_lines(report: Report) -> str:
    return "\n".join(json.dumps(item(d)) for d in report.diagnostics)
