"""The chunks of Python in a notebook or Markdown page, and the virtual text they make.

Each chunk (a code cell, a ```` ```python ```` block) follows a marker comment line naming it
(``#<<embedded 3>>``) in the file's *virtual text*; :func:`split` and
:func:`edited_chunks` read fixed virtual text back into chunks. The readers of each file
kind (:mod:`zlint.inputs.notebooks`, :mod:`zlint.inputs.markdown`) build on this module.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from zlint.inputs import source
from zlint.inputs.source import SourceError

MARKER = re.compile(
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


def marker_line(chunk: Chunk) -> str:
    indent = f" indent {chunk.indent}" if chunk.indent else ""
    if chunk.error is None:
        return f"#<<embedded {chunk.key}{indent}>>\n"
    error = chunk.error
    message = " ".join(error.message.split())
    return f"#<<embedded {chunk.key}{indent} error {error.line}:{error.column}>> {message}\n"


def check_chunk(text: str) -> SourceError | None:
    """Why a chunk cannot join the module: CPython rejects it on its own."""
    return source.check_syntax(text)


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
        found = MARKER.match(line)
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
