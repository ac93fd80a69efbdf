from __future__ import annotations

import re
from typing import TYPE_CHECKING

import libcst as cst

from zlint.fastpath.prefilter import called_names, calls
from zlint.model import cst_utils, releases, zenml_api
from zlint.model.constants import const_string
from zlint.model.fast_visit import fast_visit
from zlint.model.modules import ModuleInfo
from zlint.model.scoped_names import CallSite, ScopedNames
from zlint.model.symbols import ValueSym
from zlint.rules import _module_scan
from zlint.rules.base import Rule

if TYPE_CHECKING:
    from zlint.rules.base import RuleContext

_PLACEHOLDER = re.compile(r"\{[^{}]*\}")


class FixedArtifactVersion(Rule):
    """## What it does
    Finds `ArtifactConfig(version=...)` with a version known before the step runs: a
    literal string or number, a constant, or a template such as `"{split}_v1"`.

    ## Why is this bad?
    An artifact name holds each version only once, and ZenML never changes a version it is
    given: unlike `name`, `version` gets no placeholder substitution, so `"{split}_v1"` is
    stored as written. The first write succeeds; the second one, from a repeated call of the
    step in the same pipeline or from its next run that is not served from the cache, fails
    the step with `EntityExistsError: ... An artifact with the same name and version already
    exists.` Left out, the version is a number ZenML increments with every write.

    ## Example
    ```python
    from typing import Annotated

    from zenml import ArtifactConfig, step


    @step
    def train_model(rows: list) -> Annotated[dict, ArtifactConfig(name="model", version="v1")]:
        return {"rows": len(rows)}
    ```

    ## Use instead
    ```python
    from typing import Annotated

    from zenml import ArtifactConfig, step


    @step
    def train_model(rows: list) -> Annotated[dict, ArtifactConfig(name="model", tags=["v1"])]:
        return {"rows": len(rows)}
    ```

    ## ZenML versions
    From 0.50.0, the first release with `zenml.ArtifactConfig` (0.45.x's
    `zenml.model.ArtifactConfig` has no version, and names nothing).

    ## Fix safety
    No automatic fix yet. Removing `version=` would be safe for the run itself, but it
    changes how the artifact's versions are named and whatever looks them up by that
    version, so the fix will be unsafe.
    """

    code = "ZL007"
    name = "fixed-artifact-version"
    summary = "An `ArtifactConfig` version that is the same for every write"
    hints = calls("ArtifactConfig")

    def check(self, ctx: RuleContext) -> None:
        if not ctx.target.any(releases.ARTIFACT_CONFIG):
            return  # no `zenml.ArtifactConfig` to import (0.45.x's names no versions)
        for module in _module_scan.hinted_modules(ctx, self.hints):
            if "version" not in module.text:
                continue  # no `version=` to judge: the calls need not be walked
            names = ScopedNames(ctx.project, module)
            for site in _module_scan.calls_of(module, called_names(self.hints)):
                arg = cst_utils.keyword(site.call, "version")
                if arg is None or names.qualname(site.call.func, site) not in (
                    zenml_api.ARTIFACT_CONFIG
                ):
                    continue
                version = fixed_version(ctx, module, names, site, arg.value)
                if version is not None:
                    ctx.report((module, arg), _message(version))


def fixed_version(
    ctx: RuleContext,
    module: ModuleInfo,
    names: ScopedNames,
    site: CallSite,
    value: cst.BaseExpression,
) -> str | None:
    """The version ``value`` always is, as text, or None when it may differ between runs."""
    if any(names.is_local(name, site) for name in _free_names(value)):
        return None  # a factory parameter or a local variable: not known here
    if isinstance(value, cst.Integer):
        return value.value
    text = const_string(ctx.project, module, value)
    if text is not None:
        return text
    if isinstance(value, (cst.Name, cst.Attribute)):
        sym = ctx.project.resolve_expr(module, value)
        if isinstance(sym, ValueSym) and isinstance(sym.node, cst.Integer):
            return sym.node.value
    return None


def _message(version: str) -> str:
    template = ""
    if _PLACEHOLDER.search(version):
        template = (
            "ZenML fills placeholders in an artifact's `name` only, so this version is "
            "stored as written; "
        )
    return (
        f"Artifact version `{version}` is fixed: {template}an artifact name holds each "
        "version once, so the second write (a repeated call of the step, or a run not "
        "served from the cache) fails with `EntityExistsError`; leave `version` out so "
        "ZenML numbers the versions, and put a label in `tags` or `run_metadata`"
    )


def _free_names(expr: cst.BaseExpression) -> list[cst.Name]:
    """The names ``expr`` reads (not attribute names after a dot)."""

    class Collector(cst.CSTVisitor):
        def __init__(self) -> None:
            self.names: list[cst.Name] = []

        def visit_Name(self, node: cst.Name) -> None:
            self.names.append(node)

        def visit_Attribute(self, node: cst.Attribute) -> bool:
            fast_visit(node.value, self)
            return False

    collector = Collector()
    fast_visit(expr, collector)
    return collector.names
