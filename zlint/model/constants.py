"""Evaluating the strings a project spells with constants: ``NAMES.TRAIN``, ``PREFIX + "_x"``."""

from __future__ import annotations

import libcst as cst

from zlint.model import cst_utils
from zlint.model.modules import ModuleInfo
from zlint.model.project import Project
from zlint.model.symbols import ClassSym, ValueSym

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
