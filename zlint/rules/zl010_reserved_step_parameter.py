from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import libcst as cst

from zlint.fastpath.prefilter import ZENML_SYNTAX
from zlint.model.definitions import StepDef
from zlint.model.modules import ModuleInfo
from zlint.rules import _module_scan
from zlint.rules.base import Rule

if TYPE_CHECKING:
    from zlint.rules.base import RuleContext

#: Parameter names ZenML keeps for itself in step calls, with what each one means there.
RESERVED = {
    "id": "the invocation id of a call (`id=`)",
    "after": "the steps a call waits for (`after=`)",
}


class ReservedStepParameter(Rule):
    """## What it does
    Finds a step whose function has a parameter named `id` or `after`: a `@step`
    function, a function wrapped with `step(fn)` at module level, or the `entrypoint` of a
    `BaseStep` subclass.

    ## Why is this bad?
    ZenML reserves both names for the step call itself (`train(rows, id="train_model",
    after=[...])`) and refuses a step that declares either one:
    `RuntimeError: Reserved argument name 'id'.` For a `@step` function the decorator
    raises, so importing the module fails and no pipeline in it can run. A `BaseStep`
    subclass can be defined, but creating the step object (`Train()`) raises.

    ## Example
    ```python
    from zenml import step


    @step
    def load_rows(id: str) -> list:
        return [id]
    ```

    ## Use instead
    ```python
    from zenml import step


    @step
    def load_rows(row_id: str) -> list:
        return [row_id]
    ```

    ## ZenML versions
    Every release from 0.43.0 refuses both names.

    ## Fix safety
    No automatic fix yet. A rename would have to reach the parameter's uses in the body,
    `with_options(parameters=...)` and configuration files, and a call's `id=` or `after=`
    already means ZenML's own argument, not the parameter; such a fix will be unsafe.
    """

    code = "ZL010"
    name = "reserved-step-parameter"
    summary = "A step parameter named `id` or `after`, which ZenML refuses"
    hints = (ZENML_SYNTAX,)

    def check(self, ctx: RuleContext) -> None:
        reported: set[int] = set()
        for module in _module_scan.hinted_modules(ctx, self.hints):
            for target, param, message in self.findings(ctx, module):
                if id(param) not in reported:
                    reported.add(id(param))
                    ctx.report((target, param), message)

    def findings(
        self, ctx: RuleContext, module: ModuleInfo
    ) -> Iterator[tuple[ModuleInfo, cst.Param, str]]:
        for step in _module_scan.decorated_steps(ctx, module):
            for param in reserved_params(step.function, skip_self=step.class_node is not None):
                yield module, param, _message(step, param)
        for call, function in _module_scan.wrapped_functions(ctx, module):
            line = ctx.span(module, call).start.line
            for param in reserved_params(function.node, skip_self=False):
                when = f"`step(...)` wraps this function (line {line})"
                yield function.module, param, _text(param, _label(function.node), when)


def reserved_params(function: cst.FunctionDef, skip_self: bool) -> list[cst.Param]:
    """The parameters of ``function`` that ZenML reserves, ``*args``/``**kwargs`` included
    (ZenML checks every name in the signature)."""
    params = function.params
    every = [*params.posonly_params, *params.params]
    if skip_self and every:
        every = every[1:]
    every.extend(params.kwonly_params)
    for star in (params.star_arg, params.star_kwarg):
        if isinstance(star, cst.Param):
            every.append(star)
    return [p for p in every if p.name.value in RESERVED]


def _message(step: StepDef, param: cst.Param) -> str:
    if step.class_node is not None:
        cls = step.class_node.name.value
        return _text(param, f"Step class `{cls}`", f"the step object is created (`{cls}()`)")
    return _text(param, _label(step.function), "the `@step` decorator runs on import")


def _label(function: cst.FunctionDef) -> str:
    return f"Step `{function.name.value}`"


def _text(param: cst.Param, label: str, when: str) -> str:
    name = param.name.value
    return (
        f"{label} has a parameter named `{name}`, which ZenML reserves for "
        f"{RESERVED[name]}: ZenML raises `RuntimeError: Reserved argument name '{name}'.` "
        f"when {when}; rename the parameter"
    )
