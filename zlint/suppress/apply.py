"""Applying suppressions to a run's findings, and judging the comments themselves: ZL901
for invalid ones, ZL900 for ones that suppressed nothing."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from zlint import catalog, config
from zlint.suppress.comments import FILE_IGNORE, NOQA, Directive
from zlint.suppress.removal import removal_fixes
from zlint.suppress.scopes import FileSuppressions, statement_extents
from zlint.types import Diagnostic, Position, Span

if TYPE_CHECKING:
    from zlint.results import InternalError
    from zlint.rules.base import RuleContext

#: The two rules about suppression comments themselves; they are judged after every other rule.
UNUSED = catalog.UNUSED_SUPPRESSION
INVALID = catalog.INVALID_SUPPRESSION
META = catalog.SUPPRESSION_CODES


def apply(
    diagnostics: Sequence[Diagnostic],
    ctx: RuleContext,
    settings: config.Settings,
    selected: frozenset[str],
    errors: Sequence[InternalError],
    *,
    whole_project: bool,
) -> list[Diagnostic]:
    """The findings that no per-file-ignore or suppression comment removes, plus ZL901
    (invalid suppressions) and ZL900 (unused ones) when they are selected.

    ZL900 judges only the codes of rules that ran: selected, not crashed, not switched off
    for the file by per-file-ignores; and only in a run over the whole project without
    internal errors, because a run on some files can miss findings that a pipeline in another
    file produces, and a stale-looking suppression would then be removed by a safe fix.
    """
    files = _Files(ctx, settings)
    kept: list[Diagnostic] = []
    for diagnostic in diagnostics:
        if diagnostic.code in config.ignored_codes_for(settings, diagnostic.path):
            continue
        found = files.get(diagnostic.path)
        if found is not None and found.suppress(diagnostic.span.start.line, diagnostic.code):
            continue
        kept.append(diagnostic)
    if not META & selected:
        return kept
    paths = sorted(
        {m.path for m in ctx.modules if m.tree is not None} | {d.path for d in diagnostics}
    )
    for path in paths:
        found = files.get(path)
        if found is None:
            continue
        ignored = config.ignored_codes_for(settings, path)
        if INVALID in selected and INVALID not in ignored:
            kept.extend(_invalid(path, found))
        if UNUSED in selected and UNUSED not in ignored and whole_project and not errors:
            judged = (selected - {UNUSED}) - ignored
            kept.extend(_unused(path, found, judged, files))
    return kept


class _Files:
    """Each file's suppressions, parsed on first use (only files with a tree have them)."""

    def __init__(self, ctx: RuleContext, settings: config.Settings) -> None:
        self.ctx = ctx
        self.require_reason = settings.require_suppression_reason
        self._found: dict[Path, FileSuppressions | None] = {}

    def get(self, path: Path) -> FileSuppressions | None:
        if path not in self._found:
            module = self.ctx.project.module(path)
            if module is None or module.tree is None:
                self._found[path] = None
            else:
                positions = self.ctx.positions(module)
                self._found[path] = FileSuppressions.of(
                    module.text,
                    lambda: statement_extents(positions.ranges),
                    require_reason=self.require_reason,
                )
        return self._found[path]


def _meta_rule(code: str) -> tuple[str, str]:
    rule = catalog.info(code)
    assert rule is not None
    return rule.code, rule.name


def _span(line: int, column: int, end_column: int) -> Span:
    return Span(Position(line, column + 1), Position(line, end_column + 1))


def _invalid(path: Path, found: FileSuppressions) -> Iterator[Diagnostic]:
    code, name = _meta_rule(INVALID)
    for problem in found.problems:
        if not found.suppress(problem.line, INVALID):
            span = _span(problem.line, problem.column, problem.end_column)
            yield Diagnostic(code, name, problem.message, path, span)


def _unused(
    path: Path, found: FileSuppressions, judged: frozenset[str], files: _Files
) -> list[Diagnostic]:
    """ZL900 findings: first for the codes of other rules (a directive listing ZL900 keeps
    its other codes from being reported), then for ZL900 codes that kept nothing, which only
    another directive can vouch for."""
    stale: list[tuple[Directive, list[str]]] = []
    for directive in found.directives:
        codes = _stale_codes(directive, judged)
        if codes and not found.suppress(directive.line, UNUSED):
            stale.append((directive, codes))
    for directive in found.directives:
        vouched = UNUSED not in directive.code_set or UNUSED in directive.used
        if not vouched and not found.suppress(directive.line, UNUSED, besides=directive):
            stale.append((directive, [UNUSED]))
    if not stale:
        return []
    code, name = _meta_rule(UNUSED)
    module = files.ctx.project.module(path)
    fixes = {}
    if module is not None and module.tree is not None:
        ranges = files.ctx.positions(module).ranges
        fixes = removal_fixes(path, module.tree, ranges, stale)
    return [
        Diagnostic(
            code,
            name,
            _unused_message(directive, codes),
            path,
            _span(directive.line, directive.column, directive.end_column),
            fixes.get(id(directive)),
        )
        for directive, codes in stale
    ]


def _stale_codes(directive: Directive, judged: frozenset[str]) -> list[str]:
    codes = dict.fromkeys(directive.codes.values())
    return [c for c in codes if c in judged and c not in directive.used]


def _unused_message(directive: Directive, codes: Sequence[str]) -> str:
    named = ", ".join(f"`{c}` ({_meta_name(c)})" for c in codes)
    where = "in this file" if directive.kind == FILE_IGNORE else "here"
    verb = "suppresses" if len(codes) == 1 else "suppress"
    kind = {NOQA: "`noqa`", FILE_IGNORE: "`file-ignore`"}.get(directive.kind, "suppression")
    return f"Unused {kind}: {named} {verb} nothing {where}; no such finding in this run"


def _meta_name(code: str) -> str:
    rule = catalog.info(code)
    return f"`{rule.name}`" if rule is not None else code
