"""The state of one walk of a pipeline body, shared by the walk's sections, and the methods
each section calls in another (defined there)."""

from __future__ import annotations

import itertools
from collections.abc import Hashable

import libcst as cst

from zlint.model.definitions import Definitions, StepDef
from zlint.model.factories import Factories, Factory
from zlint.model.invocations import (
    Invocation,
    Loop,
    PipelineAnalysis,
    Site,
    StepCaching,
    Value,
)
from zlint.model.modules import ModuleInfo
from zlint.model.step_configs import StepConfigs
from zlint.model.symbols import Symbol
from zlint.model.walk.common import (
    Argument,
    Bound,
    Callee,
    Context,
    Each,
    Env,
    Helper,
    Instance,
    Item,
    LambdaFn,
    LazyMap,
    Method,
    ProjectClass,
    SubPipeline,
)


class WalkerBase:
    """What every section of :class:`zlint.model.flow.PipelineWalker` shares."""

    def __init__(
        self,
        definitions: Definitions,
        factories: Factories | None = None,
        configs: StepConfigs | None = None,
    ) -> None:
        self.defs = definitions
        self.factories = factories or Factories(definitions)
        self.project = definitions.project
        self.configs = configs or StepConfigs(definitions.project)
        self._ids = itertools.count()
        self.invocations: list[Invocation] = []
        #: id(StepDef) -> substitutions set with ``configure`` in the body (last wins).
        self.configured: dict[int, dict[str, Value]] = {}
        self.factory_calls: list[tuple[Site, Factory]] = []
        #: (id(step), arguments) -> the calls so far that a later identical call may be
        #: served from the cache of (no loop, not concurrent, cached by default).
        self._cacheable: dict[tuple[int, Hashable], list[Invocation]] = {}
        self._unrolled = 0
        self._depth = 0
        #: The result, filled while walking (the cache's answers read it).
        self.analysis: PipelineAnalysis

    def _walk_function(self, node: cst.FunctionDef, ctx: Context, env: Env) -> None:
        raise NotImplementedError  # in :mod:`zlint.model.walk.statements`

    def _unrollable(
        self, iterable: cst.BaseExpression, ctx: Context, env: Env
    ) -> list[Item] | None:
        raise NotImplementedError  # in :mod:`zlint.model.walk.statements`

    def _bind_item(self, target: cst.BaseExpression, item: Item, env: Env) -> None:
        raise NotImplementedError  # in :mod:`zlint.model.walk.statements`

    def _bind_loop_target(self, target: cst.BaseExpression, loop: Loop, env: Env) -> None:
        raise NotImplementedError  # in :mod:`zlint.model.walk.statements`

    def _bind(
        self,
        target: cst.BaseExpression,
        value: Bound,
        expr: cst.BaseExpression,
        ctx: Context,
        env: Env,
    ) -> None:
        raise NotImplementedError  # in :mod:`zlint.model.walk.statements`

    def eval(self, expr: cst.BaseExpression, ctx: Context, env: Env) -> Value:
        raise NotImplementedError  # in :mod:`zlint.model.walk.evaluation`

    def eval_bound(self, expr: cst.BaseExpression, ctx: Context, env: Env) -> Bound:
        raise NotImplementedError  # in :mod:`zlint.model.walk.evaluation`

    def _eval_call(self, call: cst.Call, ctx: Context, env: Env) -> Bound:
        raise NotImplementedError  # in :mod:`zlint.model.walk.calls`

    def _eval_attribute(self, expr: cst.Attribute, ctx: Context, env: Env) -> Bound:
        raise NotImplementedError  # in :mod:`zlint.model.walk.objects`

    def _arguments(self, call: cst.Call, ctx: Context, env: Env) -> list[Argument]:
        raise NotImplementedError  # in :mod:`zlint.model.walk.calls`

    def _call(
        self,
        func: Callee,
        args: list[Argument],
        call: cst.Call,
        ctx: Context,
        env: Env,
        through: str | None = None,
    ) -> Bound:
        raise NotImplementedError  # in :mod:`zlint.model.walk.calls`

    def _inline(
        self,
        callee: Helper | SubPipeline | Method,
        args: list[Argument],
        call: cst.Call,
        ctx: Context,
    ) -> Value:
        raise NotImplementedError  # in :mod:`zlint.model.walk.calls`

    def symbol_callee(self, sym: Symbol | None, depth: int = 0) -> Callee | None:
        raise NotImplementedError  # in :mod:`zlint.model.walk.calls`

    def _module_level_callee(self, expr: cst.BaseExpression, module: ModuleInfo) -> Callee | None:
        raise NotImplementedError  # in :mod:`zlint.model.walk.calls`

    def _served_from_cache(self, invocation: Invocation) -> Invocation | None:
        raise NotImplementedError  # in :mod:`zlint.model.walk.cache`

    def step_caching(self, step: StepDef) -> StepCaching:
        raise NotImplementedError  # in :mod:`zlint.model.walk.cache`

    def _module_constant(self, expr: cst.Name | cst.Attribute, ctx: Context) -> Value | None:
        raise NotImplementedError  # in :mod:`zlint.model.walk.evaluation`

    def _derived(self, expr: cst.CSTNode, ctx: Context, env: Env) -> Value:
        raise NotImplementedError  # in :mod:`zlint.model.walk.evaluation`

    def _member(self, found: Callee, attr: str) -> Bound | None:
        raise NotImplementedError  # in :mod:`zlint.model.walk.objects`

    def _instantiate(
        self, cls: ProjectClass, args: list[Argument], call: cst.Call, ctx: Context
    ) -> Instance:
        raise NotImplementedError  # in :mod:`zlint.model.walk.objects`

    def _eval_collection(
        self, expr: cst.List | cst.Tuple | cst.Set | cst.Dict, ctx: Context, env: Env
    ) -> Bound:
        raise NotImplementedError  # in :mod:`zlint.model.walk.objects`

    def _eval_subscript(self, expr: cst.Subscript, ctx: Context, env: Env) -> Bound | None:
        raise NotImplementedError  # in :mod:`zlint.model.walk.objects`

    def _bind_attribute(self, target: cst.Attribute, value: Bound, ctx: Context, env: Env) -> None:
        raise NotImplementedError  # in :mod:`zlint.model.walk.objects`

    def _builtin(self, func: cst.BaseExpression, ctx: Context, env: Env) -> str | None:
        raise NotImplementedError  # in :mod:`zlint.model.walk.lazy`

    def _call_builtin(self, name: str, call: cst.Call, ctx: Context, env: Env) -> Bound:
        raise NotImplementedError  # in :mod:`zlint.model.walk.lazy`

    def _iterates_map(self, expr: cst.BaseExpression, ctx: Context, env: Env) -> bool:
        raise NotImplementedError  # in :mod:`zlint.model.walk.lazy`

    def _call_lambda(self, func: LambdaFn, args: list[Argument], ctx: Context) -> Bound:
        raise NotImplementedError  # in :mod:`zlint.model.walk.lazy`

    def _consume(self, lazy: LazyMap, ctx: Context, env: Env, each: Each | None = None) -> None:
        raise NotImplementedError  # in :mod:`zlint.model.walk.lazy`
