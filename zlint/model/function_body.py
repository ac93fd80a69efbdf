"""The own body of one function: its statements (blocks included, inner definitions'
bodies not), what it returns and calls, the functions and simple values it binds."""

from __future__ import annotations

from collections.abc import Iterator

import libcst as cst

from zlint.model import cst_utils
from zlint.model.fast_visit import fast_visit


def returned_values(node: cst.FunctionDef) -> Iterator[cst.BaseExpression]:
    """The values of ``node``'s own ``return`` statements (not those of inner functions)."""

    class Finder(cst.CSTVisitor):
        def __init__(self) -> None:
            self.found: list[cst.BaseExpression] = []

        def visit_FunctionDef(self, inner: cst.FunctionDef) -> bool:
            return inner is node

        def visit_ClassDef(self, inner: cst.ClassDef) -> bool:
            return False

        def visit_Lambda(self, inner: cst.Lambda) -> bool:
            return False

        def visit_Return(self, ret: cst.Return) -> None:
            if ret.value is not None:
                self.found.append(ret.value)

    finder = Finder()
    fast_visit(node, finder)
    return iter(finder.found)


def own_calls(node: cst.FunctionDef) -> list[cst.Call]:
    class Finder(cst.CSTVisitor):
        def __init__(self) -> None:
            self.found: list[cst.Call] = []

        def visit_FunctionDef(self, inner: cst.FunctionDef) -> bool:
            return inner is node

        def visit_ClassDef(self, inner: cst.ClassDef) -> bool:
            return False

        def visit_Call(self, call: cst.Call) -> None:
            self.found.append(call)

    finder = Finder()
    fast_visit(node, finder)
    return finder.found


def called_names(node: cst.FunctionDef, names: frozenset[str]) -> list[str]:
    """Which of ``names`` ``node`` calls by name (``fn(...)``), nested code included."""

    class Finder(cst.CSTVisitor):
        def __init__(self) -> None:
            self.found: list[str] = []

        def visit_Call(self, call: cst.Call) -> None:
            if isinstance(call.func, cst.Name) and call.func.value in names:
                self.found.append(call.func.value)

    finder = Finder()
    fast_visit(node.body, finder)
    return finder.found


def statements(node: cst.FunctionDef) -> Iterator[cst.CSTNode]:
    """The statements of ``node``'s body, blocks included, inner definitions' bodies not."""
    if not isinstance(node.body, cst.IndentedBlock):
        return
    stack: list[cst.CSTNode] = list(reversed(node.body.body))
    while stack:
        stmt = stack.pop()
        yield stmt
        for block in reversed(list(cst_utils.child_blocks(stmt))):
            stack.extend(reversed(block))


def local_defs(node: cst.FunctionDef) -> dict[str, cst.FunctionDef]:
    return {s.name.value: s for s in statements(node) if isinstance(s, cst.FunctionDef)}


def local_values(node: cst.FunctionDef) -> dict[str, cst.BaseExpression]:
    """``name = value`` statements of ``node``'s own body (the last one per name)."""
    values: dict[str, cst.BaseExpression] = {}
    for stmt in statements(node):
        if not isinstance(stmt, cst.SimpleStatementLine):
            continue
        for small in stmt.body:
            if isinstance(small, cst.Assign) and len(small.targets) == 1:
                target = small.targets[0].target
                if isinstance(target, cst.Name):
                    values[target.value] = small.value
    return values
