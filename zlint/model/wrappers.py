"""Decorators that make ZenML steps: ZenML's ``step`` and the user decorators that wrap it.

ZenML makes a step of whatever function ``step`` receives. The step's source is that
function's ``__module__`` and ``__name__``, its parameters and outputs come from
``inspect.signature`` (which follows ``__wrapped__``) and its source text. A user decorator
that hands ``step`` the decorated function itself, or an inner wrapper decorated with
``functools.wraps(fn)``, therefore makes a step that ZenML sees as the decorated function:
named after it, loaded from its module, with its parameters and outputs. A wrapper without
``wraps`` keeps its own identity: the step is named after the wrapper and ZenML loads it
from the decorator's module, which has no such attribute (VERIFIED with ZenML 0.98).

The forms recognised, from their code and across modules, never from a decorator's name:

- ``def my_step(fn): ... return step(wrapper)`` (or ``zenml.step(...)``,
  ``step(enable_cache=False)(wrapper)``, another such decorator, ``step(fn)``);
- ``my_step = functools.partial(step, enable_cache=False)``;
- ``retrying = step(retry=...)``;
- decorator factories: ``def tracked(name): def deco(fn): ...; return deco`` (or
  ``return step(name=name)``) used as ``@tracked("x")``; the factory's arguments fill the
  options that name its parameters.

Options given to ``step(...)`` inside a decorator apply to every step it makes.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

import libcst as cst

from zlint.model import cst_utils, zenml_api
from zlint.model.function_body import (
    called_names,
    local_defs,
    local_values,
    own_calls,
    returned_values,
)
from zlint.model.modules import ModuleInfo
from zlint.model.project import Project
from zlint.model.symbols import FunctionSym, Symbol, ValueSym, qualname_of

_MAX_DEPTH = 12
#: An option whose value depends on an argument zlint cannot see (a decorator factory's
#: parameter with no argument): no constant, not ``True``, no dict.
UNKNOWN = cst.Ellipsis()

Options = dict[str, cst.BaseExpression]


@dataclass(frozen=True)
class Entrypoint:
    """The inner wrapper ZenML makes the step of when it lacks ``functools.wraps``."""

    module: ModuleInfo
    node: cst.FunctionDef


@dataclass(frozen=True)
class StepMaker:
    """What a decorator makes of the function it decorates: a ZenML step."""

    options: Options = field(default_factory=dict)
    #: ZenML's ``step`` or a ``functools.partial`` of it: keywords configure it further.
    configurable: bool = False
    #: The user decorator whose inner wrapper ZenML calls instead of the decorated function
    #: (its qualified name), None when ZenML calls the function itself.
    wrapped_by: str | None = None
    #: Set when that wrapper lacks ``functools.wraps``: the step is made of the wrapper.
    entrypoint: Entrypoint | None = None


class StepMakers:
    """Which decorator expressions make steps, each user decorator analysed once."""

    def __init__(self, project: Project, step_decorators: frozenset[str]) -> None:
        self.project = project
        self.step_decorators = step_decorators
        self._functions: dict[int, StepMaker | None] = {}
        self._factories: dict[int, StepMaker | None] = {}

    def of(self, module: ModuleInfo, expr: cst.BaseExpression, depth: int = 0) -> StepMaker | None:
        """The step maker ``expr`` (a decorator, written at the top level of ``module``) is."""
        if depth > _MAX_DEPTH:
            return None
        if isinstance(expr, cst.Call):
            return self._of_call(module, expr, depth)
        if not isinstance(expr, (cst.Name, cst.Attribute)):
            return None
        return self.of_symbol(self.project.resolve_expr(module, expr), depth)

    def of_symbol(self, sym: Symbol | None, depth: int = 0) -> StepMaker | None:
        if qualname_of(sym) in self.step_decorators:
            return StepMaker(configurable=True)
        if isinstance(sym, FunctionSym):
            return self.of_function(sym.module, sym.node, sym.qualname, depth + 1)
        if isinstance(sym, ValueSym) and isinstance(sym.node, cst.Call) and depth < _MAX_DEPTH:
            return self._of_call(sym.module, sym.node, depth + 1)
        return None

    def of_function(
        self, module: ModuleInfo, node: cst.FunctionDef, qualname: str, depth: int = 0
    ) -> StepMaker | None:
        """The step maker ``node`` is when it decorates: a user decorator that returns a
        step made of the function it receives (or of a wrapper that calls it)."""
        key = id(node)
        if key not in self._functions:
            self._functions[key] = None  # a decorator that applies itself ends here
            self._functions[key] = self._decorator(module, node, qualname, depth)
        return self._functions[key]

    def _of_call(self, module: ModuleInfo, call: cst.Call, depth: int) -> StepMaker | None:
        """``step(**options)``, ``functools.partial(step, ...)``, ``factory(arguments)``."""
        func = call.func
        sym = (
            self.project.resolve_expr(module, func)
            if isinstance(func, (cst.Name, cst.Attribute))
            else None
        )
        if qualname_of(sym) in zenml_api.FUNCTOOLS_PARTIAL:
            return self._partial(module, call, depth)
        base = self.of(module, func, depth + 1)
        if base is not None:
            if base.configurable and not cst_utils.positional(call):
                options = {**base.options, **_keywords(call)}
                return dataclasses.replace(base, options=options, configurable=False)
            return None  # `step(fn)` is a step, not a decorator
        if isinstance(sym, FunctionSym):
            return self._from_factory(sym, call, depth)
        return None

    def _partial(self, module: ModuleInfo, call: cst.Call, depth: int) -> StepMaker | None:
        positional = cst_utils.positional(call)
        if len(positional) != 1 or any(arg.star for arg in call.args):
            return None
        base = self.of(module, positional[0].value, depth + 1)
        if base is None or not base.configurable:
            return None
        return dataclasses.replace(base, options={**base.options, **_keywords(call)})

    def _decorator(
        self, module: ModuleInfo, node: cst.FunctionDef, qualname: str, depth: int
    ) -> StepMaker | None:
        params = _positional_params(node)
        if not params:
            return None
        for value in returned_values(node):
            made = self._made_in(module, node, value, params, depth)
            if made is not None:
                return _named(made, qualname)
        return None

    def _made_in(
        self,
        module: ModuleInfo,
        function: cst.FunctionDef,
        value: cst.BaseExpression,
        params: frozenset[str],
        depth: int,
    ) -> StepMaker | None:
        """The maker whose step ``value`` (returned by ``function``) is, made of one of
        ``params`` (the decorated function) or of a wrapper that calls it."""
        if isinstance(value, cst.Name):
            value = local_values(function).get(value.value, value)
        if not isinstance(value, cst.Call):
            return None
        positional = cst_utils.positional(value)
        if len(positional) != 1 or any(arg.star for arg in value.args):
            return None
        identity = entrypoint_identity(self.project, module, function, positional[0].value, params)
        inner = self.of(module, value.func, depth + 1) if identity is not None else None
        if identity is None or inner is None:
            return None
        made = dataclasses.replace(inner, configurable=False)
        if identity.wrapper is None:
            return made
        entrypoint = inner.entrypoint
        if entrypoint is None and not identity.wraps:
            entrypoint = Entrypoint(module, identity.wrapper)
        return dataclasses.replace(made, wrapped_by=made.wrapped_by or "", entrypoint=entrypoint)

    def _from_factory(self, sym: FunctionSym, call: cst.Call, depth: int) -> StepMaker | None:
        """``@tracked("x")``: the decorator ``tracked`` returns, its options filled in."""
        key = id(sym.node)
        if key not in self._factories:
            self._factories[key] = None
            self._factories[key] = self._factory_result(sym, depth)
        made = self._factories[key]
        if made is None:
            return None
        return dataclasses.replace(made, options=_filled(made.options, sym.node, call))

    def _factory_result(self, sym: FunctionSym, depth: int) -> StepMaker | None:
        defs = local_defs(sym.node)
        for value in returned_values(sym.node):
            if isinstance(value, cst.Name) and value.value in defs:
                inner = defs[value.value]
                qualname = f"{sym.qualname}.<locals>.{inner.name.value}"
                made = self.of_function(sym.module, inner, qualname, depth + 1)
            else:
                made = self.of(sym.module, value, depth + 1)
            if made is not None:
                return made
        return None


def _named(maker: StepMaker, qualname: str) -> StepMaker:
    """``maker`` with the decorator whose wrapper ZenML calls named (empty until known)."""
    if maker.wrapped_by is None or maker.wrapped_by:
        return maker
    return dataclasses.replace(maker, wrapped_by=qualname)


@dataclass(frozen=True)
class Identity:
    """Whose ``__module__`` and ``__name__`` the function handed to ``step`` carries: the
    decorated function (a parameter), or ``wrapper``, an inner function that calls it and
    copies its identity when ``wraps``."""

    wrapper: cst.FunctionDef | None
    wraps: bool


def entrypoint_identity(
    project: Project,
    module: ModuleInfo,
    function: cst.FunctionDef,
    arg: cst.BaseExpression,
    params: frozenset[str],
) -> Identity | None:
    """What ``step(arg)`` inside ``function`` makes a step of, when ``arg`` is one of the
    ``params`` (the decorated function) or an inner wrapper that calls one; None otherwise
    (a function of the factory's own, which keeps its own identity)."""
    if isinstance(arg, cst.Name) and arg.value in params:
        return Identity(None, True)
    if isinstance(arg, cst.Call) and _is_wraps_of(project, module, arg.func, params):
        inner = cst_utils.positional(arg)
        name = inner[0].value if len(inner) == 1 else None
        wrapper = local_defs(function).get(name.value) if isinstance(name, cst.Name) else None
        return Identity(wrapper, True) if wrapper is not None else None
    if not isinstance(arg, cst.Name):
        return None
    wrapper = local_defs(function).get(arg.value)
    if wrapper is None or not called_names(wrapper, params):
        return None
    wraps = any(_is_wraps_of(project, module, d.decorator, params) for d in wrapper.decorators)
    return Identity(wrapper, wraps or _updates_wrapper(project, module, function, arg.value))


def _is_wraps_of(
    project: Project, module: ModuleInfo, expr: cst.BaseExpression, params: frozenset[str]
) -> bool:
    """``functools.wraps(fn)`` for one of ``params``."""
    if not isinstance(expr, cst.Call):
        return False
    positional = cst_utils.positional(expr)
    return (
        bool(positional)
        and isinstance(positional[0].value, cst.Name)
        and positional[0].value.value in params
        and qualname_of(project.resolve_expr(module, expr.func)) in zenml_api.FUNCTOOLS_WRAPS
    )


def _updates_wrapper(
    project: Project, module: ModuleInfo, function: cst.FunctionDef, wrapper: str
) -> bool:
    """``functools.update_wrapper(wrapper, fn)`` among ``function``'s own calls."""
    for call in own_calls(function):
        positional = cst_utils.positional(call)
        if (
            positional
            and cst_utils.is_name(positional[0].value, wrapper)
            and qualname_of(project.resolve_expr(module, call.func))
            in zenml_api.FUNCTOOLS_UPDATE_WRAPPER
        ):
            return True
    return False


def _keywords(call: cst.Call) -> Options:
    return {a.keyword.value: a.value for a in call.args if a.keyword is not None}


def _positional_params(node: cst.FunctionDef) -> frozenset[str]:
    return frozenset(p.name.value for p in (*node.params.posonly_params, *node.params.params))


def _filled(options: Options, factory: cst.FunctionDef, call: cst.Call) -> Options:
    """``options`` with each value that names a parameter of ``factory`` replaced by what
    ``call`` passes for it (or its default; :data:`UNKNOWN` when neither is known)."""
    params = factory.params
    ordered = [*params.posonly_params, *params.params]
    given: dict[str, cst.BaseExpression] = {}
    for param, arg in zip(ordered, cst_utils.positional(call), strict=False):
        given[param.name.value] = arg.value
    given.update(_keywords(call))
    every = {p.name.value: p for p in (*ordered, *params.kwonly_params)}
    filled: Options = {}
    for key, value in options.items():
        if isinstance(value, cst.Name) and value.value in every:
            param = every[value.value]
            value = given.get(value.value, param.default or UNKNOWN)
        filled[key] = value
    return filled
