"""Runs the selected rules over a project and returns what they found.

Flow: build the :class:`Project` from every project file (parsed lazily), analyse the
pipelines defined in the files being reported on, run each rule, drop suppressed findings,
and sort. A rule that raises is recorded as an internal error; the others still report.

``zlint check`` on a very large project runs that flow in batches of modules whose trees
are dropped in between (:mod:`zlint.fastpath.batches`), with the same findings.
"""

from __future__ import annotations

import dataclasses
import gc
import traceback
from collections.abc import Iterable, Sequence
from pathlib import Path

from zlint import catalog, config
from zlint.fastpath import batches, prefilter, triage
from zlint.fastpath.texts import TextCache, parser
from zlint.fixing import apply
from zlint.inputs import embedded, source
from zlint.inputs.source import SourceError
from zlint.model import needs, run_config
from zlint.model.definitions import Definitions
from zlint.model.factories import Factories
from zlint.model.flow import PipelineWalker
from zlint.model.invocations import PipelineAnalysis
from zlint.model.modules import ModuleInfo
from zlint.model.project import Project
from zlint.model.step_configs import SEARCHED_WORD, StepConfigs

# Re-exported: callers know these as the engine's.
from zlint.results import CheckResult as CheckResult
from zlint.results import InternalError as InternalError
from zlint.results import TextReader as TextReader
from zlint.results import source_error
from zlint.rules import registry
from zlint.rules.base import ReportedByEngine, Rule, RuleContext, RunState
from zlint.suppress import apply as suppressions
from zlint.types import Diagnostic, Span

#: The longest the pipelines of one file may take to analyse (see ``source.time_limit``);
#: a file that takes longer gets a ZL000 finding and the run goes on.
ANALYSIS_TIMEOUT_SECONDS = 10.0
#: The longest one rule may take over the whole project.
RULE_TIMEOUT_SECONDS = 60.0
#: ``zlint check`` checks a project with more wanted modules than this in batches of about
#: this many (see :mod:`zlint.fastpath.batches`): some 100 MB of trees and analyses at a time.
BATCH_SIZE = 2_000


def check_project(
    settings: config.Settings,
    reported: Sequence[Path],
    project_files: Iterable[Path],
    read_text: TextReader = embedded.read_text,
    sorting: triage.Sorting | None = None,
    *,
    batch_size: int | None = None,
) -> CheckResult:
    """``read_text`` reads a file's text; ``zlint fix`` passes one that sees its own edits.
    ``sorting``: the reported files' sorting, already started (see :func:`triage.start`).

    ``batch_size``: a run with more wanted modules than this may be checked in batches of
    about that many (:mod:`zlint.fastpath.batches`), for the same findings in less memory. Their
    fixes then carry text edits only, and the result no ``project``: for ``zlint check``."""
    if sorting is None:
        on_disk = read_text is embedded.read_text  # workers cannot see another reader's state
        sorting = triage.start(settings, reported, project_files, read_text, parallel=on_disk)
    run = _Run(settings, TextCache(read_text), sorting, frozenset(reported))
    if batch_size is None or len(reported) <= batch_size:
        first = _Part(run)
        for verdict in sorting.verdicts:
            first.take(verdict)
        first.finish(run.reported)
    else:
        _check_in_batches(run, batch_size)
    if run.batched and run.errors:
        # ZL900 is judged only in a run without internal errors, wherever they came from.
        run.diagnostics = [d for d in run.diagnostics if d.code != catalog.UNUSED_SUPPRESSION]
    # Notebooks and Markdown are checked as virtual modules: report at their own positions.
    kept = embedded.locate(
        run.diagnostics, reported, read_text, report_errors=catalog.UNPARSABLE_FILE in run.selected
    )
    kept.sort(key=Diagnostic.sort_key)
    texts = run.texts
    inputs = frozenset((*texts.paths(), *run.inputs, *reported))
    not_modelled = texts.model_reads | run.inputs
    return CheckResult(
        kept,
        run.errors,
        len(reported),
        run.project,
        inputs,
        run.listed_yaml or bool(run.searched),
        frozenset(texts.syntax_only - not_modelled),
        sorting.hints,
        sorting.chooser.names,
        frozenset(texts.scan_reads - not_modelled - set(reported)),
        tuple(sorted(run.searched)),
    )


class _Run:
    """What every part of one run shares (settings, texts, the sorting's findings), and
    what the parts found."""

    def __init__(
        self,
        settings: config.Settings,
        texts: TextCache,
        sorting: triage.Sorting,
        reported: frozenset[Path],
    ) -> None:
        self.settings = settings
        self.selected = settings.selected
        self.texts = texts
        self.sorting = sorting
        self.reported = reported
        self.whole_project = sorting.index.files <= reported
        index = sorting.index
        self.factory_imports = prefilter.FactoryImports(
            sorting.chooser, index.module_files, texts.cached
        )
        self.config_scan = run_config.ConfigScan()
        #: See ``RuleContext.shared``.
        self.shared: dict[str, object] = {}
        #: Checked in several parts (their findings' fixes then hold text edits only).
        self.batched = False
        self.diagnostics: list[Diagnostic] = []
        self.errors: list[InternalError] = []
        self.inputs: set[Path] = set()
        self.listed_yaml = False
        self.searched: set[str] = set()
        #: The parsed project of a run checked in one part.
        self.project: Project | None = None


class _Part:
    """The check of some wanted modules (all of them, unless the run is batched): parsed
    as their verdicts come in, then analysed, checked and reported (``finish``)."""

    def __init__(self, run: _Run) -> None:
        self.run = run
        settings, texts = run.settings, run.texts
        self.project = Project(
            settings.root,
            settings.src,
            run.sorting.index.files,
            parser(texts),
            texts,
            index=run.sorting.index,
            compiles=texts.compiles,
        )
        self.diagnostics: list[Diagnostic] = []
        self.errors: list[InternalError] = []
        self.modules: list[ModuleInfo] = []
        self.taken = 0

    def take(self, verdict: triage.Verdict) -> None:
        run = self.run
        self.taken += 1
        if verdict.text is not None:
            run.sorting.chooser.learn(verdict.text, verdict.judged)
            if verdict.imports_factory is not None:
                run.factory_imports.known[verdict.path] = (verdict.text, verdict.imports_factory)
        error = _take_verdict(self.project, verdict, run.texts, self.modules, self.errors)
        if error is not None and catalog.UNPARSABLE_FILE in run.selected:
            self.diagnostics.append(source_error(verdict.path, error))

    def finish(self, keep: frozenset[Path]) -> None:
        """Runs the rules; hands the findings in ``keep`` (and errors) to the run."""
        run, project, settings = self.run, self.project, self.run.settings
        selected, chooser = run.selected, run.sorting.chooser
        definitions = Definitions(
            project,
            frozenset(settings.step_decorators),
            frozenset(settings.pipeline_decorators),
            settings.zenml_target,
        )
        factories = Factories(definitions)
        # Every project file is searched for `configure(` calls changing a step's caching.
        configs = StepConfigs(project, run.texts.scanned)
        errors, too_slow = self.errors, list[Path]()
        analyses = _analyse_pipelines(
            definitions, factories, configs, self.modules, errors, chooser, too_slow
        )
        diagnostics = self.diagnostics
        if catalog.UNPARSABLE_FILE in selected:
            limit = f"{ANALYSIS_TIMEOUT_SECONDS:g} seconds"
            slow = SourceError(
                f"{source.TIMED_OUT} analysing its pipelines took longer than {limit}"
            )
            diagnostics.extend(source_error(path, slow) for path in too_slow)
        run.searched |= _mark_reconfigured(project, analyses, run.texts, run.config_scan)
        if analyses:
            run.searched.add(SEARCHED_WORD)
        # Rules see what can run on the target (ZL015 reports what cannot).
        analyses = needs.runnable(analyses, settings.zenml_target)
        state = RunState(chooser, run.factory_imports, shared=run.shared)
        ctx = RuleContext(project, definitions, factories, self.modules, analyses, settings, state)
        for rule in registry.RULES:
            if rule.code in selected and not issubclass(rule, ReportedByEngine):
                _run_rule(rule, ctx, errors)
        diagnostics = [d for d in diagnostics if d.path in keep]
        seen: set[tuple[str, Path, Span]] = set()
        for diagnostic in ctx.diagnostics:
            # One finding per code and place: a loop walked value by value repeats its calls.
            key = (diagnostic.code, diagnostic.path, diagnostic.span)
            if diagnostic.path in keep and key not in seen:
                seen.add(key)
                diagnostics.append(diagnostic)
        # Suppressions last: ZL900/ZL901 judge them by what every other rule found.
        whole = run.whole_project
        kept = suppressions.apply(diagnostics, ctx, settings, selected, errors, whole_project=whole)
        with apply.remembering_rewrites():  # findings that share one fix render it once
            kept = [_with_edits(d, project) for d in kept if d.path in keep]
        run.inputs |= state.inputs
        run.listed_yaml |= state.listed_yaml
        if not run.batched:
            run.diagnostics += kept
            run.errors += errors
            run.project = project
            return
        run.diagnostics += map(_without_nodes, kept)
        # An error about a module only analysed here is reported by the part that keeps it.
        run.errors += (e for e in errors if _kept_error(e, keep) and e not in run.errors)


def _check_in_batches(run: _Run, size: int) -> None:
    """Checks the run in batches when that pays (see :mod:`zlint.fastpath.batches`), else in one
    part. The first batch's files are parsed while the rest are still being sorted, and
    the imports of every wanted module are read meanwhile: the plan needs them all."""
    planner = _Planner(run, size)
    first = _Part(run)
    every: list[triage.Verdict] = []
    wanted = 0
    for verdict in run.sorting.verdicts:
        every.append(verdict)
        if wanted < size:  # the first batch's files (see ``batches.plan``)
            first.take(verdict)
        if verdict.text is not None:
            wanted += 1
            planner.read(verdict)
    plan = planner.plan(every) if wanted > size else None
    del planner  # its texts and import tables
    if plan is None:
        for verdict in every[first.taken :]:
            first.take(verdict)
        first.finish(run.reported)
        return
    run.batched = True
    for verdict in every[first.taken :]:
        if verdict.path in plan[0].analysed:  # the first batch's contributors
            first.take(verdict)
    first.finish(plan[0].reported)
    del first
    for batch in plan[1:]:
        gc.collect()  # the last batch's trees sit in reference cycles (the collector is off)
        part = _Part(run)
        for verdict in every:
            if verdict.path in batch.reported or verdict.path in batch.analysed:
                part.take(verdict)
        part.finish(batch.reported)
        del part


class _Planner:
    """The imports of every wanted module, read as their verdicts come in, and the plan."""

    def __init__(self, run: _Run, size: int) -> None:
        self.run = run
        self.size = size
        self.texts: dict[Path, str | None] = {}
        self.defines_steps: dict[Path, bool] = {}
        self.reach = batches.Reach(run.sorting.index, self.text_of)

    def text_of(self, path: Path) -> str | None:
        # Read apart from the run's texts: the plan is no input of the findings.
        if path not in self.texts:
            found = self.run.texts.read_text(path)
            self.texts[path] = found if isinstance(found, str) else None
        return self.texts[path]

    def read(self, verdict: triage.Verdict) -> None:
        assert verdict.text is not None
        self.texts[verdict.path] = verdict.text
        # What the worker found in the text (``may_define_steps`` asks the prefilter).
        self.run.sorting.chooser.learn(verdict.text, verdict.judged)
        self.reach.edges(verdict.path)

    def may_define_steps(self, path: Path) -> bool:
        found = self.defines_steps.get(path)
        if found is None:
            text = self.text_of(path) if path in self.run.sorting.index.files else None
            found = text is not None and self.run.sorting.chooser.may_have_zenml_syntax(text)
            self.defines_steps[path] = found
        return found

    def plan(self, every: list[triage.Verdict]) -> list[batches.Batch] | None:
        order = [v.path for v in every]
        wanted = [v.path for v in every if v.text is not None]
        return batches.plan(order, wanted, self.reach, self.may_define_steps, self.size)


def _kept_error(error: InternalError, keep: frozenset[Path]) -> bool:
    return error.path is None or error.path in keep


def _without_nodes(diagnostic: Diagnostic) -> Diagnostic:
    """A finding whose fix keeps its text edits, not the nodes of a tree about to go."""
    fix = diagnostic.fix
    if fix is None:
        return diagnostic
    light = dataclasses.replace(fix, replacements=(), imports=())
    return dataclasses.replace(diagnostic, fix=light)


def _with_edits(diagnostic: Diagnostic, project: Project) -> Diagnostic:
    """The fix as text edits of the diagnostic's own file, for JSON and diff output."""
    fix = diagnostic.fix
    module = project.module(diagnostic.path)
    if fix is None or module is None or module.tree is None:
        return diagnostic
    mine = [r for r in fix.replacements if r.path == diagnostic.path]
    imports = [i for i in fix.imports if i.path == diagnostic.path]
    after = apply.rewrite(module.tree, mine, imports)
    return dataclasses.replace(diagnostic, edits=apply.text_edits(module.text, after))


def _take_verdict(
    project: Project,
    verdict: triage.Verdict,
    texts: TextCache,
    modules: list[ModuleInfo],
    errors: list[InternalError],
) -> SourceError | None:
    """Records what sorting a reported file found; parses it when a rule wants its tree."""
    texts.model_reads.update(verdict.followed)
    texts.read_elsewhere.update((verdict.path, *verdict.followed))
    if verdict.crash is not None:
        errors.append(InternalError(verdict.path, "model", *verdict.crash))
        return None
    if not verdict.wanted:
        if verdict.syntax_checked:
            texts.syntax_only.add(verdict.path)
        if verdict.compiled_hash is not None:
            texts.compiled_hashes[verdict.path] = verdict.compiled_hash
        return verdict.error
    assert verdict.text is not None
    if texts.keep(verdict.path, verdict.text) and verdict.compiled:
        texts.compiled.add(verdict.path)
    try:
        module = project.module(verdict.path, parse_now=True)
    except Exception as exc:  # a model bug on one module must not lose the others' findings
        errors.append(_internal(verdict.path, "model", exc))
        return None
    if module is None:
        return project.errors.get(verdict.path)
    modules.append(module)
    return None


def _analyse_pipelines(
    definitions: Definitions,
    factories: Factories,
    configs: StepConfigs,
    modules: list[ModuleInfo],
    errors: list[InternalError],
    chooser: prefilter.Prefilter,
    too_slow: list[Path],
) -> list[PipelineAnalysis]:
    """The pipelines of every module; a module whose analysis runs out of time goes to
    ``too_slow`` (the caches it filled hold only finished results)."""
    analyses: list[PipelineAnalysis] = []
    for module in modules:
        if not chooser.wants(module.text, (prefilter.ZENML_SYNTAX,)):
            continue
        found: list[PipelineAnalysis] = []
        try:
            with source.time_limit(ANALYSIS_TIMEOUT_SECONDS):
                _analyse_module(definitions, factories, configs, module, errors, found)
        except source.TookTooLong:  # a pathological file: its pipelines go unchecked
            too_slow.append(module.path)
            continue
        analyses.extend(found)
    return analyses


def _analyse_module(
    definitions: Definitions,
    factories: Factories,
    configs: StepConfigs,
    module: ModuleInfo,
    errors: list[InternalError],
    analyses: list[PipelineAnalysis],
) -> None:
    try:
        pipelines = definitions.pipelines_in(module)
    except Exception as exc:  # never lose other files' findings to one bad module
        errors.append(_internal(module.path, "model", exc))
        return
    for pipeline in pipelines:
        try:
            analyses.append(PipelineWalker(definitions, factories, configs).analyze(pipeline))
        except Exception as exc:
            errors.append(_internal(module.path, f"pipeline {pipeline.name}", exc))


def _mark_reconfigured(
    project: Project,
    analyses: list[PipelineAnalysis],
    texts: TextCache,
    scan: run_config.ConfigScan,
) -> set[str]:
    """Marks pipelines configured elsewhere; returns the names searched for (every project
    file's text is searched for them, and YAML files are read)."""
    names = {analysis.pipeline.function.name.value for analysis in analyses}
    found = run_config.reconfigured(project.root, sorted(project.files), names, texts.scanned, scan)
    for analysis in analyses:
        analysis.reconfigured = analysis.pipeline.function.name.value in found
    return names


def _run_rule(rule: type[Rule], ctx: RuleContext, errors: list[InternalError]) -> None:
    ctx.rule = rule
    before = len(ctx.diagnostics)
    try:
        with source.time_limit(RULE_TIMEOUT_SECONDS):
            rule().check(ctx)
    except source.TookTooLong:
        del ctx.diagnostics[before:]
        message = f"took longer than {RULE_TIMEOUT_SECONDS:g} seconds; its findings were dropped"
        errors.append(InternalError(None, rule.code, message, ""))
    except Exception as exc:
        del ctx.diagnostics[before:]  # a half-finished rule's findings are not trustworthy
        errors.append(_internal(None, rule.code, exc))
    finally:
        ctx.rule = None


def _internal(path: Path | None, where: str, exc: Exception) -> InternalError:
    message = f"{type(exc).__name__}: {exc}".splitlines()[0]
    return InternalError(path, where, message, traceback.format_exc())
