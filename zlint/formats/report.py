"""What every output format needs: paths, source lines, fixes, fingerprints and the summary.

Diagnostics may or may not carry a fix (``Diagnostic.fix``, with its text ``edits``); every
helper here reads them with ``getattr`` so that a diagnostic without them is "no fix".
"""

from __future__ import annotations

import hashlib
import os
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import click

from zlint.inputs import source
from zlint.inputs.notebooks import cell_lines
from zlint.types import Applicability, Diagnostic, Span


class SourceLines:
    """The lines of the reported files, each file read once (and only when a format asks)."""

    def __init__(self) -> None:
        self._lines: dict[Path, list[str] | None] = {}
        self._cells: dict[tuple[Path, int], list[str] | None] = {}

    def lines(self, path: Path) -> list[str] | None:
        """The file's lines without line endings, or None when it cannot be read."""
        if path not in self._lines:
            text = source.read_text(path)
            self._lines[path] = None if isinstance(text, source.SourceError) else _split(text)
        return self._lines[path]

    def cell_lines(self, path: Path, cell: int) -> list[str] | None:
        """The lines of a notebook's cell (1-based), or None when they cannot be read."""
        if (path, cell) not in self._cells:
            text = source.read_text(path)
            found = None if isinstance(text, source.SourceError) else cell_lines(text, cell)
            self._cells[path, cell] = found
        return self._cells[path, cell]

    def lines_of(self, d: Diagnostic) -> list[str] | None:
        """The lines ``d``'s positions count: its cell's in a notebook, else its file's."""
        cell = cell_of(d)
        return self.lines(d.path) if cell is None else self.cell_lines(d.path, cell)

    def line(self, path: Path, number: int) -> str | None:
        lines = self.lines(path)
        if lines is None or not 1 <= number <= len(lines):
            return None
        return lines[number - 1]


@dataclass(frozen=True)
class Report:
    """The findings of one run and what the formats need to know about it."""

    diagnostics: Sequence[Diagnostic]
    #: The project root: SARIF gives file locations relative to it.
    root: Path
    #: Style for a terminal (only the human formats use it).
    color: bool = False
    #: Whether unsafe fixes would be applied, which makes them count as fixable.
    unsafe_fixes: bool = False
    sources: SourceLines = field(default_factory=SourceLines)
    #: The ZenML releases the run checked for, as JSON (``Target.record()``: releases, spec,
    #: source); SARIF records it in the run's properties.
    zenml_target: Mapping[str, object] | None = None


def _split(text: str) -> list[str]:
    # Python's own line breaks (\n, \r\n, \r); str.splitlines would also split at \f and \x1c.
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


def display_path(path: Path) -> str:
    """The path as people read it: relative to the current folder when possible. Bytes of a
    file name that are not UTF-8 are shown escaped (``\\xff``), so no output encoder fails."""
    try:
        text = os.path.relpath(path)
    except ValueError:  # another drive on Windows
        text = str(path)
    return text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def posix_display_path(path: Path) -> str:
    """The display path with forward slashes, as CI services expect."""
    return display_path(path).replace(os.sep, "/")


def cell_of(d: Diagnostic) -> int | None:
    """The notebook cell of ``d``'s positions (None: a plain file, or no such attribute)."""
    cell = getattr(d, "cell", None)
    return cell if isinstance(cell, int) else None


def location(d: Diagnostic) -> str:
    """``line:column``, or ``cell N:line:column`` in a notebook, as Ruff shows them."""
    where = f"{d.span.start.line}:{d.span.start.column}"
    return where if cell_of(d) is None else f"cell {cell_of(d)}:{where}"


def file_span(d: Diagnostic) -> Span:
    """The span in the file's own lines, for formats that know no cells: a notebook cell's
    lines are not lines of the ``.ipynb`` file, so its findings point at the file's start
    (as Ruff's) and :func:`located_message` says where they are."""
    return d.span if cell_of(d) is None else Span.at(1, 1)


def located_message(d: Diagnostic) -> str:
    return d.message if cell_of(d) is None else f"{location(d)}: {d.message}"


# --------------------------------------------------------------------------- fixes


def fix_of(diagnostic: Diagnostic) -> Any:
    return getattr(diagnostic, "fix", None)


def applicability(diagnostic: Diagnostic) -> Applicability | None:
    """The fix's applicability, or None when the diagnostic has no (recognisable) fix."""
    fix = fix_of(diagnostic)
    if fix is None:
        return None
    value = getattr(fix, "applicability", None)
    if isinstance(value, Applicability):
        return value
    try:
        return Applicability(value)
    except ValueError:
        return None


def fix_message(diagnostic: Diagnostic) -> str | None:
    fix = fix_of(diagnostic)
    message = getattr(fix, "message", None) if fix is not None else None
    return message if isinstance(message, str) and message else None


def is_fixable(diagnostic: Diagnostic, unsafe_fixes: bool) -> bool:
    """Whether ``zlint fix`` (with ``--unsafe-fixes`` when asked) would apply the fix: [*]."""
    kind = applicability(diagnostic)
    return kind is Applicability.SAFE or (kind is Applicability.UNSAFE and unsafe_fixes)


@dataclass(frozen=True)
class Edit:
    """One text edit of the diagnostic's file: 1-based positions, end exclusive."""

    content: str
    start_line: int
    start_column: int
    end_line: int
    end_column: int


def edits_of(diagnostic: Diagnostic) -> list[Edit]:
    if fix_of(diagnostic) is None:
        return []
    edits: list[Edit] = []
    for edit in getattr(diagnostic, "edits", ()) or ():
        start, end = getattr(edit, "start", None), getattr(edit, "end", None)
        content = getattr(edit, "content", None)
        if start is None or end is None or not isinstance(content, str):
            continue
        edits.append(Edit(content, start.line, start.column, end.line, end.column))
    return edits


# --------------------------------------------------------------------------- summary


def _plural(count: int, word: str, plural: str | None = None) -> str:
    return f"{count} {word if count == 1 else plural or word + 's'}"


def summary_lines(diagnostics: Sequence[Diagnostic], unsafe_fixes: bool = False) -> list[str]:
    """Ruff's closing lines: the count, then what ``zlint fix`` could do about them."""
    if not diagnostics:
        return ["All checks passed!"]
    lines = [f"Found {_plural(len(diagnostics), 'error')}."]
    kinds = Counter(applicability(d) for d in diagnostics)
    safe, unsafe = kinds[Applicability.SAFE], kinds[Applicability.UNSAFE]
    fixable, hidden = (safe + unsafe, 0) if unsafe_fixes else (safe, unsafe)
    hint = f"{_plural(hidden, 'unsafe fix', 'unsafe fixes')} available with --unsafe-fixes"
    if fixable:
        command = "zlint fix --unsafe-fixes" if unsafe_fixes and unsafe else "zlint fix"
        lines.append(f"[*] {fixable} fixable with {command}" + (f" ({hint})" if hidden else ""))
    elif hidden:
        lines.append(f"No safe fixes available ({hint})")
    return lines


# --------------------------------------------------------------------------- fingerprints


def fingerprints(report: Report, path_text: dict[Path, str]) -> list[str]:
    """A fingerprint per diagnostic that survives lines moving: code, path, the stripped text
    of the first line, and how many identical (code, path, text) findings came before it.

    Line numbers and messages are left out on purpose: messages quote line numbers.
    """
    seen: Counter[tuple[str, str, str]] = Counter()
    prints: list[str] = []
    for d in report.diagnostics:
        lines = report.sources.lines_of(d)
        number = d.span.start.line
        text = lines[number - 1] if lines is not None and 1 <= number <= len(lines) else None
        key = (d.code, path_text[d.path], (text if text is not None else d.message).strip())
        occurrence = seen[key]
        seen[key] += 1
        joined = "\0".join([*key, str(occurrence)])
        digest = hashlib.sha256(joined.encode("utf-8", "surrogateescape"))
        prints.append(digest.hexdigest())
    return prints


# --------------------------------------------------------------------------- colour


def style(text: str, color: bool, **styles: Any) -> str:
    return click.style(text, **styles) if color else text
