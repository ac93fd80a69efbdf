"""The run of a check in which no file needs a tree.

A pre-commit run on files that no rule can find anything in (plain modules, tests, scripts)
only reads them and has CPython compile them, so its findings are syntax errors alone; this
module gives them without importing LibCST (0.15 s) or the rules.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

from zlint import catalog, config
from zlint.fastpath.triage import Verdict
from zlint.inputs import embedded
from zlint.results import CheckResult, InternalError, TextReader, source_error
from zlint.types import Diagnostic


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
    selected = settings.selected
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
