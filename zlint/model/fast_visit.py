"""Runs a LibCST visitor's ``visit_X``/``leave_X`` hooks without LibCST's machinery.

``node.visit(visitor)`` rebuilds every node it passes (``_visit_and_replace_children``
constructs a copy, validated, even for a read-only visitor) and dispatches twice per
node and field; on the metadata walks over step and helper bodies that costs more than
parsing the module. :func:`fast_visit` calls the same hooks in the same order, reading
the children in the order LibCST visits them (taken from each node class's own
``_visit_and_replace_children``), and skips the fields that hold only whitespace and
punctuation when the visitor has no hook for those nodes. ``tests/test_fast_visit.py``
checks the hook sequences against LibCST's on real code.

Only for plain :class:`libcst.CSTVisitor` subclasses that define ``visit_X``/``leave_X``
hooks (no metadata, no attribute hooks, no ``on_visit`` of their own).
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable

import libcst as cst

_FIELD = re.compile(
    r"visit_(?:required|optional|sentinel|sequence|iterable|body_sequence|body_iterable)"
    r"\(\s*self,\s*\"(\w+)\""
)
#: Fields that hold only whitespace, comments and punctuation.
_FORMATTING_FIELDS = frozenset(
    {
        "colon", "comma", "dot", "empty_lines", "equal", "first_colon", "second_colon",
        "footer", "header", "lbrace", "lbracket", "leading_lines", "leading_whitespace",
        "lines_after_decorators", "lpar", "rbrace", "rbracket", "rpar", "semicolon",
        "trailing_whitespace", "newline", "trailing_comma", "first_line", "last_line",
    }
)  # fmt: skip
#: The nodes those fields hold: a visitor with a hook for one of them sees every field.
_FORMATTING_NODES = (
    "SimpleWhitespace", "ParenthesizedWhitespace", "TrailingWhitespace", "EmptyLine",
    "Newline", "Comment", "Comma", "Colon", "Semicolon", "Dot", "AssignEqual", "LeftParen",
    "RightParen", "LeftSquareBracket", "RightSquareBracket", "LeftCurlyBrace",
    "RightCurlyBrace", "BaseParenthesizableWhitespace",
)  # fmt: skip

Hook = Callable[[cst.CSTVisitor, cst.CSTNode], object]
_Plan = tuple["Hook | None", "Hook | None", tuple[str, ...]]

_ALL_FIELDS: dict[type[cst.CSTNode], tuple[str, ...]] = {}
_PLANS: dict[tuple[type[cst.CSTVisitor], type[cst.CSTNode]], _Plan] = {}
_SEES_FORMATTING: dict[type[cst.CSTVisitor], bool] = {}


def child_fields(kind: type[cst.CSTNode]) -> tuple[str, ...]:
    """The fields of ``kind`` in the order LibCST visits them."""
    fields = _ALL_FIELDS.get(kind)
    if fields is None:
        source = inspect.getsource(kind._visit_and_replace_children)
        fields = _ALL_FIELDS[kind] = tuple(dict.fromkeys(_FIELD.findall(source)))
    return fields


def fast_visit(node: cst.CSTNode, visitor: cst.CSTVisitor) -> None:
    """``node.visit(visitor)`` for a read-only visitor, without rebuilding the tree."""
    _visit(node, visitor, type(visitor))


def _visit(node: cst.CSTNode, visitor: cst.CSTVisitor, owner: type[cst.CSTVisitor]) -> None:
    plan = _PLANS.get((owner, type(node)))
    if plan is None:
        plan = _PLANS[(owner, type(node))] = _plan(owner, type(node))
    visit, leave, fields = plan
    if visit is None or visit(visitor, node) is not False:
        for name in fields:
            value = getattr(node, name)
            if isinstance(value, cst.CSTNode):
                _visit(value, visitor, owner)
            elif isinstance(value, (list, tuple)):
                for item in value:
                    if isinstance(item, cst.CSTNode):
                        _visit(item, visitor, owner)
    if leave is not None:
        leave(visitor, node)


def _plan(owner: type[cst.CSTVisitor], kind: type[cst.CSTNode]) -> _Plan:
    if owner not in _SEES_FORMATTING:
        assert owner.on_visit is cst.CSTVisitor.on_visit, "fast_visit runs hooks only"
        assert owner.on_leave is cst.CSTVisitor.on_leave, "fast_visit runs hooks only"
        _SEES_FORMATTING[owner] = any(
            hasattr(owner, f"{prefix}_{name}")
            for name in _FORMATTING_NODES
            for prefix in ("visit", "leave")
        )
    fields = child_fields(kind)
    if not _SEES_FORMATTING[owner]:
        fields = tuple(
            f for f in fields if f not in _FORMATTING_FIELDS and not f.startswith("whitespace")
        )
    visit = getattr(owner, f"visit_{kind.__name__}", None)
    leave = getattr(owner, f"leave_{kind.__name__}", None)
    return visit, leave, fields
