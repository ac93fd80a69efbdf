"""Walking a pipeline body: which steps it invokes, how often, under which conditions.

The walk is symbolic. Each expression becomes a :class:`Value` that records what is provably
equal (the same literal, the same pipeline parameter, the same upstream output) and over
which loops it changes. Helper functions and sub-pipelines called from the body are walked
in place, so their steps count once per call, reported at the outer call.
"""

from __future__ import annotations

import itertools
from collections.abc import Hashable, Sequence
from dataclasses import dataclass, replace

import libcst as cst

from zlint.model import cst_utils, zenml_api
from zlint.model.constants import const_string
from zlint.model.definitions import Definitions, PipelineDef, StepDef
from zlint.model.factories import Factories, Factory
from zlint.model.fast_visit import fast_visit
from zlint.model.invocations import (
    Invocation,
    Loop,
    PipelineAnalysis,
    Site,
    StepObject,
    Value,
)
from zlint.model.modules import ModuleInfo
from zlint.model.symbols import ClassSym, FunctionSym, Symbol, ValueSym, qualname_of

#: Deeper expressions are not evaluated (they stay unknown) rather than overflow the stack.
MAX_EXPRESSION_DEPTH = 100

#: Loops over at most this many known values are walked once per value.
MAX_UNROLL = 32
#: ... and at most this many iterations in all per pipeline (nested loops multiply).
MAX_UNROLLED_PER_PIPELINE = 512

#: The key under which substitutions with keys zlint cannot read are recorded.
UNKNOWN_KEYS = "*"

#: Helpers calling helpers deeper than this are not followed (recursion, huge call graphs).
MAX_INLINE_DEPTH = 8


@dataclass(frozen=True)
class StepMethod:
    obj: StepObject
    method: str


@dataclass(frozen=True)
class StepClass:
    step: StepDef


@dataclass(frozen=True)
class Helper:
    module: ModuleInfo
    node: cst.FunctionDef


@dataclass(frozen=True)
class SubPipeline:
    pipeline: PipelineDef


Callee = StepObject | StepMethod | StepClass | Helper | SubPipeline
Bound = Value | Callee
Env = dict[str, Bound]
#: One value of an unrolled loop; tuples unpack into ``for a, b in ...`` targets.
Item = Bound | tuple["Item", ...]


@dataclass(frozen=True)
class Context:
    module: ModuleInfo
    loops: tuple[Loop, ...] = ()
    branches: tuple[tuple[int, int], ...] = ()
    site: Site | None = None
    via: tuple[str, ...] = ()
    stack: tuple[int, ...] = ()
    #: (loop node id, index) of each unrolled loop iteration around the code.
    iteration: tuple[tuple[int, int], ...] = ()

    @property
    def loop_ids(self) -> frozenset[int]:
        return frozenset(loop.id for loop in self.loops)


class _Terminated(Exception):
    """Raised past the rest of a block after ``return``/``raise`` (never escapes a walk)."""


class PipelineWalker:
    def __init__(self, definitions: Definitions, factories: Factories | None = None) -> None:
        self.defs = definitions
        self.factories = factories or Factories(definitions)
        self.project = definitions.project
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
        self._pipeline: PipelineDef | None = None

    def analyze(self, pipeline: PipelineDef) -> PipelineAnalysis:
        self._pipeline = pipeline
        ctx = Context(pipeline.module, stack=(id(pipeline.function),))
        env: Env = {p: Value(("param", p)) for p in _param_names(pipeline.function)}
        self._walk_function(pipeline.function, ctx, env)
        return PipelineAnalysis(
            pipeline, self.invocations, self.configured, factory_calls=self.factory_calls
        )

    # -- statements ----------------------------------------------------------------------

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
            for block in cst_utils.child_blocks(stmt):
                self._walk_block(block, ctx, env)
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

    def _walk_taken_arm(self, stmt: cst.If, truthy: bool, ctx: Context, env: Env) -> bool:
        if truthy:
            return self._walk_suite(stmt.body, ctx, env)
        if isinstance(stmt.orelse, cst.If):
            return self._walk_statement(stmt.orelse, ctx, env) is True
        if isinstance(stmt.orelse, cst.Else):
            return self._walk_suite(stmt.orelse.body, ctx, env)
        return False

    def _walk_for(self, stmt: cst.For, ctx: Context, env: Env) -> None:
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
        self.eval(stmt.iter, ctx, env)
        loop = Loop(next(self._ids), stmt, _literal_count(stmt.iter))
        self._carry_over(stmt.body, loop, env)
        self._bind_loop_target(stmt.target, loop, env)
        self._walk_suite(stmt.body, replace(ctx, loops=(*ctx.loops, loop)), env)
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
        if not isinstance(node, cst.Call):
            return None
        args = cst_utils.positional(node)
        func = node.func
        if isinstance(func, cst.Attribute) and func.attr.value in ("items", "keys", "values"):
            base, base_module = self._sequence_node(func.value, here, scope)
            if isinstance(base, cst.Dict) and not args:
                inner = here if base_module is here.module else Context(base_module)
                return self._dict_items_of(base, func.attr.value, inner, scope)
            return None
        if cst_utils.is_name(func, "range") and len(args) == 1:
            bound = _literal(args[0].value)
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
            env[target.value] = _as_bound(item)
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
        for name in _assigned_names(body):
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
        names = cst_utils.target_names(target)
        if isinstance(target, (cst.Tuple, cst.List)) and isinstance(value, Value):
            # `a, b = step(...)`: each name is one output of the same invocation.
            for index, name in enumerate(names):
                env[name] = Value((*value.key, index), value.varies)
        else:
            for name in names:
                env[name] = Value.unknown(ctx.loop_ids)

    # -- expressions ---------------------------------------------------------------------

    def eval(self, expr: cst.BaseExpression, ctx: Context, env: Env) -> Value:
        bound = self.eval_bound(expr, ctx, env)
        if isinstance(bound, Value):
            return bound
        return Value(("object", id(bound)))

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
        literal = _literal(expr)
        if literal is not None:
            return literal
        if isinstance(expr, (cst.ListComp, cst.SetComp, cst.GeneratorExp, cst.DictComp)):
            return self._eval_comprehension(expr, ctx, env)
        if isinstance(expr, cst.Lambda):
            return Value.unknown()
        if isinstance(expr, cst.Comparison) and len(expr.comparisons) == 1:
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
            callee = self.callee(expr, ctx, env)
            if callee is not None:
                return callee
            text = const_string(self.project, ctx.module, expr) if _is_dotted(expr) else None
            if text is not None and expr_head_is_global(expr, env):
                return Value.of_literal(text)
        return self._derived(expr, ctx, env)

    def _eval_comparison(self, expr: cst.Comparison, ctx: Context, env: Env) -> Value:
        """``split == "train"`` folds to a literal when both sides are known here."""
        target = expr.comparisons[0]
        left = self.eval(expr.left, ctx, env)
        right = self.eval(target.comparator, ctx, env)
        result = _compare(target.operator, left, right, self._literal_members(target.comparator))
        if result is not None:
            return Value.of_literal(result)
        code = type(target.operator).__name__
        return Value(("compare", code, left.key, right.key), left.varies | right.varies)

    def _literal_members(self, expr: cst.BaseExpression) -> list[object] | None:
        if not isinstance(expr, (cst.List, cst.Tuple, cst.Set)):
            return None
        members = [_literal(el.value) for el in expr.elements]
        if any(m is None for m in members):
            return None
        return [m.literal for m in members if m is not None]

    def _eval_boolean(self, expr: cst.BooleanOperation, ctx: Context, env: Env) -> Value:
        left = self.eval(expr.left, ctx, env)
        right = self.eval(expr.right, ctx, env)
        if left.has_literal and right.has_literal:
            both = (
                left.literal and right.literal
                if isinstance(expr.operator, cst.And)
                else left.literal or right.literal
            )
            return Value.of_literal(bool(both))
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
        return Value(("expr", _code(expr), tuple(p.key for p in parts)), varies)

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
        for child in _child_expressions(expr):
            parts.append(self.eval(child, ctx, env))
        varies = frozenset().union(*(p.varies for p in parts)) if parts else frozenset()
        code = _code(expr)
        return Value(("expr", code, tuple(p.key for p in parts)), varies)

    def _eval_name(self, expr: cst.Name, ctx: Context, env: Env) -> Bound:
        if expr.value in env:
            return env[expr.value]
        if expr.value in _CONSTANTS:
            return Value.of_literal(_CONSTANTS[expr.value])
        sym = self.project.resolve_expr(ctx.module, expr)
        callee = self.symbol_callee(sym)
        if callee is not None:
            return callee
        text = const_string(self.project, ctx.module, expr)
        if text is not None:
            return Value.of_literal(text)
        if isinstance(sym, ValueSym):
            literal = _literal(sym.node)
            if literal is not None:
                return literal
        return Value(("global", qualname_of(sym) or f"{ctx.module.qualname}.{expr.value}"))

    def _eval_comprehension(
        self,
        expr: cst.ListComp | cst.SetComp | cst.GeneratorExp | cst.DictComp,
        ctx: Context,
        env: Env,
    ) -> Value:
        elements = [expr.key, expr.value] if isinstance(expr, cst.DictComp) else [expr.elt]
        first = expr.for_in
        items = None if first.inner_for_in else self._unrollable(first.iter, ctx, env)
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
            self.eval(clause.iter, inner, inner_env)
            loop = Loop(next(self._ids), clause, _literal_count(clause.iter))
            self._bind_loop_target(clause.target, loop, inner_env)
            inner = replace(inner, loops=(*inner.loops, loop))
            for cond in clause.ifs:
                self.eval(cond.test, inner, inner_env)
            clause = clause.inner_for_in
        for element in elements:
            self.eval(element, inner, inner_env)
        return Value.unknown(ctx.loop_ids)

    # -- calls ---------------------------------------------------------------------------

    def _eval_call(self, call: cst.Call, ctx: Context, env: Env) -> Bound:
        callee = self.callee(call.func, ctx, env)
        if isinstance(callee, StepObject):
            return self._invoke(callee, call, ctx, env, fanout=None)
        if isinstance(callee, StepMethod):
            return self._call_step_method(callee, call, ctx, env)
        if isinstance(callee, StepClass):
            self._eval_args(call, ctx, env)
            return StepObject(callee.step)
        if isinstance(callee, (Helper, SubPipeline)):
            return self._inline(callee, call, ctx, env)
        if not isinstance(call.func, cst.Name):
            self.eval(call.func, ctx, env)
        self._eval_args(call, ctx, env)
        # An unknown call may return something new each time it runs.
        return Value.unknown(ctx.loop_ids)

    def _eval_args(self, call: cst.Call, ctx: Context, env: Env) -> list[Value]:
        return [self.eval(arg.value, ctx, env) for arg in call.args]

    def _call_step_method(
        self, method: StepMethod, call: cst.Call, ctx: Context, env: Env
    ) -> Bound:
        if method.method in zenml_api.STEP_FANOUT_METHODS:
            return self._invoke(method.obj, call, ctx, env, fanout=method.method)
        if method.method == "submit":
            return self._invoke(method.obj, call, ctx, env, fanout=None, concurrent=True)
        if method.method in zenml_api.STEP_COPY_METHODS:
            return self._with_options(method.obj, call, ctx, env)
        if method.method == "configure":
            self._configure(method.obj, call, ctx, env)
            return method.obj
        self._eval_args(call, ctx, env)
        return Value.unknown(ctx.loop_ids)

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
        for arg in call.args:
            if arg.keyword is None:
                self.eval(arg.value, ctx, env)
                continue
            key = arg.keyword.value
            options.append((key, arg.value))
            if key in ("substitutions", "parameters"):
                target = substitutions if key == "substitutions" else parameters
                target.extend(self._mapping_items(arg.value, ctx, env))
            else:
                self.eval(arg.value, ctx, env)
        return StepObject(obj.step, tuple(substitutions), tuple(parameters), tuple(options))

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
        call: cst.Call,
        ctx: Context,
        env: Env,
        fanout: str | None,
        concurrent: bool = False,
    ) -> Value:
        fanout_loops: list[Loop] = []
        args, explicit_id = self._bind_step_args(obj, call, ctx, env, fanout, fanout_loops)
        loops = (*ctx.loops, *fanout_loops)
        invocation = Invocation(
            index=len(self.invocations),
            obj=obj,
            site=ctx.site or Site(ctx.module, call),
            call=call,
            loops=loops,
            branches=ctx.branches,
            args=args,
            explicit_id=explicit_id,
            fanout=fanout,
            via=ctx.via,
            iteration=ctx.iteration,
            concurrent=concurrent,
        )
        self.invocations.append(invocation)
        merged = self._served_from_cache(invocation)
        if merged is not None:
            # The cache hands this call the earlier call's artifact: downstream steps that
            # consume either get the same input.
            return Value(("output", merged.index))
        return Value(("output", invocation.index), frozenset(loop.id for loop in loops))

    def _served_from_cache(self, invocation: Invocation) -> Invocation | None:
        """The earlier call whose cache entry serves this one, if provably any."""
        if invocation.loops or invocation.concurrent or not self._cached_by_default(invocation):
            return None
        arguments = invocation.arguments_key()
        if arguments is None:  # values that cannot be grouped: compare with every call
            earlier: Sequence[Invocation] = self.invocations[: invocation.index]
        else:  # only the calls of this step with these arguments: linear, not quadratic
            earlier = self._cacheable.setdefault((id(invocation.step), arguments), [])
        merged = next(
            (
                other
                for other in earlier
                if other.step is invocation.step
                and not other.loops
                and not other.concurrent
                and not other.exclusive_with(invocation)
                and self._cached_by_default(other)
                and other.args.keys() == invocation.args.keys()
                and all(other.args[k].same_as(invocation.args[k]) for k in other.args)
            ),
            None,
        )
        if arguments is not None:
            self._cacheable[(id(invocation.step), arguments)].append(invocation)
        return merged

    def _cached_by_default(self, invocation: Invocation) -> bool:
        per_call = [v for k, v in invocation.obj.options if k in ("enable_cache", "cache_policy")]
        if per_call:
            return False  # anything but the default is left to the rules
        node = invocation.step.options.get("enable_cache")
        if node is None and self._pipeline is not None:
            node = self._pipeline.options.get("enable_cache")
        return node is None or cst_utils.is_name(node, "True")

    def _fanout_loop(self, call: cst.Call, fanout: str, loops: list[Loop]) -> Loop:
        """``.map()`` zips its mapped arguments (one loop); ``.product()`` crosses them (one
        loop per argument)."""
        if fanout == "product" or not loops:
            loops.append(Loop(next(self._ids), call, None, kind=fanout))
        return loops[-1]

    def _bind_step_args(
        self,
        obj: StepObject,
        call: cst.Call,
        ctx: Context,
        env: Env,
        fanout: str | None,
        fanout_loops: list[Loop],
    ) -> tuple[dict[str, Value], Value | None]:
        step = obj.step
        args: dict[str, Value] = {}
        explicit_id: Value | None = None
        names = [p.name for p in step.params]
        position = 0
        for arg in call.args:
            value = self.eval(arg.value, ctx, env)
            keyword = arg.keyword.value if arg.keyword is not None else None
            if (
                fanout
                and keyword not in zenml_api.CALL_ONLY_KEYWORDS
                and not self._is_unmapped(arg.value, ctx)
            ):
                loop = self._fanout_loop(call, fanout, fanout_loops)
                value = Value(("mapped", loop.id, value.key), value.varies | {loop.id})
            if arg.star:
                # `*args` / `**kwargs`: every remaining parameter becomes unknown.
                for name in names:
                    args.setdefault(name, Value.unknown(ctx.loop_ids))
            elif keyword is None:
                if position < len(names):
                    args[names[position]] = value
                position += 1
            elif keyword == "id":
                explicit_id = value
            elif keyword not in zenml_api.CALL_ONLY_KEYWORDS:
                args[keyword] = value
        if fanout and not fanout_loops:
            self._fanout_loop(call, fanout, fanout_loops)
        for key, value in obj.parameters:
            if key == UNKNOWN_KEYS:
                for name in names:
                    args.setdefault(name, Value.unknown(ctx.loop_ids))
            else:
                args.setdefault(key, value)
        for param in step.params:
            if param.name not in args and param.default is not None:
                default = _literal(param.default)
                args[param.name] = default or Value(("default", step.qualname, param.name))
        return args, explicit_id

    def _is_unmapped(self, expr: cst.BaseExpression, ctx: Context) -> bool:
        return (
            isinstance(expr, cst.Call)
            and qualname_of(self.project.resolve_expr(ctx.module, expr.func)) in zenml_api.UNMAPPED
        )

    def _inline(
        self, callee: Helper | SubPipeline, call: cst.Call, ctx: Context, env: Env
    ) -> Value:
        values = [self.eval_bound(arg.value, ctx, env) for arg in call.args]
        if isinstance(callee, SubPipeline):
            module, node = callee.pipeline.module, callee.pipeline.function
        else:
            module, node = callee.module, callee.node
        if id(node) in ctx.stack or len(ctx.stack) > MAX_INLINE_DEPTH:
            return Value.unknown(ctx.loop_ids)
        if isinstance(callee, Helper):
            factory = self.factories.factory(module, node)
            if factory is not None:
                self.factory_calls.append((ctx.site or Site(ctx.module, call), factory))
        inner_env = self._bind_helper_args(node, call, values)
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

    def _bind_helper_args(self, node: cst.FunctionDef, call: cst.Call, values: list[Bound]) -> Env:
        inner: Env = {}
        params = [*node.params.posonly_params, *node.params.params]
        keyword_params = {p.name.value for p in [*params, *node.params.kwonly_params]}
        position = 0
        for arg, bound in zip(call.args, values, strict=True):
            if arg.keyword is None and not arg.star and position < len(params):
                inner[params[position].name.value] = bound
                position += 1
            elif arg.keyword is not None and arg.keyword.value in keyword_params:
                inner[arg.keyword.value] = bound
        for param in [*params, *node.params.kwonly_params]:
            if param.name.value not in inner:
                default = _literal(param.default) if param.default is not None else None
                inner[param.name.value] = default or Value(("default", id(node), param.name.value))
        return inner

    # -- what a callee expression is ----------------------------------------------------

    def callee(self, expr: cst.BaseExpression, ctx: Context, env: Env) -> Callee | None:
        if isinstance(expr, cst.Name):
            bound = env.get(expr.value)
            if bound is not None:
                return bound if isinstance(bound, Callee) else None
            return self.symbol_callee(self.project.resolve_expr(ctx.module, expr))
        if isinstance(expr, cst.Attribute):
            return self._attribute_callee(expr, ctx, env)
        if isinstance(expr, cst.Call):
            inner = self.callee(expr.func, ctx, env)
            if isinstance(inner, StepMethod) and inner.method in zenml_api.STEP_COPY_METHODS:
                return self._with_options(inner.obj, expr, ctx, env)
            if isinstance(inner, StepClass):
                self._eval_args(expr, ctx, env)
                return StepObject(inner.step)
        return None

    def _attribute_callee(self, expr: cst.Attribute, ctx: Context, env: Env) -> Callee | None:
        """``x.a.b``: a method of a step object, or a module-level path. Resolved from the
        head outwards in one pass: resolving every prefix anew is quadratic in the length
        of the chain (and generated code has chains of hundreds of attributes)."""
        attributes: list[str] = []
        head: cst.BaseExpression = expr
        while isinstance(head, cst.Attribute):
            attributes.append(head.attr.value)
            head = head.value
        found = self.callee(head, ctx, env)
        # A dotted path from a name that is no local resolves attribute by attribute.
        is_global = isinstance(head, cst.Name) and head.value not in env
        sym = self.project.resolve_expr(ctx.module, head) if is_global else None
        for attr in reversed(attributes):
            if is_global:
                sym = self.project.member(sym, attr)
            if isinstance(found, StepObject):
                found = StepMethod(found, attr)
            else:
                found = self.symbol_callee(sym) if is_global else None
        return found

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
            return StepClass(step) if step is not None else None
        if isinstance(sym, ValueSym) and isinstance(sym.node, cst.Call) and depth < 20:
            return self._module_level_step(sym.module, sym.node, depth)
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


def expr_head_is_global(expr: cst.BaseExpression, env: Env) -> bool:
    head = expr
    while isinstance(head, cst.Attribute):
        head = head.value
    return isinstance(head, cst.Name) and head.value not in env


def _is_dotted(expr: cst.BaseExpression) -> bool:
    return cst_utils.dotted_name(expr) is not None


def _param_names(node: cst.FunctionDef) -> list[str]:
    params = node.params
    names = [p.name.value for p in [*params.posonly_params, *params.params, *params.kwonly_params]]
    for star in (params.star_arg, params.star_kwarg):
        if isinstance(star, cst.Param):
            names.append(star.name.value)
    return names


def _assigned_names(body: cst.CSTNode) -> set[str]:
    """Names bound by assignments anywhere in ``body`` (nested definitions excluded)."""
    names: set[str] = set()

    class Collector(cst.CSTVisitor):
        def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
            return False

        def visit_Lambda(self, node: cst.Lambda) -> bool:
            return False

        def visit_AssignTarget(self, node: cst.AssignTarget) -> None:
            names.update(cst_utils.target_names(node.target))

        def visit_AugAssign(self, node: cst.AugAssign) -> None:
            names.update(cst_utils.target_names(node.target))

        def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
            names.update(cst_utils.target_names(node.target))

        def visit_NamedExpr(self, node: cst.NamedExpr) -> None:
            names.update(cst_utils.target_names(node.target))

    fast_visit(body, Collector())
    return names


_CONSTANTS: dict[str, object] = {"True": True, "False": False, "None": None}


def _as_bound(item: Item) -> Bound:
    if not isinstance(item, tuple):
        return item
    return Value(("tuple", *(_key(part) for part in item)))


def _key(item: Item) -> object:
    if isinstance(item, tuple):
        return tuple(_key(part) for part in item)
    return item.key if isinstance(item, Value) else ("object", id(item))


def _compare(
    operator: cst.BaseCompOp, left: Value, right: Value, members: list[object] | None
) -> bool | None:
    if isinstance(operator, (cst.In, cst.NotIn)):
        if not left.has_literal or members is None:
            return None
        found = left.literal in members
        return found if isinstance(operator, cst.In) else not found
    if not (left.has_literal and right.has_literal):
        return None
    if isinstance(operator, (cst.Equal, cst.Is)):
        return left.literal == right.literal
    if isinstance(operator, (cst.NotEqual, cst.IsNot)):
        return left.literal != right.literal
    return None


def _literal(expr: cst.BaseExpression | None) -> Value | None:
    if expr is None:
        return None
    text = cst_utils.literal_string(expr)
    if text is not None:
        return Value.of_literal(text)
    if isinstance(expr, (cst.Integer, cst.Float)):
        return Value.of_literal(cst_utils.number(expr))
    if isinstance(expr, cst.Name) and expr.value in _CONSTANTS:
        return Value.of_literal(_CONSTANTS[expr.value])
    if isinstance(expr, cst.UnaryOperation) and isinstance(expr.operator, cst.Minus):
        inner = _literal(expr.expression)
        if inner is not None and isinstance(inner.literal, (int, float)):
            return Value.of_literal(-inner.literal)
    return None


def _literal_count(iterable: cst.BaseExpression) -> int | None:
    """How many items a literal iterable has: ``["a", "b"]``, ``range(3)``, ``"abc"``."""
    if isinstance(iterable, (cst.List, cst.Tuple, cst.Set)):
        if any(isinstance(el, cst.StarredElement) for el in iterable.elements):
            return None
        return len(iterable.elements)
    if isinstance(iterable, cst.Dict):
        return (
            len(iterable.elements)
            if all(isinstance(el, cst.DictElement) for el in iterable.elements)
            else None
        )
    text = cst_utils.literal_string(iterable)
    if text is not None:
        return len(text)
    if isinstance(iterable, cst.Call) and cst_utils.is_name(iterable.func, "range"):
        args = cst_utils.positional(iterable)
        if len(args) == 1 and isinstance(args[0].value, cst.Integer):
            return max(0, int(cst_utils.number(args[0].value)))
    if isinstance(iterable, cst.Call) and cst_utils.is_name(iterable.func, "enumerate"):
        args = cst_utils.positional(iterable)
        return _literal_count(args[0].value) if args else None
    return None


def _child_expressions(node: cst.CSTNode) -> list[cst.BaseExpression]:
    """The sub-expressions of ``node`` evaluated with it (not lambdas' or nested defs')."""
    found: list[cst.BaseExpression] = []

    def collect(current: cst.CSTNode) -> None:
        for child in current.children:
            if isinstance(current, cst.Attribute) and child is current.attr:
                continue  # `x.attr`: only `x` is evaluated
            if isinstance(current, cst.Arg) and child is current.keyword:
                continue
            if isinstance(child, cst.BaseExpression) and not isinstance(child, cst.Lambda):
                found.append(child)
            elif not isinstance(child, (cst.Lambda, cst.FunctionDef)):
                collect(child)

    collect(node)
    return found


_EMPTY = cst.Module(body=[])


def _code(node: cst.CSTNode) -> str:
    return _EMPTY.code_for_node(node)
