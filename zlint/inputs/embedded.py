"""Python embedded in other files: Jupyter notebooks (``.ipynb``) and Markdown (``.md``).

Such a file is checked as one Python module, its *virtual text*: the code cells of a notebook
(or the ```` ```python ```` blocks of a Markdown page) in order, each after a marker comment
line naming it (``#<<embedded 3>>``). The engine, the model, suppressions and the fix loop
all work on that text, as on any module; a step defined in cell 2 is seen by a pipeline in
cell 5. Then:

- :func:`locate` maps diagnostics back into the file: a notebook's to a cell (1-based,
  counting every cell as Jupyter shows them, as Ruff does) and a line and column within it;
  a Markdown page's to its own lines and columns.
- :func:`zlint.fixing.embedded.file_text` turns fixed virtual text back into the file,
  changing only the cells (blocks) whose code changed.

A cell or block that does not compile on its own is left out of the module and gets a ZL000
finding at its error; the rest is still checked. The markers are what keeps cells apart
through the fix loop's edits, so they are plain comments no rule or directive reads.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from zlint.inputs import chunks as chunks_module
from zlint.inputs import source
from zlint.inputs.chunks import Chunk
from zlint.inputs.source import SourceError
from zlint.types import Diagnostic, Position, Span, TextEdit

NOTEBOOK_SUFFIXES = (".ipynb",)
MARKDOWN_SUFFIXES = (".md", ".markdown")


def is_notebook(path: Path) -> bool:
    return path.name.endswith(NOTEBOOK_SUFFIXES)


def is_markdown(path: Path) -> bool:
    return path.name.endswith(MARKDOWN_SUFFIXES)


def is_embedded(path: Path) -> bool:
    return is_notebook(path) or is_markdown(path)


# --------------------------------------------------------------------------- reading


def read_text(path: Path) -> str | SourceError:
    """What zlint checks of ``path``: its text, or for a notebook or Markdown file the
    virtual Python text of its code."""
    text = source.read_text(path)
    if isinstance(text, SourceError) or not is_embedded(path):
        return text
    return virtual_text(path, text)


def chunks_of(path: Path, text: str) -> list[Chunk] | SourceError:
    from zlint.inputs import markdown, notebooks

    return notebooks.chunks(text) if is_notebook(path) else markdown.chunks(text)


def virtual_text(path: Path, text: str) -> str | SourceError:
    chunks = chunks_of(path, text)
    if isinstance(chunks, SourceError):
        return chunks
    return "".join(
        chunks_module.marker_line(chunk) + ("" if chunk.error else chunk.text) for chunk in chunks
    )


# --------------------------------------------------------------------------- positions


@dataclass(frozen=True)
class _Mark:
    line: int  # the marker's line in the virtual text
    key: int
    indent: int
    error: SourceError | None


def _marks(virtual: str) -> list[_Mark]:
    marks: list[_Mark] = []
    for number, line in enumerate(virtual.splitlines(keepends=True), start=1):
        found = chunks_module.MARKER.match(line)
        if found is None:
            continue
        error = None
        if found["line"] is not None:
            error = SourceError(found["message"] or "", int(found["line"]), int(found["column"]))
        marks.append(_Mark(number, int(found["key"]), int(found["indent"] or 0), error))
    return marks


class Locator:
    """Maps positions in a file's virtual text to positions in the file (or its cells)."""

    def __init__(self, path: Path, virtual: str) -> None:
        self.notebook = is_notebook(path)
        self.marks = _marks(virtual)

    def position(self, position: Position) -> tuple[int | None, Position]:
        """The cell (notebooks; None for Markdown) and the position within it."""
        mark = None
        for candidate in self.marks:
            if candidate.line > position.line:
                break
            mark = candidate
        if mark is None:  # before the first cell: only a module-wide finding lands here
            return (1 if self.notebook else None), Position(1, 1)
        return self._within(mark, position.line - mark.line, position.column)

    def _within(self, mark: _Mark, line: int, column: int) -> tuple[int | None, Position]:
        line = max(line, 1)
        if self.notebook:
            return mark.key, Position(line, column)
        return None, Position(mark.key + line - 1, column + mark.indent)

    def span(self, span: Span) -> tuple[int | None, Span]:
        cell, start = self.position(span.start)
        end_cell, end = self.position(span.end)
        if end_cell != cell or end < start:  # a span into another cell ends where it starts
            end = start
        return cell, Span(start, end)

    def chunk_errors(self) -> list[tuple[int | None, SourceError]]:
        """The chunks left out of the module, each with its error in file coordinates."""
        found: list[tuple[int | None, SourceError]] = []
        for mark in self.marks:
            if mark.error is not None:
                cell, where = self._within(mark, mark.error.line, mark.error.column)
                found.append(
                    (cell, dataclasses.replace(mark.error, line=where.line, column=where.column))
                )
        return found


def locate(
    diagnostics: Sequence[Diagnostic],
    reported: Iterable[Path],
    read: Callable[[Path], str | SourceError],
    report_errors: bool,
) -> list[Diagnostic]:
    """Diagnostics of embedded files moved to file (cell) positions, plus a ZL000 finding for
    each cell or block that does not compile (when ``report_errors``: ZL000 is selected)."""
    locators: dict[Path, Locator] = {}
    extra: list[Diagnostic] = []
    for path in reported:
        if not is_embedded(path):
            continue
        virtual = read(path)
        if isinstance(virtual, SourceError):
            continue
        locators[path] = Locator(path, virtual)
        if report_errors:
            extra.extend(_error(path, cell, e) for cell, e in locators[path].chunk_errors())
    moved = [_moved(d, locators[d.path]) if d.path in locators else d for d in diagnostics]
    return [*moved, *extra]


def _moved(diagnostic: Diagnostic, locator: Locator) -> Diagnostic:
    cell, span = locator.span(diagnostic.span)
    edits = tuple(_moved_edit(edit, locator) for edit in diagnostic.edits)
    message = _LINE_REFERENCE.sub(lambda found: _line_reference(found, locator), diagnostic.message)
    return dataclasses.replace(diagnostic, message=message, span=span, cell=cell, edits=edits)


#: "first call at line 14": rules quote lines of the module, which are virtual lines here.
_LINE_REFERENCE = re.compile(r"\bline (\d+)\b")


def _line_reference(found: re.Match[str], locator: Locator) -> str:
    cell, where = locator.position(Position(int(found[1]), 1))
    return f"line {where.line}" if cell is None else f"cell {cell}, line {where.line}"


def _moved_edit(edit: TextEdit, locator: Locator) -> TextEdit:
    _, span = locator.span(Span(edit.start, edit.end))
    return TextEdit(edit.content, span.start, span.end)


def _error(path: Path, cell: int | None, error: SourceError) -> Diagnostic:
    from zlint.results import unparsable

    return unparsable(path, error.message, Span.at(error.line, error.column), cell)
