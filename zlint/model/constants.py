"""Evaluating the constants a project spells: strings (``NAMES.TRAIN``, ``PREFIX + "_x"``)
and the plain values of module constants (``flags.ENABLED``, ``MODE == "full"``).

Real code builds artifact names, ids and keys at module level with pure string operations
on constants: ``"_".join([PREFIX, "features"])``, ``"{}_x".format(P)``, ``"%s_x" % P``,
f-strings, ``P.upper()``, ``P.replace("-", "_")``, ``P[:3]``. Each of them is worked out
here from the literal pieces, never by running the checked code; one unknown piece makes
the whole string unknown (None), so a caller never compares a name it only guessed.
"""

from __future__ import annotations

import re
import string
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, cast

import libcst as cst

from zlint.model import cst_utils
from zlint.model.modules import ModuleInfo
from zlint.model.project import Project
from zlint.model.symbols import ClassSym, ModuleSym, ValueSym

_MAX_DEPTH = 20
#: ``%`` templates zlint works out: ``%s`` (``%r``, ``%a``) and ``%%``, nothing with a
#: width, precision or mapping key.
_PERCENT_TEMPLATE = re.compile(r"(?:[^%]|%[sra%])*", re.DOTALL)
#: ``str`` methods without arguments that zlint applies to a known string.
_PLAIN_METHODS: dict[str, Callable[[str], str]] = {
    "upper": str.upper,
    "lower": str.lower,
    "title": str.title,
    "capitalize": str.capitalize,
    "casefold": str.casefold,
    "swapcase": str.swapcase,
}
#: ``str`` methods with string arguments (their count) that zlint applies.
_STRING_ARG_METHODS: dict[str, tuple[int, ...]] = {
    "strip": (0, 1),
    "lstrip": (0, 1),
    "rstrip": (0, 1),
    "replace": (2,),
    "removeprefix": (1,),
    "removesuffix": (1,),
}
#: Every ``str`` method whose result is a string zlint may know: a call of one of them on a
#: value it does not know gives a string it does not know either.
STRING_METHODS = frozenset({*_PLAIN_METHODS, *_STRING_ARG_METHODS, "join", "format"})


def const_string(
    project: Project,
    module: ModuleInfo,
    expr: cst.BaseExpression,
    depth: int = 0,
    scope: ClassSym | None = None,
) -> str | None:
    """The string ``expr`` always evaluates to, or None when it is not a compile-time constant.

    ``scope`` is the class body ``expr`` stands in, whose earlier attributes it may use.
    """
    if depth > _MAX_DEPTH:
        return None
    literal = cst_utils.literal_string(expr)
    if literal is not None:
        return literal
    evaluate = _Evaluator(project, module, depth + 1, scope)
    if isinstance(expr, (cst.Name, cst.Attribute)):
        return evaluate.reference(expr)
    if isinstance(expr, cst.BinaryOperation):
        return evaluate.binary(expr)
    if isinstance(expr, cst.FormattedString):
        return evaluate.fstring(expr)
    if isinstance(expr, cst.Call):
        return evaluate.method_call(expr)
    if isinstance(expr, cst.Subscript):
        return evaluate.subscript(expr)
    return None


class _Evaluator:
    """The string operations of one expression; its parts are evaluated one level deeper."""

    def __init__(
        self, project: Project, module: ModuleInfo, depth: int, scope: ClassSym | None
    ) -> None:
        self.project = project
        self.module = module
        self.depth = depth
        self.scope = scope

    def string(self, expr: cst.BaseExpression) -> str | None:
        return const_string(self.project, self.module, expr, self.depth, self.scope)

    def strings(self, exprs: Sequence[cst.BaseExpression]) -> list[str] | None:
        values = [self.string(e) for e in exprs]
        return None if any(v is None for v in values) else [v for v in values if v is not None]

    def reference(self, expr: cst.Name | cst.Attribute) -> str | None:
        sym = None
        if self.scope is not None and isinstance(expr, cst.Name):
            sym = self.project.member(self.scope, expr.value)
        sym = sym or self.project.resolve_expr(self.module, expr)
        if isinstance(sym, ValueSym):
            return const_string(self.project, sym.module, sym.node, self.depth, sym.scope)
        return None

    def binary(self, expr: cst.BinaryOperation) -> str | None:
        if isinstance(expr.operator, cst.Add):
            left, right = self.string(expr.left), self.string(expr.right)
            return None if left is None or right is None else left + right
        if isinstance(expr.operator, cst.Modulo):
            return self._percent(expr)
        return None

    def _percent(self, expr: cst.BinaryOperation) -> str | None:
        """``"%s_x" % P`` and ``"%s_%s" % (A, B)``."""
        template = self.string(expr.left)
        if template is None or not _PERCENT_TEMPLATE.fullmatch(template):
            return None
        right = expr.right
        items = [e.value for e in right.elements] if isinstance(right, cst.Tuple) else [right]
        if isinstance(right, cst.Tuple) and any(
            isinstance(e, cst.StarredElement) for e in right.elements
        ):
            return None
        values = self.strings(items)
        if values is None:
            return None
        try:
            return template % tuple(values)
        except (TypeError, ValueError):
            return None

    def fstring(self, expr: cst.FormattedString) -> str | None:
        pieces: list[str] = []
        for part in expr.parts:
            if isinstance(part, cst.FormattedStringText):
                # `{{x}}` in an f-string is the literal text `{x}`: a ZenML placeholder.
                pieces.append(part.value.replace("{{", "{").replace("}}", "}"))
                continue
            if not isinstance(part, cst.FormattedStringExpression):
                return None
            if part.conversion is not None or part.format_spec is not None:
                return None
            value = self.string(part.expression)
            if value is None:
                return None
            pieces.append(value)
        return "".join(pieces)

    def method_call(self, call: cst.Call) -> str | None:
        """A ``str`` method called on a known string with known arguments."""
        func = call.func
        if not isinstance(func, cst.Attribute) or func.attr.value not in STRING_METHODS:
            return None
        receiver = self.string(func.value)
        if receiver is None or any(a.star for a in call.args):
            return None
        method = func.attr.value
        if method == "format":
            return self._format(receiver, call.args)
        if any(a.keyword is not None for a in call.args):
            return None
        args = [a.value for a in call.args]
        if method == "join":
            return self._join(receiver, args)
        if method in _PLAIN_METHODS:
            return _PLAIN_METHODS[method](receiver) if not args else None
        return self._with_string_args(receiver, method, args)

    def _join(self, separator: str, args: list[cst.BaseExpression]) -> str | None:
        if len(args) != 1 or not isinstance(args[0], (cst.List, cst.Tuple)):
            return None
        elements = args[0].elements
        if any(isinstance(e, cst.StarredElement) for e in elements):
            return None
        values = self.strings([e.value for e in elements])
        return None if values is None else separator.join(values)

    def _with_string_args(
        self, receiver: str, method: str, args: list[cst.BaseExpression]
    ) -> str | None:
        if len(args) not in _STRING_ARG_METHODS[method]:
            return None
        values = self.strings(args)
        if values is None:
            return None
        result: str = getattr(receiver, method)(*values)
        return result

    def _format(self, template: str, args: Sequence[cst.Arg]) -> str | None:
        """``"{}_x".format(P)``, ``"{0}_{name}".format(P, name=Q)``: plain fields only."""
        if not _plain_format_fields(template):
            return None
        positional = self.strings([a.value for a in args if a.keyword is None])
        keywords = {a.keyword.value: self.string(a.value) for a in args if a.keyword is not None}
        if positional is None or any(v is None for v in keywords.values()):
            return None
        try:
            return template.format(*positional, **keywords)
        except (IndexError, KeyError, ValueError):
            return None

    def subscript(self, expr: cst.Subscript) -> str | None:
        """``P[:3]``, ``P[-1]``: slices and indexes with integer literals or constants."""
        if len(expr.slice) != 1:
            return None
        value = self.string(expr.value)
        if value is None:
            return None
        index = expr.slice[0].slice
        if isinstance(index, cst.Index):
            position = self._integer(index.value)
            if position is None or not -len(value) <= position < len(value):
                return None
            return value[position]
        assert isinstance(index, cst.Slice)
        parts = (index.lower, index.upper, index.step)
        bounds = [None if part is None else self._integer(part) for part in parts]
        unknown = any(b is None and p is not None for b, p in zip(bounds, parts, strict=True))
        if unknown or bounds[2] == 0:
            return None
        return value[bounds[0] : bounds[1] : bounds[2]]

    def _integer(self, expr: cst.BaseExpression) -> int | None:
        if self.depth > _MAX_DEPTH:
            return None
        if isinstance(expr, cst.Integer):
            value = cst_utils.number(expr)
            return value if isinstance(value, int) else None
        if isinstance(expr, cst.UnaryOperation) and isinstance(expr.operator, cst.Minus):
            inner = self._integer(expr.expression)
            return None if inner is None else -inner
        if isinstance(expr, (cst.Name, cst.Attribute)):
            sym = self.project.resolve_expr(self.module, expr)
            if isinstance(sym, ValueSym):
                deeper = _Evaluator(self.project, sym.module, self.depth + 1, sym.scope)
                return deeper._integer(sym.node)
        return None


def _plain_format_fields(template: str) -> bool:
    """Whether every field of ``template`` is ``{}``, ``{0}`` or ``{name}`` with at most a
    ``!s``/``!r``/``!a`` conversion: no attribute, item or format spec to work out."""
    try:
        fields = list(string.Formatter().parse(template))
    except ValueError:
        return False
    for _, name, spec, conversion in fields:
        if name is None:
            continue
        if spec or conversion not in (None, "s", "r", "a"):
            return False
        if name and not (name.isdigit() or name.isidentifier()):
            return False
    return True


@dataclass(frozen=True)
class Known:
    """A module constant's value (``None`` included, hence the wrapper)."""

    value: object


#: The plain values a module constant may hold; anything else is not folded.
_PLAIN = (bool, int, float, str, type(None))
_NAMED = {"True": True, "False": False, "None": None}


def const_value(
    project: Project, module: ModuleInfo, expr: cst.BaseExpression, depth: int = 0
) -> Known | None:
    """The plain value (bool, number, string, None) ``expr`` always has when the module is
    imported, or None: literals, module constants reached through imports and attribute
    access (``flags.ENABLED``), and ``not``, ``and``/``or``, comparisons and arithmetic
    over them. A name counts as a constant only when its module assigns it once, at the
    top level: one rebound in a branch or a function (``global``) may hold either value."""
    if depth > _MAX_DEPTH:
        return None
    text = cst_utils.literal_string(expr)
    if text is not None:
        return Known(text)
    if isinstance(expr, (cst.Integer, cst.Float)):
        return Known(cst_utils.number(expr))
    if isinstance(expr, cst.Name) and expr.value in _NAMED:
        return Known(_NAMED[expr.value])
    if isinstance(expr, (cst.Name, cst.Attribute)):
        return _named_constant(project, module, expr, depth)
    if isinstance(expr, cst.UnaryOperation):
        return _unary(project, module, expr, depth)
    if isinstance(expr, cst.BooleanOperation):
        return _boolean(project, module, expr, depth)
    if isinstance(expr, cst.Comparison):
        return _comparison(project, module, expr, depth)
    if isinstance(expr, cst.BinaryOperation):
        return _arithmetic(project, module, expr, depth)
    folded = const_string(project, module, expr, depth)
    return Known(folded) if folded is not None else None


def _named_constant(
    project: Project, module: ModuleInfo, expr: cst.Name | cst.Attribute, depth: int
) -> Known | None:
    owner: ModuleInfo | None = module
    if isinstance(expr, cst.Attribute):
        base = project.resolve_expr(module, expr.value)
        owner = base.info if isinstance(base, ModuleSym) else None  # not class attributes
    name = expr.value if isinstance(expr, cst.Name) else expr.attr.value
    found = project.assignment_of(owner, name) if owner is not None else None
    if found is None:
        return None
    assigned_in, assignment = found
    if not assigned_once(assigned_in, name):
        return None
    return const_value(project, assigned_in, assignment.value, depth + 1)


def assigned_once(module: ModuleInfo, name: str) -> bool:
    """Whether ``module`` binds ``name`` in exactly one assignment, at its top level, and
    never declares it ``global`` (a function could then rebind it)."""
    escaped = re.escape(name)
    assignments = re.findall(
        rf"^([ \t]*){escaped}[ \t]*(?::[^=\n]*)?(?:[-+*/|&^%@]|//|\*\*|>>|<<)?=(?!=)",
        module.text,
        re.MULTILINE,
    )
    if len(assignments) != 1 or assignments[0] != "":
        return False
    return re.search(rf"^[ \t]*global\b[^\n]*\b{escaped}\b", module.text, re.MULTILINE) is None


def _unary(
    project: Project, module: ModuleInfo, expr: cst.UnaryOperation, depth: int
) -> Known | None:
    operand = const_value(project, module, expr.expression, depth + 1)
    if operand is None:
        return None
    value = operand.value
    if isinstance(expr.operator, cst.Not):
        return Known(not value)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if isinstance(expr.operator, cst.Minus):
            return Known(-value)
        if isinstance(expr.operator, cst.Plus):
            return Known(value)
    return None


def _boolean(
    project: Project, module: ModuleInfo, expr: cst.BooleanOperation, depth: int
) -> Known | None:
    """``a and b`` / ``a or b`` with Python's result: the operand that decided."""
    left = const_value(project, module, expr.left, depth + 1)
    if left is None:
        return None
    decided = not left.value if isinstance(expr.operator, cst.And) else bool(left.value)
    return left if decided else const_value(project, module, expr.right, depth + 1)


def _comparison(
    project: Project, module: ModuleInfo, expr: cst.Comparison, depth: int
) -> Known | None:
    left = const_value(project, module, expr.left, depth + 1)
    for target in expr.comparisons:
        if left is None:
            return None
        right = const_value(project, module, target.comparator, depth + 1)
        members = _constant_members(project, module, target.comparator, depth)
        result = compare_plain(target.operator, left, right, members)
        if result is None:
            return None
        if not result:
            return Known(False)
        left = right
    return Known(True)


def _constant_members(
    project: Project, module: ModuleInfo, expr: cst.BaseExpression, depth: int
) -> list[object] | None:
    if not isinstance(expr, (cst.List, cst.Tuple, cst.Set)):
        return None
    members = []
    for element in expr.elements:
        if isinstance(element, cst.StarredElement):
            return None
        known = const_value(project, module, element.value, depth + 1)
        if known is None:
            return None
        members.append(known.value)
    return members


def compare_plain(
    operator: cst.BaseCompOp, left: Known, right: Known | None, members: list[object] | None
) -> bool | None:
    """``left <operator> right`` for plain values; ``members``: the items of a written-out
    list, tuple or set on the right (for ``in``). None when it cannot be worked out."""
    if isinstance(operator, (cst.In, cst.NotIn)):
        found = _contains(left.value, right, members)
        if found is None:
            return None
        return found if isinstance(operator, cst.In) else not found
    if right is None:
        return None
    a, b = left.value, right.value
    if isinstance(operator, (cst.Is, cst.IsNot)):
        # Identity is only certain for the singletons; `"a" is "a"` depends on interning.
        if not any(v is None or isinstance(v, bool) for v in (a, b)):
            return None
        same = a is b
        return same if isinstance(operator, cst.Is) else not same
    if isinstance(operator, cst.Equal):
        return a == b
    if isinstance(operator, cst.NotEqual):
        return a != b
    return _ordered(operator, a, b)


def _contains(item: object, right: Known | None, members: list[object] | None) -> bool | None:
    if members is not None:
        return item in members
    if right is not None and isinstance(right.value, str) and isinstance(item, str):
        return item in right.value
    return None


def _ordered(operator: cst.BaseCompOp, a: object, b: object) -> bool | None:
    numbers = (int, float)
    if not (
        (isinstance(a, numbers) and isinstance(b, numbers))
        or (isinstance(a, str) and isinstance(b, str))
    ):
        return None
    x, y = cast(Any, a), cast(Any, b)
    if isinstance(operator, cst.LessThan):
        return bool(x < y)
    if isinstance(operator, cst.LessThanEqual):
        return bool(x <= y)
    if isinstance(operator, cst.GreaterThan):
        return bool(x > y)
    if isinstance(operator, cst.GreaterThanEqual):
        return bool(x >= y)
    return None


def _arithmetic(
    project: Project, module: ModuleInfo, expr: cst.BinaryOperation, depth: int
) -> Known | None:
    left = const_value(project, module, expr.left, depth + 1)
    right = const_value(project, module, expr.right, depth + 1) if left is not None else None
    if left is None or right is None:
        return None
    a, b = left.value, right.value
    if isinstance(a, str) and isinstance(b, str) and isinstance(expr.operator, cst.Add):
        return Known(a + b)
    numbers = (int, float)
    if not (isinstance(a, numbers) and isinstance(b, numbers)):
        return None
    x, y = cast(Any, a), cast(Any, b)
    if isinstance(expr.operator, cst.Add):
        return Known(x + y)
    if isinstance(expr.operator, cst.Subtract):
        return Known(x - y)
    if isinstance(expr.operator, cst.Multiply):
        return Known(x * y)
    return None
