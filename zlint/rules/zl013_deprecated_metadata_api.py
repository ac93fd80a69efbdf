from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

import libcst as cst
from libcst.metadata import GlobalScope, MetadataWrapper, Scope, ScopeProvider

from zlint.fastpath.prefilter import called_names, calls
from zlint.fixes.arguments import keyword_arg_like, laid_out
from zlint.fixes.common import NoFix
from zlint.model import releases, zenml_api
from zlint.model.constants import const_string
from zlint.model.definitions import StepDef
from zlint.model.modules import ModuleInfo
from zlint.model.releases import Target
from zlint.model.scoped_names import CallSite, ScopedNames
from zlint.model.symbols import qualname_of
from zlint.rules import _messages as msg
from zlint.rules import _module_scan
from zlint.rules.base import Rule
from zlint.types import Applicability, Fix, ImportEdit, NodeReplacement

if TYPE_CHECKING:
    from zlint.rules.base import RuleContext

ARTIFACT = "log_artifact_metadata"
STEP = "log_step_metadata"
MODEL = "log_model_metadata"
#: Every public path to each deprecated helper, in any release.
DEPRECATED: dict[str, str] = {
    **dict.fromkeys(zenml_api.LOG_ARTIFACT_METADATA, ARTIFACT),
    **dict.fromkeys(zenml_api.LOG_STEP_METADATA, STEP),
    **dict.fromkeys(zenml_api.LOG_MODEL_METADATA, MODEL),
}
#: Each helper's parameters, in order.
SIGNATURES: dict[str, tuple[str, ...]] = {
    ARTIFACT: ("metadata", "artifact_name", "artifact_version"),
    STEP: ("metadata", "step_name", "pipeline_name_id_or_prefix", "run_id"),
    MODEL: ("metadata", "model_name", "model_version"),
}
_MAX_SHOWN = 48


@dataclass(frozen=True)
class HelperCall:
    """One call of a deprecated helper: its arguments as code, and the step it runs in."""

    args: dict[str, str]
    #: The artifact name passed, when it is a constant.
    artifact_name: str | None
    #: The step whose body makes the call; None when that is not known.
    step: StepDef | None
    at_module_level: bool

    def has(self, *names: str) -> bool:
        return all(name in self.args for name in names)

    def replacement(self, *keywords: str, extra: str = "") -> str:
        """``log_metadata(metadata=M, k=v, ...)`` with this call's values for ``keywords``."""
        parts = [f"metadata={self.args['metadata']}"]
        parts.extend(f"{k}={self.args[k]}" for k in keywords)
        if extra:
            parts.append(extra)
        return f"`log_metadata({', '.join(parts)})`"


class DeprecatedMetadataApi(Rule):
    """## What it does
    Finds calls of ZenML's deprecated metadata helpers `log_artifact_metadata`,
    `log_step_metadata` and `log_model_metadata`, and names the `log_metadata` call that
    replaces each one, saying when there is no exact equivalent.

    ## Why is this bad?
    ZenML 0.98 logs a deprecation warning on every call, and the helpers are due to be
    removed. Some forms also do more than they seem to: `log_artifact_metadata` with both
    `artifact_name` and `artifact_version` also logs to the latest version of that artifact
    (or, in a step, to the step's output), and `log_step_metadata` reads `run_id` as the
    integer form of a *step run* id, so a real run id raises `ValueError`.

    The exact replacements:

    | deprecated call | `log_metadata` call |
    | --- | --- |
    | `log_artifact_metadata(M)` | `log_metadata(metadata=M, infer_artifact=True)` |
    | `log_artifact_metadata(M, artifact_name=N)` in a step with output `N` | `log_metadata(metadata=M, artifact_name=N, infer_artifact=True)` |
    | `log_artifact_metadata(M, artifact_name=N)` outside a step | `log_metadata(metadata=M, artifact_version_id=Client().get_artifact_version(N).id)` |
    | `log_model_metadata(M)` | `log_metadata(metadata=M, infer_model=True)` |
    | `log_model_metadata(M, model_name=N, model_version=V)` | `log_metadata(metadata=M, model_name=N, model_version=V)` |
    | `log_step_metadata(M)` | `log_metadata(metadata=M)` |
    | `log_step_metadata(M, step_name=S, pipeline_name_id_or_prefix=P)` | `log_metadata(metadata=M, step_id=Client().get_pipeline(P).last_run.steps[S].id)` |

    ## Example
    ```python
    from typing import Annotated

    from zenml import log_artifact_metadata, step


    @step
    def featurize(rows: list, split: str) -> Annotated[list, "features"]:
        log_artifact_metadata(metadata={"split": split})
        return rows
    ```

    ## Use instead
    ```python
    from typing import Annotated

    from zenml import log_metadata, step


    @step
    def featurize(rows: list, split: str) -> Annotated[list, "features"]:
        log_metadata(metadata={"split": split}, infer_artifact=True)
        return rows
    ```

    ## ZenML versions
    The helpers log the notice from 0.70.0; before there is none, and no `log_metadata` to
    move to, so the rule is quiet for a project whose releases all come before. The fix needs
    `log_metadata` (0.70.0) on every release the project admits, and `infer_artifact=` or
    `infer_model=` (0.71.0) when it writes them; otherwise the finding says which release lacks
    them and offers no fix.

    ## Fix safety
    The fix rewrites the call to `log_metadata` where the rewrite is exact, and is safe:

    - `log_artifact_metadata(M)` in a step with exactly one output, and
      `log_artifact_metadata(M, artifact_name=N)` in a step with an output `N`, get
      `infer_artifact=True`;
    - `log_model_metadata(M, model_name=X, model_version=Y)` anywhere, and
      `log_model_metadata(M)` in a step (with `infer_model=True`);
    - `log_step_metadata(M)` in a step.

    "In a step" means written in the step function's own body, where zlint knows the
    step's outputs. Every argument becomes a keyword argument and keeps its comments;
    `None` arguments, and `pipeline_name_id_or_prefix` or `run_id` that a step-run call
    without `step_name` ignores, are dropped when dropping them cannot skip a side effect.
    `zn.log_artifact_metadata(...)` becomes `zn.log_metadata(...)` when `zn` is the `zenml`
    module; otherwise `log_metadata` is imported from `zenml`, and the fix is not offered
    where that name already means something else. The import of the old helper is left in
    place even when nothing uses it any more (removing it is a later improvement; Ruff's
    `F401` finds it).

    No fix is offered for the other forms: where the replacement does something else
    (`artifact_name` with `artifact_version`, `step_name` with `run_id`, `step_name` with
    `pipeline_name_id_or_prefix`), where it needs a lookup of its own (an artifact name
    outside a step, or one that is not an output of the step), for calls that always
    raise (`step_name` alone, only one of `model_name` and `model_version`), for unpacked
    arguments, and where zlint cannot see the step the call runs in.
    """

    code = "ZL013"
    name = "deprecated-metadata-api"
    summary = "A deprecated metadata helper instead of `log_metadata`"
    hints = calls(ARTIFACT, STEP, MODEL)
    fix = Applicability.SAFE

    def check(self, ctx: RuleContext) -> None:
        if not ctx.target.any(releases.METADATA_HELPERS_DEPRECATED):
            return  # no notice, and no `log_metadata` to move to
        for module in _module_scan.hinted_modules(ctx, self.hints):
            names = ScopedNames(ctx.project, module)
            steps = {id(s.function): s for s in _module_scan.decorated_steps(ctx, module)}
            fixer = _Fixer(ctx, module, names)
            for site in _module_scan.calls_of(module, called_names(self.hints)):
                helper = DEPRECATED.get(names.qualname(site.call.func, site) or "")
                if helper is None:
                    continue
                call = _describe(ctx, module, names, site, helper, steps)
                text = message(helper, call, ctx.target)
                fix = fixer.fix(site, helper, call) if call is not None else None
                if isinstance(fix, NoFix):
                    text, fix = f"{text}; {fix.note}", None
                ctx.report((module, site.call), text, fix)


def _describe(
    ctx: RuleContext,
    module: ModuleInfo,
    names: ScopedNames,
    site: CallSite,
    helper: str,
    steps: dict[int, StepDef],
) -> HelperCall | None:
    args = _bind(site.call, SIGNATURES[helper])
    if args is None:
        return None
    step = steps.get(id(site.functions[-1])) if site.functions else None
    shown = {name: _shown(module, value) for name, value in args.items()}
    name = args.get("artifact_name")
    constant = None
    if name is not None and not (isinstance(name, cst.Name) and names.is_local(name, site)):
        constant = const_string(ctx.project, module, name)
    return HelperCall(shown, constant, step, at_module_level=not site.functions)


def _bind(call: cst.Call, params: tuple[str, ...]) -> dict[str, cst.BaseExpression] | None:
    """Parameter name -> argument, or None when ``*args``/``**kwargs`` hide them."""
    args = _bind_args(call, params)
    if args is None:
        return None
    bound = {name: arg.value for name, arg in args.items() if not _is_none(arg.value)}
    return bound if "metadata" in bound else None


def _bind_args(call: cst.Call, params: tuple[str, ...]) -> dict[str, cst.Arg] | None:
    """Parameter name -> the argument passed for it, ``None`` included, in call order."""
    bound: dict[str, cst.Arg] = {}
    for index, arg in enumerate(call.args):
        if arg.star:
            return None
        name = arg.keyword.value if arg.keyword is not None else None
        if name is None:
            if index >= len(params):
                return None
            name = params[index]
        if name not in params or name in bound:
            return None
        bound[name] = arg
    return bound


def _is_none(value: cst.BaseExpression) -> bool:
    return isinstance(value, cst.Name) and value.value == "None"


def _shown(module: ModuleInfo, value: cst.BaseExpression) -> str:
    assert module.tree is not None
    code = module.tree.code_for_node(value)
    return code if "\n" not in code and len(code) <= _MAX_SHOWN else "..."


def message(helper: str, call: HelperCall | None, target: Target) -> str:
    if call is None:
        advice = (
            "use `log_metadata`; zlint cannot say which form replaces this call exactly, "
            "because its arguments are unpacked or do not match the helper's parameters"
        )
    else:
        advice = {ARTIFACT: _artifact, STEP: _step, MODEL: _model}[helper](call)
    where = msg.releases_text(target, target.where(releases.METADATA_HELPERS_DEPRECATED))
    return f"`{helper}` is deprecated (ZenML {where} logs a warning on every call): {advice}"


def _exact(replacement: str) -> str:
    return f"{replacement} does exactly the same"


def _artifact(call: HelperCall) -> str:
    if call.has("artifact_name", "artifact_version"):
        return (
            "there is no exact `log_metadata` equivalent, because besides the given version "
            "this call also logs to the latest version of that artifact (outside a step) or "
            f"to the step's output (inside one); {call.replacement('artifact_name', 'artifact_version')} "
            "logs to the given version only"
        )
    if call.has("artifact_version"):
        return (
            "`artifact_version` without `artifact_name` is ignored; in a step with one output, "
            + _exact(call.replacement(extra="infer_artifact=True"))
        )
    if not call.has("artifact_name"):
        return _exact(call.replacement(extra="infer_artifact=True"))
    return _artifact_by_name(call)


def _artifact_by_name(call: HelperCall) -> str:
    name = call.args["artifact_name"]
    in_step = call.replacement("artifact_name", extra="infer_artifact=True")
    latest = call.replacement(extra=f"artifact_version_id=Client().get_artifact_version({name}).id")
    keys = _output_keys(call.step)
    if keys is not None and call.artifact_name in keys:
        return _exact(in_step)
    if keys is not None and len(keys) == 1:
        return (
            f"{name} is not an output of this step, so the call logs to the step's only "
            f"output; {_exact(call.replacement(extra='infer_artifact=True'))}"
        )
    if keys is not None or call.at_module_level:
        return f"this call logs to the latest version of {name}; {_exact(latest)}"
    return (
        f"in a step with an output {name}, {_exact(in_step)}; elsewhere the call logs "
        f"to the latest version of {name}, exactly like {latest}"
    )


def _output_keys(step: StepDef | None) -> set[str] | None:
    """The output keys of ``step``, or None when they are not all known."""
    if step is None or any(o.is_dynamic or o.placeholders for o in step.outputs):
        return None
    return {o.key for o in step.outputs}


def _model(call: HelperCall) -> str:
    if call.has("model_name", "model_version"):
        return _exact(call.replacement("model_name", "model_version"))
    if call.has("model_name") or call.has("model_version"):
        return (
            "given only one of `model_name` and `model_version` it always raises "
            "`ValueError`; pass both to `log_metadata`, or neither with `infer_model=True`"
        )
    return _exact(call.replacement(extra="infer_model=True"))


def _step(call: HelperCall) -> str:
    if not call.has("step_name"):
        ignored = [p for p in ("pipeline_name_id_or_prefix", "run_id") if call.has(p)]
        note = f" (`{'`, `'.join(ignored)}` is ignored without `step_name`)" if ignored else ""
        return f"inside a step, {_exact(call.replacement())}{note}"
    step_name = call.args["step_name"]
    if call.has("run_id"):
        run_id = call.args["run_id"]
        meant = call.replacement("step_name", extra=f"run_id_name_or_prefix={run_id}")
        exact = call.replacement(extra=f"step_id=UUID(int=int({run_id}))")
        return (
            "this call ignores `step_name` and reads `run_id` as the integer form of a step "
            "run's UUID, so a run's id or name raises `ValueError`; "
            f"{meant} logs to that step of that run ({exact} would be the exact equivalent)"
        )
    if call.has("pipeline_name_id_or_prefix"):
        pipeline = call.args["pipeline_name_id_or_prefix"]
        lookup = f"step_id=Client().get_pipeline({pipeline}).last_run.steps[{step_name}].id"
        return (
            "no single `log_metadata` keyword does the same lookup of the pipeline's last "
            f"run, but {_exact(call.replacement(extra=lookup))}"
        )
    return (
        "with `step_name` but neither `run_id` nor `pipeline_name_id_or_prefix` it always "
        "raises `ValueError`, even inside a step; inside a step, use "
        f"{call.replacement()}"
    )


# -- the fix ------------------------------------------------------------------------------

NEW = "log_metadata"
_EMPTY = cst.Module([])


@dataclass(frozen=True)
class _Rewrite:
    """The parameters a ``log_metadata`` call keeps, and the flag it adds."""

    keep: tuple[str, ...]
    flag: str | None = None


def _rewrite(helper: str, call: HelperCall) -> _Rewrite | None:
    """The exact ``log_metadata`` form of ``call``, where zlint can tell it is exact."""
    keys = _output_keys(call.step)
    if helper == ARTIFACT:
        if call.has("artifact_name"):
            exact = not call.has("artifact_version") and keys is not None
            if exact and call.artifact_name in (keys or ()):
                return _Rewrite(("metadata", "artifact_name"), "infer_artifact")
            return None  # a version too, an unknown step, or a name that is no output
        return _Rewrite(("metadata",), "infer_artifact") if keys and len(keys) == 1 else None
    if helper == MODEL:
        if call.has("model_name", "model_version"):
            return _Rewrite(("metadata", "model_name", "model_version"))
        if call.has("model_name") or call.has("model_version"):
            return None  # always raises
        return _Rewrite(("metadata",), "infer_model") if call.step is not None else None
    if call.has("step_name") or call.step is None:
        return None
    return _Rewrite(("metadata",))


class _Fixer:
    """Builds the fixes of one module's deprecated calls."""

    def __init__(self, ctx: RuleContext, module: ModuleInfo, names: ScopedNames) -> None:
        self.ctx = ctx
        self.module = module
        self.names = names
        self._scopes: Mapping[cst.CSTNode, Scope | None] | None = None

    def fix(self, site: CallSite, helper: str, call: HelperCall) -> Fix | NoFix | None:
        rewrite = _rewrite(helper, call)
        args = _bind_args(site.call, SIGNATURES[helper])
        if rewrite is None or args is None:
            return None
        lacking = _lacking(self.ctx.target, rewrite)
        if lacking is not None:
            return lacking
        kept = [_as_keyword(arg, name) for name, arg in args.items() if name in rewrite.keep]
        dropped = [arg for name, arg in args.items() if name not in rewrite.keep]
        if any(not _droppable(arg) for arg in dropped):
            return None  # dropping it would skip a call, or lose a comment
        if rewrite.flag is not None:
            kept.append(keyword_arg_like(site.call, rewrite.flag, cst.Name("True")))
        func = self._new_func(site)
        if func is None:
            return None
        new = site.call.with_changes(func=func, args=laid_out(site.call, kept))
        imports = (ImportEdit(self.module.path, "zenml", NEW),)
        return Fix(
            Applicability.SAFE,
            f"Replace `{helper}` with `{NEW}`",
            (NodeReplacement(self.module.path, site.call, new),),
            imports if isinstance(func, cst.Name) else (),
        )

    def _new_func(self, site: CallSite) -> cst.BaseExpression | None:
        """``zn.log_metadata`` through the same ``zenml`` module alias, else the name
        ``log_metadata`` where it is free (or already ZenML's)."""
        func = site.call.func
        if isinstance(func, cst.Attribute) and self.names.qualname(func.value, site) == "zenml":
            return func.with_changes(attr=func.attr.with_changes(value=NEW))
        if not self._name_is_free(func):
            return None
        return func.with_changes(value=NEW) if isinstance(func, cst.Name) else cst.Name(NEW)

    def _name_is_free(self, func: cst.BaseExpression) -> bool:
        """Whether ``log_metadata`` at the call means ZenML's, or nothing yet."""
        if isinstance(func, cst.Attribute):
            head: cst.BaseExpression = func
            while isinstance(head, cst.Attribute):
                head = head.value
            func = head
        scope = self.scopes().get(func)
        if scope is None:
            return False
        assignments = scope[NEW]
        if any(not isinstance(a.scope, GlobalScope) for a in assignments):
            return False  # a local name: zlint does not follow it
        bound = self.ctx.project.resolve_name(self.module, NEW)
        return bound is None or qualname_of(bound) in zenml_api.LOG_METADATA

    def scopes(self) -> Mapping[cst.CSTNode, Scope | None]:
        if self._scopes is None:
            assert self.module.tree is not None
            wrapper = MetadataWrapper(self.module.tree, unsafe_skip_copy=True)
            self._scopes = wrapper.resolve(ScopeProvider)
        return self._scopes


def _lacking(target: Target, rewrite: _Rewrite) -> NoFix | None:
    """Why the rewrite would fail on a release the project admits: ``log_metadata`` is
    first in 0.70.0, its ``infer_artifact=``/``infer_model=`` in 0.71.0."""
    if not target.all(releases.LOG_METADATA):
        return NoFix(msg.missing(target, releases.LOG_METADATA, "`log_metadata`"))
    if rewrite.flag is not None and not target.all(releases.INFER_ARTIFACT):
        what = f"`log_metadata({rewrite.flag}=...)`"
        return NoFix(msg.missing(target, releases.INFER_ARTIFACT, what))
    return None


def _as_keyword(arg: cst.Arg, name: str) -> cst.Arg:
    if arg.keyword is not None:
        return arg
    return arg.with_changes(
        keyword=cst.Name(name),
        equal=cst.AssignEqual(
            whitespace_before=cst.SimpleWhitespace(""), whitespace_after=cst.SimpleWhitespace("")
        ),
    )


def _droppable(arg: cst.Arg) -> bool:
    """An argument whose value has no side effect and that carries no comment."""
    value: cst.BaseExpression = arg.value
    while isinstance(value, cst.Attribute):
        value = value.value
    pure = isinstance(value, (cst.Name, cst.SimpleString, cst.Integer, cst.Float))
    return pure and "#" not in _EMPTY.code_for_node(arg)
