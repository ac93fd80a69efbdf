"""Shortcuts past LibCST's visitor machinery give what it gives: ``fast_visit`` runs a
visitor's hooks as ``node.visit`` does, ``child_nodes`` reads every child, and
``positions_of`` computes the positions ``MetadataWrapper`` resolves."""

from __future__ import annotations

import dataclasses
import inspect
from pathlib import Path

import libcst as cst
import pytest
from libcst.metadata import MetadataWrapper, PositionProvider

from zlint.model import cst_utils
from zlint.model.fast_visit import _FORMATTING_NODES, fast_visit
from zlint.model.positions import positions_of

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
_NODE_TYPES = [
    c
    for c in vars(cst).values()
    if inspect.isclass(c) and issubclass(c, cst.CSTNode) and not inspect.isabstract(c)
]


def _recorder(with_formatting: bool) -> type[cst.CSTVisitor]:
    """A visitor with a hook for every node type (but the formatting ones, unless asked):
    records each call, and skips the children of every third ``Call`` (hooks may)."""

    def visit(self: cst.CSTVisitor, node: cst.CSTNode) -> bool:
        self.seen.append(("visit", type(node).__name__, id(node)))  # type: ignore[attr-defined]
        if isinstance(node, cst.Call):
            self.calls += 1  # type: ignore[attr-defined]
            return self.calls % 3 != 0  # type: ignore[attr-defined,no-any-return]
        return True

    def leave(self: cst.CSTVisitor, node: cst.CSTNode) -> None:
        self.seen.append(("leave", type(node).__name__, id(node)))  # type: ignore[attr-defined]

    hooks: dict[str, object] = {"seen": None, "calls": 0}
    for kind in _NODE_TYPES:
        if with_formatting or kind.__name__ not in _FORMATTING_NODES:
            hooks[f"visit_{kind.__name__}"] = visit
            hooks[f"leave_{kind.__name__}"] = leave
    return type("Recorder", (cst.CSTVisitor,), hooks)


def _sequences(tree: cst.Module, with_formatting: bool) -> tuple[list[object], list[object]]:
    recorder = _recorder(with_formatting)
    slow, fast = recorder(), recorder()
    slow.seen, fast.seen = [], []  # type: ignore[attr-defined]
    tree.visit(slow)
    fast_visit(tree, fast)
    return slow.seen, fast.seen  # type: ignore[attr-defined]


def _sources() -> list[Path]:
    files = sorted(FIXTURES.rglob("*.py"))
    try:
        import zenml
    except ImportError:
        return files
    package = Path(zenml.__file__).parent
    return files + sorted(package.rglob("*.py"))[::25]  # a spread of ZenML's own source


@pytest.mark.parametrize("path", _sources(), ids=lambda p: p.name)
def test_hooks_run_as_libcst_runs_them(path: Path) -> None:
    tree = cst.parse_module(path.read_text(encoding="utf-8"))
    for with_formatting in (False, True):
        slow, fast = _sequences(tree, with_formatting)
        assert fast == slow


def test_every_node_kind_of_a_dense_module() -> None:
    text = """\
import a.b as c
from .x import (y as z, w)
@dec(1)
async def f(p, /, q: int = 1, *r, s, **t) -> "T":
    global g
    async with m() as (n, o):
        async for i in aiter():
            await i
    x = [i for i in range(3) if i] + {k: v for k, v in d.items()}
    y = lambda u=1: u if u else -u
    del x[0], y.attr
    match x:
        case [1, *rest] | {"k": _}:
            pass
        case C(a=1) as cc if cc:
            pass
    try:
        raise E from None
    except* E as e:
        pass
    finally:
        assert x, "msg"
    return (yield from f"{x!r:>{10}}")
class K(B, metaclass=M):
    a: int = 1; b = c = 2
    while True:
        break
    else:
        nonlocal_ = ...
"""
    tree = cst.parse_module(text)
    for with_formatting in (False, True):
        slow, fast = _sequences(tree, with_formatting)
        assert fast == slow


def _child_nodes_by_every_field(node: cst.CSTNode) -> list[cst.CSTNode]:
    """What ``cst_utils.child_nodes`` gave before it read only LibCST's child fields."""
    found: list[cst.CSTNode] = []
    for field in dataclasses.fields(node):
        value = getattr(node, field.name)
        if isinstance(value, cst.CSTNode):
            found.append(value)
        elif isinstance(value, (list, tuple)):
            found += [item for item in value if isinstance(item, cst.CSTNode)]
    return found


@pytest.mark.parametrize("path", _sources(), ids=lambda p: p.name)
def test_child_nodes_reads_every_child(path: Path) -> None:
    tree = cst.parse_module(path.read_text(encoding="utf-8"))
    stack: list[cst.CSTNode] = [tree]
    while stack:
        node = stack.pop()
        children = list(cst_utils.child_nodes(node))
        assert [id(c) for c in children] == [id(c) for c in _child_nodes_by_every_field(node)]
        stack.extend(children)


@pytest.mark.parametrize("path", _sources(), ids=lambda p: p.name)
def test_positions_are_the_metadata_wrappers(path: Path) -> None:
    tree = cst.parse_module(path.read_text(encoding="utf-8"))
    expected = MetadataWrapper(tree, unsafe_skip_copy=True).resolve(PositionProvider)
    assert dict(positions_of(tree)) == dict(expected)
