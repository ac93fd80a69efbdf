"""Every file's text read once per run, and what the run did with each: the cache's inputs.

The workers sorting the reported files (:mod:`zlint.fastpath.triage`), the prefilter's look
at imported modules, the project's parser and the rules all read through one
:class:`TextCache`; it remembers which files were only syntax-checked, which the model used
and which were only searched for a few words, which :mod:`zlint.fastpath.cache` tells apart.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from zlint.inputs import source
from zlint.inputs.source import SourceError
from zlint.results import TextReader


class TextCache:
    """Each file read once per run: by the prefilter, its look at imported modules, and the
    project's parser."""

    def __init__(self, read_text: TextReader) -> None:
        self.read_text = read_text
        self._texts: dict[Path, str | SourceError] = {}
        #: Reported files only syntax-checked (their text chose no rule) ...
        self.syntax_only: set[Path] = set()
        #: ... and files whose text the model used: the cache tells the two apart.
        self.model_reads: set[Path] = set()
        self.scan_reads: set[Path] = set()
        #: Files read while sorting the reported ones (their texts were not kept).
        self.read_elsewhere: set[Path] = set()
        #: Texts CPython compiled while sorting: their parse need not compile them again.
        self.compiled: set[Path] = set()
        #: ``hash()`` of the texts of files only syntax-checked that compiled.
        self.compiled_hashes: dict[Path, int] = {}

    def __call__(self, path: Path) -> str | SourceError:
        self.model_reads.add(path)
        return self._read(path)

    def scanned(self, path: Path) -> str | SourceError:
        """A file's text, searched only for a few words (pipeline names)."""
        self.scan_reads.add(path)
        return self._read(path)

    def _read(self, path: Path) -> str | SourceError:
        if path not in self._texts:
            self._texts[path] = self.read_text(path)
        return self._texts[path]

    def keep(self, path: Path, text: str) -> bool:
        """A text read elsewhere (by a worker process sorting the reported files); whether
        it is the text kept (a file read here before may have changed since)."""
        if self._texts.setdefault(path, text) != text:
            return False
        self._texts[path] = text  # one copy of the text, not the one read here and this
        return True

    def compiles(self, path: Path, text: str) -> bool:
        """Whether CPython is known to compile ``text``, the content of ``path``."""
        return path in self.compiled or self.compiled_hashes.get(path) == hash(text)

    def paths(self) -> list[Path]:
        return [*self._texts, *self.read_elsewhere]

    def cached(self, path: Path) -> str | None:
        text = self(path)
        return text if isinstance(text, str) else None


def parser(texts: TextCache) -> Callable[[Path], source.ParsedSource | SourceError]:
    def load(path: Path) -> source.ParsedSource | SourceError:
        text = texts(path)
        if isinstance(text, SourceError):
            return text
        module = source.parse(text, syntax_checked=path in texts.compiled)
        return module if isinstance(module, SourceError) else source.ParsedSource(text, module)

    return load
