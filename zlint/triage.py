"""Sorting the reported files before any LibCST work: which ones a rule wants a tree of,
and, for the others, whether CPython compiles them.

This is most of a large project's cold check that is not LibCST parsing (reading, the
prefilter, ``compile()`` of every file), and each file's verdict is independent of the
others', so large runs spread it over worker processes. The workers are forked: they share
the parent's modules and settings, and send back only small verdicts (the text only for a
file that gets a tree).
"""

from __future__ import annotations

import multiprocessing
import os
import traceback
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from zlint import prefilter, source
from zlint.model.module_index import ModuleIndex
from zlint.source import SourceError

TextReader = Callable[[Path], "str | SourceError"]

#: Fewer reported files than this are sorted in this process: starting workers costs more.
PARALLEL_MIN_FILES = 300
_CHUNK = 64


@dataclass(frozen=True)
class Verdict:
    path: Path
    #: Set when a rule wants the file's tree (and it could be read).
    text: str | None
    #: Why the file cannot be read, or CPython's syntax error for a file only checked.
    error: SourceError | None
    #: Files read to follow imports (the prefilter's look for step factories).
    followed: tuple[Path, ...] = ()
    #: zlint itself failed on the file: (one-line reason, traceback).
    crash: tuple[str, str] | None = None
    #: Read, and only syntax-checked (``error`` is then CPython's verdict).
    syntax_checked: bool = False
    #: A wanted file that CPython compiled here: parsing it need not check that again.
    compiled: bool = False

    @property
    def wanted(self) -> bool:
        return self.text is not None


class Sorter:
    """Everything one verdict needs; forked workers inherit it (each its own copy)."""

    def __init__(
        self,
        read_text: TextReader,
        chooser: prefilter.Prefilter,
        hints: tuple[str, ...],
        index: ModuleIndex,
    ) -> None:
        self.read_text = read_text
        self.chooser = chooser
        self.hints = hints
        # One finder for all files: its answers about imported modules are shared.
        self._finder = prefilter.FactoryImports(chooser, index.module_files, self._follow)
        self._followed: list[Path] = []
        self._texts: dict[Path, str | None] = {}

    def _follow(self, path: Path) -> str | None:
        self._followed.append(path)
        if path not in self._texts:
            text = self.read_text(path)
            self._texts[path] = text if isinstance(text, str) else None
        return self._texts[path]

    def verdict(self, path: Path) -> Verdict:
        try:
            return self._verdict(path)
        except Exception as exc:  # one file's bug must not lose the others' findings
            reason = f"{type(exc).__name__}: {exc}".splitlines()[0]
            return Verdict(path, None, None, crash=(reason, traceback.format_exc()))

    def _verdict(self, path: Path) -> Verdict:
        text = self.read_text(path)
        if isinstance(text, SourceError):
            return Verdict(path, None, text)
        if self.chooser.wants(text, self.hints):
            # Compiled here, in a worker when there are several, not later in the parent.
            return Verdict(path, text, None, compiled=source.check_syntax(text) is None)
        # Files read here feed every later answer too: the run's inputs are the union of
        # all verdicts' ``followed``, which is what the cache needs.
        start = len(self._followed)
        if prefilter.IMPORTS_A_FACTORY in self.hints and self._finder(path, text):
            return Verdict(path, text, None, tuple(self._followed[start:]))
        followed = tuple(self._followed[start:])
        return Verdict(path, None, source.check_syntax(text), followed, syntax_checked=True)


def sort_files(sorter: Sorter, paths: Sequence[Path], parallel: bool) -> Iterator[Verdict]:
    """The verdict of each path, in order; in worker processes when ``parallel`` and the
    run is large enough. Verdicts come as the workers finish them, so the caller's work on
    the first ones overlaps the sorting of the rest; if the workers fail, this process
    sorts what they did not deliver."""
    workers = _workers()
    done = 0
    if parallel and workers > 1 and len(paths) >= PARALLEL_MIN_FILES:
        try:
            for verdict in _in_workers(sorter, paths, workers):
                done += 1
                yield verdict
        except Exception:  # no fork, no semaphores, a worker died: do the rest here
            pass
    for path in paths[done:]:
        yield sorter.verdict(path)


def _workers() -> int:
    """Worker processes: ``ZLINT_WORKERS`` if set (1 turns them off), else one per CPU."""
    try:
        return max(1, int(os.environ["ZLINT_WORKERS"]))
    except (KeyError, ValueError):
        return min(os.cpu_count() or 1, 8)


_SORTER: Sorter | None = None  # what forked workers inherit


def _in_workers(sorter: Sorter, paths: Sequence[Path], workers: int) -> Iterator[Verdict]:
    global _SORTER
    chunks = [list(paths[i : i + _CHUNK]) for i in range(0, len(paths), _CHUNK)]
    _SORTER = sorter
    try:
        context = multiprocessing.get_context("fork")
        with context.Pool(processes=workers) as pool:
            _SORTER = None  # the workers have their copy; this process needs none
            for chunk in pool.imap(_sort_chunk, chunks):
                yield from chunk
    finally:
        _SORTER = None


def _sort_chunk(paths: list[Path]) -> list[Verdict]:
    assert _SORTER is not None
    return [_SORTER.verdict(path) for path in paths]
