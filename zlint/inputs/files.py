"""Finding the Python files to check, honouring exclude patterns and ``.gitignore`` files.

Walks use ``os.scandir`` and prune excluded folders before descending, because projects
routinely hold virtualenvs and caches far larger than their own code. They do not follow
symlinks, so nothing outside the given paths is reported and no folder is walked twice; a
path that cannot be used (missing, unreadable, a symlink loop) is a problem, never a crash.
"""

from __future__ import annotations

import contextlib
import errno
import functools
import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from pathspec import GitIgnoreSpec

from zlint.config import Settings, exclusion_patterns

GITIGNORE = ".gitignore"
NO_SUCH_PATH = "No such file or directory"
SYMLINK_LOOP = "Too many levels of symbolic links"
#: Python sources and stubs (a stub is a module only where no ``.py`` sits next to it).
SOURCE_SUFFIXES = (".py", ".pyi")
#: Checked without being included: Python files and Jupyter notebooks (as Ruff does).
CHECKED_SUFFIXES = (*SOURCE_SUFFIXES, ".ipynb")


@dataclass(frozen=True)
class Discovery:
    reported: tuple[Path, ...]
    project: tuple[Path, ...]
    problems: tuple[tuple[Path, str], ...]


def discover(
    paths: Sequence[Path], settings: Settings, *, force_exclude: bool = False
) -> Discovery:
    """The files to report on, every file of the project, and the paths that could not be used.

    A file named explicitly is reported even when excluded; a folder named explicitly is walked,
    and exclusions apply to what lies inside it. With ``force_exclude`` (``--force-exclude``,
    for pre-commit, which names every changed file), a path that ``exclude`` or
    ``extend-exclude`` matches, or that lies in a folder they match, is skipped even so.
    """
    problems: list[tuple[Path, str]] = []
    project = set(_walk_from(settings.root.resolve(), settings, problems))
    reported: set[Path] = set()
    configured = _PatternLayer.of("", exclusion_patterns(settings)) if force_exclude else None
    for given in paths:
        try:
            if configured is not None and _force_excluded(given, settings, configured):
                continue
            reported.update(_files_for_given_path(given, settings, project, problems))
        except (OSError, RuntimeError, ValueError) as error:
            # A path that cannot even be looked at: a symlink loop (RuntimeError from
            # resolve()), a folder above it that is not searchable, a name too long, a NUL.
            problems.append((given.absolute(), _reason(error)))
    return Discovery(
        reported=tuple(sorted(reported)),
        project=tuple(sorted(project | reported)),
        problems=tuple(dict.fromkeys(problems)),
    )


def _files_for_given_path(
    given: Path, settings: Settings, project: set[Path], problems: list[tuple[Path, str]]
) -> set[Path]:
    if not given.exists():  # also true of a broken symlink
        reason = SYMLINK_LOOP if _is_symlink_loop(given) else NO_SUCH_PATH
        problems.append((given.absolute(), reason))
        return set()
    resolved = given.resolve()
    if resolved.is_dir():
        # The project walk already covered the root; walking it again would only cost time.
        if resolved == settings.root.resolve():
            return project
        return set(_walk_from(resolved, settings, problems))
    if resolved.is_file() and is_checked(_rel_or_name(resolved, settings), settings):
        return {resolved}
    # Anything else (a non-Python file, a fifo) is not ours to check; pre-commit and shell
    # globs pass such paths routinely, so skipping them quietly is the helpful answer.
    return set()


def is_checked(rel: str, settings: Settings) -> bool:
    """Whether a file (its posix path from the root) is checked: by its suffix, or because
    an ``extend-include`` pattern (``*.md``) matches it."""
    if rel.endswith(CHECKED_SUFFIXES):
        return True
    return bool(settings.extend_include) and _include_spec(settings.extend_include).match_file(rel)


@functools.lru_cache(maxsize=8)
def _include_spec(patterns: tuple[str, ...]) -> GitIgnoreSpec:
    return GitIgnoreSpec.from_lines(patterns)


def _rel_or_name(path: Path, settings: Settings) -> str:
    root = settings.root.resolve()
    return path.relative_to(root).as_posix() if path.is_relative_to(root) else path.name


def _is_symlink_loop(path: Path) -> bool:
    try:
        path.stat()
    except OSError as error:
        return error.errno == errno.ELOOP
    return False


def _reason(error: Exception) -> str:
    if isinstance(error, OSError) and error.strerror:
        return error.strerror
    if isinstance(error, RuntimeError):  # Path.resolve() on a symlink loop (Python < 3.13)
        return SYMLINK_LOOP
    return str(error)


def is_force_excluded(path: Path, settings: Settings) -> bool:
    """Whether ``--force-exclude`` skips ``path`` (which need not exist: ``--stdin-filename``)."""
    return _force_excluded(path, settings, _PatternLayer.of("", exclusion_patterns(settings)))


def _force_excluded(given: Path, settings: Settings, configured: _PatternLayer) -> bool:
    """Whether the configured patterns match ``given`` or a folder above it inside the root."""
    root = settings.root.resolve()
    path = given.resolve()
    if not path.is_relative_to(root) or path == root:
        return False
    parts = path.relative_to(root).parts
    for index in range(1, len(parts) + 1):
        is_dir = index < len(parts) or path.is_dir()
        if configured.verdict("/".join(parts[:index]), is_dir):
            return True
    return False


# --------------------------------------------------------------------------- exclusion rules


@dataclass(frozen=True)
class _PatternLayer:
    """Gitignore-style patterns that apply below one folder of the walk."""

    #: The folder the patterns are relative to, as a posix path from the walk's anchor.
    prefix: str
    lines: tuple[str, ...]
    spec: GitIgnoreSpec

    @classmethod
    def of(cls, prefix: str, lines: Sequence[str]) -> _PatternLayer:
        try:
            return cls(prefix, tuple(lines), GitIgnoreSpec.from_lines(lines))
        except ValueError:
            # git skips a malformed .gitignore line rather than failing; so do we.
            valid = [line for line in lines if _is_valid_pattern(line)]
            return cls(prefix, tuple(valid), GitIgnoreSpec.from_lines(valid))

    def _local(self, rel: str, is_dir: bool) -> str:
        local = rel[len(self.prefix) + 1 :] if self.prefix else rel
        # Patterns ending in "/" only match folders, and pathspec knows a folder by its slash.
        return local + "/" if is_dir else local

    def verdict(self, rel: str, is_dir: bool) -> bool | None:
        """True: excluded, False: re-included by a ``!`` pattern, None: no pattern matched."""
        return self.spec.check_file(self._local(rel, is_dir)).include

    def without_patterns_matching(self, folder_rel: str) -> _PatternLayer:
        local = self._local(folder_rel, is_dir=True)
        kept = [line for line in self.lines if not _line_matches(line, local)]
        return _PatternLayer.of(self.prefix, kept)


@dataclass(frozen=True)
class _Exclusions:
    """The exclusion rules in force inside one folder of a walk."""

    configured: _PatternLayer  # exclude + extend-exclude, relative to the anchor
    gitignores: tuple[_PatternLayer, ...]  # outermost first

    def excludes(self, rel: str, is_dir: bool) -> bool:
        if self.configured.verdict(rel, is_dir):
            return True
        # As in git, the .gitignore nearest the path that has an opinion decides.
        for layer in reversed(self.gitignores):
            verdict = layer.verdict(rel, is_dir)
            if verdict is not None:
                return verdict
        return False

    def with_gitignore(self, folder: Path, folder_rel: str) -> _Exclusions:
        lines = _read_gitignore(folder / GITIGNORE)
        if not lines:
            return self
        return _Exclusions(self.configured, (*self.gitignores, _PatternLayer.of(folder_rel, lines)))

    def forgiving(self, folder_rel: str) -> _Exclusions:
        """Drop the patterns that exclude this folder, so it can be walked when named explicitly.

        pathspec matches everything below an excluded folder too, so without this every file
        inside an explicitly named excluded folder would be excluded as well.
        """
        return _Exclusions(
            self.configured.without_patterns_matching(folder_rel),
            tuple(layer.without_patterns_matching(folder_rel) for layer in self.gitignores),
        )


def _is_valid_pattern(line: str) -> bool:
    try:
        GitIgnoreSpec.from_lines([line])
    except ValueError:
        return False
    return True


def _line_matches(line: str, path: str) -> bool:
    # Negations and comments match nothing on their own, so they are always kept.
    return GitIgnoreSpec.from_lines([line]).match_file(path)


def _read_gitignore(path: Path) -> list[str]:
    try:
        return path.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:  # absent or unreadable: git would ignore it as well
        return []


def _exclusions_at(start: Path, anchor: Path, settings: Settings) -> _Exclusions:
    """The rules in force when a walk begins at ``start``: those of every folder above it."""
    exclusions = _Exclusions(_PatternLayer.of("", exclusion_patterns(settings)), ())
    folder = anchor
    for part in start.relative_to(anchor).parts:
        exclusions = exclusions.with_gitignore(folder, _rel(folder, anchor))
        folder = folder / part
    start_rel = _rel(start, anchor)
    if start_rel and exclusions.excludes(start_rel, is_dir=True):
        exclusions = exclusions.forgiving(start_rel)
    return exclusions


def _rel(path: Path, anchor: Path) -> str:
    relative = path.relative_to(anchor).as_posix()
    return "" if relative == "." else relative


# --------------------------------------------------------------------------- walking


@dataclass(frozen=True)
class _Folder:
    real: Path  # resolved: where to scan, and the path of every file found inside
    rel: str  # posix path from the walk's anchor, as the patterns see it
    exclusions: _Exclusions  # in force inside, not yet counting the folder's own .gitignore


def _walk_from(start: Path, settings: Settings, problems: list[tuple[Path, str]]) -> Iterator[Path]:
    # Patterns are relative to the project root; a folder outside it anchors its own patterns.
    root = settings.root.resolve()
    anchor = root if start.is_relative_to(root) else start
    exclusions = _exclusions_at(start, anchor, settings)
    return _walk(_Folder(start, _rel(start, anchor), exclusions), problems, settings)


def _walk(start: _Folder, problems: list[tuple[Path, str]], settings: Settings) -> Iterator[Path]:
    """The ``*.py``/``*.pyi`` files below ``start`` (resolved), depth first, each folder once.

    Symlinks met on the way are not followed, as git does not follow them either. A link to
    a folder outside ``start`` (a parent folder, say) would report files nobody asked about,
    and a link inside it only leads to files the walk reaches anyway, under their own paths
    and exclusion rules. A symlink named explicitly on the command line is resolved and used.
    """
    visited: set[tuple[int, int]] = set()  # (device, inode): bind mounts can loop too
    with contextlib.suppress(OSError):
        info = start.real.stat()
        visited.add((info.st_dev, info.st_ino))
    pending = [start]
    while pending:
        folder = pending.pop()
        entries = _scan(folder.real, problems)
        if any(entry.name == GITIGNORE for entry in entries):
            exclusions = folder.exclusions.with_gitignore(folder.real, folder.rel)
        else:
            exclusions = folder.exclusions
        for entry in entries:
            kind = _kind(entry)
            rel = f"{folder.rel}/{entry.name}" if folder.rel else entry.name
            if kind is None or exclusions.excludes(rel, is_dir=kind == "dir"):
                continue
            path = folder.real / entry.name  # no symlink on the way: already resolved
            if kind == "file":
                if is_checked(rel, settings):
                    yield path
            elif _first_visit(entry, visited):
                pending.append(_Folder(path, rel, exclusions))


def _scan(folder: Path, problems: list[tuple[Path, str]]) -> list[os.DirEntry[str]]:
    try:
        with os.scandir(folder) as entries:
            return list(entries)
    except OSError as error:
        problems.append((folder, error.strerror or str(error)))
        return []


def _kind(entry: os.DirEntry[str]) -> Literal["dir", "file"] | None:
    """A real folder or regular file; None for symlinks, fifos, sockets and devices."""
    try:
        if entry.is_dir(follow_symlinks=False):
            return "dir"
        if entry.is_file(follow_symlinks=False):
            return "file"
    except OSError:  # an entry that vanished mid-walk
        pass
    return None


def _first_visit(entry: os.DirEntry[str], visited: set[tuple[int, int]]) -> bool:
    try:
        info = entry.stat(follow_symlinks=False)
    except OSError:  # vanished: scanning it will say so, if it is still gone
        return True
    key = (info.st_dev, info.st_ino)
    if key in visited:
        return False
    visited.add(key)
    return True
