"""A module's surface (what :func:`zlint.model.modules.build_module_info` records) read
with the stdlib :mod:`ast`, for modules loaded only to resolve names.

Resolving ``from zenml.client import Client`` needs to know that ``client.py`` defines
``Client``, not its LibCST tree: ZenML's own source reaches 60 such modules, some of them
large, and :mod:`ast` parses them ten times faster. Their definitions and assignments point
into the LibCST tree through :class:`~zlint.model.modules.Deferred`, which builds it the
first time a rule looks at one of their nodes. Every rule of the LibCST builder is mirrored
here; ``tests/test_surface.py`` compares the two on every module of the fixtures.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

from zlint.model.modules import (
    Assignment,
    Deferred,
    Definition,
    ImportFrom,
    ImportModule,
    MemberKind,
    ModuleInfo,
    TreeParser,
)

_SIMPLE = (
    ast.Expr,
    ast.Assign,
    ast.AnnAssign,
    ast.AugAssign,
    ast.Pass,
    ast.Break,
    ast.Continue,
    ast.Return,
    ast.Raise,
    ast.Global,
    ast.Nonlocal,
    ast.Delete,
    ast.Import,
    ast.ImportFrom,
    ast.Assert,
)
_BLOCKS = (ast.If, ast.For, ast.AsyncFor, ast.While, ast.With, ast.AsyncWith)
# `try: ... except* E:` is Python 3.11's; zlint runs on 3.10 too.
_TRIES: tuple[type[ast.stmt], ...] = (ast.Try, *([ast.TryStar] if hasattr(ast, "TryStar") else []))
# `type X = ...` is Python 3.12's.
_TYPE_ALIASES: tuple[type[ast.stmt], ...] = tuple(
    kind for kind in [getattr(ast, "TypeAlias", None)] if kind is not None
)


def build_surface_info(
    path: Path, qualname: str, text: str, tree: ast.Module, parse: TreeParser
) -> ModuleInfo:
    """The module's surface from ``tree``; ``parse`` builds its LibCST tree when needed."""
    info = ModuleInfo(
        path,
        qualname,
        None,
        text,
        is_package=path.name in ("__init__.py", "__init__.pyi"),
        parse=parse,
    )
    for position, stmt in enumerate(top_level_statements(tree.body)):
        for name in _record(info, stmt, position):
            info.binding_position[name] = position
    return info


def top_level_statements(statements: list[ast.stmt]) -> Iterator[ast.stmt]:
    """Statements that run at import time, looking inside ``if``/``try``/``with`` blocks."""
    for stmt in statements:
        if isinstance(stmt, _BLOCKS):
            yield from top_level_statements(stmt.body)
            yield from top_level_statements(getattr(stmt, "orelse", []))
        elif isinstance(stmt, _TRIES):
            yield from top_level_statements(stmt.body)  # type: ignore[attr-defined]
            for handler in stmt.handlers:  # type: ignore[attr-defined]
                yield from top_level_statements(handler.body)
            yield from top_level_statements(stmt.orelse)  # type: ignore[attr-defined]
            yield from top_level_statements(stmt.finalbody)  # type: ignore[attr-defined]
        elif isinstance(stmt, ast.Match):
            for case in stmt.cases:
                yield from top_level_statements(case.body)
        else:
            yield stmt


def _record(info: ModuleInfo, stmt: ast.stmt, position: int) -> list[str]:
    """Records what ``stmt`` binds; returns the names it (re)bound."""
    bound: list[str] = []
    if isinstance(stmt, ast.Import):
        for alias in stmt.names:
            if alias.asname is not None:
                info.bindings[alias.asname] = ImportModule(alias.name)
                bound.append(alias.asname)
            else:
                head = alias.name.split(".")[0]
                info.bindings[head] = ImportModule(head)
                bound.append(head)
    elif isinstance(stmt, ast.ImportFrom):
        module = stmt.module or ""
        if stmt.names[0].name == "*":
            info.star_imports.append((position, ImportFrom(stmt.level, module, "*")))
        for alias in stmt.names:
            if alias.name != "*":
                name = alias.asname or alias.name
                info.bindings[name] = ImportFrom(stmt.level, module, alias.name)
                bound.append(name)
    elif isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
        info.bindings[stmt.name] = Definition(Deferred(info, stmt.name), True)
        bound.append(stmt.name)
    elif isinstance(stmt, ast.ClassDef):
        deferred = Deferred(info, stmt.name, _class_members(stmt))
        info.bindings[stmt.name] = Definition(deferred, False)
        bound.append(stmt.name)
    elif isinstance(stmt, _TYPE_ALIASES):
        name = stmt.name.id  # type: ignore[attr-defined]
        info.bindings[name] = Assignment(Deferred(info, name), type_alias=True)
        bound.append(name)
    elif isinstance(stmt, ast.AugAssign):
        # `__all__ += [...]` is the only augmented assignment that changes the surface.
        if isinstance(stmt.target, ast.Name) and stmt.target.id == "__all__":
            extra = _string_sequence(stmt.value)
            if extra is not None and info.dunder_all is not None:
                info.dunder_all = info.dunder_all + extra
    elif isinstance(stmt, (ast.Assign, ast.AnnAssign)) and stmt.value is not None:
        targets = stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target]
        for target in targets:
            for name, value in _unpack_assignment(target, stmt.value):
                if name == "__all__":
                    info.dunder_all = _string_sequence(value)
                info.bindings[name] = _assignment(info, name, value)
                bound.append(name)
    return bound


def _class_members(cls: ast.ClassDef) -> dict[str, MemberKind]:
    """What each attribute of ``cls`` is, as :func:`~zlint.model.modules.class_member`
    finds it: the last statement that binds it, the first one of a line of several."""
    members: dict[str, MemberKind] = {}
    for line in reversed(_lines(cls.body)):
        for stmt in line:
            for name, kind in _member_bindings(stmt):
                members.setdefault(name, kind)
    return members


def _lines(body: list[ast.stmt]) -> list[list[ast.stmt]]:
    """``body`` grouped as LibCST does: simple statements that share a line (``a = 1; b = 2``)
    form one statement line."""
    lines: list[list[ast.stmt]] = []
    for stmt in body:
        previous = lines[-1][-1] if lines else None
        if (
            previous is not None
            and isinstance(stmt, _SIMPLE)
            and isinstance(previous, _SIMPLE)
            and previous.end_lineno == stmt.lineno
        ):
            lines[-1].append(stmt)
        else:
            lines.append([stmt])
    return lines


def _member_bindings(stmt: ast.stmt) -> Iterator[tuple[str, MemberKind]]:
    if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
        yield stmt.name, "function"
    elif isinstance(stmt, ast.ClassDef):
        yield stmt.name, "class"
    elif isinstance(stmt, ast.Assign):
        for target in stmt.targets:
            for name, _ in _unpack_assignment(target, stmt.value):
                yield name, "value"
    elif (
        isinstance(stmt, ast.AnnAssign)
        and stmt.value is not None
        and isinstance(stmt.target, ast.Name)
    ):
        yield stmt.target.id, "value"


def _assignment(info: ModuleInfo, name: str, value: ast.expr) -> Assignment:
    reference = isinstance(value, (ast.Name, ast.Attribute)) or _is_keyword_name(value)
    return Assignment(Deferred(info, name), reference, _dotted_name(value) if reference else None)


def _is_keyword_name(node: ast.expr) -> bool:
    """``True``, ``False`` and ``None``: constants to :mod:`ast`, names to LibCST."""
    return isinstance(node, ast.Constant) and any(node.value is v for v in (True, False, None))


def _dotted_name(node: ast.expr) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if _is_keyword_name(node):
        return repr(node.value)  # type: ignore[attr-defined]
    if isinstance(node, ast.Attribute):
        base = _dotted_name(node.value)
        return None if base is None else f"{base}.{node.attr}"
    return None


def _unpack_assignment(target: ast.expr, value: ast.expr) -> Iterator[tuple[str, ast.expr]]:
    """Pairs (name, value) that an assignment binds, where the value is known."""
    if isinstance(target, ast.Name):
        yield target.id, value
    elif isinstance(target, (ast.Tuple, ast.List)) and isinstance(value, (ast.Tuple, ast.List)):
        if len(target.elts) != len(value.elts):
            return
        for t, v in zip(target.elts, value.elts, strict=True):
            if isinstance(t, ast.Starred) or isinstance(v, ast.Starred):
                return
            yield from _unpack_assignment(t, v)


def _string_sequence(node: ast.expr) -> tuple[str, ...] | None:
    """The strings of a literal list/tuple of strings, else None."""
    if not isinstance(node, (ast.List, ast.Tuple)):
        return None
    values = [e.value for e in node.elts if isinstance(e, ast.Constant)]
    if len(values) != len(node.elts) or not all(isinstance(v, str) for v in values):
        return None
    return tuple(str(v) for v in values)
