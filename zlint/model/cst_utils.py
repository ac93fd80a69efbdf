"""Small pure helpers over LibCST nodes."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator, Sequence

import libcst as cst

from zlint.model.fast_visit import child_fields


def dotted_name(node: cst.BaseExpression | cst.CSTNode | None) -> str | None:
    """``a.b.c`` for a Name/Attribute chain, else None."""
    if isinstance(node, cst.Name):
        return node.value
    if isinstance(node, cst.Attribute):
        base = dotted_name(node.value)
        return None if base is None else f"{base}.{node.attr.value}"
    return None


def alias_name(alias: cst.ImportAlias) -> str:
    """The local name an import alias binds."""
    if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
        return alias.asname.name.value
    return dotted_name(alias.name) or ""


def is_name(node: cst.CSTNode, value: str) -> bool:
    return isinstance(node, cst.Name) and node.value == value


def literal_string(node: cst.CSTNode | None) -> str | None:
    """The value of a plain string literal (implicit concatenation included), else None."""
    if isinstance(node, cst.SimpleString):
        plain = _unescaped(node.value)
        if plain is not None:
            return plain
        value = node.evaluated_value
        return value if isinstance(value, str) else None
    if isinstance(node, cst.ConcatenatedString):
        left, right = literal_string(node.left), literal_string(node.right)
        return None if left is None or right is None else left + right
    return None


def _unescaped(literal: str) -> str | None:
    """The value of a string literal with no prefix, escape or carriage return, which is
    the text between its quotes; None for any other literal. LibCST's ``evaluated_value``
    calls ``ast.literal_eval``, whose nested functions are garbage only the cyclic collector
    frees, and the CLI pauses it for the run: thousands of strings added megabytes."""
    quote = literal[:3] if literal[:3] in ('"""', "'''") else literal[:1]
    if quote not in ('"', "'", '"""', "'''") or "\\" in literal or "\r" in literal:
        return None
    return literal[len(quote) : -len(quote)]


def number(node: cst.Integer | cst.Float) -> int | float:
    """``node.evaluated_value``, a plain decimal integer read without ``literal_eval``
    (see ``_unescaped``)."""
    if isinstance(node, cst.Integer) and node.value.isascii() and node.value.isdigit():
        return int(node.value)
    return node.evaluated_value


def string_sequence(node: cst.BaseExpression) -> tuple[str, ...] | None:
    """The strings of a literal list/tuple of strings, else None."""
    if not isinstance(node, (cst.List, cst.Tuple)):
        return None
    values = [literal_string(el.value) for el in node.elements]
    if any(v is None for v in values):
        return None
    return tuple(v for v in values if v is not None)


def unpack_assignment(
    target: cst.BaseExpression, value: cst.BaseExpression
) -> Iterator[tuple[str, cst.BaseExpression]]:
    """Pairs (name, value) that an assignment binds, where the value is known."""
    if isinstance(target, cst.Name):
        yield target.value, value
    elif isinstance(target, (cst.Tuple, cst.List)) and isinstance(value, (cst.Tuple, cst.List)):
        if len(target.elements) != len(value.elements):
            return
        for t, v in zip(target.elements, value.elements, strict=True):
            if isinstance(t, cst.StarredElement) or isinstance(v, cst.StarredElement):
                return
            yield from unpack_assignment(t.value, v.value)


def child_blocks(
    stmt: cst.CSTNode,
) -> Iterator[Sequence[cst.BaseStatement | cst.BaseSmallStatement]]:
    """The statement lists directly inside an if/try/with/for/while (not def or class)."""
    if isinstance(stmt, cst.If):
        yield stmt.body.body
        if stmt.orelse is not None:
            yield from (
                [stmt.orelse.body.body] if isinstance(stmt.orelse, cst.Else) else [[stmt.orelse]]
            )
    elif isinstance(stmt, cst.Try | cst.TryStar):
        yield stmt.body.body
        for handler in stmt.handlers:
            yield handler.body.body
        for extra in (stmt.orelse, stmt.finalbody):
            if extra is not None:
                yield extra.body.body
    elif isinstance(stmt, cst.With | cst.For | cst.While):
        yield stmt.body.body
        orelse = getattr(stmt, "orelse", None)
        if orelse is not None:
            yield orelse.body.body
    elif isinstance(stmt, cst.Match):
        for case in stmt.cases:
            yield case.body.body


def future_annotations(tree: cst.Module) -> bool:
    """Whether the module has ``from __future__ import annotations``: its annotations are
    strings, evaluated (by ZenML, for a step) in the module's globals."""
    for statement in tree.body:
        if not isinstance(statement, cst.SimpleStatementLine):
            continue
        for small in statement.body:
            if (
                isinstance(small, cst.ImportFrom)
                and dotted_name(small.module) == "__future__"
                and not isinstance(small.names, cst.ImportStar)
                and any(alias_name(a) == "annotations" for a in small.names)
            ):
                return True
    return False


def keyword(call: cst.Call, name: str) -> cst.Arg | None:
    for arg in call.args:
        if arg.keyword is not None and arg.keyword.value == name:
            return arg
    return None


def positional(call: cst.Call) -> list[cst.Arg]:
    return [a for a in call.args if a.keyword is None and not a.star]


def target_names(target: cst.BaseExpression) -> list[str]:
    """The names an assignment or loop target binds (``a``, ``a, (b, *c)``)."""
    if isinstance(target, cst.Name):
        return [target.value]
    if isinstance(target, (cst.Tuple, cst.List)):
        return [n for el in target.elements for n in target_names(el.value)]
    if isinstance(target, cst.StarredElement):
        return target_names(target.value)
    return []


_FIELDS: dict[type[cst.CSTNode], tuple[str, ...]] = {}
_IS_NODE: dict[type, bool] = {}


def child_nodes(node: cst.CSTNode) -> Iterator[cst.CSTNode]:
    """The nodes directly below ``node``, read from its dataclass fields: much cheaper than
    ``node.children``, which runs a visitor that rebuilds the node. Only the fields LibCST
    visits can hold nodes, and each value's type is judged once (``isinstance`` against
    LibCST's abstract node class is slow)."""
    kind = type(node)
    names = _FIELDS.get(kind)
    if names is None:
        visited = set(child_fields(kind))
        names = _FIELDS[kind] = tuple(f.name for f in dataclasses.fields(node) if f.name in visited)
    for name in names:
        value = getattr(node, name)
        if _is_node(type(value)):
            yield value
        elif isinstance(value, (list, tuple)):
            yield from (item for item in value if _is_node(type(item)))


def _is_node(kind: type) -> bool:
    found = _IS_NODE.get(kind)
    if found is None:
        found = _IS_NODE[kind] = issubclass(kind, cst.CSTNode)
    return found


def parent_map(root: cst.CSTNode) -> dict[int, cst.CSTNode]:
    """``id(node) -> parent`` for every node below ``root`` (LibCST nodes know no parent)."""
    parents: dict[int, cst.CSTNode] = {}
    stack = [root]
    while stack:
        node = stack.pop()
        for child in child_nodes(node):
            parents[id(child)] = node
            stack.append(child)
    return parents
