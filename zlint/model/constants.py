"""Evaluating the constants a project spells: strings (``NAMES.TRAIN``, ``PREFIX + "_x"``)
and the plain values of module constants (``flags.ENABLED``, ``MODE == "full"``)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, cast

import libcst as cst

from zlint.model import cst_utils
from zlint.model.modules import ModuleInfo
from zlint.model.project import Project
from zlint.model.symbols import ClassSym, ModuleSym, ValueSym

_MAX_DEPTH = 20


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
    if isinstance(expr, (cst.Name, cst.Attribute)):
        sym = None
        if scope is not None and isinstance(expr, cst.Name):
            sym = project.member(scope, expr.value)
        sym = sym or project.resolve_expr(module, expr)
        if isinstance(sym, ValueSym):
            return const_string(project, sym.module, sym.node, depth + 1, sym.scope)
        return None
    if isinstance(expr, cst.BinaryOperation) and isinstance(expr.operator, cst.Add):
        left = const_string(project, module, expr.left, depth + 1, scope)
        right = const_string(project, module, expr.right, depth + 1, scope)
        return None if left is None or right is None else left + right
    if isinstance(expr, cst.FormattedString):
        return _const_fstring(project, module, expr, depth, scope)
    return None


def _const_fstring(
    project: Project,
    module: ModuleInfo,
    expr: cst.FormattedString,
    depth: int,
    scope: ClassSym | None,
) -> str | None:
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
        value = const_string(project, module, part.expression, depth + 1, scope)
        if value is None:
            return None
        pieces.append(value)
    return "".join(pieces)


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
