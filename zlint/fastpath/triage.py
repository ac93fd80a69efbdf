"""Sorting the reported files before any LibCST work: which ones a rule wants a tree of,
and, for the others, whether CPython compiles them.

This is most of a large project's cold check that is not LibCST parsing (reading, the
prefilter, ``compile()`` of every file), and each file's verdict is independent of the
others', so large runs spread it over worker processes. The workers are forked: they share
the parent's modules and settings, and send back only small verdicts (the text only for a
file that gets a tree, with what the workers worked out about it). They are started before
the run's own process imports LibCST (:func:`start`), and their verdicts stream back in
order, so that process parses the first wanted files while the workers sort the rest.
"""

from __future__ import annotations

import itertools
import multiprocessing
import os
import traceback
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from multiprocessing.pool import Pool
from pathlib import Path

from zlint import catalog, config
from zlint.fastpath import prefilter
from zlint.inputs import source
from zlint.inputs.source import SourceError
from zlint.model.module_index import ModuleIndex

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
    #: For a wanted file: what the prefilter found in its text (given to the run's own).
    judged: prefilter.Judged = (None, ())
    #: For a wanted file: whether it imports a step factory (when a rule asks).
    imports_factory: bool | None = None
    #: For a file only syntax-checked, that compiled: ``hash()`` of its text.
    compiled_hash: int | None = None

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
        # Files read here feed every later answer too: the run's inputs are the union of
        # all verdicts' ``followed``, which is what the cache needs.
        start = len(self._followed)
        if self.chooser.wants(text, self.hints):
            # Work done here, in a worker when there are several, is work the run's own
            # process need not do: compiling, the code facts, the look for factories.
            imports_factory = None
            if prefilter.IMPORTS_A_FACTORY in self.hints:
                imports_factory = self._finder(path, text)
            return Verdict(
                path,
                text,
                None,
                tuple(self._followed[start:]),
                compiled=source.check_syntax(text) is None,
                judged=self.chooser.known(text),
                imports_factory=imports_factory,
            )
        if prefilter.IMPORTS_A_FACTORY in self.hints and self._finder(path, text):
            return Verdict(path, text, None, tuple(self._followed[start:]))
        if prefilter.ZENML_SYNTAX in self.hints and self._finder.applies_a_step_maker(path, text):
            return Verdict(path, text, None, tuple(self._followed[start:]))
        followed = tuple(self._followed[start:])
        error = source.check_syntax(text)
        # `hash()` of a str is the same in forked workers: the run's process can tell the
        # text it reads again (to resolve names through it) is the one that compiled.
        compiled_hash = hash(text) if error is None else None
        return Verdict(
            path, None, error, followed, syntax_checked=True, compiled_hash=compiled_hash
        )


@dataclass
class Sorting:
    """The sorting of one run's reported files, started before the rest of the run is
    ready (see :func:`start`): what the run needs to go on with its verdicts."""

    chooser: prefilter.Prefilter
    hints: tuple[str, ...]
    index: ModuleIndex
    verdicts: Iterator[Verdict]

    def first_wanted(self) -> bool:
        """Sorts files until one wants a tree; whether one did. The verdicts read stay in
        ``verdicts``. (Only worth it when the sorting runs in this process anyway.)"""
        taken: list[Verdict] = []
        for verdict in self.verdicts:
            taken.append(verdict)
            if verdict.wanted:
                break
        self.verdicts = itertools.chain(taken, self.verdicts)
        return bool(taken) and taken[-1].wanted


def start(
    settings: config.Settings,
    reported: Sequence[Path],
    project_files: Iterable[Path],
    read_text: TextReader,
    *,
    parallel: bool,
) -> Sorting:
    """Starts sorting ``reported``: with ``parallel``, in worker processes that run while
    this process imports LibCST and builds the model (nothing here needs LibCST)."""
    chooser = prefilter.Prefilter((*settings.step_decorators, *settings.pipeline_decorators))
    hints = catalog.hints(settings.selected)
    index = ModuleIndex(settings.root, settings.src, [*project_files, *reported])
    sorter = Sorter(read_text, chooser, hints, index)
    return Sorting(chooser, hints, index, sort_files(sorter, reported, parallel))


def sort_files(sorter: Sorter, paths: Sequence[Path], parallel: bool) -> Iterator[Verdict]:
    """The verdict of each path, in order; in worker processes, started now, when
    ``parallel`` and the run is large enough. Verdicts come as the workers finish them, so
    the caller's work on the first ones overlaps the sorting of the rest; if the workers
    fail, this process sorts what they did not deliver."""
    workers = _workers()
    if parallel and workers > 1 and len(paths) >= PARALLEL_MIN_FILES:
        try:
            pool, results = _start_workers(sorter, paths, workers)
        except Exception:  # no fork, no semaphores: sort here
            pass
        else:
            return _collect(sorter, paths, pool, results)
    return (sorter.verdict(path) for path in paths)


def _collect(
    sorter: Sorter, paths: Sequence[Path], pool: Pool, results: Iterator[list[Verdict]]
) -> Iterator[Verdict]:
    done = 0
    try:
        for chunk in results:
            yield from chunk
            done += len(chunk)
    except Exception:  # a worker died: do the rest here
        pass
    finally:
        pool.terminate()
    for path in paths[done:]:
        yield sorter.verdict(path)


def _workers() -> int:
    """Worker processes: ``ZLINT_WORKERS`` if set (1 turns them off), else one per CPU."""
    try:
        return max(1, int(os.environ["ZLINT_WORKERS"]))
    except (KeyError, ValueError):
        return min(os.cpu_count() or 1, 8)


_SORTER: Sorter | None = None  # what forked workers inherit


def _start_workers(
    sorter: Sorter, paths: Sequence[Path], workers: int
) -> tuple[Pool, Iterator[list[Verdict]]]:
    global _SORTER
    chunks = [list(paths[i : i + _CHUNK]) for i in range(0, len(paths), _CHUNK)]
    _SORTER = sorter
    try:
        pool = multiprocessing.get_context("fork").Pool(processes=workers)
    finally:
        _SORTER = None  # the workers have their copy; this process needs none
    return pool, pool.imap(_sort_chunk, chunks)


def _sort_chunk(paths: list[Path]) -> list[Verdict]:
    assert _SORTER is not None
    return [_SORTER.verdict(path) for path in paths]
