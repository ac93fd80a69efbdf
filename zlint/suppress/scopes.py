"""Which lines each suppression comment of a file covers (see :mod:`zlint.suppress.comments`
for the rules), and which of its codes suppressed something."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import libcst as cst
from libcst.metadata import CodeRange

from zlint.suppress.comments import (
    FILE_IGNORE,
    MARKER,
    Directive,
    Problem,
    parse_comment,
    token_facts,
)

#: The last line of a file-wide scope.
_END = 10**9


#: (first line, line of the statement itself, last line): the first line of a decorated
#: ``def`` or ``class`` is its first decorator's.
Extent = tuple[int, int, int]


def statement_extents(ranges: Mapping[cst.CSTNode, CodeRange]) -> list[Extent]:
    extents: list[Extent] = []
    for node, code_range in ranges.items():
        if not isinstance(node, (cst.SimpleStatementLine, cst.BaseCompoundStatement)):
            continue
        start = code_range.start.line
        first = start
        if isinstance(node, (cst.FunctionDef, cst.ClassDef)) and node.decorators:
            first = min(start, ranges[node.decorators[0]].start.line)
        extents.append((first, start, code_range.end.line))
    return extents


def _next_statement(line: int, extents: Sequence[Extent]) -> tuple[int, int]:
    for first, start, last in extents:
        if first <= line < start:  # between the decorators of a definition and its `def`
            return first, last
    following = [e for e in extents if e[0] > line]
    if not following:
        return line, line
    first = min(e[0] for e in following)
    return first, max(e[2] for e in following if e[0] == first)


@dataclass
class FileSuppressions:
    """The suppression comments of one file, and which of their codes suppressed something."""

    directives: list[Directive]
    problems: list[Problem]

    @classmethod
    def of(
        cls,
        text: str,
        extents: Callable[[], Sequence[Extent]],
        *,
        require_reason: bool = False,
    ) -> FileSuppressions:
        if not MARKER.search(text):
            return cls([], [])
        facts = token_facts(text)
        directives: list[Directive] = []
        problems: list[Problem] = []
        statements: Sequence[Extent] | None = None
        for comment, enclosing in zip(facts.comments, facts.enclosing, strict=True):
            found, wrong = parse_comment(comment, require_reason=require_reason)
            problems.extend(wrong)
            for directive in found:
                if directive.kind == FILE_IGNORE:
                    scope = (1, _END)
                elif enclosing is not None:
                    scope = enclosing
                else:
                    if statements is None:
                        statements = extents()
                    # From its own line, where findings about the comment itself are.
                    scope = (comment.line, _next_statement(comment.line, statements)[1])
                directive.first_line, directive.last_line = scope
                directives.append(directive)
        return cls(directives, problems)

    def suppress(self, line: int, code: str, *, besides: Directive | None = None) -> bool:
        """Whether a finding of ``code`` starting on ``line`` is suppressed; every directive
        that covers it counts as used. ``besides``: a directive that may not vouch for itself."""
        covering = [d for d in self.directives if d is not besides and d.covers(line, code)]
        for directive in covering:
            directive.used.add(code)
        return bool(covering)
