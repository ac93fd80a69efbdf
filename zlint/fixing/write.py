"""Writing a fixed file without ever losing it.

The new text goes to a temporary file in the same folder (so the rename stays on one file
system), is flushed and fsync'd, gets the original's permission bits, and replaces the
original with ``os.replace``: readers see the old file or the new one, never half of one.
Encoding, a UTF-8 BOM and line endings are kept (LibCST keeps the line endings in the
text). A file that changed on disk since zlint read it is not touched.

A run killed between creating a temporary file and the rename leaves that temporary file
behind (the original is intact). Before writing into a folder, ``zlint fix`` removes such
leftovers there: only names ``tempfile.mkstemp`` makes with zlint's prefix and suffix.
"""

from __future__ import annotations

import codecs
import contextlib
import io
import os
import re
import stat
import tempfile
import tokenize
from collections.abc import Mapping
from pathlib import Path

TEMP_SUFFIX = ".zlint-tmp"
#: What ``tempfile.mkstemp(prefix=f".{name}.", suffix=TEMP_SUFFIX)`` names a file: the
#: random part is 8 characters of ``tempfile._RandomNameSequence``.
_TEMP_NAME = re.compile(rf"\..+\.[a-z0-9_]{{8}}{re.escape(TEMP_SUFFIX)}")


def write_atomically(path: Path, text: str, original: bytes) -> str | None:
    """Writes ``text`` over ``path``; returns why it did not, or None on success."""
    try:
        current = path.read_bytes()
    except OSError as exc:
        return f"cannot read it again: {exc.strerror or exc}"
    if current != original:
        return "it changed on disk while zlint was fixing it; run zlint fix again"
    data = encode_like(text, original)
    try:
        mode = stat.S_IMODE(path.stat().st_mode)
        handle, temp_name = tempfile.mkstemp(
            dir=path.parent, prefix=f".{path.name}.", suffix=TEMP_SUFFIX
        )
    except OSError as exc:
        return f"cannot create a temporary file next to it: {exc.strerror or exc}"
    try:
        with os.fdopen(handle, "wb") as temp:
            temp.write(data)
            temp.flush()
            os.fsync(temp.fileno())
        os.chmod(temp_name, mode)
        os.replace(temp_name, path)
    except OSError as exc:
        _remove(temp_name)
        return f"cannot write it: {exc.strerror or exc}"
    _sync_folder(path.parent)
    return None


def write_files(
    texts: Mapping[Path, str], originals: Mapping[Path, bytes]
) -> list[tuple[Path, str]]:
    """Writes every file of ``texts``, in path order, over what it held when zlint read it
    (``originals``); returns why each file that was not written was not. Every file zlint
    changes (fixes, ``--add-ignore``, notebooks and Markdown pages) is written here."""
    problems: list[tuple[Path, str]] = []
    for path, text in sorted(texts.items()):
        problem = write_atomically(path, text, originals[path])
        if problem is not None:
            problems.append((path, f"not written: {problem}"))
    return problems


def encode_like(text: str, original: bytes) -> bytes:
    """``text`` in the original file's encoding, with its BOM if it had one."""
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(original).readline)
    except SyntaxError:
        encoding = "utf-8"
    has_bom = original.startswith(codecs.BOM_UTF8)
    if encoding == "utf-8-sig":
        encoding = "utf-8"
    data = text.encode(encoding)
    return codecs.BOM_UTF8 + data if has_bom and not data.startswith(codecs.BOM_UTF8) else data


def remove_stale_temp_files(folder: Path) -> list[Path]:
    """Removes the temporary files an interrupted ``zlint fix`` left in ``folder`` (not in
    its subfolders); returns them. Called only for folders zlint is about to write into."""
    removed: list[Path] = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    for entry in entries:
        if _TEMP_NAME.fullmatch(entry.name) and entry.is_file(follow_symlinks=False):
            with contextlib.suppress(OSError):
                os.unlink(entry.path)
                removed.append(Path(entry.path))
    return sorted(removed)


def _remove(name: str) -> None:
    with contextlib.suppress(OSError):
        os.unlink(name)


def _sync_folder(folder: Path) -> None:
    """Makes the rename itself durable; not every system allows opening a folder."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
