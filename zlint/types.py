"""Plain data shared by the engine, the rules and the output formatters."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import libcst as cst


@dataclass(frozen=True, order=True)
class Position:
    """A 1-based line and a 1-based column, as editors and Ruff's JSON show them."""

    line: int
    column: int


@dataclass(frozen=True, order=True)
class Span:
    start: Position
    end: Position

    @classmethod
    def at(cls, line: int, column: int) -> Span:
        return cls(Position(line, column), Position(line, column))


class Applicability(enum.Enum):
    SAFE = "safe"
    UNSAFE = "unsafe"
    DISPLAY_ONLY = "display-only"


@dataclass(frozen=True, eq=False)
class NodeReplacement:
    """Replace ``old`` (a node of the parsed ``path``) by ``new``."""

    path: Path
    old: cst.CSTNode
    new: cst.CSTNode


@dataclass(frozen=True)
class ImportEdit:
    """Make ``from module import name`` (or ``import module`` when name is None) available."""

    path: Path
    module: str
    name: str | None = None


@dataclass(frozen=True, eq=False)
class Fix:
    """A rewrite that resolves a finding: node replacements, possibly in several files, plus
    the imports they need. ``message`` says what it does, for ``--show-fixes``."""

    applicability: Applicability
    message: str
    replacements: tuple[NodeReplacement, ...]
    imports: tuple[ImportEdit, ...] = ()

    @property
    def paths(self) -> frozenset[Path]:
        return frozenset(r.path for r in self.replacements) | {i.path for i in self.imports}


@dataclass(frozen=True)
class TextEdit:
    """A fix as text: replace ``start``..``end`` (1-based) with ``content`` (Ruff's JSON)."""

    content: str
    start: Position
    end: Position


@dataclass(frozen=True)
class Diagnostic:
    """One finding: a rule code at a place in a file, with a message for a person."""

    code: str
    name: str
    message: str
    path: Path
    span: Span
    fix: Fix | None = None
    #: The fix as text edits of ``path`` (filled in when diagnostics are reported).
    edits: tuple[TextEdit, ...] = ()
    #: The notebook cell (1-based, as Jupyter shows it) that ``span`` and ``edits`` are in;
    #: None for other files (see :mod:`zlint.inputs.embedded`).
    cell: int | None = None

    def sort_key(self) -> tuple[str, int, int, int, str]:
        position = (self.cell or 0, self.span.start.line, self.span.start.column)
        return (str(self.path), *position, self.code)
