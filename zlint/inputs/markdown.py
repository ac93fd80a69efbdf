"""Markdown pages: the Python code blocks as one module, and fixed code written back.

A block is a fenced code block (```` ``` ```` or ``~~~``, CommonMark's rules) whose info
string starts with ``python``, ``py`` or ``python3``. The blocks of one page form one module,
in order, because documentation pages build a pipeline up over several blocks. A fence may
be indented (inside a list item): that indentation is taken off each code line and put back
when writing. Diagnostics are reported at the page's own lines and columns.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from zlint.inputs.chunks import Chunk, check_chunk, edited_chunks
from zlint.inputs.source import SourceError

PYTHON_INFO = frozenset({"python", "py", "python3"})

_FENCE = re.compile(r"^(?P<indent>[ ]*)(?P<fence>`{3,}|~{3,})(?P<info>.*?)\r?\n?$")


@dataclass(frozen=True)
class _Block:
    first: int  # 0-based index of the first code line
    lines: list[str]  # the code lines as the page holds them
    indent: int
    python: bool


def chunks(text: str) -> list[Chunk]:
    found: list[Chunk] = []
    for block in _blocks(text.splitlines(keepends=True)):
        if not block.python:
            continue
        code = "".join(_dedent(line, block.indent) for line in block.lines)
        added = bool(code) and not code.endswith(("\n", "\r"))
        code += "\n" if added else ""
        found.append(Chunk(block.first + 1, code, block.indent, added, check_chunk(code)))
    return found


def write_back(original: str, virtual: str) -> str | SourceError:
    changed = edited_chunks(chunks(original), virtual)
    if isinstance(changed, SourceError):
        return changed
    lines = original.splitlines(keepends=True)
    blocks = {block.first + 1: block for block in _blocks(lines)}
    for chunk, new in sorted(changed, key=lambda item: -item[0].key):
        block = blocks[chunk.key]
        prefix = " " * block.indent
        replacement = [prefix + line if line.strip() else line for line in _lines(new)]
        lines[block.first : block.first + len(block.lines)] = replacement
    return "".join(lines)


def _lines(code: str) -> list[str]:
    return code.splitlines(keepends=True) if code else []


def _dedent(line: str, indent: int) -> str:
    spaces = len(line) - len(line.lstrip(" "))
    return line[min(spaces, indent) :]


def _blocks(lines: list[str]) -> list[_Block]:
    """Every fenced block of the page (Python or not, so fences inside others are skipped)."""
    blocks: list[_Block] = []
    index = 0
    while index < len(lines):
        opening = _FENCE.match(lines[index])
        if opening is None or (len(opening["indent"]) > 3 and not _in_list(lines, index)):
            index += 1
            continue
        fence, info = opening["fence"], opening["info"].strip()
        if fence[0] == "`" and "`" in info:  # not a fence: an inline code span
            index += 1
            continue
        end = index + 1
        while end < len(lines) and not _closes(lines[end], fence):
            end += 1
        indent = len(opening["indent"])
        blocks.append(_Block(index + 1, lines[index + 1 : end], indent, _is_python(info)))
        index = end + 1
    return blocks


def _in_list(lines: list[str], index: int) -> bool:
    # A fence indented four or more spaces opens a block only inside a list item; we accept
    # it when anything above it is a list item.
    return any(re.match(r"^\s*(?:[-*+]|\d+[.)])\s", line) for line in lines[:index])


def _closes(line: str, fence: str) -> bool:
    found = _FENCE.match(line)
    return (
        found is not None
        and found["fence"][0] == fence[0]
        and len(found["fence"]) >= len(fence)
        and not found["info"].strip()
    )


def _is_python(info: str) -> bool:
    word = info.split(maxsplit=1)[0] if info.split() else ""
    return word.strip("{}.").lower() in PYTHON_INFO
