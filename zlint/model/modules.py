"""What one module binds at its top level: imports, definitions, assignments, ``__all__``.

This is the module's surface as other modules see it. It is built from the LibCST tree
without any metadata provider; names are resolved later by :mod:`zlint.model.project`.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
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


@dataclass(frozen=True)
class Definition:
    node: cst.FunctionDef | cst.ClassDef


@dataclass(frozen=True)
class Assignment:
    value: cst.BaseExpression


Binding = ImportModule | ImportFrom | Definition | Assignment


@dataclass
class ModuleInfo:
    """One project module (or namespace package folder, where ``tree`` is None)."""

    path: Path
    qualname: str
    tree: cst.Module | None
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

    @property
    def folder(self) -> Path:
        """The folder relative imports start from."""
        return self.path if self.tree is None else self.path.parent

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
    return ModuleInfo(folder, qualname, None, is_package=True)


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
        info.bindings[stmt.name.value] = Definition(stmt)
    elif isinstance(stmt, (cst.Assign, cst.AnnAssign, cst.AugAssign)):
        _record_assignment(info, stmt)


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
            info.bindings[name] = Assignment(value)
