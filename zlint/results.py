"""What a check run found, and the run of a check in which no file needs a tree.

Kept apart from :mod:`zlint.engine`, which imports LibCST (0.15 s): a pre-commit run on
files that no rule can find anything in (plain modules, tests, scripts) only reads them and
has CPython compile them, so its findings are syntax errors alone (:func:`plain_check`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from zlint import catalog, config
from zlint.inputs import embedded
from zlint.inputs.source import SourceError
from zlint.types import Diagnostic, Span

if TYPE_CHECKING:
    from zlint.fastpath.triage import Verdict
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


def plain_check(
    settings: config.Settings,
    reported: Sequence[Path],
    verdicts: Iterable[Verdict],
    hints: tuple[str, ...],
    decorator_names: tuple[str, ...],
    read_text: TextReader = embedded.read_text,
) -> CheckResult:
    """What :func:`zlint.engine.check_project` finds when no verdict wants a tree: the
    files' read and syntax errors (ZL000), nothing else. No rule can find anything in a
    file its hints do not match, and findings are reported only in reported files."""
    selected = config.selected_codes(settings)
    diagnostics: list[Diagnostic] = []
    errors: list[InternalError] = []
    inputs: set[Path] = set(reported)
    followed: set[Path] = set()
    syntax_only: set[Path] = set()
    for verdict in verdicts:
        assert not verdict.wanted, "plain_check is for runs in which no file needs a tree"
        inputs.update((verdict.path, *verdict.followed))
        followed.update(verdict.followed)
        if verdict.crash is not None:
            errors.append(InternalError(verdict.path, "model", *verdict.crash))
            continue
        if verdict.syntax_checked:
            syntax_only.add(verdict.path)
        if verdict.error is not None and catalog.UNPARSABLE_FILE in selected:
            diagnostics.append(source_error(verdict.path, verdict.error))
    # Per-file-ignores (and --ignore) may switch ZL000 off; a file that does not compile
    # has no suppression comments that could.
    kept = [d for d in diagnostics if d.code not in config.ignored_codes_for(settings, d.path)]
    # The engine reads these files again, looking for suppressions (it finds none in a file
    # that does not compile): for the cache they are read by the model, not syntax-only.
    looked_up = diagnostics if catalog.SUPPRESSION_CODES & selected else kept
    syntax_only -= {d.path for d in looked_up}
    kept = embedded.locate(
        kept, reported, read_text, report_errors=catalog.UNPARSABLE_FILE in selected
    )
    kept.sort(key=Diagnostic.sort_key)
    return CheckResult(
        kept,
        errors,
        len(reported),
        None,
        frozenset(inputs),
        False,
        frozenset(syntax_only - followed),
        hints,
        decorator_names,
    )
