from __future__ import annotations

from typing import TYPE_CHECKING

import libcst as cst

from zlint.fastpath.prefilter import ZENML_SYNTAX
from zlint.model import needs, releases, zenml_api
from zlint.model.api_uses import FactUses, path_uses
from zlint.model.modules import ModuleInfo
from zlint.model.releases import Release, Target, describe
from zlint.model.scoped_names import ScopedNames
from zlint.rules import _messages as msg
from zlint.rules import _module_scan
from zlint.rules.base import Rule

if TYPE_CHECKING:
    from zlint.rules.base import RuleContext

#: Paths that name the legacy class-based decorators before 0.68.0, and the decorator they
#: name from then on.
LEGACY = {
    "zenml.steps.step": "zenml.step",
    "zenml.steps.step_decorator.step": "zenml.step",
    "zenml.pipelines.pipeline": "zenml.pipeline",
    "zenml.pipelines.pipeline_decorator.pipeline": "zenml.pipeline",
}
_NEW = "zenml.new"
#: Every fact a keyword or method use can need.
_FACTS = (
    *needs.PIPELINE_OPTION_FACTS.values(),
    *needs.METHOD_FACTS.values(),
    *needs.CALL_KEYWORD_FACTS.values(),
    *needs.LOG_METADATA_KEYWORD_FACTS.values(),
    *needs.CONTEXT_METHOD_FACTS.values(),
    releases.LIST_ARTIFACT_VERSIONS,
)
#: What a file without steps or pipelines must hold for ZL015 to parse it: the names,
#: keywords and methods that code outside steps and pipelines uses (helpers, run scripts,
#: queries). Files with step or pipeline syntax are parsed anyway, and every name is
#: looked for there.
HINT_WORDS = (
    _NEW,
    "BaseParameters",
    "BasePipeline",
    "log_metadata",
    "add_tags",
    "unmapped",
    "ArtifactConfig",
    "CachePolicy",
    *needs.OPTION_FACTS,
    *needs.CALL_KEYWORD_FACTS,
    *needs.LOG_METADATA_KEYWORD_FACTS,
    "add_output_tags",
    "get_output_tags",
    "remove_output_tags",
    "list_artifact_versions",
)


class UnavailableZenmlApi(Rule):
    """## What it does
    Finds a ZenML name, decorator argument or method that a ZenML release the project may
    run on does not have: an import of `zenml.log_metadata` when the project admits 0.65.0,
    `@pipeline(dynamic=True)` before 0.91.1, `step.map()` before 0.92.0, `substitutions=`
    before 0.71.0, and names ZenML has removed since (`zenml.new.*` and the class-based
    `BaseParameters`, `BasePipeline`, `Output` in 0.68.0). On a range across 0.68.0 it
    also finds `zenml.steps.step` and `zenml.pipelines.pipeline`: before 0.68.0 they are the
    legacy class-based decorators, not `zenml.step` and `zenml.pipeline`.

    ZenML is matched by qualified name (`import zenml as zn; zn.log_metadata`, a step
    called through `with_options`, a step context kept in a variable). `.map()`,
    `.product()`, `.submit()` and `start_after=` are looked for in pipeline bodies, where
    ZenML runs them. Imports under
    `if TYPE_CHECKING:` and code in a `try` that catches `ImportError`, `AttributeError`,
    `TypeError` or `Exception` are fallbacks written on purpose and are left alone.

    ## Why is this bad?
    On such a release the code does not run: the import raises `ImportError`, the
    decorator or call `TypeError` (`pipeline() got an unexpected keyword argument
    'dynamic'`), the method `AttributeError` (`'proc' object has no attribute 'map'`). A
    version range is judged by every release it admits: a resolver installs the newest, but
    a lock file, a CI image or a colleague's environment may hold the oldest.

    ## Example
    ```python
    from zenml.steps import BaseParameters


    class TrainParams(BaseParameters):
        epochs: int = 3
    ```

    ## Use instead
    ```python
    from zenml import step


    @step
    def train(epochs: int = 3) -> None:
        print(epochs)
    ```

    ## ZenML versions
    The releases a project admits come from `zenml-version` in `[tool.zlint]` (the newest
    release zlint knows when it is not set); the message names them and where they came
    from. Which release first has each name is read from the wheels of every release from
    0.43.0 to 0.98.0 (`scripts/zenml_api_table.py`); the keywords and methods: `log_metadata`
    0.70.0, `infer_artifact=`/`infer_model=` 0.71.0, `substitutions=` 0.71.0,
    `add_output_tags` 0.55.2, `zenml.ArtifactConfig` 0.50.0, `Client.list_artifact_versions`
    0.51.0, `add_tags` 0.80.0, `CachePolicy`/`cache_policy=` 0.85.0,
    `@pipeline(dynamic=True)` and `.submit()` 0.91.1, `.map()`/`.product()` and `unmapped`
    0.92.0, `start_after=` 0.96.2. Other rules stay quiet about code that cannot run on any
    release the project admits (no ZL001 for a `.map()` before 0.92.0).

    A file without steps or pipelines is read only when it names one of `zenml.new`,
    `BaseParameters`, `BasePipeline`, `log_metadata`, `add_tags`, `unmapped`,
    `ArtifactConfig`, `CachePolicy`, `substitutions`, `cache_policy`, `start_after`,
    `infer_artifact`, `infer_model`, the step context's tag methods or
    `list_artifact_versions`; other names (`Model`, `save_artifact`, ...) are looked for in
    files with steps or pipelines only.

    ## Fix safety
    No automatic fix: whether to require a newer ZenML or to write the code for the older
    releases is the author's decision.
    """

    code = "ZL015"
    name = "unavailable-zenml-api"
    summary = "A ZenML name, argument or method that a release the project admits does not have"
    hints = (ZENML_SYNTAX, *sorted(set(HINT_WORDS)))

    def check(self, ctx: RuleContext) -> None:
        judge = _Judge(ctx.target)
        for module in _module_scan.hinted_modules(ctx, self.hints):
            names = ScopedNames(ctx.project, module)
            reported: set[tuple[int, str]] = set()
            for node, message in judge.findings(ctx, module, names):
                if (id(node), message) not in reported:
                    reported.add((id(node), message))
                    ctx.report((module, node), message)


class _Judge:
    """What the target's releases lack, and the messages saying so."""

    def __init__(self, target: Target) -> None:
        self.target = target
        self.facts_missing = any(not target.all(fact) for fact in _FACTS)
        self._problems: dict[str, str | None] = {}
        problems = (p for p in (*zenml_api.ORIGINS, *LEGACY) if self.path_problem(p))
        #: (the module's last word, the name) of every path with a problem.
        self.pairs = frozenset(tuple(p.rsplit(".", 2)[-2:]) for p in problems)

    def read_words(self, module: ModuleInfo) -> frozenset[str]:
        """The names a read in ``module`` may give a path with a problem: a read of
        ``x.step`` is ``zenml.new.steps.step_decorator.step`` only in a module whose text
        names ``step_decorator`` (an import of it, or an alias's)."""
        text = module.text
        return frozenset(name for parent, name in self.pairs if parent in text and name in text)

    def findings(
        self, ctx: RuleContext, module: ModuleInfo, names: ScopedNames
    ) -> list[tuple[cst.CSTNode, str]]:
        found: list[tuple[cst.CSTNode, str]] = []
        wanted = self.path_problem
        words = self.read_words(module)
        for use in path_uses(module, names, words, lambda p: wanted(p) is not None):
            problem = self.path_problem(use.path)
            if problem is not None:
                found.append((use.node, problem))
        if self.facts_missing:
            uses = FactUses(ctx.definitions, module, names, self.missing).find()
            found.extend((use.node, self._since(use.what, use.fact)) for use in uses)
        return found

    def missing(self, fact: releases.Fact) -> bool:
        """Whether some release of the target lacks what ``fact`` gives."""
        return not self.target.all(fact)

    def path_problem(self, path: str) -> str | None:
        """Why ``path`` fails on some release of the target, or None."""
        if path not in self._problems:
            self._problems[path] = self._path_problem(path)
        return self._problems[path]

    def _path_problem(self, path: str) -> str | None:
        if not zenml_api.is_known(path):
            new_module = path == _NEW or path.startswith(f"{_NEW}.")
            fact = releases.NEW_MODULE_PATHS
            return (
                self._removed(path, fact.until)
                if new_module and not self.target.all(fact)
                else None
            )
        lacking = zenml_api.absent_on(path, self.target.releases)
        if lacking:
            return self._absent(path, lacking)
        if path in LEGACY:
            return self._legacy(path, LEGACY[path])
        return None

    def _absent(self, path: str, lacking: tuple[Release, ...]) -> str:
        present = [r for r in zenml_api.DATA_RELEASES if zenml_api.origin_on(path, r) is not None]
        if max(lacking) < present[0]:
            return self._first(path, present[0])
        later = [r for r in zenml_api.DATA_RELEASES if r > present[-1]]
        if later and min(lacking) >= later[0]:
            return self._removed(path, later[0])
        return f"`{path}` is not in ZenML {describe(lacking)}; {msg.admitted(self.target)}"

    def _legacy(self, path: str, canonical: str) -> str | None:
        other = zenml_api.other_object_on(path, canonical, self.target.releases)
        if not other or len(other) == len(self.target.releases):
            return None  # the same object on every release the project admits
        what = canonical.rsplit(".", 1)[1]
        return (
            f"`{path}` is the legacy class-based decorator on ZenML {describe(other)}, not "
            f"`{canonical}` (import `{what}` from `zenml` for both); {msg.admitted(self.target)}"
        )

    def _since(self, what: str, fact: releases.Fact) -> str:
        assert fact.since is not None
        return self._first(what, fact.since)

    def _first(self, what: str, since: Release) -> str:
        return f"`{what}` first appeared in ZenML {since}; {msg.admitted(self.target)}"

    def _removed(self, what: str, until: Release | None) -> str:
        return f"`{what}` was removed in ZenML {until}; {msg.admitted(self.target)}"
