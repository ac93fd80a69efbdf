"""What a name refers to once resolved across the project."""

from __future__ import annotations

from dataclasses import dataclass

import libcst as cst

from zlint.model.modules import Assignment, Definition, ModuleInfo


@dataclass(frozen=True)
class External:
    """Something outside the project, known only by its qualified name (``zenml.step``)."""

    qualname: str


@dataclass(frozen=True, eq=False)
class ModuleSym:
    info: ModuleInfo

    @property
    def qualname(self) -> str:
        return self.info.qualname


@dataclass(frozen=True, eq=False)
class FunctionSym:
    module: ModuleInfo
    #: The node, or the binding that finds it in a tree not built yet (see ``Definition``).
    source: cst.FunctionDef | Definition
    qualname: str

    @property
    def node(self) -> cst.FunctionDef:
        node = self.source.node if isinstance(self.source, Definition) else self.source
        assert isinstance(node, cst.FunctionDef)
        return node


@dataclass(frozen=True, eq=False)
class ClassSym:
    module: ModuleInfo
    source: cst.ClassDef | Definition
    qualname: str

    @property
    def node(self) -> cst.ClassDef:
        node = self.source.node if isinstance(self.source, Definition) else self.source
        assert isinstance(node, cst.ClassDef)
        return node


@dataclass(frozen=True, eq=False)
class ValueSym:
    """A module- or class-level expression, not evaluated (``fast = clean.with_options(...)``)."""

    module: ModuleInfo
    source: cst.BaseExpression | Assignment
    #: The class whose body holds the assignment, for names it uses from that body.
    scope: ClassSym | None = None

    @property
    def node(self) -> cst.BaseExpression:
        return self.source.value if isinstance(self.source, Assignment) else self.source


Symbol = External | ModuleSym | FunctionSym | ClassSym | ValueSym


def qualname_of(sym: Symbol | None) -> str | None:
    if isinstance(sym, (External, ModuleSym, FunctionSym, ClassSym)):
        return sym.qualname
    return None
