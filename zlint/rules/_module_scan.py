"""For rules that scan reported modules themselves instead of pipeline analyses: the
modules worth scanning, and the steps a module defines in every form ZenML accepts."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING

import libcst as cst

from zlint.fastpath.prefilter import alias_pattern
from zlint.model import cst_utils
from zlint.model.definitions import StepDef
from zlint.model.modules import Assignment, ModuleInfo
from zlint.model.scoped_names import CallSite, calls_in
from zlint.model.symbols import ClassSym, FunctionSym

if TYPE_CHECKING:
    from zlint.rules.base import RuleContext


def hinted_modules(ctx: RuleContext, hints: tuple[str, ...]) -> list[ModuleInfo]:
    """The reported modules whose text holds one of ``hints``. ``ctx.modules`` holds every
    module some selected rule wanted, and walking a whole module is not cheap."""
    return [m for m in ctx.modules if ctx.run.wants(m, hints)]


def calls_of(module: ModuleInfo, names: tuple[str, ...]) -> list[CallSite]:
    """The calls in ``module`` that may be of one of ``names`` by their spelling: the callee
    ends in one of them (``x.list_artifact_versions(...)``), or is any plain name when the
    module binds an alias of one (``lav = client.list_artifact_versions``). Resolving a call
    means a scope analysis of its function: the others are skipped before it."""
    aliased = any(alias_pattern(name).search(module.text) for name in names)
    found = []
    for site in calls_in(module):
        func = site.call.func
        if (isinstance(func, cst.Attribute) and func.attr.value in names) or (
            isinstance(func, cst.Name) and (func.value in names or aliased)
        ):
            found.append(site)
    return found


def decorated_steps(ctx: RuleContext, module: ModuleInfo) -> list[StepDef]:
    """``@step`` functions and ``BaseStep`` subclasses (their ``entrypoint``) in ``module``."""
    found = list(ctx.definitions.steps_in(module))
    for cls in classes_in(module):
        class_step = ctx.definitions.step_from_class(cls)
        if class_step is not None:
            found.append(class_step)
    return found


def wrapped_functions(
    ctx: RuleContext, module: ModuleInfo
) -> Iterator[tuple[cst.Call, FunctionSym]]:
    """Module-level ``x = step(fn)``, ``x = step(name=...)(fn)`` and ``x = my_step(fn)`` (a
    decorator that wraps ``step``, keeping ``fn``'s signature), with the function."""
    for binding in module.bindings.values():
        call = binding.value if isinstance(binding, Assignment) else None
        if not isinstance(call, cst.Call):
            continue
        positional = cst_utils.positional(call)
        if len(positional) != 1 or any(arg.star for arg in call.args):
            continue
        maker = ctx.definitions.step_maker(module, call.func)
        if maker is None or maker.entrypoint is not None:
            continue
        sym = ctx.project.resolve_expr(module, positional[0].value)
        if isinstance(sym, FunctionSym):
            yield call, sym


def classes_in(module: ModuleInfo) -> Iterator[ClassSym]:
    """Every class ``module`` defines, nested ones included."""
    if module.tree is None:
        return
    stack: list[tuple[Sequence[cst.CSTNode], str]] = [(module.tree.body, module.qualname)]
    while stack:
        statements, prefix = stack.pop()
        for stmt in statements:
            if isinstance(stmt, (cst.ClassDef, cst.FunctionDef)):
                qualname = f"{prefix}.{stmt.name.value}" if prefix else stmt.name.value
                if isinstance(stmt, cst.ClassDef):
                    yield ClassSym(module, stmt, qualname)
                if isinstance(stmt.body, cst.IndentedBlock):
                    stack.append((stmt.body.body, qualname))
            else:
                stack.extend((block, prefix) for block in cst_utils.child_blocks(stmt))


def checked_steps(ctx: RuleContext) -> list[StepDef]:
    """Function steps, ``BaseStep`` subclasses and ``step(fn)`` steps the reported
    pipelines call, defined in a reported module; each function once."""
    reported = {module.path for module in ctx.modules}
    candidates: list[StepDef] = []
    for module in ctx.modules:
        candidates.extend(ctx.definitions.steps_in(module))
        for cls in _classes(module):
            class_step = ctx.definitions.step_from_class(cls)
            if class_step is not None:
                candidates.append(class_step)
    candidates.extend(inv.step for analysis in ctx.analyses for inv in analysis.invocations)
    seen: set[int] = set()
    found: list[StepDef] = []
    for step in candidates:
        if step.module.path in reported and id(step.function) not in seen:
            seen.add(id(step.function))
            found.append(step)
    return found


def _classes(module: ModuleInfo) -> Iterator[ClassSym]:
    if module.tree is None:
        return
    stack: list[tuple[Sequence[cst.CSTNode], str]] = [(module.tree.body, module.qualname)]
    while stack:
        statements, prefix = stack.pop()
        for stmt in statements:
            if isinstance(stmt, cst.ClassDef):
                qualname = f"{prefix}.{stmt.name.value}" if prefix else stmt.name.value
                yield ClassSym(module, stmt, qualname)
                if isinstance(stmt.body, cst.IndentedBlock):
                    stack.append((stmt.body.body, qualname))
            elif not isinstance(stmt, cst.FunctionDef):
                stack.extend((block, prefix) for block in cst_utils.child_blocks(stmt))
