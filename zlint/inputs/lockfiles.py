"""The ZenML release a lock file pins: ``uv.lock``, ``poetry.lock``, ``pdm.lock`` (each a
``[[package]]`` per locked distribution) and PEP 751's ``pylock.toml`` (``[[packages]]``).

A lock file can run to megabytes, and parsing all of it as TOML costs more than a cached
check. Only the ``[[package]]`` entries whose ``name`` line says ``zenml`` are parsed, each on
its own; the whole file only when such an entry does not parse alone.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from packaging.specifiers import SpecifierSet
from packaging.version import InvalidVersion, Version

from zlint.inputs.requirements import Found, Reading, Unusable, is_zenml

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised only on Python 3.10
    import tomli as tomllib

#: The lock files, in the order they are tried, with the key of their array of packages.
LOCK_FILES: tuple[tuple[str, str], ...] = (
    ("uv.lock", "package"),
    ("poetry.lock", "package"),
    ("pdm.lock", "package"),
    ("pylock.toml", "packages"),
)

_NAME_LINE = re.compile(r"""name\s*=\s*["']zenml["']\s*""")


def read_lock(path: Path, key: str, reading: Reading) -> Found | None:
    """The releases ``path`` locks ZenML at (several when the lock forks by environment),
    or None when it has no such file or does not lock ZenML."""
    text = reading.text(path)
    if text is None:
        return None
    versions = [v for entry in _zenml_entries(text, key, path, reading) if (v := _version(entry))]
    if not versions:
        return None
    alternatives = tuple(SpecifierSet(f"=={_release(v, path, reading)}") for v in versions)
    spec = " | ".join(f"=={v}" for v in versions)
    return Found(alternatives, spec, reading.shown(path))


def _zenml_entries(text: str, key: str, path: Path, reading: Reading) -> list[dict[str, Any]]:
    header = f"[[{key}]]"
    entries: list[dict[str, Any]] = []
    for line in _name_lines(text):
        start = text.rfind("\n[", 0, line) + 1
        if text[start : text.find("\n", start)].strip() != header:
            continue  # a name in some other table
        try:
            entries += _packages(tomllib.loads(text[start : _entry_end(text, line, key)]), key)
        except tomllib.TOMLDecodeError:
            return _packages(_whole(text, path, reading), key)
    return [e for e in entries if is_zenml(str(e.get("name", "")))]


def _name_lines(text: str) -> Iterator[int]:
    """Where each ``name = "zenml"`` line starts. Lock files write names normalised (lower
    case); ``str.find`` goes through a megabyte in well under a millisecond, where a
    multi-line regular expression takes ten."""
    position = text.find("zenml")
    while position >= 0:
        start = text.rfind("\n", 0, position) + 1
        end = text.find("\n", position)
        end = len(text) if end < 0 else end
        if _NAME_LINE.fullmatch(text, start, end):
            yield start
        position = text.find("zenml", end)


def _entry_end(text: str, position: int, key: str) -> int:
    """Where the entry holding ``position`` ends: at the next header that is not one of its
    sub-tables (``[package.dependencies]``), such as the next ``[[package]]`` or an old
    ``poetry.lock``'s ``[metadata.files]`` with every package's hashes."""
    header = text.find("\n[", position)
    while header >= 0:
        name = text[header + 1 : header + 3 + len(key)].lstrip("[")
        if not name.startswith(f"{key}."):
            return header
        header = text.find("\n[", header + 1)
    return len(text)


def _whole(text: str, path: Path, reading: Reading) -> dict[str, Any]:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise Unusable(f"{reading.shown(path)}: invalid TOML: {error}") from error


def _packages(document: dict[str, Any], key: str) -> list[dict[str, Any]]:
    packages = document.get(key, [])
    if not isinstance(packages, list):
        return []
    return [p for p in packages if isinstance(p, dict) and is_zenml(str(p.get("name", "")))]


def _version(entry: dict[str, Any]) -> str | None:
    version = entry.get("version")
    return version if isinstance(version, str) else None  # none: a local or dynamic build


def _release(version: str, path: Path, reading: Reading) -> str:
    """The release a locked version belongs to (``0.85.0rc1`` and ``0.85.0.post1``:
    ``0.85.0``)."""
    try:
        return Version(version).base_version
    except InvalidVersion as error:
        raise Unusable(f"{reading.shown(path)}: zenml {version!r} is not a version") from error
