"""Evaluating the strings a project spells with constants: ``NAMES.TRAIN``, ``PREFIX + "_x"``.

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

import libcst as cst

from zlint.model import cst_utils
from zlint.model.modules import ModuleInfo
from zlint.model.project import Project
from zlint.model.symbols import ClassSym, ValueSym

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
