"""The formats for people: ``concise`` (one line per finding) and ``full`` (with the source).

``full`` prints each finding's location line, then the lines it covers with a gutter of line
numbers and carets under the span, a little context around them, and the fix's message:

    pipe.py:15:5: ZL001 Step `clean` is called again here ...
       |
    14 |     clean(load("a"), part="a")
    15 |     clean(load("b"), part="b")
       |     ^^^^^^^^^^^^^^^^^^^^^^^^^^ ZL001
    16 |     load("c", id="load")
       |
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from zlint.formats.report import (
    Report,
    display_path,
    fix_message,
    is_fixable,
    location,
    style,
    summary_lines,
)
from zlint.types import Diagnostic

#: Lines shown before and after the span.
CONTEXT_LINES = 2
#: Spans longer than this show their first and last lines only, with "..." between.
MAX_SPAN_LINES = 6
TAB_WIDTH = 4


def location_line(d: Diagnostic, report: Report) -> str:
    color = report.color
    where = style(display_path(d.path), color, bold=True)
    code = style(d.code, color, fg="red", bold=True)
    marker = f"{style('[*]', color, fg='cyan')} " if is_fixable(d, report.unsafe_fixes) else ""
    return f"{where}:{location(d)}: {code} {marker}{d.message}"


def concise(report: Report) -> str:
    lines = [location_line(d, report) for d in report.diagnostics]
    lines.extend(summary_lines(report.diagnostics, report.unsafe_fixes))
    return "\n".join(lines)


def full(report: Report) -> str:
    blocks = [_full_block(d, report) for d in report.diagnostics]
    lines = [line for block in blocks for line in (*block, "")]
    lines.extend(summary_lines(report.diagnostics, report.unsafe_fixes))
    return "\n".join(lines)


# --------------------------------------------------------------------------- source frame


@dataclass(frozen=True)
class _Row:
    """One line of the frame: a source line (with its number) or the underline below one."""

    number: int | None
    text: str
    is_underline: bool = False


def _full_block(d: Diagnostic, report: Report) -> list[str]:
    lines = [location_line(d, report)]
    rows = _frame(d, report)
    width = max((len(str(row.number)) for row in rows if row.number is not None), default=1)
    blue = {"fg": "blue", "bold": True}
    if rows:
        gutter = style(" " * width + " |", report.color, **blue)
        lines.append(gutter)
        for row in rows:
            if row.is_underline:
                text = style(row.text, report.color, fg="red", bold=True)
                lines.append(f"{gutter} {text}".rstrip())
            elif row.number is None:
                lines.append(style("...", report.color, **blue))
            else:
                number = style(f"{row.number:>{width}} |", report.color, **blue)
                lines.append(f"{number} {row.text}".rstrip())
        lines.append(gutter)
    help_text = fix_message(d)
    if help_text is not None:
        label = style("= help:", report.color, fg="cyan", bold=True)
        lines.append(f"{' ' * (width + 1)}{label} {help_text}")
    return lines


def _frame(d: Diagnostic, report: Report) -> list[_Row]:
    lines = report.sources.lines_of(d)
    if lines is None:
        return []
    count = len(lines)
    start = min(max(d.span.start.line, 1), count)
    end = min(max(d.span.end.line, start), count)
    # A span that ends at column 1 of the next line covers nothing on that line.
    if end > start and d.span.end.line <= count and d.span.end.column <= 1:
        end -= 1
    first = start
    while first > max(1, start - CONTEXT_LINES) and lines[first - 2].strip():
        first -= 1
    last = end
    while last < min(count, end + CONTEXT_LINES) and lines[last].strip():
        last += 1
    rows = [_Row(n, _expand(lines[n - 1])) for n in range(first, start)]
    span_numbers = list(range(start, end + 1))
    if len(span_numbers) > MAX_SPAN_LINES:
        span_numbers = [*span_numbers[:3], -1, *span_numbers[-2:]]
    for n in span_numbers:
        if n < 0:
            rows.append(_Row(None, ""))
            continue
        rows.append(_Row(n, _expand(lines[n - 1])))
        underline = _underline(lines[n - 1], n, d, start, end)
        if underline:
            label = f" {d.code}" if n == end else ""
            rows.append(_Row(n, underline + label, is_underline=True))
    rows.extend(_Row(n, _expand(lines[n - 1])) for n in range(end + 1, last + 1))
    return rows


def _underline(line: str, number: int, d: Diagnostic, start: int, end: int) -> str:
    """Carets under the part of ``line`` that the span covers (one caret at least on the
    first line, for an empty span)."""
    length = len(line)
    if number == start:
        first = min(max(d.span.start.column, 1), length + 1)
    else:
        first = length - len(line.lstrip()) + 1
    if number == end and d.span.end.line == number:
        stop = min(max(d.span.end.column, first), length + 1)
    else:
        stop = length + 1
    if stop <= first:
        if number != start:
            return ""
        stop = first + 1
    before = _width(line[: first - 1])
    covered = max(_width(line[: stop - 1]) - before, 1)
    return " " * before + "^" * covered


def _expand(line: str) -> str:
    """The line as a terminal shows it: tabs expanded to the next stop."""
    if "\t" not in line:
        return line
    parts: list[str] = []
    width = 0
    for char in line:
        text = " " * (TAB_WIDTH - width % TAB_WIDTH) if char == "\t" else char
        parts.append(text)
        width += _width(text)
    return "".join(parts)


def _width(text: str) -> int:
    """How many terminal cells ``text`` takes: tabs expanded, wide characters two cells."""
    width = 0
    for char in text:
        if char == "\t":
            width += TAB_WIDTH - width % TAB_WIDTH
        elif unicodedata.combining(char):
            continue
        elif unicodedata.east_asian_width(char) in ("W", "F"):
            width += 2
        else:
            width += 1
    return width
