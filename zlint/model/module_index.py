"""Where a dotted module name leads among a project's files, without parsing anything.

Kept apart from :mod:`zlint.model.project` (which needs LibCST) so that the prefilter and
the result cache can follow imports cheaply.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from pathlib import Path

MODULE_SUFFIXES = (".py", ".pyi")


class ModuleIndex:
    def __init__(self, root: Path, src_roots: Sequence[Path], files: Iterable[Path]) -> None:
        self.root = root
        self.src_roots = tuple(src_roots)
        self.files = frozenset(files)
        self.dirs = frozenset(_ancestor_dirs(self.files, root))
        # Strings, not Path objects: lookups run for every import of every file looked at.
        self._file_names = {str(path): path for path in self.files}
        self._dir_names = frozenset(str(path) for path in self.dirs)
        self._module_files: dict[tuple[str, str, int], list[Path]] = {}
        self._in_src_roots: dict[str, Path | None] = {}
        #: What the first part of an absolute import must be to lead into the project:
        #: a file's or folder's name (``pydantic`` is none of them, it is skipped at once).
        self._top_names = frozenset(
            {p.name.split(".", 1)[0] for p in self.files} | {p.name for p in self.dirs}
        )
        #: Folder -> the names of the modules and folders right inside it.
        self._children: dict[str, set[str]] = {}
        for path in (*self.files, *self.dirs):
            self._children.setdefault(os.path.dirname(path), set()).add(path.name.split(".")[0])
        self._folders: dict[Path, str] = {}

    def find_module(self, base: Path | str, parts: Sequence[str]) -> Path | None:
        """The module file (or namespace package folder) ``parts`` names under ``base``."""
        if not parts:
            return None
        folder = os.path.join(base, *parts)
        # As for type checkers, a stub stands for a module with no source; the source wins.
        for suffix in MODULE_SUFFIXES:
            for candidate in (folder + suffix, os.path.join(folder, f"__init__{suffix}")):
                if candidate in self._file_names:
                    return self._file_names[candidate]
        return Path(folder) if folder in self._dir_names else None

    def may_lead_into_project(self, top: str) -> bool:
        """Whether an absolute import whose first name is ``top`` can find a project file
        or folder (``pydantic`` cannot)."""
        return top in self._top_names

    def module_files(self, importer: Path, dotted: str, level: int = 0) -> list[Path]:
        """Where an import in the file ``importer`` may lead: the places the project model
        looks (source roots, then the importer's folders; relative imports from its
        package), first hit of each."""
        # Strings, and each importer's folder once: this runs for every import looked at.
        folder = self._folders.get(importer)
        if folder is None:
            folder = self._folders[importer] = os.path.dirname(importer)
        key = (folder, dotted, level)
        if key not in self._module_files:
            self._module_files[key] = self._module_files_uncached(folder, dotted, level)
        return self._module_files[key]

    def _file(self, base: str, parts: Sequence[str]) -> Path | None:
        hit = self.find_module(base, parts)
        return hit if hit is not None and hit in self.files else None

    def _module_files_uncached(self, folder: str, dotted: str, level: int) -> list[Path]:
        parts = dotted.split(".") if dotted else []
        if level:
            for _ in range(level - 1):
                folder = os.path.dirname(folder)
            if not parts:
                init = self._file_names.get(os.path.join(folder, "__init__.py"))
                return [init] if init is not None else []
            hit = self._file(folder, parts)
            return [hit] if hit is not None else []
        if not parts or not self.may_lead_into_project(parts[0]):
            return []
        if dotted not in self._in_src_roots:  # the same for every importing folder
            hits = (self._file(str(src), parts) for src in self.src_roots)
            self._in_src_roots[dotted] = next((h for h in hits if h is not None), None)
        hit = self._in_src_roots[dotted]
        if hit is not None:
            return [hit]
        # Projects run as `python run.py` from their own folder import their siblings.
        top = str(self.root)
        while folder == top or folder.startswith(top + os.sep):
            hit = self._file(folder, parts) if parts[0] in self._children.get(folder, ()) else None
            if hit is not None:
                return [hit]
            parent = os.path.dirname(folder)
            if parent == folder:
                break
            folder = parent
        return []


def _ancestor_dirs(files: Iterable[Path], root: Path) -> Iterable[Path]:
    seen: set[Path] = set()
    for path in files:
        for parent in path.parents:
            if parent in seen or not parent.is_relative_to(root):
                break
            seen.add(parent)
            yield parent
