"""Plain data shared by the engine, the rules and the output formatters."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from pathlib import Path


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


@dataclass(frozen=True)
class Diagnostic:
    """One finding: a rule code at a place in a file, with a message for a person."""

    code: str
    name: str
    message: str
    path: Path
    span: Span

    def sort_key(self) -> tuple[str, int, int, str]:
        return (str(self.path), self.span.start.line, self.span.start.column, self.code)
