"""Evaluating expressions into :class:`~zlint.model.invocations.Value` objects that record
what is provably equal: literals, names, comparisons, f-strings, comprehensions."""

from __future__ import annotations

from dataclasses import replace

import libcst as cst

from zlint.model.constants import const_string, const_value
from zlint.model.invocations import (
    Loop,
    Value,
)
from zlint.model.symbols import qualname_of
from zlint.model.walk.base import WalkerBase
from zlint.model.walk.common import (
    MAX_EXPRESSION_DEPTH,
    NAMED_CONSTANTS,
    Bound,
    Context,
    Env,
    LambdaFn,
    LazyMap,
    as_value,
    child_expressions,
    code_of,
    compare,
    literal_count,
    literal_value,
)


class Evaluation(WalkerBase):
    def eval(self, expr: cst.BaseExpression, ctx: Context, env: Env) -> Value:
        return as_value(self.eval_bound(expr, ctx, env))

    def eval_bound(self, expr: cst.BaseExpression, ctx: Context, env: Env) -> Bound:
        self._depth += 1
        try:
            if self._depth > MAX_EXPRESSION_DEPTH:
                return Value.unknown(ctx.loop_ids)  # a generated 1,000-term expression, say
            return self._eval_bound(expr, ctx, env)
        finally:
            self._depth -= 1

    def _eval_bound(self, expr: cst.BaseExpression, ctx: Context, env: Env) -> Bound:
        if isinstance(expr, cst.Call):
            return self._eval_call(expr, ctx, env)
        if isinstance(expr, cst.Name):
            return self._eval_name(expr, ctx, env)
        literal = literal_value(expr)
        if literal is not None:
            return literal
        if isinstance(expr, (cst.ListComp, cst.SetComp, cst.GeneratorExp, cst.DictComp)):
            return self._eval_comprehension(expr, ctx, env)
        if isinstance(expr, cst.Lambda):
            return LambdaFn(ctx.module, expr, env)
        if isinstance(expr, (cst.List, cst.Tuple, cst.Set, cst.Dict)):
            return self._eval_collection(expr, ctx, env)
        if isinstance(expr, cst.Subscript):
            element = self._eval_subscript(expr, ctx, env)
            if element is not None:
                return element
        if isinstance(expr, cst.Comparison):
            return self._eval_comparison(expr, ctx, env)
        if isinstance(expr, cst.BooleanOperation):
            return self._eval_boolean(expr, ctx, env)
        if isinstance(expr, cst.FormattedString):
            return self._eval_fstring(expr, ctx, env)
        if isinstance(expr, cst.UnaryOperation) and isinstance(expr.operator, cst.Not):
            operand = self.eval(expr.expression, ctx, env)
            if operand.has_literal:
                return Value.of_literal(not operand.literal)
            return Value(("not", operand.key), operand.varies)
        if isinstance(expr, cst.IfExp):
            return self._eval_if_expression(expr, ctx, env)
        if isinstance(expr, cst.NamedExpr):
            value = self.eval_bound(expr.value, ctx, env)
            self._bind(expr.target, value, expr.value, ctx, env)
            return value
        if isinstance(expr, cst.Attribute):
            return self._eval_attribute(expr, ctx, env)
        return self._derived(expr, ctx, env)

    def _module_constant(self, expr: cst.Name | cst.Attribute, ctx: Context) -> Value | None:
        """A module constant (``ENABLED``, ``flags.MODE``) as a literal: a plain value its
        module assigns once, or a string spelled with constants."""
        known = const_value(self.project, ctx.module, expr)
        if known is not None:
            return Value.of_literal(known.value)
        text = const_string(self.project, ctx.module, expr)
        return Value.of_literal(text) if text is not None else None

    def _eval_comparison(self, expr: cst.Comparison, ctx: Context, env: Env) -> Value:
        """``split == "train"``, ``0 < LIMIT <= 5``: folds to a literal when every side is
        known here."""
        left = self.eval(expr.left, ctx, env)
        values = [left]
        results: list[bool | None] = []
        for target in expr.comparisons:
            right = self.eval(target.comparator, ctx, env)
            members = self._literal_members(target.comparator)
            results.append(compare(target.operator, values[-1], right, members))
            values.append(right)
        if False in results:
            first_false = results.index(False)
            if None not in results[:first_false]:
                return Value.of_literal(False)
        if all(result is True for result in results):
            return Value.of_literal(True)
        codes = tuple(type(target.operator).__name__ for target in expr.comparisons)
        varies = frozenset().union(*(v.varies for v in values))
        return Value(("compare", codes, tuple(v.key for v in values)), varies)

    def _literal_members(self, expr: cst.BaseExpression) -> list[object] | None:
        if not isinstance(expr, (cst.List, cst.Tuple, cst.Set)):
            return None
        members = [literal_value(el.value) for el in expr.elements]
        if any(m is None for m in members):
            return None
        return [m.literal for m in members if m is not None]

    def _eval_boolean(self, expr: cst.BooleanOperation, ctx: Context, env: Env) -> Value:
        """``a and b`` / ``a or b``: a known left side that decides the result leaves the
        right side unevaluated, as in Python (``ENABLED and train(x)`` calls nothing)."""
        left = self.eval(expr.left, ctx, env)
        is_and = isinstance(expr.operator, cst.And)
        if left.has_literal and (not left.literal if is_and else bool(left.literal)):
            return left
        right = self.eval(expr.right, ctx, env)
        if left.has_literal:
            return right
        code = type(expr.operator).__name__
        return Value(("bool", code, left.key, right.key), left.varies | right.varies)

    def _eval_fstring(self, expr: cst.FormattedString, ctx: Context, env: Env) -> Value:
        """An f-string over values known here (``f"proc_{split}"`` in an unrolled loop)."""
        pieces: list[str] = []
        parts: list[Value] = []
        for part in expr.parts:
            if isinstance(part, cst.FormattedStringText):
                pieces.append(part.value.replace("{{", "{").replace("}}", "}"))
                continue
            if not isinstance(part, cst.FormattedStringExpression):
                return self._derived(expr, ctx, env)
            value = self.eval(part.expression, ctx, env)
            parts.append(value)
            if value.has_literal and part.conversion is None and part.format_spec is None:
                pieces.append(str(value.literal))
            else:
                pieces.append("\x00")  # not foldable
        if "\x00" not in "".join(pieces):
            return Value.of_literal("".join(pieces))
        varies = frozenset().union(*(p.varies for p in parts)) if parts else frozenset()
        return Value(("expr", code_of(expr), tuple(p.key for p in parts)), varies)

    def _eval_if_expression(self, expr: cst.IfExp, ctx: Context, env: Env) -> Value:
        """``a(x) if cond else b(y)``: only one arm runs, like an ``if`` statement."""
        test = self.eval(expr.test, ctx, env)
        if test.has_literal:
            return self.eval(expr.body if test.literal else expr.orelse, ctx, env)
        branch = next(self._ids)
        body = self.eval(expr.body, replace(ctx, branches=(*ctx.branches, (branch, 0))), env)
        orelse = self.eval(expr.orelse, replace(ctx, branches=(*ctx.branches, (branch, 1))), env)
        parts = (test, body, orelse)
        return Value(("if", *(p.key for p in parts)), test.varies | body.varies | orelse.varies)

    def _derived(self, expr: cst.CSTNode, ctx: Context, env: Env) -> Value:
        """Any other expression: equal to another when written the same over equal parts."""
        parts: list[Value] = []
        for child in child_expressions(expr):
            parts.append(self.eval(child, ctx, env))
        varies = frozenset().union(*(p.varies for p in parts)) if parts else frozenset()
        code = code_of(expr)
        return Value(("expr", code, tuple(p.key for p in parts)), varies)

    def _eval_name(self, expr: cst.Name, ctx: Context, env: Env) -> Bound:
        if expr.value in env:
            return env[expr.value]
        if expr.value in NAMED_CONSTANTS:
            return Value.of_literal(NAMED_CONSTANTS[expr.value])
        sym = self.project.resolve_expr(ctx.module, expr)
        callee = self.symbol_callee(sym)
        if callee is not None:
            return callee
        constant = self._module_constant(expr, ctx)
        if constant is not None:
            return constant
        return Value(("global", qualname_of(sym) or f"{ctx.module.qualname}.{expr.value}"))

    def _eval_comprehension(
        self,
        expr: cst.ListComp | cst.SetComp | cst.GeneratorExp | cst.DictComp,
        ctx: Context,
        env: Env,
    ) -> Value:
        elements = [expr.key, expr.value] if isinstance(expr, cst.DictComp) else [expr.elt]
        first = expr.for_in
        evaluated = False
        if first.inner_for_in is None and self._iterates_map(first.iter, ctx, env):
            source = self.eval_bound(first.iter, ctx, env)
            if isinstance(source, LazyMap):
                self._comprehend_map(first, elements, source, ctx, env)
                return Value.unknown(ctx.loop_ids)
            evaluated = True
        items = None if first.inner_for_in or evaluated else self._unrollable(first.iter, ctx, env)
        if items is not None:
            for index, item in enumerate(items):
                inner_env = dict(env)
                self._bind_item(first.target, item, inner_env)
                inner = replace(ctx, iteration=(*ctx.iteration, (id(first), index)))
                tests = [self.eval(cond.test, inner, inner_env) for cond in first.ifs]
                if any(t.has_literal and not t.literal for t in tests):
                    continue  # this value is filtered out
                for element in elements:
                    self.eval(element, inner, inner_env)
            return Value.unknown(ctx.loop_ids)
        inner_env = dict(env)
        inner = ctx
        clause: cst.CompFor | None = expr.for_in
        while clause is not None:
            if not (evaluated and clause is first):
                self.eval(clause.iter, inner, inner_env)
            loop = Loop(next(self._ids), clause, literal_count(clause.iter))
            self._bind_loop_target(clause.target, loop, inner_env)
            inner = replace(inner, loops=(*inner.loops, loop))
            for cond in clause.ifs:
                self.eval(cond.test, inner, inner_env)
            clause = clause.inner_for_in
        for element in elements:
            self.eval(element, inner, inner_env)
        return Value.unknown(ctx.loop_ids)

    def _comprehend_map(
        self,
        clause: cst.CompFor,
        elements: list[cst.BaseExpression],
        lazy: LazyMap,
        ctx: Context,
        env: Env,
    ) -> None:
        """``[f(out) for out in map(step, xs)]``: each item's call, then its element."""

        def each(result: Bound, inner: Context, loop: Loop | None) -> None:
            inner_env = dict(env)
            self._bind_item(clause.target, result, inner_env)
            tests = [self.eval(cond.test, inner, inner_env) for cond in clause.ifs]
            if any(t.has_literal and not t.literal for t in tests):
                return
            for element in elements:
                self.eval(element, inner, inner_env)

        self._consume(lazy, ctx, env, each)
