"""Python embedded in other files: Jupyter notebooks (``.ipynb``) and Markdown (``.md``).

Such a file is checked as one Python module, its *virtual text*: the code cells of a notebook
(or the ```` ```python ```` blocks of a Markdown page) in order, each after a marker comment
line naming it (``#<<embedded 3>>``). The engine, the model, suppressions and the fix loop
all work on that text, as on any module; a step defined in cell 2 is seen by a pipeline in
cell 5. Then:

- :func:`locate` maps diagnostics back into the file: a notebook's to a cell (1-based,
  counting every cell as Jupyter shows them, as Ruff does) and a line and column within it;
  a Markdown page's to its own lines and columns.
- :func:`file_text` turns fixed virtual text back into the file, changing only the cells
  (blocks) whose code changed.

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

from zlint.inputs import source
from zlint.inputs.source import SourceError
from zlint.types import Diagnostic, Position, Span, TextEdit

NOTEBOOK_SUFFIXES = (".ipynb",)
MARKDOWN_SUFFIXES = (".md", ".markdown")

_MARKER = re.compile(
    r"^#<<embedded (?P<key>\d+)(?: indent (?P<indent>\d+))?"
    r"(?: error (?P<line>\d+):(?P<column>\d+))?>>(?: (?P<message>.*))?\r?\n?$"
)


@dataclass(frozen=True)
class Chunk:
    """One notebook cell or Markdown block as Python code.

    ``key`` is the cell number (notebooks) or the file line of the block's first code line
    (Markdown); ``indent`` the columns of indentation stripped from each line (Markdown).
    ``text`` ends with a line break (``added_newline``: one was added); ``error`` is why the
    chunk does not compile on its own, which leaves it out of the module.
    """

    key: int
    text: str
    indent: int = 0
    added_newline: bool = False
    error: SourceError | None = None


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
    # Imported here: both modules build on this one.
    from zlint.inputs import markdown, notebooks

    return notebooks.chunks(text) if is_notebook(path) else markdown.chunks(text)


def virtual_text(path: Path, text: str) -> str | SourceError:
    chunks = chunks_of(path, text)
    if isinstance(chunks, SourceError):
        return chunks
    return "".join(_marker(chunk) + ("" if chunk.error else chunk.text) for chunk in chunks)


def _marker(chunk: Chunk) -> str:
    indent = f" indent {chunk.indent}" if chunk.indent else ""
    if chunk.error is None:
        return f"#<<embedded {chunk.key}{indent}>>\n"
    error = chunk.error
    message = " ".join(error.message.split())
    return f"#<<embedded {chunk.key}{indent} error {error.line}:{error.column}>> {message}\n"


def check_chunk(text: str) -> SourceError | None:
    """Why a chunk cannot join the module: CPython rejects it on its own."""
    return source.check_syntax(text)


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
        found = _MARKER.match(line)
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


# --------------------------------------------------------------------------- writing back


def split(virtual: str, expected: Sequence[Chunk]) -> dict[int, str] | SourceError:
    """The code of each compiled chunk in (edited) virtual text, by key.

    Text above the first marker (an import a fix added at the very top) joins the first
    chunk. Every chunk must still be there, in order: a fix that moved code across cells
    is not written.
    """
    texts: dict[int, list[str]] = {}
    order: list[int] = []
    current: list[str] = []
    leading = current
    for line in virtual.splitlines(keepends=True):
        found = _MARKER.match(line)
        if found is None:
            current.append(line)
            continue
        key = int(found["key"])
        order.append(key)
        current = texts.setdefault(key, [])
    if order != [chunk.key for chunk in expected]:
        return SourceError("a fix moved code across cells or blocks, so it was not applied")
    compiled = [chunk.key for chunk in expected if chunk.error is None]
    if leading and compiled:
        texts[compiled[0]][:0] = leading
    return {key: "".join(texts[key]) for key in compiled}


def edited_chunks(original: Sequence[Chunk], virtual: str) -> list[tuple[Chunk, str]] | SourceError:
    """The chunks whose code a fix changed, each with its new code (the added final line
    break taken off again)."""
    texts = split(virtual, original)
    if isinstance(texts, SourceError):
        return texts
    changed: list[tuple[Chunk, str]] = []
    for chunk in original:
        new = texts.get(chunk.key)
        if new is None or new == chunk.text:
            continue
        if chunk.added_newline and new.endswith("\n"):
            new = new[:-1]
        changed.append((chunk, new))
    return changed


def file_text(path: Path, original: str, virtual: str) -> str | SourceError:
    """The file ``path`` (holding ``original``) with the code of ``virtual`` written back."""
    from zlint.inputs import markdown, notebooks

    if is_notebook(path):
        return notebooks.write_back(original, virtual)
    return markdown.write_back(original, virtual)


def restore_files(
    original: dict[Path, str],
    changed: dict[Path, str],
    original_bytes: dict[Path, bytes],
    problems: list[tuple[Path | None, str]],
) -> None:
    """Turn the fix loop's virtual texts of embedded files into file texts, in place:
    ``changed`` gets the fixed files, ``original`` what they held when zlint read them."""
    for path in [p for p in changed if is_embedded(p)]:
        data = original_bytes.get(path)
        text = source.decode(data) if data is not None else SourceError("cannot read it again")
        rebuilt = text if isinstance(text, SourceError) else file_text(path, text, changed[path])
        if isinstance(text, SourceError) or isinstance(rebuilt, SourceError):
            message = rebuilt.message if isinstance(rebuilt, SourceError) else ""
            problems.append((path, f"not written: {message}"))
            del changed[path]
            original.pop(path, None)
            continue
        original[path] = text
        changed[path] = rebuilt
