"""What a check run found: the data every entry point reads (:class:`CheckResult`).

Kept apart from :mod:`zlint.engine`, which imports LibCST (0.15 s), so that a cached re-check
and a run in which no file needs a tree (:mod:`zlint.fastpath.plain_check`) never load it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from zlint import catalog
from zlint.inputs.source import SourceError
from zlint.types import Diagnostic, Span

if TYPE_CHECKING:
    from zlint.model.project import Project


@dataclass(frozen=True)
class InternalError:
    """zlint itself failed on one file or rule; reported on stderr, exit code 2."""

    path: Path | None  # None: the error is not tied to one file
    where: str
    message: str
    traceback: str


TextReader = Callable[[Path], "str | SourceError"]


@dataclass
class CheckResult:
    diagnostics: list[Diagnostic]
    errors: list[InternalError]
    files_checked: int
    #: The parsed project: the nodes that diagnostics' fixes refer to live in its trees.
    project: Project | None = None
    #: Every file whose content the run read: the findings depend on these and on nothing
    #: else but the settings, the reported files and the set of project files (the cache).
    inputs: frozenset[Path] = frozenset()
    #: Whether a rule listed the YAML files under the root (their set is an input too).
    listed_yaml: bool = False
    #: Inputs read only to check their syntax, because their text chose no rule: while an
    #: edit keeps it so, the cache redoes just that file (see :mod:`zlint.fastpath.cache`).
    syntax_only: frozenset[Path] = frozenset()
    hints: tuple[str, ...] = ()
    decorator_names: tuple[str, ...] = ()
    #: Other inputs only searched for the words in ``searched`` (pipeline names).
    scan_only: frozenset[Path] = frozenset()
    searched: tuple[str, ...] = ()


def unparsable(path: Path, message: str, span: Span, cell: int | None = None) -> Diagnostic:
    """The ZL000 finding for a file zlint cannot use."""
    rule = catalog.info(catalog.UNPARSABLE_FILE)
    assert rule is not None
    return Diagnostic(rule.code, rule.name, message, path, span, cell=cell)


def source_error(path: Path, error: SourceError) -> Diagnostic:
    """The ZL000 finding for a file that cannot be read or compiled."""
    return unparsable(path, error.message, Span.at(error.line, error.column))
