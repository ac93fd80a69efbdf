"""The interface every rule receives: the :class:`Rule` base class and its
:class:`RuleContext`.

A rule reads the model (the project's modules, their steps and pipelines, and what each
pipeline invokes) from the context and reports findings with ``ctx.report``. What a run
keeps beyond the model (which files it read, what rules share across the parts of a
batched run) sits in the context's :class:`RunState`, behind methods.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar, TypeVar

from zlint.fastpath.prefilter import ZENML_SYNTAX, FactoryImports, Prefilter
from zlint.model.positions import Positions
from zlint.model.releases import Target
from zlint.types import Applicability, Diagnostic, Fix, Span

if TYPE_CHECKING:
    import libcst as cst

    from zlint.config import Settings
    from zlint.model.definitions import Definitions
    from zlint.model.factories import Factories
    from zlint.model.invocations import PipelineAnalysis, Site
    from zlint.model.modules import ModuleInfo
    from zlint.model.project import Project

#: How many modules' position maps a run keeps at a time (see ``RuleContext.positions``).
POSITION_MAPS = 4

_T = TypeVar("_T")


class Rule:
    """A check with a permanent code (``ZL001``) and a kebab-case name.

    The class docstring is the rule's documentation, in Ruff's sections; ``rules/ZLnnn.md``
    is generated from it.
    """

    code: ClassVar[str]
    name: ClassVar[str]
    summary: ClassVar[str]
    #: Rules that are noisy or a matter of taste are off unless selected.
    default_enabled: ClassVar[bool] = True
    fix: ClassVar[Applicability | None] = None
    #: What a file's text must contain for this rule to find anything in it: words, or the
    #: sentinels of :mod:`zlint.fastpath.prefilter`. Files matching no selected rule's hints
    #: are only syntax-checked, never given to LibCST.
    hints: ClassVar[tuple[str, ...]] = (ZENML_SYNTAX,)

    def check(self, ctx: RuleContext) -> None:
        raise NotImplementedError


class ReportedByEngine(Rule):
    """A rule whose findings the engine makes itself, so it has no ``check``: files that
    cannot be read or parsed (ZL000) while loading them, suppression comments (ZL900,
    ZL901) after every other rule has run, since only then is it known what they hid.
    The class holds the rule's code, name, documentation and fix kind."""


@dataclass
class RunState:
    """What one run keeps beside the model, for its rules."""

    #: The text tests that chose the run's modules; rules narrow them with their own hints.
    prefilter: Prefilter = field(default_factory=Prefilter)
    #: Whether a module's text imports a step factory from another module (None: unknown).
    factory_imports: FactoryImports | None = None
    #: Files rules read themselves, beyond the project's modules (the cache's inputs).
    inputs: set[Path] = field(default_factory=set)
    #: Whether a rule listed the YAML files under the root (their set is an input too).
    listed_yaml: bool = False
    #: What rules compute once for every part of a run checked in batches (such as every
    #: project file's text), by a key of the rule's own.
    shared: dict[str, object] = field(default_factory=dict)

    def wants(self, module: ModuleInfo, hints: tuple[str, ...]) -> bool:
        """Whether ``module``'s text can hold anything for a rule with these hints (steps
        made with a decorator imported from another module included)."""
        if self.prefilter.wants(module.text, hints):
            return True
        finder = self.factory_imports
        return (
            ZENML_SYNTAX in hints
            and finder is not None
            and finder.applies_a_step_maker(module.path, module.text)
        )

    def makes_steps_in_function_bodies(self, module: ModuleInfo) -> bool:
        """Whether ``module`` may make a step inside a function: step syntax in a function's
        body, or any use of a decorator imported from a module that makes steps with it."""
        if self.prefilter.makes_steps_in_function_bodies(module.text):
            return True
        finder = self.factory_imports
        return finder is not None and finder.applies_a_step_maker(module.path, module.text)

    def imports_a_factory(self, module: ModuleInfo) -> bool:
        """Whether ``module`` may import a step factory from another module."""
        known = self.factory_imports
        return known is None or known(module.path, module.text)

    def once(self, key: str, kind: type[_T], compute: Callable[[], _T]) -> _T:
        """The value stored under ``key``, computed on first use in the run."""
        found = self.shared.get(key)
        if not isinstance(found, kind):
            found = self.shared[key] = compute()
        return found

    def read_files(self, paths: Iterable[Path], *, listed_yaml: bool = False) -> None:
        """Records files a rule read itself, so that an edit of one re-runs the check."""
        self.inputs.update(paths)
        self.listed_yaml |= listed_yaml


@dataclass
class RuleContext:
    """The model of one run (or one batch of it) and where the rules report."""

    project: Project
    definitions: Definitions
    factories: Factories
    #: The modules whose findings are wanted, parsed.
    modules: list[ModuleInfo]
    #: What every pipeline of ``modules`` invokes.
    analyses: list[PipelineAnalysis]
    #: The run's settings (rules read their options from it, such as ZL001's fix strategy).
    settings: Settings
    run: RunState = field(default_factory=RunState)
    #: The rule running now; the engine sets it.
    rule: type[Rule] | None = None
    diagnostics: list[Diagnostic] = field(default_factory=list)
    #: The position maps of the modules used last, least recently used first.
    _positions: dict[Path, Positions] = field(default_factory=dict)
    #: The span of every node reported or asked for, by module: it outlives the maps.
    _spans: dict[tuple[Path, cst.CSTNode], Span] = field(default_factory=dict)

    @property
    def target(self) -> Target:
        """The ZenML releases the project may run on: a finding must happen on one of them,
        a fix must work on all of them."""
        return self.settings.zenml_target

    def positions(self, module: ModuleInfo) -> Positions:
        """LibCST's positions of every node of ``module``. Only the last few modules' maps
        are kept: a map holds three objects per node (some 65 KB for a 22-line module), and
        kept for every module with a finding they were a quarter of a large run's memory.
        Rules report module by module, and ``span`` remembers what was asked, so a map is
        rarely built twice."""
        found = self._positions.pop(module.path, None)
        if found is None:
            assert module.tree is not None
            found = Positions(module.tree)
        self._positions[module.path] = found
        while len(self._positions) > POSITION_MAPS:
            del self._positions[next(iter(self._positions))]
        return found

    def span(self, module: ModuleInfo, node: cst.CSTNode) -> Span:
        key = (module.path, node)
        found = self._spans.get(key)
        if found is None:
            found = self._spans[key] = self.positions(module).span(node)
        return found

    def line(self, site: Site) -> int:
        return self.span(site.module, site.node).start.line

    def report(
        self,
        site: Site | tuple[ModuleInfo, cst.CSTNode],
        message: str,
        fix: Fix | None = None,
    ) -> None:
        if isinstance(site, tuple):
            module, node = site
        else:
            module, node = site.module, site.node
        assert self.rule is not None
        span = self.span(module, node)
        self.diagnostics.append(
            Diagnostic(self.rule.code, self.rule.name, message, module.path, span, fix)
        )
