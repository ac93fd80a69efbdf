"""Calls in a pipeline body: step invocations (their arguments, ``with_options``,
``configure``, the cache), helpers, methods and sub-pipelines walked in place, and what a
callee expression resolves to."""

from __future__ import annotations

import libcst as cst

from zlint.model import cst_utils, zenml_api
from zlint.model.constants import const_string
from zlint.model.invocations import (
    UNKNOWN,
    Invocation,
    Loop,
    Site,
    StepObject,
    Value,
)
from zlint.model.modules import ModuleInfo
from zlint.model.step_configs import flag_of, policy_of
from zlint.model.symbols import ClassSym, FunctionSym, Symbol, ValueSym, qualname_of
from zlint.model.walk.base import WalkerBase
from zlint.model.walk.common import (
    MAX_INLINE_DEPTH,
    UNKNOWN_KEYS,
    Argument,
    Bound,
    Callee,
    Context,
    Env,
    Helper,
    LambdaFn,
    Method,
    Partial,
    ProjectClass,
    StepClass,
    StepMethod,
    SubPipeline,
    as_value,
    bind_params,
    literal_value,
    merge_partial,
)


class Calls(WalkerBase):
    def _eval_call(self, call: cst.Call, ctx: Context, env: Env) -> Bound:
        func = self.eval_bound(call.func, ctx, env)
        if isinstance(func, StepMethod):
            return self._call_step_method(func, call, ctx, env)
        if not isinstance(func, Callee):
            builtin = self._builtin(call.func, ctx, env)
            if builtin is not None:
                return self._call_builtin(builtin, call, ctx, env)
        args = self._arguments(call, ctx, env)
        if isinstance(func, Callee):
            return self._call(func, args, call, ctx, env)
        # An unknown call may return something new each time it runs.
        return Value.unknown(ctx.loop_ids)

    def _arguments(self, call: cst.Call, ctx: Context, env: Env) -> list[Argument]:
        """The call's arguments, each evaluated once, in order."""
        return [
            Argument(
                arg.keyword.value if arg.keyword is not None else None,
                self.eval_bound(arg.value, ctx, env),
                arg.star,
                arg.value,
            )
            for arg in call.args
        ]

    def _call(
        self,
        func: Callee,
        args: list[Argument],
        call: cst.Call,
        ctx: Context,
        env: Env,
        through: str | None = None,
    ) -> Bound:
        """Calls ``func`` with arguments evaluated already; ``call`` is where it happens
        (``through``: the builtin that makes the call, such as ``map``)."""
        if isinstance(func, StepObject):
            return self._invoke(func, args, call, ctx, fanout=None, through=through)
        if isinstance(func, StepMethod):
            if func.method in zenml_api.STEP_FANOUT_METHODS or func.method == "submit":
                fanout = None if func.method == "submit" else func.method
                concurrent = func.method == "submit"
                return self._invoke(func.obj, args, call, ctx, fanout, concurrent, through)
            return Value.unknown(ctx.loop_ids)
        if isinstance(func, StepClass):
            return StepObject(func.step)
        if isinstance(func, (Helper, SubPipeline, Method)):
            return self._inline(func, args, call, ctx)
        if isinstance(func, Partial):
            merged = merge_partial(func.args, args)
            return self._call(func.func, merged, call, ctx, env, through or "functools.partial")
        if isinstance(func, LambdaFn):
            return self._call_lambda(func, args, ctx)
        if isinstance(func, ProjectClass):
            return self._instantiate(func, args, call, ctx)
        method = self._member(func, "__call__")
        if isinstance(method, Method):
            return self._inline(method, args, call, ctx)
        return Value.unknown(ctx.loop_ids)

    def _call_step_method(
        self, method: StepMethod, call: cst.Call, ctx: Context, env: Env
    ) -> Bound:
        if method.method in zenml_api.STEP_COPY_METHODS:
            return self._with_options(method.obj, call, ctx, env)
        if method.method == "configure":
            self._configure(method.obj, call, ctx, env)
            return method.obj
        return self._call(method, self._arguments(call, ctx, env), call, ctx, env)

    def _configure(self, obj: StepObject, call: cst.Call, ctx: Context, env: Env) -> None:
        """``step.configure(substitutions=...)`` in the body changes the one shared step
        object: whatever it sets last applies to every call of that step in the run."""
        arg = cst_utils.keyword(call, "substitutions")
        for other in call.args:
            if other is not arg:
                self.eval(other.value, ctx, env)
        if arg is None:
            return
        configured = self.configured.setdefault(id(obj.step), {})
        if isinstance(arg.value, cst.Dict):
            configured.update(self._dict_items(arg.value, ctx, env))
        else:
            self.eval(arg.value, ctx, env)
            configured[UNKNOWN_KEYS] = Value.unknown()

    def _with_options(self, obj: StepObject, call: cst.Call, ctx: Context, env: Env) -> StepObject:
        substitutions = list(obj.substitutions)
        parameters = list(obj.parameters)
        options = list(obj.options)
        enable_cache, cache_policy = obj.enable_cache, obj.cache_policy
        for arg in call.args:
            if arg.keyword is None:
                self.eval(arg.value, ctx, env)
                enable_cache = cache_policy = UNKNOWN  # `**options` may set either
                continue
            key = arg.keyword.value
            options.append((key, arg.value))
            if key in ("substitutions", "parameters"):
                target = substitutions if key == "substitutions" else parameters
                target.extend(self._mapping_items(arg.value, ctx, env))
                continue
            self.eval(arg.value, ctx, env)
            if key == "enable_cache":
                enable_cache = flag_of(self.project, ctx.module, arg.value)
            elif key == "cache_policy":
                cache_policy = policy_of(self.project, ctx.module, arg.value)
        return StepObject(
            obj.step,
            tuple(substitutions),
            tuple(parameters),
            tuple(options),
            enable_cache,
            cache_policy,
        )

    def _mapping_items(
        self, node: cst.BaseExpression, ctx: Context, env: Env
    ) -> list[tuple[str, Value]]:
        """The entries of ``{"k": v}`` or ``dict(k=v)``; any other mapping may hold any key
        with a value zlint cannot know (recorded under UNKNOWN_KEYS)."""
        if isinstance(node, cst.Dict) and all(
            isinstance(e, cst.DictElement) for e in node.elements
        ):
            return self._dict_items(node, ctx, env)
        if (
            isinstance(node, cst.Call)
            and cst_utils.is_name(node.func, "dict")
            and all(a.keyword is not None for a in node.args)
        ):
            return [
                (a.keyword.value, self.eval(a.value, ctx, env))
                for a in node.args
                if a.keyword is not None
            ]
        self.eval(node, ctx, env)
        return [(UNKNOWN_KEYS, Value.unknown(ctx.loop_ids))]

    def _dict_items(self, node: cst.Dict, ctx: Context, env: Env) -> list[tuple[str, Value]]:
        items: list[tuple[str, Value]] = []
        for element in node.elements:
            if not isinstance(element, cst.DictElement):
                continue
            key = const_string(self.project, ctx.module, element.key)
            value = self.eval(element.value, ctx, env)
            if key is not None:
                items.append((key, value))
        return items

    def _invoke(
        self,
        obj: StepObject,
        args: list[Argument],
        call: cst.Call,
        ctx: Context,
        fanout: str | None,
        concurrent: bool = False,
        through: str | None = None,
    ) -> Value:
        fanout_loops: list[Loop] = []
        values, explicit_id = self._bind_step_args(obj, args, call, ctx, fanout, fanout_loops)
        loops = (*ctx.loops, *fanout_loops)
        invocation = Invocation(
            index=len(self.invocations),
            obj=obj,
            site=ctx.site or Site(ctx.module, call),
            call=call,
            loops=loops,
            branches=ctx.branches,
            args=values,
            explicit_id=explicit_id,
            fanout=fanout,
            via=ctx.via,
            iteration=ctx.iteration,
            concurrent=concurrent,
            through=through,
        )
        self.invocations.append(invocation)
        self.step_caching(obj.step)
        merged = self._served_from_cache(invocation)
        if merged is not None:
            # The cache hands this call the earlier call's artifact: downstream steps that
            # consume either get the same input.
            return Value(("output", merged.index))
        return Value(("output", invocation.index), frozenset(loop.id for loop in loops))

    def _fanout_loop(self, call: cst.Call, fanout: str, loops: list[Loop]) -> Loop:
        """``.map()`` zips its mapped arguments (one loop); ``.product()`` crosses them (one
        loop per argument)."""
        if fanout == "product" or not loops:
            loops.append(Loop(next(self._ids), call, None, kind=fanout))
        return loops[-1]

    def _bind_step_args(
        self,
        obj: StepObject,
        args: list[Argument],
        call: cst.Call,
        ctx: Context,
        fanout: str | None,
        fanout_loops: list[Loop],
    ) -> tuple[dict[str, Value], Value | None]:
        step = obj.step
        values: dict[str, Value] = {}
        explicit_id: Value | None = None
        names = [p.name for p in step.params]
        position = 0
        for arg in args:
            value = as_value(arg.value)
            if (
                fanout
                and arg.keyword not in zenml_api.CALL_ONLY_KEYWORDS
                and not self._is_unmapped(arg.node, ctx)
            ):
                loop = self._fanout_loop(call, fanout, fanout_loops)
                value = Value(("mapped", loop.id, value.key), value.varies | {loop.id})
            if arg.star:
                # `*args` / `**kwargs`: every remaining parameter becomes unknown.
                for name in names:
                    values.setdefault(name, Value.unknown(ctx.loop_ids))
            elif arg.keyword is None:
                if position < len(names):
                    values[names[position]] = value
                position += 1
            elif arg.keyword == "id":
                explicit_id = value
            elif arg.keyword not in zenml_api.CALL_ONLY_KEYWORDS:
                values[arg.keyword] = value
        if fanout and not fanout_loops:
            self._fanout_loop(call, fanout, fanout_loops)
        for key, value in obj.parameters:
            if key == UNKNOWN_KEYS:
                for name in names:
                    values.setdefault(name, Value.unknown(ctx.loop_ids))
            else:
                values.setdefault(key, value)
        for param in step.params:
            if param.name not in values and param.default is not None:
                default = literal_value(param.default)
                values[param.name] = default or Value(("default", step.qualname, param.name))
        return values, explicit_id

    def _is_unmapped(self, expr: cst.BaseExpression | None, ctx: Context) -> bool:
        return (
            isinstance(expr, cst.Call)
            and qualname_of(self.project.resolve_expr(ctx.module, expr.func)) in zenml_api.UNMAPPED
        )

    def _inline(
        self,
        callee: Helper | SubPipeline | Method,
        args: list[Argument],
        call: cst.Call,
        ctx: Context,
    ) -> Value:
        """Walks a helper, a method or a sub-pipeline in place: its steps count once per
        call and are reported at the outermost call in the pipeline."""
        receiver: Bound | None = None
        if isinstance(callee, SubPipeline):
            module, node = callee.pipeline.module, callee.pipeline.function
        else:
            module, node = callee.module, callee.node
            receiver = callee.receiver if isinstance(callee, Method) else None
        if id(node) in ctx.stack or len(ctx.stack) > MAX_INLINE_DEPTH:
            return Value.unknown(ctx.loop_ids)
        if isinstance(callee, Helper):
            factory = self.factories.factory(module, node)
            if factory is not None:
                self.factory_calls.append((ctx.site or Site(ctx.module, call), factory))
        skip_first = isinstance(callee, Method) and callee.receiver is not None
        inner_env = bind_params(node.params, args, receiver if skip_first else None, id(node))
        inner = Context(
            module=module,
            loops=ctx.loops,
            branches=ctx.branches,
            site=ctx.site or Site(ctx.module, call),
            via=(*ctx.via, node.name.value),
            stack=(*ctx.stack, id(node)),
        )
        self._walk_function(node, inner, inner_env)
        return Value.unknown(ctx.loop_ids)

    def symbol_callee(self, sym: Symbol | None, depth: int = 0) -> Callee | None:
        """What calling a module-level symbol does, as far as pipelines are concerned."""
        if isinstance(sym, FunctionSym):
            step = self.defs.step_from_function(sym.module, sym.node, sym.qualname)
            if step is not None:
                return StepObject(step)
            pipeline = self.defs.pipeline_from_function(sym.module, sym.node, sym.qualname)
            if pipeline is not None:
                return SubPipeline(pipeline)
            return Helper(sym.module, sym.node)
        if isinstance(sym, ClassSym):
            step = self.defs.step_from_class(sym)
            return StepClass(step) if step is not None else ProjectClass(sym)
        if isinstance(sym, ValueSym) and isinstance(sym.node, cst.Call) and depth < 20:
            return self._module_level_step(sym.module, sym.node, depth)
        return None

    def _module_level_callee(self, expr: cst.BaseExpression, module: ModuleInfo) -> Callee | None:
        """What a name, attribute path or ``clean.with_options(...)`` written in a module
        (or class) body calls, resolved without running anything."""
        if isinstance(expr, (cst.Name, cst.Attribute)):
            return self.symbol_callee(self.project.resolve_expr(module, expr))
        if isinstance(expr, cst.Call):
            return self._module_level_step(module, expr, 0)
        return None

    def _module_level_step(self, module: ModuleInfo, call: cst.Call, depth: int) -> Callee | None:
        """``fast = clean.with_options(...)``, ``scaler = Scaler()``, ``s = step(fn)``."""
        func = call.func
        if isinstance(func, cst.Attribute) and func.attr.value in zenml_api.STEP_COPY_METHODS:
            base = self.symbol_callee(self.project.resolve_expr(module, func.value), depth + 1)
            if isinstance(base, StepObject):
                return self._with_options(base, call, Context(module), {})
            return None
        target = self.symbol_callee(self.project.resolve_expr(module, func), depth + 1)
        if isinstance(target, StepClass):
            return StepObject(target.step)
        return self._decorated_by_call(module, call)

    def _decorated_by_call(self, module: ModuleInfo, call: cst.Call) -> Callee | None:
        """``step(fn)`` or ``step(name=...)(fn)`` written as a call instead of a decorator."""
        positional = cst_utils.positional(call)
        if len(positional) != 1:
            return None
        sym = self.project.resolve_expr(module, positional[0].value)
        if not isinstance(sym, FunctionSym):
            return None
        step = self.defs.step_from_function(
            sym.module, sym.node, sym.qualname, wrapper=(module, call)
        )
        return StepObject(step) if step is not None else None
