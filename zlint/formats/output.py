"""Printing diagnostics: the formats live in :mod:`zlint.formats`; this module is what the
command line calls, plus ``--statistics``, ``--diff`` and ``--show-fixes`` output."""

from __future__ import annotations

import difflib
import sys
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from zlint import catalog, formats
from zlint.formats import OutputFormat, Report, display_path, emit, summary_lines
from zlint.types import Diagnostic

__all__ = [
    "DEFAULT_FORMAT",
    "FORMAT_CHOICES",
    "OutputFormat",
    "as_json",
    "display_path",
    "emit",
    "fixes_summary",
    "print_diagnostics",
    "statistics",
    "summary",
    "text",
    "unified_diff",
]

#: The names ``--output-format`` accepts (``text`` is an alias of ``concise``).
FORMAT_CHOICES = formats.CHOICES
DEFAULT_FORMAT = formats.DEFAULT.value


def print_diagnostics(
    diagnostics: Sequence[Diagnostic],
    output_format: str | OutputFormat,
    *,
    root: Path | None = None,
    output_file: Path | None = None,
    unsafe_fixes: bool = False,
) -> None:
    """Print the findings in ``output_format`` (or write them to ``output_file``).

    ``root`` is the project root (SARIF's file locations are relative to it; default: the
    current folder). Colour is used only for a human format on a terminal without NO_COLOR.
    """
    color = formats.use_color(output_format, output_file, sys.stdout)
    report = Report(
        diagnostics, (root or Path.cwd()).absolute(), color=color, unsafe_fixes=unsafe_fixes
    )
    formats.emit(formats.render(report, output_format), output_file, color)


def text(diagnostics: Sequence[Diagnostic]) -> str:
    """The ``concise`` format, without colour."""
    return formats.render(Report(diagnostics, Path.cwd()), OutputFormat.CONCISE)


def summary(diagnostics: Sequence[Diagnostic]) -> str:
    return "\n".join(summary_lines(diagnostics))


def as_json(diagnostics: Sequence[Diagnostic]) -> str:
    return formats.render(Report(diagnostics, Path.cwd()), OutputFormat.JSON)


def statistics(diagnostics: Sequence[Diagnostic]) -> str:
    counts = Counter(d.code for d in diagnostics)
    width = max((len(str(n)) for n in counts.values()), default=1)
    lines = []
    for code, count in sorted(counts.items(), key=lambda item: (-item[1], item[0])):
        rule = catalog.info(code)
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
