"""``zlint fix``: apply fixes, re-parse, re-lint, repeat until nothing changes, then write.

Each pass lints the project as it would be with the edits made so far (kept in memory),
applies every selected fix that does not overlap another, and checks that each changed
file still parses (a file that would not is left as it was, and the rule is reported).
Only when the passes settle are files written, atomically (see :mod:`zlint.fixing.write`).
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import libcst as cst

from zlint import config, engine
from zlint.fixing import embedded as embedded_files
from zlint.fixing.apply import Applied, apply_fixes, remembering_rewrites
from zlint.fixing.write import remove_stale_temp_files, write_files
from zlint.inputs import embedded, source
from zlint.model.project import Project
from zlint.types import Applicability, Diagnostic, Fix

#: Passes before giving up on fixes that keep producing new fixes.
MAX_PASSES = 8


@dataclass
class FixResult:
    #: Final text of every file a fix changed (written unless ``dry_run``).
    changed: dict[Path, str] = field(default_factory=dict)
    #: What the files held when zlint first read them.
    original: dict[Path, str] = field(default_factory=dict)
    applied: int = 0
    remaining: list[Diagnostic] = field(default_factory=list)
    errors: list[engine.InternalError] = field(default_factory=list)
    #: Problems to tell the user: reverted fixes, files not written, no convergence.
    problems: list[tuple[Path | None, str]] = field(default_factory=list)
    #: Messages of the fixes applied, per file, for ``--show-fixes``.
    fixed: dict[Path, list[str]] = field(default_factory=dict)


def selectable(
    diagnostic: Diagnostic, unsafe: bool, fixable: frozenset[str] | None, unfixable: frozenset[str]
) -> bool:
    fix = diagnostic.fix
    if fix is None or fix.applicability is Applicability.DISPLAY_ONLY:
        return False
    if fix.applicability is Applicability.UNSAFE and not unsafe:
        return False
    if diagnostic.code in unfixable:
        return False
    return fixable is None or diagnostic.code in fixable


@remembering_rewrites()
def fix_project(
    settings: config.Settings,
    reported: Sequence[Path],
    project_files: Iterable[Path],
    *,
    unsafe: bool = False,
    dry_run: bool = False,
    fixable: frozenset[str] | None = None,
    unfixable: frozenset[str] = frozenset(),
    read_text: engine.TextReader = embedded.read_text,
    only_files: frozenset[Path] | None = None,
) -> FixResult:
    """``read_text`` reads the files (stdin passes one that knows its text); with
    ``only_files``, fixes that would also edit another file are not applied."""
    project_files = list(project_files)
    result = FixResult()
    reader = _OverlayReader(read_text)
    # The last check, while no edit has been made since: then it is also the final one.
    final: engine.CheckResult | None = None
    for _ in range(MAX_PASSES):
        checked = final = engine.check_project(settings, reported, project_files, reader.read)
        result.errors = checked.errors
        fixes = _unique(
            d.fix
            for d in checked.diagnostics
            if d.fix is not None
            and selectable(d, unsafe, fixable, unfixable)
            and (only_files is None or d.fix.paths <= only_files)
        )
        if not fixes or checked.project is None:
            break
        applied = apply_fixes(fixes, _trees(checked.project, fixes))
        if applied.texts:
            final = None
        _record(result, applied, reader)
        done = {id(fix) for fix in applied.fixes if fix.paths & applied.texts.keys()}
        result.applied += sum(1 for d in checked.diagnostics if id(d.fix) in done)
        if not applied.texts:
            break
    else:
        result.problems.append((None, f"fixes did not settle after {MAX_PASSES} passes"))
    if final is None:
        final = engine.check_project(settings, reported, project_files, reader.read)
    result.remaining = final.diagnostics
    result.errors = final.errors
    result.original = {p: reader.original_text[p] for p in reader.overlay}
    result.changed = dict(reader.overlay)
    # Notebooks and Markdown were fixed as virtual modules: put the code back into the files.
    embedded_files.restore_files(
        result.original, result.changed, reader.original_bytes, result.problems
    )
    if not dry_run:
        for folder in sorted({path.parent for path in result.changed}):
            remove_stale_temp_files(folder)  # left by a run that was killed while writing
        result.problems.extend(write_files(result.changed, reader.original_bytes))
    return result


def _record(result: FixResult, applied: Applied, reader: _OverlayReader) -> None:
    for path, problem in applied.reverted:
        result.problems.append(
            (path, f"a fix would break the file, so it was not applied ({problem})")
        )
    for path, text in applied.texts.items():
        reader.overlay[path] = text
    for fix in applied.fixes:
        if fix.paths & applied.texts.keys():
            for path in fix.paths:
                result.fixed.setdefault(path, []).append(fix.message)


def _unique(fixes: Iterable[Fix | None]) -> list[Fix]:
    """One fix may be attached to several findings (a fix for a group of calls)."""
    seen: set[int] = set()
    unique: list[Fix] = []
    for fix in fixes:
        if fix is not None and id(fix) not in seen:
            seen.add(id(fix))
            unique.append(fix)
    return unique


def _trees(project: Project, fixes: list[Fix]) -> dict[Path, cst.Module]:
    """The parsed modules the fixes edit (the same trees their nodes belong to)."""
    trees: dict[Path, cst.Module] = {}
    for path in sorted({p for fix in fixes for p in fix.paths}):
        info = project.module(path)
        if info is not None and info.tree is not None:
            trees[path] = info.tree
    return trees


class _OverlayReader:
    """Reads files, but returns zlint's own edited text for files it has fixed; remembers
    what each file held on disk when first read, to write back safely."""

    def __init__(self, read: Callable[[Path], str | source.SourceError] = source.read_text) -> None:
        self._read = read
        self.overlay: dict[Path, str] = {}
        self.original_text: dict[Path, str] = {}
        self.original_bytes: dict[Path, bytes] = {}

    def read(self, path: Path) -> str | source.SourceError:
        if path in self.overlay:
            return self.overlay[path]
        if path not in self.original_bytes:
            with contextlib.suppress(OSError):
                self.original_bytes[path] = path.read_bytes()
        text = self._read(path)
        if isinstance(text, str):
            self.original_text.setdefault(path, text)
        return text
