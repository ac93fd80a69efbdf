"""Calls made through Python's own tools: builtin ``map`` (lazy: its function runs only
when something iterates the map), ``functools.partial`` and lambdas.

Under ZenML 0.98 a bare ``map(step, xs)`` in a pipeline body runs no step (a pipeline with
nothing else fails to compile: it "has no steps"), while ``list(map(step, xs))`` or a
``for`` loop over the map calls the step once per item. So a map counts as iterated only
where zlint sees it iterated: by ``list``/``tuple``/``set``/``frozenset``/``sorted``, a
``for`` loop, a comprehension, or unpacking (``a, b = map(...)``); passed anywhere else, it
runs nothing here.
"""

from __future__ import annotations

from dataclasses import replace

import libcst as cst

from zlint.model.invocations import Loop, Site, Value
from zlint.model.symbols import qualname_of
from zlint.model.walk.base import WalkerBase
from zlint.model.walk.common import (
    MAX_INLINE_DEPTH,
    Argument,
    Bound,
    Callee,
    Context,
    Each,
    Env,
    Item,
    LambdaFn,
    LazyMap,
    Partial,
    as_bound,
    bind_params,
    expr_head_is_global,
)

#: Builtins whose calls the walk follows, by qualified name.
_BUILTINS = {
    "builtins.map": "map",
    "functools.partial": "partial",
    **{f"builtins.{name}": "collect" for name in ("list", "tuple", "set", "frozenset", "sorted")},
}


class Lazy(WalkerBase):
    def _builtin(self, func: cst.BaseExpression, ctx: Context, env: Env) -> str | None:
        """``map``, ``partial`` or ``collect`` (a builtin that iterates its argument) when
        ``func`` names one, not shadowed by a local."""
        if not isinstance(func, (cst.Name, cst.Attribute)) or not expr_head_is_global(func, env):
            return None
        return _BUILTINS.get(qualname_of(self.project.resolve_expr(ctx.module, func)) or "")

    def _call_builtin(self, name: str, call: cst.Call, ctx: Context, env: Env) -> Bound:
        if name == "map":
            return self._make_map(call, ctx, env)
        args = self._arguments(call, ctx, env)
        first = _plain_first(args)
        if name == "partial" and isinstance(first, Callee):
            return Partial(first, tuple(args[1:]))
        positional = [a for a in args if a.keyword is None]
        if name == "collect" and isinstance(first, LazyMap) and len(positional) == 1:
            self._consume(first, ctx, env)
        return Value.unknown(ctx.loop_ids)

    def _make_map(self, call: cst.Call, ctx: Context, env: Env) -> Bound:
        """``map(func, *iterables)``: the arguments are evaluated now, the calls wait."""
        if len(call.args) < 2 or any(a.keyword is not None or a.star for a in call.args):
            self._arguments(call, ctx, env)
            return Value.unknown(ctx.loop_ids)
        func = self.eval_bound(call.args[0].value, ctx, env)
        iterables: list[list[Item] | Value] = []
        for arg in call.args[1:]:
            items = self._unrollable(arg.value, ctx, env)
            iterables.append(items if items is not None else self.eval(arg.value, ctx, env))
        if not isinstance(func, Callee):
            return Value.unknown(ctx.loop_ids)
        return LazyMap(func, tuple(iterables), ctx.module, call)

    def _iterates_map(self, expr: cst.BaseExpression, ctx: Context, env: Env) -> bool:
        """Whether ``expr`` is a ``map(...)`` call or a local name bound to a map."""
        if isinstance(expr, cst.Name) and expr.value in env:
            return isinstance(env[expr.value], LazyMap)
        return isinstance(expr, cst.Call) and self._builtin(expr.func, ctx, env) == "map"

    def _consume(self, lazy: LazyMap, ctx: Context, env: Env, each: Each | None = None) -> None:
        """Iterates ``lazy``: its function runs once per item, reported at the ``map``
        call; items written out are walked one by one, others as one symbolic iteration.
        A map is an iterator: iterated again, it yields nothing."""
        if lazy.consumed:
            return
        lazy.consumed = True
        site = ctx.site or Site(lazy.module, lazy.node)
        known = [items for items in lazy.iterables if isinstance(items, list)]
        if len(known) == len(lazy.iterables):
            for index in range(min(len(items) for items in known)):
                args = [Argument(None, as_bound(items[index])) for items in known]
                inner = replace(ctx, iteration=(*ctx.iteration, (id(lazy.node), index)))
                result = self._call(
                    lazy.func, args, lazy.node, replace(inner, site=site), env, "map"
                )
                if each is not None:
                    each(result, inner, None)
            return
        count = min((len(items) for items in known), default=None)
        loop = Loop(next(self._ids), lazy.node, count)
        inner = replace(ctx, loops=(*ctx.loops, loop))
        args = [
            Argument(None, Value(("loop", loop.id, position), frozenset({loop.id})))
            for position in range(len(lazy.iterables))
        ]
        result = self._call(lazy.func, args, lazy.node, replace(inner, site=site), env, "map")
        if each is not None:
            each(result, inner, loop)

    def _call_lambda(self, func: LambdaFn, args: list[Argument], ctx: Context) -> Bound:
        """A lambda's body evaluated with its parameters bound, in the scope it closes over."""
        if id(func.node) in ctx.stack or len(ctx.stack) > MAX_INLINE_DEPTH:
            return Value.unknown(ctx.loop_ids)
        env = {**func.env, **bind_params(func.node.params, args, None, id(func.node))}
        inner = replace(ctx, module=func.module, stack=(*ctx.stack, id(func.node)))
        return self.eval_bound(func.node.body, inner, env)


def _plain_first(args: list[Argument]) -> Bound | None:
    """The first argument's value when it is passed by position, not unpacked."""
    if not args or args[0].keyword is not None or args[0].star:
        return None
    return args[0].value
