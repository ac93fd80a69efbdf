from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING

import libcst as cst

from zlint.fastpath.prefilter import IMPORTS_A_FACTORY, ZENML_SYNTAX
from zlint.fixes.factory_repair import FactoryCall, is_call_of, repair
from zlint.model.factories import Factory, GeneratedStep, is_globals_subscript
from zlint.model.fast_visit import fast_visit
from zlint.model.modules import ImportFrom, ImportModule, ModuleInfo
from zlint.model.symbols import FunctionSym, ModuleSym
from zlint.rules.base import Rule
from zlint.types import Applicability, Fix

if TYPE_CHECKING:
    from zlint.rules.base import RuleContext

_LOADABLE_FORM = (
    "give each generated entrypoint a unique `__name__`, bind it with "
    "`globals()[name] = step(fn)`, and call the factory at the top level of the module "
    "that defines it"
)


class UnloadableStepFactory(Rule):
    """## What it does
    Finds steps created inside a function that ZenML cannot load when a pipeline runs
    them: a step a function returns, yields, stores beyond the call or passes on (a step
    factory); a step that a pipeline defined in the same function runs; a step a function
    calls while that function runs in a pipeline; and every step of a decorator that hands
    `step` an inner wrapper without `functools.wraps`. Also finds calls of a factory from a
    place that only works by accident: inside a pipeline body, or at the top level of
    another module.

    A step a function makes and only inspects (a test asserting its name or its
    configuration, or calling its entrypoint) fails nothing and is not reported; nor are the
    steps of a decorator that wraps `step` with `functools.wraps` (or hands it the decorated
    function itself), which ZenML loads from the decorated function's module.

    ## Why is this bad?
    ZenML does not run the step object you created. For every step run it imports the
    module the entrypoint function was defined in and reads the attribute named after the
    function's `__name__`. A function defined inside another function is not an attribute
    of its module, so every run of the step fails with `AttributeError: module ... has no
    attribute ...`, on the local orchestrator too, and nothing warns at compile time
    (`@step(name=...)` does not change this). If a module-level name happens to match,
    every call silently runs that one step instead of its own.

    A decorator that wraps `step` takes the wrapper's identity when the wrapper lacks
    `functools.wraps(fn)`: every step it makes is named after the wrapper (`wrapper`) and
    ZenML loads it from the decorator's module, which holds no such attribute. With
    `wraps`, the wrapper carries the decorated function's `__module__` and `__name__` and
    the step loads wherever that function is defined.

    A factory works only when all three hold: each generated entrypoint gets a unique
    `__name__`; it is bound under that name in the globals of the module that defines the
    function (`globals()[name] = step(fn)`); and this happens at import time, because the
    factory is called at the top level of that same module. A factory called inside a
    pipeline body, or from another module, fills `globals()` only in the process that
    compiled the pipeline: a remote orchestrator, a container or a step operator imports the
    module afresh and fails.

    ## Example
    ```python
    from typing import Annotated

    from zenml import pipeline, step


    def make_scaler(factor: float):
        @step
        def scale(values: list) -> Annotated[list, "scaled"]:
            return [v * factor for v in values]

        return scale


    @pipeline
    def scaling():
        make_scaler(2.0)([1, 2])
    ```

    ## Use instead
    ```python
    from typing import Annotated

    from zenml import pipeline, step


    def make_scaler(label: str, factor: float) -> None:
        def scale(values: list) -> Annotated[list, "scaled"]:
            return [v * factor for v in values]

        scale.__name__ = scale.__qualname__ = f"scale_{label}"
        globals()[scale.__name__] = step(scale)


    make_scaler("double", 2.0)
    make_scaler("triple", 3.0)


    @pipeline
    def scaling():
        scale_double([1, 2])  # noqa: F821 - bound by make_scaler at import time
    ```

    ## ZenML versions
    Every release: up to 0.65 the `AttributeError` comes out of the pipeline call, from 0.70
    on the step fails. The loadable form the fix writes works on every release.

    ## Fix safety
    The fix is unsafe: it renames the steps (their invocation ids change) and moves where
    they are created. It is offered only for a simple factory: defined at the top level of
    its module, its body one inner `@step` function followed by `return` of it, and every
    call found of it (in a pipeline body, or at the top level of another module) passing
    literal arguments whose first one, a short word, differs between calls. The inner
    function loses its decorator; the factory gives it the unique `__name__`
    `<function>_<first argument>`, binds it with `globals()[name] = step(fn)` and returns it;
    the defining module creates every needed step at its top level
    (`split_step_train = create_split_step("train")`), and each call is replaced by that
    step, imported from the defining module. Factories with other shapes, calls through a
    helper, or calls with computed arguments get no fix.
    """

    code = "ZL004"
    fix = Applicability.UNSAFE
    name = "unloadable-step-factory"
    summary = "Step created in a factory cannot be loaded when it runs"
    hints = (ZENML_SYNTAX, IMPORTS_A_FACTORY)

    def check(self, ctx: RuleContext) -> None:
        # The text tests are necessary conditions: they spare resolving every module's names.
        definitions = [
            factory
            for module in ctx.modules
            if ctx.run.makes_steps_in_function_bodies(module)
            for function, _ in ctx.definitions.functions_in(module)
            if (factory := ctx.factories.factory(module, function)) is not None
        ]
        foreign = [
            found
            for module in ctx.modules
            if ctx.run.imports_a_factory(module)
            for found in _foreign_calls(ctx, module)
        ]
        fixes = _fixes(ctx, foreign)
        reached = {id(f.function) for a in ctx.analyses for _, f in a.factory_calls}
        for factory in definitions:
            self._check_definition(ctx, factory, fixes.get(id(factory.function)), reached)
        for module, call, factory in foreign:
            ctx.report(
                (module, call),
                (
                    f"Step factory `{factory.name}` from `{factory.module.qualname}` is called "
                    "here, in another module: the steps it makes are bound in "
                    f"`{factory.module.qualname}` only while this module is imported too, so a "
                    "remote orchestrator or step operator that imports that module alone fails "
                    f"to load them; call the factory at the top level of `{factory.module.qualname}`"
                ),
                fixes.get(id(factory.function)),
            )
        for analysis in ctx.analyses:
            for site, factory in analysis.factory_calls:
                ctx.report(
                    site,
                    (
                        f"Step factory `{factory.name}` is called inside pipeline "
                        f"`{analysis.pipeline.name}`: the steps it makes exist only in the process "
                        "that compiles the pipeline, so a remote orchestrator, container or step "
                        "operator fails to load them (AttributeError); call the factory at the top "
                        f"level of `{factory.module.qualname}` and use the steps it binds there"
                    ),
                    fixes.get(id(factory.function)),
                )

    def _check_definition(
        self, ctx: RuleContext, factory: Factory, fix: Fix | None, reached: set[int]
    ) -> None:
        missing = []
        if not factory.renames:
            missing.append("no unique `__name__`")
        called, registered_there = _import_time_use(factory)
        if not (factory.registers or registered_there):
            missing.append("no `globals()[name] = ...` binding")
        if not called:
            missing.append("the factory is not called at the top level of its own module")
        if not missing:
            return
        runs_in_pipeline = id(factory.function) in reached or _is_pipeline(ctx, factory)
        for generated in factory.steps:
            message = _definition_message(factory, generated, missing, runs_in_pipeline)
            if message is None:
                continue  # made and used inside the function only: no pipeline runs it
            node = generated.node
            target = node.name if isinstance(node, cst.FunctionDef) else node
            ctx.report((factory.module, target), message, fix)


def _definition_message(
    factory: Factory, generated: GeneratedStep, missing: list[str], runs_in_pipeline: bool
) -> str | None:
    """Why the step ``generated`` fails, or None when no pipeline can run it."""
    name, module = generated.function_name, factory.module.qualname
    source = f"`{module}.{name}`"
    parameter = generated.wraps_without_identity
    if parameter is not None:
        return (
            f"Decorator `{factory.name}` hands `step` its inner function `{name}` without "
            f"`functools.wraps({parameter})`: every step it makes is named `{name}` and ZenML "
            f"loads it as {source}, which the module does not hold, so each run fails with "
            "AttributeError (a `*args`/`**kwargs` signature is refused on import already); "
            f"decorate `{name}` with `@functools.wraps({parameter})`"
        )
    fate = generated.fate
    if fate.escapes:
        return (
            f"Step `{name}` is created inside factory `{factory.name}` "
            f"({'; '.join(missing)}): ZenML loads a step by importing {source}, so its runs "
            f"fail with AttributeError or run another step's code; {_LOADABLE_FORM}"
        )
    if fate.pipeline is not None:
        where = f"run by pipeline `{fate.pipeline}`, defined there too"
    elif fate.called and runs_in_pipeline:
        where = "called there, and that function runs in a pipeline"
    else:
        return None
    return (
        f"Step `{name}` is created inside function `{factory.name}` and {where}: ZenML loads "
        f"a step by importing {source}, which the module does not hold, so the run fails "
        f"with AttributeError even on the local orchestrator; define the step at the top "
        f"level of `{module}`"
    )


def _is_pipeline(ctx: RuleContext, factory: Factory) -> bool:
    function = factory.function
    found = ctx.definitions.pipeline_from_function(factory.module, function, factory.name)
    return found is not None


def _foreign_calls(
    ctx: RuleContext, module: ModuleInfo
) -> list[tuple[ModuleInfo, cst.Call, Factory]]:
    """Calls at the top level of ``module`` of a factory defined in another module."""
    if module.tree is None or not _imports_a_factory(ctx, module):
        return []
    found = []
    for call in _import_time_calls(module.tree):
        sym = ctx.project.resolve_expr(module, call.func)
        if not isinstance(sym, FunctionSym) or sym.module is module:
            continue
        factory = ctx.factories.factory(sym.module, sym.node)
        if factory is not None and factory.escapes:
            found.append((module, call, factory))
    return found


def _fixes(
    ctx: RuleContext, foreign: list[tuple[ModuleInfo, cst.Call, Factory]]
) -> dict[int, Fix | None]:
    """One fix per factory (by id of its def) for the calls zlint can replace: calls in a
    pipeline body and at the top level of other modules; None when it is not simple."""
    calls: dict[int, list[FactoryCall]] = defaultdict(list)
    factories: dict[int, Factory] = {}
    broken: set[int] = set()
    found: list[tuple[ModuleInfo, cst.CSTNode, Factory]] = [(m, c, f) for m, c, f in foreign]
    found += [(site.module, site.node, f) for a in ctx.analyses for site, f in a.factory_calls]
    for module, node, factory in found:
        key = id(factory.function)
        factories[key] = factory
        if not isinstance(node, cst.Call) or not is_call_of(ctx, module, node, factory):
            broken.add(key)  # reached through a helper: that call site cannot be replaced
        elif not any(c.call is node for c in calls[key]):
            calls[key].append(FactoryCall(module, node))
    fixes: dict[int, Fix | None] = {}
    for key, factory in factories.items():
        if key not in broken:
            try:
                fixes[key] = repair(ctx, factory, calls[key])
            except Exception:  # a fix-builder bug must not hide the findings
                fixes[key] = None
    return fixes


def _imports_a_factory(ctx: RuleContext, module: ModuleInfo) -> bool:
    """Cheap gate before walking every call of the module: does it import any factory (or
    a module, whose attributes might be one)?"""
    for name, binding in module.bindings.items():
        if not isinstance(binding, (ImportModule, ImportFrom)):
            continue
        sym = ctx.project.resolve_name(module, name)
        if isinstance(sym, ModuleSym):
            return True  # a project module: `lib.make_steps(...)` may call a factory
        if isinstance(sym, FunctionSym) and ctx.factories.factory(sym.module, sym.node):
            return True
    return False


def _import_time_use(factory: Factory) -> tuple[bool, bool]:
    """Whether the defining module calls the factory at import time, and whether it binds
    a result there with ``globals()[name] = factory(...)``."""
    tree = factory.module.tree
    if tree is None:
        return False, False
    calls = [
        call
        for call in _import_time_calls(tree)
        if isinstance(call.func, cst.Name) and call.func.value == factory.name
    ]
    registered = any(
        is_globals_subscript(target.target) and any(_contains(stmt.value, c) for c in calls)
        for stmt in _import_time_assignments(tree)
        for target in stmt.targets
    )
    return bool(calls), registered


def _contains(tree: cst.CSTNode, node: cst.CSTNode) -> bool:
    return tree is node or any(_contains(child, node) for child in tree.children)


def _import_time_assignments(tree: cst.Module) -> list[cst.Assign]:
    class Collector(cst.CSTVisitor):
        def __init__(self) -> None:
            self.found: list[cst.Assign] = []

        def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
            return False

        def visit_ClassDef(self, node: cst.ClassDef) -> bool:
            return False

        def visit_Assign(self, node: cst.Assign) -> None:
            self.found.append(node)

    collector = Collector()
    fast_visit(tree, collector)
    return collector.found


def _import_time_calls(tree: cst.Module) -> list[cst.Call]:
    """Calls that run when the module is imported: its top-level statements, loops and
    comprehensions included, but not function or class bodies."""

    class Collector(cst.CSTVisitor):
        def __init__(self) -> None:
            self.calls: list[cst.Call] = []

        def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
            return False

        def visit_ClassDef(self, node: cst.ClassDef) -> bool:
            return False

        def visit_Lambda(self, node: cst.Lambda) -> bool:
            return False

        def visit_Call(self, node: cst.Call) -> None:
            self.calls.append(node)

    collector = Collector()
    fast_visit(tree, collector)
    return collector.calls
