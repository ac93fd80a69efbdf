"""What the sections of the pipeline walk share: the kinds of things a name in a pipeline
body can be bound to, the walk's context, its limits, and small helpers on nodes."""

from __future__ import annotations

from collections.abc import Callable, Sequence
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
from zlint.model.symbols import ClassSym

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


@dataclass(frozen=True)
class Argument:
    """One argument of a call, evaluated once: by position or ``keyword``, ``star`` is
    ``"*"`` or ``"**"`` for unpacked ones; ``node`` is what was written (None when zlint
    made the argument up, as ``map`` does for each item)."""

    keyword: str | None
    value: Bound
    star: str = ""
    node: cst.BaseExpression | None = None


@dataclass(frozen=True, eq=False)
class Partial:
    """``functools.partial(func, *args, **keywords)``: calling it calls ``func`` with these
    arguments first (keywords of the call win)."""

    func: Callee
    args: tuple[Argument, ...]


@dataclass(frozen=True, eq=False)
class LambdaFn:
    """A ``lambda`` written in the walked code; ``env`` is the scope it closes over."""

    module: ModuleInfo
    node: cst.Lambda
    env: Env


@dataclass(eq=False)
class LazyMap:
    """``map(func, *iterables)``: nothing is called until something iterates it (a bare
    ``map(step, xs)`` runs no step under ZenML 0.98). ``iterables`` holds each iterable's
    items when written out, else its value; once iterated, it is ``consumed`` (empty)."""

    func: Callee
    iterables: tuple[list[Item] | Value, ...]
    module: ModuleInfo
    node: cst.Call
    consumed: bool = False


@dataclass(frozen=True, eq=False)
class ProjectClass:
    """A class of the project that is not a step: calling it makes an :class:`Instance`."""

    cls: ClassSym


@dataclass(eq=False)
class Instance:
    """An object of a project class made in the walked code; ``attrs`` are what its
    methods assigned to ``self`` so far. Made in a loop walked once for all iterations,
    it is a new object each time: it ``varies`` over those loops."""

    cls: ClassSym
    attrs: dict[str, Bound]
    varies: frozenset[int] = frozenset()


@dataclass(frozen=True, eq=False)
class Method:
    """A function of a project class as reached through an instance or the class:
    ``receiver`` is passed as its first parameter (None: a static method)."""

    module: ModuleInfo
    node: cst.FunctionDef
    receiver: Instance | ProjectClass | None


@dataclass(frozen=True, eq=False)
class Container:
    """A list, tuple, set or dict written in the walked code that holds callables (step
    objects, helpers): ``value`` is what it equals as a value, ``items`` its elements (a
    dict's values, with ``keys``)."""

    value: Value
    items: tuple[Bound, ...]
    keys: tuple[Value, ...] | None = None


Callee = (
    StepObject
    | StepMethod
    | StepClass
    | Helper
    | SubPipeline
    | Partial
    | LambdaFn
    | ProjectClass
    | Instance
    | Method
)
Bound = Value | Callee | Container | LazyMap
Env = dict[str, Bound]
#: What to do with each item an iterated ``map`` yields: its result, the context of its
#: iteration, and the loop when the items are not known (walked once, symbolically).
Each = Callable[[Bound, "Context", "Loop | None"], None]
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
    return as_value(item).key


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


def as_value(bound: Bound) -> Value:
    """What a bound thing equals as a value: a container its written-out elements, a
    project class its qualified name, any other object only itself."""
    if isinstance(bound, Value):
        return bound
    if isinstance(bound, Container):
        return bound.value
    if isinstance(bound, ProjectClass):
        return Value(("global", bound.cls.qualname))
    if isinstance(bound, Instance):
        return Value(("object", id(bound)), bound.varies)
    return Value(("object", id(bound)))


def attribute_value(expr: cst.BaseExpression, head: cst.BaseExpression, base: Value) -> Value:
    """``head.a.b`` as a value when nothing more is known: equal to another written the
    same over an equal head (the key ``_derived`` would give, without evaluating again)."""
    chain: list[cst.BaseExpression] = []
    while expr is not head and isinstance(expr, cst.Attribute):
        chain.append(expr)
        expr = expr.value
    value = base
    for node in reversed(chain):
        value = Value(("expr", code_of(node), (value.key,)), value.varies)
    return value


def merge_partial(bound: Sequence[Argument], given: Sequence[Argument]) -> list[Argument]:
    """The arguments ``functools.partial(f, *bound)(*given)`` passes to ``f``: positional
    ones in order, keywords with the call's winning."""
    positional = [a for a in [*bound, *given] if a.keyword is None]
    keywords: dict[str, Argument] = {}
    for argument in [*bound, *given]:
        if argument.keyword is not None:
            keywords[argument.keyword] = argument
    return [*positional, *keywords.values()]


def bind_params(
    params: cst.Parameters, args: Sequence[Argument], receiver: Bound | None, owner: int
) -> Env:
    """The names a function (or lambda) sees when called with ``args``; ``receiver`` goes
    to its first parameter (``self``, ``cls``). Parameters left out get their literal
    default or a value of their own (``owner``: the function's id)."""
    inner: Env = {}
    positional = [*params.posonly_params, *params.params]
    if receiver is not None and positional:
        inner[positional[0].name.value] = receiver
        positional = positional[1:]
    keyword_params = {p.name.value for p in [*positional, *params.kwonly_params]}
    position = 0
    for arg in args:
        if arg.keyword is None and not arg.star and position < len(positional):
            inner[positional[position].name.value] = arg.value
            position += 1
        elif arg.keyword is not None and arg.keyword in keyword_params:
            inner[arg.keyword] = arg.value
    for param in [*positional, *params.kwonly_params]:
        if param.name.value not in inner:
            default = literal_value(param.default) if param.default is not None else None
            inner[param.name.value] = default or Value(("default", owner, param.name.value))
    return inner
