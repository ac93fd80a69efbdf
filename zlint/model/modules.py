"""What one module binds at its top level: imports, definitions, assignments, ``__all__``.

This is the module's surface as other modules see it. It is built from the LibCST tree
without any metadata provider, or, for a module read only to resolve names, from the stdlib
``ast`` (:mod:`zlint.model.surface`); names are resolved later by :mod:`zlint.model.project`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import libcst as cst

from zlint.model import cst_utils


@dataclass(frozen=True)
class ImportModule:
    """``import a.b`` binds ``a`` (dotted = "a"); ``import a.b as c`` binds ``c`` (dotted = "a.b")."""

    dotted: str


@dataclass(frozen=True)
class ImportFrom:
    """``from .pkg import name``: ``level`` leading dots, ``module`` may be empty."""

    level: int
    module: str
    name: str


#: What a class attribute is: "function", "class" or "value" (see ``class_member``).
MemberKind = str


class Deferred:
    """A node of a module whose LibCST tree is built only when a rule needs it: the
    binding of ``name`` in that tree (see :func:`zlint.model.surface.build_surface_info`).
    For a class, ``members`` tells what each attribute is without the tree."""

    def __init__(
        self, info: ModuleInfo, name: str, members: dict[str, MemberKind] | None = None
    ) -> None:
        self.info = info
        self.name = name
        self.members = members

    def binding(self) -> Binding | None:
        return self.info.parsed_bindings().get(self.name)


class DeferredMember(Deferred):
    """The attribute ``name`` of a class read by :mod:`ast` (``owner``)."""

    def __init__(self, owner: Definition, name: str) -> None:
        assert isinstance(owner.source, Deferred)
        super().__init__(owner.source.info, name)
        self.owner = owner

    def binding(self) -> Binding | None:
        cls = self.owner.node
        found = class_member(cls, self.name) if isinstance(cls, cst.ClassDef) else None
        if isinstance(found, (cst.FunctionDef, cst.ClassDef)):
            return Definition(found, isinstance(found, cst.FunctionDef))
        return assignment(found) if found is not None else None


def class_member(
    cls: cst.ClassDef, attr: str
) -> cst.FunctionDef | cst.ClassDef | cst.BaseExpression | None:
    """What ``cls.attr`` is by the class body: its last ``def``/``class``/assignment of
    ``attr`` (statements on one line are read left to right, the first one wins)."""
    for stmt in reversed(cls.body.body):
        for small in stmt.body if isinstance(stmt, cst.SimpleStatementLine) else [stmt]:
            if isinstance(small, (cst.FunctionDef, cst.ClassDef)) and small.name.value == attr:
                return small
            value = _assigned_value(small, attr)
            if value is not None:
                return value
    return None


def _assigned_value(small: cst.CSTNode, name: str) -> cst.BaseExpression | None:
    if isinstance(small, cst.Assign):
        for target in small.targets:
            for bound, value in cst_utils.unpack_assignment(target.target, small.value):
                if bound == name:
                    return value
    elif (
        isinstance(small, cst.AnnAssign)
        and small.value is not None
        and cst_utils.is_name(small.target, name)
    ):
        return small.value
    return None


@dataclass(frozen=True)
class Definition:
    """A ``def`` or ``class``; for a module read only by :mod:`ast`, its node is found in
    the LibCST tree on first use."""

    source: cst.FunctionDef | cst.ClassDef | Deferred
    is_function: bool

    @property
    def node(self) -> cst.FunctionDef | cst.ClassDef:
        if not isinstance(self.source, Deferred):
            return self.source
        found = self.source.binding()
        if isinstance(found, Definition) and found.is_function == self.is_function:
            return found.node
        return _stub_definition(self.source.name, self.is_function)


@dataclass(frozen=True)
class Assignment:
    """``name = value``. ``dotted`` is the value's ``a.b.c`` when it is a name or an
    attribute chain (``reference``), which resolves without the node. ``type_alias``: a
    ``type name = value`` statement (Python 3.12), which binds a ``TypeAliasType`` object,
    not the value."""

    source: cst.BaseExpression | Deferred
    reference: bool = False
    dotted: str | None = None
    type_alias: bool = False

    @property
    def value(self) -> cst.BaseExpression:
        if not isinstance(self.source, Deferred):
            return self.source
        found = self.source.binding()
        return found.value if isinstance(found, Assignment) else cst.Ellipsis()


def assignment(value: cst.BaseExpression) -> Assignment:
    reference = isinstance(value, (cst.Name, cst.Attribute))
    return Assignment(value, reference, cst_utils.dotted_name(value) if reference else None)


def _stub_definition(name: str, is_function: bool) -> cst.FunctionDef | cst.ClassDef:
    """What a definition LibCST could not parse stands for: a body of ``...``, as in a stub."""
    body = cst.IndentedBlock([cst.SimpleStatementLine([cst.Expr(cst.Ellipsis())])])
    if is_function:
        return cst.FunctionDef(cst.Name(name), cst.Parameters(), body)
    return cst.ClassDef(cst.Name(name), body)


Binding = ImportModule | ImportFrom | Definition | Assignment
TreeParser = Callable[[], "cst.Module | None"]


@dataclass
class ModuleInfo:
    """One project module (or namespace package folder, whose ``tree`` is None).

    A module read only to resolve names gets its surface from :mod:`ast` and ``parse``:
    its LibCST ``tree`` is built the first time something asks for it."""

    path: Path
    qualname: str
    _tree: cst.Module | None
    text: str = ""
    is_package: bool = False
    bindings: dict[str, Binding] = field(default_factory=dict)
    #: Star imports with the statement position they stand at.
    star_imports: list[tuple[int, ImportFrom]] = field(default_factory=list)
    #: The statement position of each name's last binding, to order it against star imports.
    binding_position: dict[str, int] = field(default_factory=dict)
    dunder_all: tuple[str, ...] | None = None
    #: Analyses of the tree that several rules share, by name (see ``scoped_names.calls_in``).
    derived: dict[str, object] = field(default_factory=dict, repr=False, compare=False)
    #: Builds the LibCST tree of a module read by :mod:`ast` (None: LibCST refused it).
    parse: TreeParser | None = field(default=None, repr=False, compare=False)
    namespace: bool = False
    _parsed: ModuleInfo | None = field(default=None, repr=False, compare=False)

    @property
    def tree(self) -> cst.Module | None:
        if self._tree is None and self.parse is not None:
            parse, self.parse = self.parse, None
            tree = parse()
            # A module LibCST refuses (Python accepts it) reads as empty: stub definitions.
            self._tree = tree if tree is not None else cst.Module([])
        return self._tree

    def parsed_bindings(self) -> dict[str, Binding]:
        """The bindings as LibCST sees them, with their nodes (the tree is built if needed)."""
        if self._parsed is None:
            tree = self.tree
            assert tree is not None
            self._parsed = build_module_info(self.path, self.qualname, self.text, tree)
        return self._parsed.bindings

    @property
    def folder(self) -> Path:
        """The folder relative imports start from."""
        return self.path if self.namespace else self.path.parent

    def exports(self, name: str) -> bool:
        if self.dunder_all is not None:
            return name in self.dunder_all
        return not name.startswith("_")


def build_module_info(path: Path, qualname: str, text: str, tree: cst.Module) -> ModuleInfo:
    info = ModuleInfo(
        path, qualname, tree, text, is_package=path.name in ("__init__.py", "__init__.pyi")
    )
    for position, stmt in enumerate(_top_level_statements(tree.body)):
        before = dict(info.bindings)
        _record(info, stmt, position)
        for name, binding in info.bindings.items():
            if before.get(name) is not binding:
                info.binding_position[name] = position
    return info


def namespace_package(folder: Path, qualname: str) -> ModuleInfo:
    return ModuleInfo(folder, qualname, None, is_package=True, namespace=True)


def _top_level_statements(
    statements: Sequence[cst.BaseStatement | cst.BaseSmallStatement],
) -> Iterator[cst.CSTNode]:
    """Statements that run at import time, looking inside ``if``/``try``/``with`` blocks."""
    for stmt in statements:
        if isinstance(stmt, cst.SimpleStatementLine):
            yield from stmt.body
        elif isinstance(stmt, (cst.BaseSmallStatement, cst.FunctionDef, cst.ClassDef)):
            yield stmt
        else:
            for block in cst_utils.child_blocks(stmt):
                yield from _top_level_statements(block)


def _record(info: ModuleInfo, stmt: cst.CSTNode, position: int) -> None:
    if isinstance(stmt, cst.Import):
        for alias in stmt.names:
            dotted = cst_utils.dotted_name(alias.name) or ""
            if alias.asname is not None:
                info.bindings[cst_utils.alias_name(alias)] = ImportModule(dotted)
            else:
                head = dotted.split(".")[0]
                info.bindings[head] = ImportModule(head)
    elif isinstance(stmt, cst.ImportFrom):
        _record_import_from(info, stmt, position)
    elif isinstance(stmt, (cst.FunctionDef, cst.ClassDef)):
        info.bindings[stmt.name.value] = Definition(stmt, isinstance(stmt, cst.FunctionDef))
    elif isinstance(stmt, (cst.Assign, cst.AnnAssign, cst.AugAssign)):
        _record_assignment(info, stmt)
    elif isinstance(stmt, cst.TypeAlias):
        info.bindings[stmt.name.value] = Assignment(stmt.value, type_alias=True)


def _record_import_from(info: ModuleInfo, stmt: cst.ImportFrom, position: int) -> None:
    level = len(stmt.relative)
    module = cst_utils.dotted_name(stmt.module) if stmt.module is not None else ""
    if isinstance(stmt.names, cst.ImportStar):
        info.star_imports.append((position, ImportFrom(level, module or "", "*")))
        return
    for alias in stmt.names:
        name = cst_utils.dotted_name(alias.name) or ""
        info.bindings[cst_utils.alias_name(alias)] = ImportFrom(level, module or "", name)


def _record_assignment(info: ModuleInfo, stmt: cst.Assign | cst.AnnAssign | cst.AugAssign) -> None:
    if isinstance(stmt, cst.AugAssign):
        # `__all__ += [...]` is the only augmented assignment that changes the surface.
        if cst_utils.is_name(stmt.target, "__all__"):
            extra = cst_utils.string_sequence(stmt.value)
            if extra is not None and info.dunder_all is not None:
                info.dunder_all = info.dunder_all + extra
        return
    if stmt.value is None:
        return
    targets = [t.target for t in stmt.targets] if isinstance(stmt, cst.Assign) else [stmt.target]
    for target in targets:
        for name, value in cst_utils.unpack_assignment(target, stmt.value):
            if name == "__all__":
                info.dunder_all = cst_utils.string_sequence(value)
            info.bindings[name] = assignment(value)
