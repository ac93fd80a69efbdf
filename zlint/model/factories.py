"""Step factories: functions that create ``@step``s when called.

ZenML reloads a step by importing ``entrypoint.__module__`` and reading the attribute named
``entrypoint.__name__`` (never ``__qualname__``), on every orchestrator. A step made inside a
function is loadable only when its entrypoint gets a unique ``__name__``, is bound under that
name in its own module's globals, and that happens at import time (the factory runs at the
top level of the module that defines it).
"""

from __future__ import annotations

from dataclasses import dataclass

import libcst as cst

from zlint.model import cst_utils
from zlint.model.definitions import Definitions
from zlint.model.fast_visit import fast_visit
from zlint.model.modules import ModuleInfo


@dataclass(frozen=True)
class GeneratedStep:
    """One step a factory makes: where (the inner ``def`` or the ``step(fn)`` call)."""

    node: cst.CSTNode
    function_name: str


@dataclass(frozen=True)
class Factory:
    module: ModuleInfo
    function: cst.FunctionDef
    steps: tuple[GeneratedStep, ...]
    #: ``fn.__name__ = ...`` gives each generated entrypoint its own name.
    renames: bool
    #: ``globals()[name] = ...`` (or ``setattr(sys.modules[__name__], ...)``) binds it.
    registers: bool

    @property
    def name(self) -> str:
        return self.function.name.value


class Factories:
    def __init__(self, definitions: Definitions) -> None:
        self.defs = definitions
        self._cache: dict[int, Factory | None] = {}

    def factory(self, module: ModuleInfo, function: cst.FunctionDef) -> Factory | None:
        """The factory ``function`` is, or None when it creates no step."""
        key = id(function)
        if key not in self._cache:
            self._cache[key] = self._build(module, function)
        return self._cache[key]

    def _build(self, module: ModuleInfo, function: cst.FunctionDef) -> Factory | None:
        if not _defines_function(function.body):
            return None  # every factory defines the function it turns into a step
        if self.defs.step_from_function(module, function, function.name.value) is not None:
            return None  # a step itself, not a function that makes steps
        finder = _FactoryBody(self.defs, module)
        fast_visit(function.body, finder)
        if not finder.steps:
            return None
        return Factory(module, function, tuple(finder.steps), finder.renames, finder.registers)


def _defines_function(body: cst.BaseSuite) -> bool:
    """Whether a ``def`` stands among the statements of ``body`` (cheap: no expressions)."""
    if not isinstance(body, cst.IndentedBlock):
        return False
    stack: list[cst.CSTNode] = list(body.body)
    while stack:
        stmt = stack.pop()
        if isinstance(stmt, cst.FunctionDef):
            return True
        for block in cst_utils.child_blocks(stmt):
            stack.extend(block)
    return False


class _FactoryBody(cst.CSTVisitor):
    def __init__(self, defs: Definitions, module: ModuleInfo) -> None:
        self.defs = defs
        self.module = module
        self.steps: list[GeneratedStep] = []
        self.renames = False
        self.registers = False

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        for decorator in node.decorators:
            kind = self.defs.decorator_kind(self.module, decorator.decorator)
            if kind is not None and kind[0] == "step":
                self.steps.append(GeneratedStep(node, node.name.value))
        return False  # a nested function's own body is another scope

    def visit_Call(self, node: cst.Call) -> None:
        kind = self.defs.decorator_kind(self.module, node.func)
        positional = cst_utils.positional(node)
        if kind is not None and kind[0] == "step" and len(positional) == 1:
            wrapped = cst_utils.dotted_name(positional[0].value) or "<function>"
            self.steps.append(GeneratedStep(node, wrapped))
        if is_module_registration(node):
            self.registers = True

    def visit_AssignTarget(self, node: cst.AssignTarget) -> None:
        target = node.target
        if isinstance(target, cst.Attribute) and target.attr.value in ("__name__", "__qualname__"):
            self.renames = True
        if is_globals_subscript(target):
            self.registers = True


def is_globals_subscript(target: cst.BaseExpression) -> bool:
    """``globals()[name]`` (or ``vars()[name]`` at module level)."""
    return (
        isinstance(target, cst.Subscript)
        and isinstance(target.value, cst.Call)
        and isinstance(target.value.func, cst.Name)
        and target.value.func.value in ("globals", "vars")
    )


def is_module_registration(call: cst.Call) -> bool:
    """``setattr(sys.modules[__name__], name, value)``."""
    if not cst_utils.is_name(call.func, "setattr") or not call.args:
        return False
    first = call.args[0].value
    return isinstance(first, cst.Subscript) and cst_utils.dotted_name(first.value) == "sys.modules"
