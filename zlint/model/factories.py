"""Step factories: functions that create ``@step``s when called.

ZenML reloads a step by importing ``entrypoint.__module__`` and reading the attribute named
``entrypoint.__name__`` (never ``__qualname__``), on every orchestrator. A step made inside a
function is loadable only when its entrypoint gets a unique ``__name__``, is bound under that
name in its own module's globals, and that happens at import time (the factory runs at the
top level of the module that defines it).

Not factories: a decorator that makes a step of the function it receives, or of a wrapper
that keeps that function's identity with ``functools.wraps`` (the step is then the decorated
function, see :mod:`zlint.model.wrappers`); and a function whose steps no pipeline can ever
run (see :mod:`zlint.model.step_fate`). A decorator whose wrapper lacks ``wraps`` is one:
each step it makes is the wrapper, which its module does not hold.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

import libcst as cst

from zlint.model import cst_utils
from zlint.model.definitions import Definitions
from zlint.model.fast_visit import fast_visit
from zlint.model.function_body import called_names, local_defs
from zlint.model.modules import ModuleInfo
from zlint.model.step_fate import Fate, fate
from zlint.model.symbols import FunctionSym
from zlint.model.wrappers import entrypoint_identity


@dataclass(frozen=True)
class GeneratedStep:
    """One step a factory makes: where (the inner ``def`` or the ``step(fn)`` call)."""

    node: cst.FunctionDef | cst.Call
    function_name: str
    #: Where it may run (filled in once the factory's body is known).
    fate: Fate = field(default_factory=Fate)
    #: For a decorator's inner wrapper handed to ``step`` without ``functools.wraps``: the
    #: decorator's parameter it wraps (the decorated function).
    wraps_without_identity: str | None = None


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

    @property
    def escapes(self) -> bool:
        """Whether a step it makes may outlive the call (returned, stored, passed on)."""
        return any(s.fate.escapes or s.wraps_without_identity for s in self.steps)


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
        finder = _FactoryBody(self.defs, module, function)
        fast_visit(function.body, finder)
        steps = [self._with_fate(module, function, s) for s in finder.steps]
        live = tuple(s for s in steps if s.fate.live or s.wraps_without_identity)
        if not live:
            return None  # no pipeline can run what it makes
        return Factory(module, function, live, finder.renames, finder.registers)

    def _with_fate(
        self, module: ModuleInfo, function: cst.FunctionDef, generated: GeneratedStep
    ) -> GeneratedStep:
        def is_pipeline(node: cst.FunctionDef) -> bool:
            return self.defs.pipeline_from_function(module, node, node.name.value) is not None

        found = fate(self.defs.project, module, function, generated.node, is_pipeline)
        return dataclasses.replace(generated, fate=found)


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
    def __init__(self, defs: Definitions, module: ModuleInfo, function: cst.FunctionDef) -> None:
        self.defs = defs
        self.module = module
        self.function = function
        params = function.params
        self.params = frozenset(p.name.value for p in (*params.posonly_params, *params.params))
        self.steps: list[GeneratedStep] = []
        self.renames = False
        self.registers = False

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        for decorator in node.decorators:
            maker = self.defs.step_maker(self.module, decorator.decorator)
            # A decorator whose wrapper lacks `wraps` makes a step of that wrapper: the
            # decorator's own finding says so, not every function it decorates.
            if maker is not None and maker.entrypoint is None:
                self.steps.append(GeneratedStep(node, node.name.value))
                break
        return False  # a nested function's own body is another scope

    def visit_Call(self, node: cst.Call) -> None:
        positional = cst_utils.positional(node)
        single = len(positional) == 1 and not any(arg.star for arg in node.args)
        if single and self.defs.step_maker(self.module, node.func) is not None:
            self._made(node, positional[0].value)
        if is_module_registration(node):
            self.registers = True

    def _made(self, call: cst.Call, arg: cst.BaseExpression) -> None:
        """``step(arg)``: a step of this factory's own, unless ``arg`` is the function the
        factory receives, a wrapper that keeps its identity (a decorator), or a function
        defined at the top level of a module."""
        project = self.defs.project
        identity = entrypoint_identity(project, self.module, self.function, arg, self.params)
        if identity is not None and identity.wraps:
            return  # the step is the decorated function: loadable where that is defined
        if identity is None and self._top_level_function(arg):
            return  # loadable from its module like any `@step` function there
        wrapped = cst_utils.dotted_name(arg) or "<function>"
        wrapper = identity.wrapper if identity is not None else None
        lacking = next(iter(called_names(wrapper, self.params)), None) if wrapper else None
        self.steps.append(GeneratedStep(call, wrapped, wraps_without_identity=lacking))

    def _top_level_function(self, arg: cst.BaseExpression) -> bool:
        if not isinstance(arg, (cst.Name, cst.Attribute)):
            return False
        if isinstance(arg, cst.Name) and arg.value in local_defs(self.function):
            return False
        sym = self.defs.project.resolve_expr(self.module, arg)
        return isinstance(sym, FunctionSym) and "." not in sym.qualname.removeprefix(
            f"{sym.module.qualname}."
        )

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
