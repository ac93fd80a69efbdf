"""Which ZenML the project requires, from its files alone (nothing is run or installed).

The folders searched are the one holding the checked paths and every folder above it up to
the project root, nearest first: in a monorepo, the project a checked file belongs to
speaks before the repository. In each folder the first file that requires ZenML wins, in
this order: a lock file (an exact release), ``pyproject.toml``, ``requirements*.txt``,
``setup.cfg``, ``setup.py``. A file that cannot be read or understood is skipped with a
warning, and the search goes on.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from zlint.inputs import lockfiles, manifests, requirement_files
from zlint.inputs.requirements import Found, Reading, Unusable

Reader = Callable[[Reading], "Found | None"]


@dataclass(frozen=True)
class Search:
    #: The requirement found, or None (no file requires ZenML).
    found: Found | None
    #: Every file read, whether it required ZenML or not.
    read: tuple[Path, ...]
    #: Files skipped, and why.
    warnings: tuple[str, ...]


def search(paths: Sequence[Path], root: Path) -> Search:
    """The ZenML requirement of the project at ``root`` whose ``paths`` are checked."""
    reading = Reading(root.resolve())
    for folder in folders(paths, reading.root):
        for reader in readers(folder):
            try:
                found = reader(reading)
            except Unusable as error:
                reading.warnings.append(str(error))
                continue
            if found is not None:
                return Search(found, tuple(reading.read), tuple(reading.warnings))
    return Search(None, tuple(reading.read), tuple(reading.warnings))


def folders(paths: Sequence[Path], root: Path) -> list[Path]:
    """The folder holding ``paths`` and those above it, up to ``root``; just ``root`` when
    the paths lie outside it."""
    resolved = [p.resolve() for p in paths] or [root]
    parents = [p if p.is_dir() else p.parent for p in resolved]
    common = Path(os.path.commonpath(parents))
    if not common.is_relative_to(root):
        return [root]
    found = [common]
    while found[-1] != root:
        found.append(found[-1].parent)
    return found


def readers(folder: Path) -> Iterator[Reader]:
    """The files of ``folder`` that may state a ZenML requirement, in the order they count."""
    for name, key in lockfiles.LOCK_FILES:
        yield partial(lockfiles.read_lock, folder / name, key)
    yield partial(manifests.read_pyproject, folder / "pyproject.toml")
    for path in requirement_files.requirement_files(folder):
        yield partial(requirement_files.read_requirements, path)
    yield partial(manifests.read_setup_cfg, folder / "setup.cfg")
    yield partial(manifests.read_setup_py, folder / "setup.py")
