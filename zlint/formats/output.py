"""Choosing and printing an output format: ``full`` (the default), ``concise``, ``json``,
``json-lines``, ``sarif``, ``github`` and ``gitlab`` (``text`` is an alias of ``concise``),
each rendered by its own module; plus ``--statistics``, ``--diff`` and ``--show-fixes``.

``render(report)`` returns the whole output as one string (without a final newline; empty
when a machine format has nothing to say) and ``emit`` prints or writes it.
"""

from __future__ import annotations

import difflib
import enum
import os
import sys
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TextIO

import click

from zlint import catalog
from zlint.formats import ci, json_format, sarif, text
from zlint.formats.report import Report, SourceLines, display_path, summary_lines
from zlint.results import InternalError
from zlint.types import Diagnostic

__all__ = [
    "CHOICES",
    "DEFAULT",
    "DEFAULT_FORMAT",
    "FORMAT_CHOICES",
    "OutputFormat",
    "Report",
    "SourceLines",
    "display_path",
    "emit",
    "fixes_summary",
    "parse",
    "print_diagnostics",
    "render",
    "report_problems",
    "statistics",
    "summary_lines",
    "unified_diff",
    "use_color",
]


class OutputFormat(enum.Enum):
    FULL = "full"
    CONCISE = "concise"
    JSON = "json"
    JSON_LINES = "json-lines"
    SARIF = "sarif"
    GITHUB = "github"
    GITLAB = "gitlab"


#: Old or alternative names, accepted on the command line and in ZLINT_OUTPUT_FORMAT.
ALIASES: dict[str, OutputFormat] = {"text": OutputFormat.CONCISE}
DEFAULT = OutputFormat.FULL
#: Every name ``--output-format`` accepts.
CHOICES: tuple[str, ...] = (*(f.value for f in OutputFormat), *ALIASES)

_RENDERERS: dict[OutputFormat, Callable[[Report], str]] = {
    OutputFormat.FULL: text.full,
    OutputFormat.CONCISE: text.concise,
    OutputFormat.JSON: json_format.as_json,
    OutputFormat.JSON_LINES: json_format.json_lines,
    OutputFormat.SARIF: sarif.as_sarif,
    OutputFormat.GITHUB: ci.github,
    OutputFormat.GITLAB: ci.gitlab,
}

#: The formats meant for people; only these are ever coloured.
HUMAN = frozenset({OutputFormat.FULL, OutputFormat.CONCISE})


def parse(name: str | OutputFormat) -> OutputFormat:
    if isinstance(name, OutputFormat):
        return name
    key = name.strip().lower()
    return ALIASES.get(key) or OutputFormat(key)


def render(report: Report, output_format: str | OutputFormat) -> str:
    return _RENDERERS[parse(output_format)](report)


def use_color(output_format: str | OutputFormat, output_file: Path | None, stream: TextIO) -> bool:
    """Colour only for people at a terminal, and never when ``NO_COLOR`` is set (no-color.org)."""
    if parse(output_format) not in HUMAN or output_file is not None:
        return False
    if os.environ.get("NO_COLOR"):
        return False
    isatty = getattr(stream, "isatty", None)
    try:
        return bool(isatty()) if isatty is not None else False
    except (OSError, ValueError):  # a closed or detached stream
        return False


def emit(text_out: str, output_file: Path | None, color: bool = False) -> None:
    """Print ``text_out`` (a final newline added), or write it to ``output_file``."""
    if output_file is None:
        if text_out:
            click.echo(text_out, color=color)
        return
    output_file.parent.mkdir(parents=True, exist_ok=True)
    output_file.write_text(text_out + "\n" if text_out else "", encoding="utf-8")


#: The names ``--output-format`` accepts (``text`` is an alias of ``concise``).
FORMAT_CHOICES = CHOICES
DEFAULT_FORMAT = DEFAULT.value


def print_diagnostics(
    diagnostics: Sequence[Diagnostic],
    output_format: str | OutputFormat,
    *,
    root: Path | None = None,
    output_file: Path | None = None,
    unsafe_fixes: bool = False,
    zenml_target: Mapping[str, object] | None = None,
) -> None:
    """Print the findings in ``output_format`` (or write them to ``output_file``).

    ``root`` is the project root (SARIF's file locations are relative to it; default: the
    current folder). Colour is used only for a human format on a terminal without NO_COLOR.
    ``zenml_target`` is the run's ZenML target as JSON (SARIF records it).
    """
    color = use_color(output_format, output_file, sys.stdout)
    report = Report(
        diagnostics,
        (root or Path.cwd()).absolute(),
        color=color,
        unsafe_fixes=unsafe_fixes,
        zenml_target=zenml_target,
    )
    emit(render(report, output_format), output_file, color)


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


def report_problems(
    problems: Sequence[tuple[Path | None, str]],
    errors: Sequence[InternalError],
    *,
    verbose: bool,
    hint: bool = False,
) -> None:
    """Tells, on stderr, what went wrong besides the findings: files not written, fixes
    reverted, internal errors (their tracebacks when ``verbose``, else, with ``hint``, how to
    see them)."""
    for path, problem in problems:
        where = f"{display_path(path)}: " if path is not None else ""
        click.echo(f"zlint: {where}{problem}", err=True)
    for error in errors:
        where = f" while checking {display_path(error.path)}" if error.path else ""
        click.echo(f"zlint: internal error in {error.where}{where}: {error.message}", err=True)
        if verbose:
            click.echo(error.traceback, err=True)
    if hint and errors and not verbose:
        click.echo("zlint: run with --verbose to see the traceback", err=True)
