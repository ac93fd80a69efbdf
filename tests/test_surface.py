"""Modules read only to resolve names get their surface from the stdlib ``ast``
(zlint/model/surface.py); it must say exactly what the LibCST surface says, and its
deferred nodes must be the LibCST tree's own."""

from __future__ import annotations

import ast
import textwrap
from pathlib import Path

import libcst as cst
import pytest

from zlint.model.modules import (
    Assignment,
    Binding,
    Deferred,
    Definition,
    ModuleInfo,
    build_module_info,
    class_member,
)
from zlint.model.project import Project
from zlint.model.surface import build_surface_info
from zlint.model.symbols import ClassSym, FunctionSym, ValueSym

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


def _both(text: str, path: Path = Path("pkg/mod.py")) -> tuple[ModuleInfo, ModuleInfo]:
    tree = cst.parse_module(text)
    eager = build_module_info(path, "pkg.mod", text, tree)
    lazy = build_surface_info(path, "pkg.mod", text, ast.parse(text), lambda: tree)
    return eager, lazy


def _shape(binding: Binding) -> object:
    """A binding without its node, to compare the two surfaces."""
    if isinstance(binding, Definition):
        return ("definition", binding.is_function)
    if isinstance(binding, Assignment):
        return ("assignment", binding.reference, binding.dotted)
    return binding


def assert_same_surface(text: str, path: Path = Path("pkg/mod.py")) -> None:
    eager, lazy = _both(text, path)
    assert {n: _shape(b) for n, b in lazy.bindings.items()} == {
        n: _shape(b) for n, b in eager.bindings.items()
    }
    assert lazy.star_imports == eager.star_imports
    assert lazy.binding_position == eager.binding_position
    assert lazy.dunder_all == eager.dunder_all
    assert lazy.is_package == eager.is_package
    assert lazy._tree is None
    for name, binding in lazy.bindings.items():
        other = eager.bindings[name]
        if isinstance(binding, Definition):
            assert binding.node is other.node  # type: ignore[union-attr]
            _assert_same_members(binding, other)
        elif isinstance(binding, Assignment):
            assert binding.value is other.value  # type: ignore[union-attr]


def _assert_same_members(lazy: Definition, eager: Binding) -> None:
    assert isinstance(lazy.source, Deferred) and isinstance(eager, Definition)
    if lazy.is_function:
        return
    cls = eager.node
    assert isinstance(cls, cst.ClassDef) and lazy.source.members is not None
    names = {n.value for n in _names_in(cls)}
    for attr in names:
        found = class_member(cls, attr)
        kind = lazy.source.members.get(attr)
        if isinstance(found, cst.FunctionDef):
            assert kind == "function", attr
        elif isinstance(found, cst.ClassDef):
            assert kind == "class", attr
        else:
            assert kind == ("value" if found is not None else None), attr


def _names_in(node: cst.CSTNode) -> list[cst.Name]:
    found: list[cst.Name] = []

    class Names(cst.CSTVisitor):
        def visit_Name(self, name: cst.Name) -> None:
            found.append(name)

    node.visit(Names())
    return found


CASES = {
    "imports": """\
        import a.b
        import a.b as c, d
        from . import x
        from ..pkg.mod import y as z, w
        from .m import *
        from zenml import step
        """,
    "definitions": """\
        def f(): ...
        async def g(): ...
        class C:
            x = 1
            def m(self): ...
            class Inner: ...
            a = b = 2
            p, q = 1, 2
            r: int = 3
            s: int
            t = 1; t = f
            if flag:
                hidden = 1
        """,
    "assignments": """\
        a = b
        c = pkg.mod.name
        d = f()
        e = f().attr
        g, (h, i) = 1, (2, 3)
        j, k = l
        m: int = 4
        n: int
        o = p = q
        """,
    "dunder-all": """\
        __all__ = ["a", "b"]
        __all__ += ("c",)
        __all__ -= ["x"]
        """,
    "dunder-all-not-literal": "__all__ = names()\n__all__ += ['a']\n",
    "dunder-all-f-string": "__all__ = [f'{x}', 'b']\n",
    "blocks": """\
        try:
            from fast import thing
        except ImportError:
            from slow import thing
        else:
            other = 1
        finally:
            done = 2
        if TYPE_CHECKING:
            import typing
        elif other:
            x = 1
        else:
            x = 2
        with ctx():
            inside = 1
        for item in items:
            looped = item
        else:
            after = 1
        while False:
            never = 1
        match value:
            case 1:
                matched = 1
        def later(): ...
        later = 3
        """,
    "star-then-binding": "from a import *\nname = 1\nfrom b import *\n",
    "one-line-statements": "import a; b = 1; from c import d\nif x: e = 1; f = 2\n",
    "class-one-liner": "class C: x = 1; y = 2\n",
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_ast_surface_matches_libcst(name: str) -> None:
    assert_same_surface(textwrap.dedent(CASES[name]))


def test_package_modules() -> None:
    assert_same_surface("from .a import b\n", Path("pkg/__init__.py"))


@pytest.mark.parametrize(
    "path", sorted(FIXTURES.rglob("*.py")), ids=lambda p: str(p.relative_to(FIXTURES))
)
def test_ast_surface_matches_libcst_on_every_fixture_module(path: Path) -> None:
    assert_same_surface(path.read_text(encoding="utf-8"), path)


def _project(tmp_path: Path, files: dict[str, str]) -> Project:
    for name, text in files.items():
        (tmp_path / name).write_text(textwrap.dedent(text), encoding="utf-8")
    paths = [tmp_path / name for name in files]
    return Project(tmp_path, [tmp_path], paths, reader=lambda p: p.read_text(encoding="utf-8"))


def test_resolving_through_a_module_builds_no_tree(tmp_path: Path) -> None:
    project = _project(
        tmp_path,
        {
            "lib.py": """\
                from zenml import step as _step

                class Client:
                    def query(self): ...

                LIMIT = 3
                alias = Client
                """,
            "app.py": "from lib import Client, LIMIT, alias\n",
        },
    )
    app = project.module(tmp_path / "app.py", parse_now=True)
    assert app is not None and app._tree is not None
    client = project.resolve_name(app, "Client")
    assert isinstance(client, ClassSym) and client.qualname == "lib.Client"
    method = project.member(client, "query")
    assert isinstance(method, FunctionSym) and method.qualname == "lib.Client.query"
    assert project.resolve_name(app, "alias") is not None
    limit = project.resolve_name(app, "LIMIT")
    assert isinstance(limit, ValueSym)
    lib = project.module(tmp_path / "lib.py")
    assert lib is not None and lib._tree is None  # nothing above needed a node
    # A node asked for builds the tree, and it is the tree's own node.
    assert method.node.name.value == "query"
    assert lib._tree is not None and lib.tree is not None
    assert isinstance(limit.node, cst.Integer) and limit.node.value == "3"
    assert client.node is lib.tree.body[1]


def test_a_module_libcst_refuses_reads_as_stubs(tmp_path: Path) -> None:
    project = _project(tmp_path, {"lib.py": "def f(): ...\nclass C: ...\nX = 1\n"})
    info = project.module(tmp_path / "lib.py")
    assert info is not None
    info.parse = lambda: None  # as if LibCST rejected the file Python accepts
    f, c, x = (project.resolve_name(info, n) for n in ("f", "C", "X"))
    assert isinstance(f, FunctionSym) and f.node.name.value == "f"
    assert isinstance(c, ClassSym) and c.node.name.value == "C"
    assert isinstance(x, ValueSym) and isinstance(x.node, cst.Ellipsis)


def test_a_syntax_error_is_an_error_as_before(tmp_path: Path) -> None:
    project = _project(tmp_path, {"lib.py": "def f(:\n"})
    assert project.module(tmp_path / "lib.py") is None
    assert "syntax error" in project.errors[tmp_path / "lib.py"].message


@pytest.mark.slow
def test_ast_surface_matches_libcst_on_zenmls_own_source() -> None:
    zenml = pytest.importorskip("zenml")
    package = Path(zenml.__file__).parent
    modules = sorted(package.rglob("*.py"))
    assert len(modules) > 1000
    for path in modules:
        assert_same_surface(path.read_text(encoding="utf-8"), path)


def test_keyword_constants_are_names_to_libcst() -> None:
    assert_same_surface("A = False\nB = None\nC = True.real\nD = ...\n")
