"""Jupyter notebooks (nbformat 4): code cells as Python, and fixed code written back.

Cells starting with a cell magic (``%%bash``, ``%%time``) are not Python and are left out.
IPython lines (``%pip install x``, ``!ls``, ``files = !ls``, ``obj?``) become a harmless
``pass`` (``files = None``) with the magic's number in a comment, so the cell keeps its line
count and compiles; writing back puts the original lines in again. A notebook whose kernel
is not Python has nothing to check. A cell that does not compile on its own, even allowing
IPython's top-level ``await``, is left out and reported; one that needs ``await`` at the top
is left out quietly (it runs in Jupyter, but Python cannot compile it as a module).

Writing back changes the ``source`` of the edited cells only: outputs, metadata, execution
counts, cell ids, the key order, the JSON indentation and the final line break stay. The
JSON layout is found by re-encoding the notebook as it was; a notebook whose layout cannot
be reproduced exactly is not written.
"""

from __future__ import annotations

import ast
import json
import re
import warnings
from collections.abc import Callable
from typing import Any

from zlint.inputs.chunks import Chunk, check_chunk, edited_chunks
from zlint.inputs.source import SourceError

_MAGIC = re.compile(
    r"^(?P<indent>[ \t]*)(?P<target>[A-Za-z_][\w.]*(?:\s*,\s*[A-Za-z_][\w.]*)*\s*=\s*)?"
    r"(?P<magic>[%!].*|\?.*)$"
)
_HELP = re.compile(r"^[ \t]*[A-Za-z_][\w.]*\?{1,2}[ \t]*$")
_PLACEHOLDER = re.compile(r"^(?P<indent>[ \t]*).*#<<magic (?P<index>\d+)>>$")


def chunks(text: str) -> list[Chunk] | SourceError:
    """The notebook's Python cells, numbered as Jupyter shows them (every cell counts)."""
    document = _load(text)
    if isinstance(document, SourceError):
        return document
    if not _is_python(document):
        return []
    found: list[Chunk] = []
    for number, cell in enumerate(document["cells"], start=1):
        if cell["cell_type"] != "code":
            continue
        source = _source_text(cell["source"])
        if source.lstrip().startswith("%%"):
            continue
        code, _ = _python(source)
        added = bool(code) and not code.endswith("\n")
        code += "\n" if added else ""
        error = check_chunk(code)
        if error is not None and _compiles_with_top_level_await(code):
            continue
        found.append(Chunk(number, code, added_newline=added, error=error))
    return found


def cell_lines(text: str, number: int) -> list[str] | None:
    """The source lines of cell ``number`` (1-based), as the notebook holds them."""
    document = _load(text)
    if isinstance(document, SourceError) or not 1 <= number <= len(document["cells"]):
        return None
    return _source_text(document["cells"][number - 1]["source"]).split("\n")


def write_back(original: str, virtual: str) -> str | SourceError:
    document = _load(original)
    if isinstance(document, SourceError):
        return document
    encode = _encoder(original, document)
    if encode is None:
        return SourceError("cannot keep the notebook's JSON layout, so it was not written")
    before = chunks(original)
    if isinstance(before, SourceError):
        return before
    changed = edited_chunks(before, virtual)
    if isinstance(changed, SourceError):
        return changed
    for chunk, new in changed:
        cell = document["cells"][chunk.key - 1]
        _, magics = _python(_source_text(cell["source"]))
        code = _restore(new, magics)
        cell["source"] = code if isinstance(cell["source"], str) else _as_lines(code)
    return encode(document)


# --------------------------------------------------------------------------- reading


def _load(text: str) -> dict[str, Any] | SourceError:
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        return SourceError(f"invalid notebook: not JSON: {exc.msg}", exc.lineno, exc.colno)
    except RecursionError:
        return SourceError("invalid notebook: nested too deeply")
    if not isinstance(document, dict) or not isinstance(document.get("cells"), list):
        return SourceError('invalid notebook: no "cells" list (nbformat 4 is supported)')
    for number, cell in enumerate(document["cells"], start=1):
        problem = _cell_problem(cell)
        if problem is not None:
            return SourceError(f"invalid notebook: cell {number} {problem}")
    return document


def _cell_problem(cell: object) -> str | None:
    if not isinstance(cell, dict):
        return "is not an object"
    if not isinstance(cell.get("cell_type"), str):
        return 'has no "cell_type"'
    source = cell.get("source")
    if isinstance(source, str):
        return None
    if not isinstance(source, list) or not all(isinstance(part, str) for part in source):
        return 'has no "source" text'
    return None


def _is_python(document: dict[str, Any]) -> bool:
    metadata = document.get("metadata")
    if not isinstance(metadata, dict):
        return True
    info = metadata.get("language_info")
    name = info.get("name") if isinstance(info, dict) else None
    if name is None:
        kernel = metadata.get("kernelspec")
        name = kernel.get("language") if isinstance(kernel, dict) else None
    return not isinstance(name, str) or name.lower() in ("python", "python3", "")


def _source_text(source: str | list[str]) -> str:
    return source if isinstance(source, str) else "".join(source)


def _compiles_with_top_level_await(code: str) -> bool:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            compile(code, "<cell>", "exec", flags=ast.PyCF_ALLOW_TOP_LEVEL_AWAIT, dont_inherit=True)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return False
    return True


# --------------------------------------------------------------------------- IPython syntax


def _python(source: str) -> tuple[str, list[tuple[str, str]]]:
    """The cell as Python (IPython lines replaced, one line each), and the lines replaced,
    each with the indentation its placeholder got."""
    lines = source.split("\n")
    magics: list[tuple[str, str]] = []
    continued: str | None = None  # the indentation of a magic continued with a backslash
    for index, line in enumerate(lines):
        stripped = line.rstrip("\r")
        ending = line[len(stripped) :]
        if continued is not None:
            indent = continued
            placeholder = f"{indent}pass  #<<magic {len(magics)}>>"
        else:
            found = _MAGIC.match(stripped)
            if found is None and not _is_help(stripped):
                continue
            indent = (
                found["indent"] if found else stripped[: len(stripped) - len(stripped.lstrip())]
            )
            target = (found["target"] or "") if found else ""
            value = "None" if target else "pass"
            placeholder = f"{indent}{target}{value}  #<<magic {len(magics)}>>"
            continued = indent
        magics.append((indent, stripped))
        lines[index] = placeholder + ending
        if not stripped.endswith("\\"):
            continued = None
    return "\n".join(lines), magics


def _is_help(line: str) -> bool:
    """``obj?`` / ``obj.attr??``: IPython's help, never valid Python outside a string."""
    return _HELP.match(line) is not None


def _restore(code: str, magics: list[tuple[str, str]]) -> str:
    """Put the IPython lines back, moved as far as a fix moved their placeholders."""
    lines = code.split("\n")
    for index, line in enumerate(lines):
        stripped = line.rstrip("\r")
        found = _PLACEHOLDER.match(stripped)
        if found is None or int(found["index"]) >= len(magics):
            continue
        indent, original = magics[int(found["index"])]
        body = original[len(indent) :] if original.startswith(indent) else original.lstrip(" \t")
        lines[index] = found["indent"] + body + line[len(stripped) :]
    return "\n".join(lines)


def _as_lines(code: str) -> list[str]:
    return code.splitlines(keepends=True)


# --------------------------------------------------------------------------- JSON layout


def _encoder(original: str, document: dict[str, Any]) -> Callable[[dict[str, Any]], str] | None:
    """A JSON encoding that reproduces ``original`` exactly from ``document``, or None."""
    body = original[:-1] if original.endswith("\n") else original
    ending = original[len(body) :]
    for indent in _indents(body):
        for ensure_ascii in (False, True):
            for separators in _separators(indent):

                def encode(
                    doc: dict[str, Any],
                    indent: int | str | None = indent,
                    ensure_ascii: bool = ensure_ascii,
                    separators: tuple[str, str] = separators,
                ) -> str:
                    text = json.dumps(
                        doc, indent=indent, ensure_ascii=ensure_ascii, separators=separators
                    )
                    return text + ending

                if encode(document) == original:
                    return encode
    return None


def _indents(body: str) -> list[int | str | None]:
    second = body.split("\n", 2)[1] if "\n" in body else None
    if second is None:
        return [None]
    indent = second[: len(second) - len(second.lstrip(" \t"))]
    if indent and set(indent) == {" "}:
        return [len(indent)]
    return [indent] if indent else [0]


def _separators(indent: int | str | None) -> list[tuple[str, str]]:
    if indent is None:
        return [(", ", ": "), (",", ":")]
    return [(",", ": ")]
