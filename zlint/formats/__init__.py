"""Output formats: ``full`` (the default), ``concise``, ``json``, ``json-lines``, ``sarif``,
``github`` and ``gitlab``. ``text`` is an alias of ``concise``.

``render(report)`` returns the whole output as one string (without a final newline; empty
when a machine format has nothing to say) and ``emit`` prints or writes it.
"""

from __future__ import annotations

import enum
import os
from collections.abc import Callable
from pathlib import Path
from typing import TextIO

import click

from zlint.formats import ci, json_format, sarif, text
from zlint.formats._common import Report, SourceLines, display_path, summary_lines

__all__ = [
    "ALIASES",
    "CHOICES",
    "DEFAULT",
    "OutputFormat",
    "Report",
    "SourceLines",
    "display_path",
    "emit",
    "parse",
    "render",
    "summary_lines",
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
