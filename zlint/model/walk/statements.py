"""Walking statements: blocks, branches, loops (unrolled over known values, or as one
symbolic iteration), and binding names."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

import libcst as cst

from zlint.model import cst_utils
from zlint.model.invocations import (
    Loop,
    Value,
)
from zlint.model.modules import ModuleInfo
from zlint.model.symbols import ValueSym
from zlint.model.walk.base import WalkerBase
from zlint.model.walk.common import (
    MAX_UNROLL,
    MAX_UNROLLED_PER_PIPELINE,
    Bound,
    Container,
    Context,
    Env,
    Helper,
    Item,
    LazyMap,
    as_bound,
    assigned_names,
    expr_head_is_global,
    literal_count,
    literal_value,
)


class Statements(WalkerBase):
    def _walk_function(self, node: cst.FunctionDef, ctx: Context, env: Env) -> None:
        body = node.body
        statements = body.body if isinstance(body, cst.IndentedBlock) else [body]
        self._walk_block(statements, ctx, env)

    def _walk_block(self, statements: Sequence[cst.CSTNode], ctx: Context, env: Env) -> bool:
        """Walks statements in order; True when the block always returns or raises."""
        for stmt in statements:
            outcome = self._walk_statement(stmt, ctx, env)
            if outcome is True:
                return True
            if isinstance(outcome, tuple):
                # `if cond: ...; return` without else: the rest of the block is the other arm.
                ctx = replace(ctx, branches=(*ctx.branches, outcome))
        return False

    def _walk_statement(self, stmt: cst.CSTNode, ctx: Context, env: Env) -> bool | tuple[int, int]:
        if isinstance(stmt, (cst.SimpleStatementLine, cst.SimpleStatementSuite)):
            return any([self._walk_small(small, ctx, env) for small in stmt.body])
        if isinstance(stmt, cst.If):
            return self._walk_if(stmt, ctx, env)
        if isinstance(stmt, cst.For):
            self._walk_for(stmt, ctx, env)
        elif isinstance(stmt, cst.While):
            loop = Loop(next(self._ids), stmt, None)
            self._carry_over(stmt.body, loop, env)
            self.eval(stmt.test, replace(ctx, loops=(*ctx.loops, loop)), env)
            self._walk_suite(stmt.body, replace(ctx, loops=(*ctx.loops, loop)), env)
        elif isinstance(stmt, cst.Match):
            self.eval(stmt.subject, ctx, env)
            branch = next(self._ids)
            for arm, case in enumerate(stmt.cases):
                self._walk_suite(
                    case.body, replace(ctx, branches=(*ctx.branches, (branch, arm))), env
                )
        elif isinstance(stmt, cst.With):
            for item in stmt.items:
                self.eval(item.item, ctx, env)
            return self._walk_suite(stmt.body, ctx, env)
        elif isinstance(stmt, (cst.Try, cst.TryStar)):
            return self._walk_try(stmt, ctx, env)
        elif isinstance(stmt, cst.FunctionDef):
            env[stmt.name.value] = Helper(ctx.module, stmt)
        elif isinstance(stmt, cst.BaseSmallStatement):
            return self._walk_small(stmt, ctx, env)
        return False

    def _walk_suite(self, suite: cst.BaseSuite, ctx: Context, env: Env) -> bool:
        statements = suite.body if isinstance(suite, cst.IndentedBlock) else [suite]
        return self._walk_block(statements, ctx, env)

    def _walk_if(self, stmt: cst.If, ctx: Context, env: Env) -> bool | tuple[int, int]:
        test = self.eval(stmt.test, ctx, env)
        if test.has_literal:
            # The condition is known here (a literal passed into a helper): one arm runs.
            return self._walk_taken_arm(stmt, bool(test.literal), ctx, env)
        branch = next(self._ids)
        body_ends = self._walk_suite(
            stmt.body, replace(ctx, branches=(*ctx.branches, (branch, 0))), env
        )
        else_ctx = replace(ctx, branches=(*ctx.branches, (branch, 1)))
        else_ends = False
        if isinstance(stmt.orelse, cst.If):
            else_ends = self._walk_statement(stmt.orelse, else_ctx, env) is True
        elif isinstance(stmt.orelse, cst.Else):
            else_ends = self._walk_suite(stmt.orelse.body, else_ctx, env)
        if body_ends and else_ends:
            return True
        if body_ends:
            return (branch, 1)
        if else_ends:
            return (branch, 0)
        return False

    def _walk_try(
        self, stmt: cst.Try | cst.TryStar, ctx: Context, env: Env
    ) -> bool | tuple[int, int]:
        """A handler runs only when the ``try`` body raised, and then the body's calls after
        the raise did not: under ZenML 0.98 an import that fails before the body's step call
        leaves only the handler's call. Which statement raised is not known here, so the
        body (with its ``else``) and each handler are exclusive arms, like ``if``/``elif``:
        a body call that ran before the raise and a handler call that ran after it are
        never reported together (a miss, never an invented collision). ``except*``
        handlers may all run: they share one arm. ``finally`` runs with every arm."""
        if not stmt.handlers:
            ends = self._walk_suite(stmt.body, ctx, env)
            return self._walk_finally(stmt, ctx, env) or ends
        branch = next(self._ids)
        body_ctx = replace(ctx, branches=(*ctx.branches, (branch, 0)))
        body_ends = self._walk_suite(stmt.body, body_ctx, env)
        if stmt.orelse is not None and not body_ends:
            body_ends = self._walk_suite(stmt.orelse.body, body_ctx, env)
        open_arms: list[int] = []
        handlers: Sequence[cst.ExceptHandler | cst.ExceptStarHandler] = stmt.handlers
        for index, handler in enumerate(handlers):
            arm = 1 if isinstance(stmt, cst.TryStar) else index + 1
            handler_ctx = replace(ctx, branches=(*ctx.branches, (branch, arm)))
            if not self._walk_suite(handler.body, handler_ctx, env) and arm not in open_arms:
                open_arms.append(arm)
        if self._walk_finally(stmt, ctx, env) or (body_ends and not open_arms):
            return True
        if not body_ends:
            return (branch, 0) if not open_arms else False
        # The rest of the block runs after a handler: with one, it is that handler's arm;
        # after several, an arm of its own (never reported with the body or a handler).
        return (branch, open_arms[0] if len(open_arms) == 1 else len(stmt.handlers) + 1)

    def _walk_finally(self, stmt: cst.Try | cst.TryStar, ctx: Context, env: Env) -> bool:
        if stmt.finalbody is None:
            return False
        return self._walk_suite(stmt.finalbody.body, ctx, env)

    def _walk_taken_arm(self, stmt: cst.If, truthy: bool, ctx: Context, env: Env) -> bool:
        if truthy:
            return self._walk_suite(stmt.body, ctx, env)
        if isinstance(stmt.orelse, cst.If):
            return self._walk_statement(stmt.orelse, ctx, env) is True
        if isinstance(stmt.orelse, cst.Else):
            return self._walk_suite(stmt.orelse.body, ctx, env)
        return False

    def _walk_for(self, stmt: cst.For, ctx: Context, env: Env) -> None:
        if self._iterates_map(stmt.iter, ctx, env):
            source = self.eval_bound(stmt.iter, ctx, env)
            if isinstance(source, LazyMap):
                self._walk_for_map(stmt, source, ctx, env)
            else:
                self._walk_symbolic_for(stmt, ctx, env, evaluated=True)
            return
        items = self._unrollable(stmt.iter, ctx, env)
        if items is not None:
            # A loop over values known here runs once per value: walk it that way, so
            # conditions on the loop variable and per-value ids are exact.
            for index, item in enumerate(items):
                self._bind_item(stmt.target, item, env)
                inner = replace(ctx, iteration=(*ctx.iteration, (id(stmt), index)))
                self._walk_suite(stmt.body, inner, env)
            if stmt.orelse is not None:
                self._walk_suite(stmt.orelse.body, ctx, env)
            return
        self._walk_symbolic_for(stmt, ctx, env, evaluated=False)

    def _walk_symbolic_for(self, stmt: cst.For, ctx: Context, env: Env, evaluated: bool) -> None:
        """One iteration standing for all: values the body changes vary over the loop."""
        if not evaluated:
            self.eval(stmt.iter, ctx, env)
        loop = Loop(next(self._ids), stmt, literal_count(stmt.iter))
        self._carry_over(stmt.body, loop, env)
        self._bind_loop_target(stmt.target, loop, env)
        self._walk_suite(stmt.body, replace(ctx, loops=(*ctx.loops, loop)), env)
        if stmt.orelse is not None:
            self._walk_suite(stmt.orelse.body, ctx, env)

    def _walk_for_map(self, stmt: cst.For, lazy: LazyMap, ctx: Context, env: Env) -> None:
        """``for out in map(step, xs)``: each item's call runs just before its turn of
        the body."""

        def body(result: Bound, inner: Context, loop: Loop | None) -> None:
            if loop is not None:
                self._carry_over(stmt.body, loop, env)
            self._bind_item(stmt.target, result, env)
            self._walk_suite(stmt.body, inner, env)

        self._consume(lazy, ctx, env, body)
        if stmt.orelse is not None:
            self._walk_suite(stmt.orelse.body, ctx, env)

    def _unrollable(
        self, iterable: cst.BaseExpression, ctx: Context, env: Env
    ) -> list[Item] | None:
        """The items of an iterable whose elements are written out here or in a module
        constant (``["train", "val"]``, ``SPLITS``, ``TRAINERS.items()``, ``range(3)``,
        ``enumerate(...)``, ``zip(...)``); None when they are not known or too many."""
        node, module = self._sequence_node(iterable, ctx, env)
        if node is None:
            return None
        items = self._items(node, module, ctx, env)
        if items is None or not items or len(items) > MAX_UNROLL:
            return None
        if self._unrolled + len(items) > MAX_UNROLLED_PER_PIPELINE:
            return None
        self._unrolled += len(items)
        return items

    def _sequence_node(
        self, expr: cst.BaseExpression, ctx: Context, env: Env
    ) -> tuple[cst.BaseExpression | None, ModuleInfo]:
        if isinstance(expr, (cst.Name, cst.Attribute)) and expr_head_is_global(expr, env):
            sym = self.project.resolve_expr(ctx.module, expr)
            if isinstance(sym, ValueSym):
                return sym.node, sym.module
            return None, ctx.module
        return expr, ctx.module

    def _items(
        self, node: cst.BaseExpression, module: ModuleInfo, ctx: Context, env: Env
    ) -> list[Item] | None:
        # Elements of a module constant are evaluated in that module, with no locals.
        here, scope = (ctx, env) if module is ctx.module else (Context(module), {})
        if isinstance(node, (cst.List, cst.Tuple, cst.Set)):
            if any(isinstance(el, cst.StarredElement) for el in node.elements):
                return None
            return [self._item(el.value, here, scope) for el in node.elements]
        if isinstance(node, cst.Dict):
            return self._dict_items_of(node, "keys", here, scope)
        if isinstance(node, (cst.Name, cst.Attribute)):
            return _container_items(self.eval_bound(node, here, scope), "keys")
        if not isinstance(node, cst.Call):
            return None
        args = cst_utils.positional(node)
        func = node.func
        if isinstance(func, cst.Attribute) and func.attr.value in ("items", "keys", "values"):
            base, base_module = self._sequence_node(func.value, here, scope)
            if isinstance(base, cst.Dict) and not args:
                inner = here if base_module is here.module else Context(base_module)
                return self._dict_items_of(base, func.attr.value, inner, scope)
            if isinstance(base, (cst.Name, cst.Attribute)) and not args:
                return _container_items(self.eval_bound(base, here, scope), func.attr.value)
            return None
        if cst_utils.is_name(func, "range") and len(args) == 1:
            bound = literal_value(args[0].value)
            if bound is not None and isinstance(bound.literal, int):
                return [Value.of_literal(i) for i in range(min(bound.literal, MAX_UNROLL + 1))]
            return None
        if cst_utils.is_name(func, "enumerate") and len(args) == 1:
            inner_items = self._unrollable(args[0].value, here, scope)
            if inner_items is None:
                return None
            return [(Value.of_literal(i), item) for i, item in enumerate(inner_items)]
        if cst_utils.is_name(func, "zip") and args:
            columns = [self._unrollable(a.value, here, scope) for a in args]
            if any(c is None for c in columns):
                return None
            return [tuple(row) for row in zip(*[c for c in columns if c is not None], strict=False)]
        return None

    def _dict_items_of(
        self, node: cst.Dict, which: str, ctx: Context, env: Env
    ) -> list[Item] | None:
        items: list[Item] = []
        for element in node.elements:
            if not isinstance(element, cst.DictElement):
                return None
            key = self._item(element.key, ctx, env)
            value = self._item(element.value, ctx, env)
            items.append({"keys": key, "values": value}.get(which, (key, value)))
        return items

    def _item(self, expr: cst.BaseExpression, ctx: Context, env: Env) -> Item:
        if isinstance(expr, (cst.Tuple, cst.List)) and not any(
            isinstance(el, cst.StarredElement) for el in expr.elements
        ):
            return tuple(self._item(el.value, ctx, env) for el in expr.elements)
        return self.eval_bound(expr, ctx, env)

    def _bind_item(self, target: cst.BaseExpression, item: Item, env: Env) -> None:
        if isinstance(target, cst.Name):
            env[target.value] = as_bound(item)
        elif (
            isinstance(target, (cst.Tuple, cst.List))
            and isinstance(item, tuple)
            and len(item) == len(target.elements)
        ):
            for element, part in zip(target.elements, item, strict=True):
                self._bind_item(element.value, part, env)
        else:
            for name in cst_utils.target_names(target):
                env[name] = Value.unknown()

    def _carry_over(self, body: cst.BaseSuite, loop: Loop, env: Env) -> None:
        """Names a loop body reassigns change from one iteration to the next (``n += 1``)."""
        for name in assigned_names(body):
            old = env.get(name)
            if isinstance(old, Value):
                env[name] = Value(("carried", loop.id, old.key), old.varies | {loop.id})

    def _bind_loop_target(self, target: cst.BaseExpression, loop: Loop, env: Env) -> None:
        for name in cst_utils.target_names(target):
            env[name] = Value(("loop", loop.id, name), frozenset({loop.id}))

    def _walk_small(self, small: cst.CSTNode, ctx: Context, env: Env) -> bool:
        if isinstance(small, cst.Expr):
            self.eval(small.value, ctx, env)
        elif isinstance(small, cst.Assign):
            value = self.eval_bound(small.value, ctx, env)
            for target in small.targets:
                self._bind(target.target, value, small.value, ctx, env)
        elif isinstance(small, cst.AnnAssign) and small.value is not None:
            self._bind(small.target, self.eval_bound(small.value, ctx, env), small.value, ctx, env)
        elif isinstance(small, cst.AugAssign):
            value = self.eval(small.value, ctx, env)
            for name in cst_utils.target_names(small.target):
                old = env.get(name)
                varies = value.varies | (old.varies if isinstance(old, Value) else frozenset())
                env[name] = Value.unknown(varies | ctx.loop_ids)
        elif isinstance(small, cst.Return):
            if small.value is not None:
                self.eval(small.value, ctx, env)
            return True
        elif isinstance(small, cst.Raise):
            return True
        return False

    def _bind(
        self,
        target: cst.BaseExpression,
        value: Bound,
        expr: cst.BaseExpression,
        ctx: Context,
        env: Env,
    ) -> None:
        if isinstance(target, cst.Name):
            env[target.value] = value
            return
        if isinstance(target, cst.Attribute):
            self._bind_attribute(target, value, ctx, env)
            return
        names = cst_utils.target_names(target)
        unpacked = self._unpacked(target, value, ctx, env)
        if unpacked is not None:
            for element, part in zip(unpacked[0], unpacked[1], strict=True):
                self._bind(element, part, expr, ctx, env)
            return
        if isinstance(target, (cst.Tuple, cst.List)) and isinstance(value, Value):
            # `a, b = step(...)`: each name is one output of the same invocation.
            for index, name in enumerate(names):
                env[name] = Value((*value.key, index), value.varies)
        else:
            for name in names:
                env[name] = Value.unknown(ctx.loop_ids)

    def _unpacked(
        self, target: cst.BaseExpression, value: Bound, ctx: Context, env: Env
    ) -> tuple[list[cst.BaseExpression], list[Bound]] | None:
        """``a, b = clean, prep`` or ``a, b = map(step, xs)``: the targets and the values
        they get, when both are known and as many."""
        if not isinstance(target, (cst.Tuple, cst.List)):
            return None
        if any(isinstance(el, cst.StarredElement) for el in target.elements):
            return None
        parts: list[Bound] = []
        if isinstance(value, LazyMap):
            self._consume(value, ctx, env, lambda result, _inner, loop: parts.append(result))
            if value.iterables and not all(isinstance(i, list) for i in value.iterables):
                return None
        elif isinstance(value, Container):
            parts = list(value.items) if value.keys is None else list(value.keys)
        targets = [el.value for el in target.elements]
        return (targets, parts) if len(parts) == len(targets) else None


def _container_items(bound: Bound, which: str) -> list[Item] | None:
    """The items a container yields when iterated (a dict: its keys) or through
    ``.keys()``, ``.values()``, ``.items()``."""
    if not isinstance(bound, Container):
        return None
    if bound.keys is None:
        return list(bound.items) if which == "keys" else None
    if which == "keys":
        return list(bound.keys)
    if which == "values":
        return list(bound.items)
    return [(key, item) for key, item in zip(bound.keys, bound.items, strict=True)]
