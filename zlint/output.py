"""Formatting diagnostics for people (text) and tools (JSON, in Ruff's shape)."""

from __future__ import annotations

import difflib
import json
import os
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from zlint import docs
from zlint import rules as registry
from zlint.types import Diagnostic


def display_path(path: Path) -> str:
    try:
        return os.path.relpath(path)
    except ValueError:  # another drive on Windows
        return str(path)


def text(diagnostics: Sequence[Diagnostic]) -> str:
    lines = [
        f"{display_path(d.path)}:{d.span.start.line}:{d.span.start.column}: {d.code} {d.message}"
        for d in diagnostics
    ]
    lines.append(summary(diagnostics))
    return "\n".join(lines)


def summary(diagnostics: Sequence[Diagnostic]) -> str:
    if not diagnostics:
        return "All checks passed!"
    count = len(diagnostics)
    return f"Found {count} error{'s' if count != 1 else ''}."


def as_json(diagnostics: Sequence[Diagnostic]) -> str:
    items = []
    for d in diagnostics:
        rule = registry.rule_by_key(d.code)
        items.append(
            {
                "code": d.code,
                "name": d.name,
                "message": d.message,
                "filename": str(d.path),
                "location": {"row": d.span.start.line, "column": d.span.start.column},
                "end_location": {"row": d.span.end.line, "column": d.span.end.column},
                "fix": None,
                "url": docs.rule_url(rule) if rule is not None else None,
            }
        )
    return json.dumps(items, indent=2)


def statistics(diagnostics: Sequence[Diagnostic]) -> str:
    counts = Counter(d.code for d in diagnostics)
    width = max((len(str(n)) for n in counts.values()), default=1)
    lines = []
    for code, count in sorted(counts.items(), key=lambda item: (-item[1], item[0])):
        rule = registry.rule_by_key(code)
        name = rule.name if rule is not None else ""
        lines.append(f"{count:>{width}}\t{code}\t{name}")
    return "\n".join(lines)


def unified_diff(before: dict[Path, str], after: dict[Path, str]) -> str:
    """What ``zlint fix`` would change, as a unified diff per file."""
    chunks: list[str] = []
    for path in sorted(after):
        name = display_path(path)
        chunks.extend(
            difflib.unified_diff(
                before.get(path, "").splitlines(keepends=True),
                after[path].splitlines(keepends=True),
                fromfile=f"a/{name}",
                tofile=f"b/{name}",
            )
        )
    return "".join(line if line.endswith("\n") else line + "\n" for line in chunks)


def fixes_summary(fixed: dict[Path, list[str]]) -> str:
    if not fixed:
        return "No fixes applied."
    lines = ["Fixed:"]
    for path in sorted(fixed):
        for message in fixed[path]:
            lines.append(f"  {display_path(path)}: {message}")
    return "\n".join(lines)
