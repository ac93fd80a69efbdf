"""What a name refers to once resolved across the project."""

from __future__ import annotations

from dataclasses import dataclass

import libcst as cst

from zlint.model.modules import ModuleInfo


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
    node: cst.FunctionDef
    qualname: str


@dataclass(frozen=True, eq=False)
class ClassSym:
    module: ModuleInfo
    node: cst.ClassDef
    qualname: str


@dataclass(frozen=True, eq=False)
class ValueSym:
    """A module- or class-level expression, not evaluated (``fast = clean.with_options(...)``)."""

    module: ModuleInfo
    node: cst.BaseExpression
    #: The class whose body holds the assignment, for names it uses from that body.
    scope: ClassSym | None = None


Symbol = External | ModuleSym | FunctionSym | ClassSym | ValueSym


def qualname_of(sym: Symbol | None) -> str | None:
    if isinstance(sym, (External, ModuleSym, FunctionSym, ClassSym)):
        return sym.qualname
    return None
