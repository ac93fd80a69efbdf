"""What the sections of the pipeline walk share: the kinds of things a name in a pipeline
body can be bound to, the walk's context, its limits, and small helpers on nodes."""

from __future__ import annotations

from dataclasses import dataclass

import libcst as cst

from zlint.model import cst_utils
from zlint.model.constants import Known, compare_plain
from zlint.model.definitions import PipelineDef, StepDef
from zlint.model.fast_visit import fast_visit
from zlint.model.invocations import (
    Loop,
    Site,
    StepObject,
    Value,
)
from zlint.model.modules import ModuleInfo

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


def expr_head_is_global(expr: cst.BaseExpression, env: Env) -> bool:
    head = expr
    while isinstance(head, cst.Attribute):
        head = head.value
    return isinstance(head, cst.Name) and head.value not in env


def is_dotted(expr: cst.BaseExpression) -> bool:
    return cst_utils.dotted_name(expr) is not None


def param_names(node: cst.FunctionDef) -> list[str]:
    params = node.params
    names = [p.name.value for p in [*params.posonly_params, *params.params, *params.kwonly_params]]
    for star in (params.star_arg, params.star_kwarg):
        if isinstance(star, cst.Param):
            names.append(star.name.value)
    return names


def assigned_names(body: cst.CSTNode) -> set[str]:
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


NAMED_CONSTANTS: dict[str, object] = {"True": True, "False": False, "None": None}


def as_bound(item: Item) -> Bound:
    if not isinstance(item, tuple):
        return item
    return Value(("tuple", *(item_key(part) for part in item)))


def item_key(item: Item) -> object:
    if isinstance(item, tuple):
        return tuple(item_key(part) for part in item)
    return item.key if isinstance(item, Value) else ("object", id(item))


def compare(
    operator: cst.BaseCompOp, left: Value, right: Value, members: list[object] | None
) -> bool | None:
    """``left <operator> right`` when both sides are known here (``in``: ``members`` are the
    items of a written-out list, tuple or set); None when it cannot be worked out."""
    if not left.has_literal:
        return None
    known_right = Known(right.literal) if right.has_literal else None
    return compare_plain(operator, Known(left.literal), known_right, members)


def literal_value(expr: cst.BaseExpression | None) -> Value | None:
    if expr is None:
        return None
    text = cst_utils.literal_string(expr)
    if text is not None:
        return Value.of_literal(text)
    if isinstance(expr, (cst.Integer, cst.Float)):
        return Value.of_literal(cst_utils.number(expr))
    if isinstance(expr, cst.Name) and expr.value in NAMED_CONSTANTS:
        return Value.of_literal(NAMED_CONSTANTS[expr.value])
    if isinstance(expr, cst.UnaryOperation) and isinstance(expr.operator, cst.Minus):
        inner = literal_value(expr.expression)
        if inner is not None and isinstance(inner.literal, (int, float)):
            return Value.of_literal(-inner.literal)
    return None


def literal_count(iterable: cst.BaseExpression) -> int | None:
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
        return literal_count(args[0].value) if args else None
    return None


def child_expressions(node: cst.CSTNode) -> list[cst.BaseExpression]:
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


def code_of(node: cst.CSTNode) -> str:
    return _EMPTY.code_for_node(node)
