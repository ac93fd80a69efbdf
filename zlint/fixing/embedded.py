"""Notebooks and Markdown pages put back together after ``zlint fix`` edited their virtual
text (see :mod:`zlint.inputs.embedded`): only the cells or blocks whose code changed are
rewritten; everything else in the file stays as it was."""

from __future__ import annotations

from pathlib import Path

from zlint.inputs import markdown, notebooks, source
from zlint.inputs.embedded import is_embedded, is_notebook
from zlint.inputs.source import SourceError


def file_text(path: Path, original: str, virtual: str) -> str | SourceError:
    """The file ``path`` (holding ``original``) with the code of ``virtual`` written back."""
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
