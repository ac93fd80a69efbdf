"""Suppression comments: ``# zlint: ignore[ZL001]`` and ``# noqa: ZL001``.

A comment at the end of a line covers that line. A comment on a line of its own covers the
whole next statement (a decorated ``def`` included when it stands above the decorator).
Codes may be given as codes or kebab names; without a list, every code is covered.
"""

from __future__ import annotations

import io
import re
import tokenize
from collections.abc import Callable
from dataclasses import dataclass

from zlint import rules as registry

_ZLINT = re.compile(r"#\s*zlint:\s*ignore(?:\[(?P<codes>[^\]]*)\])?", re.IGNORECASE)
_NOQA = re.compile(r"#\s*noqa(?::\s*(?P<codes>[\w\-]+(?:[\s,]+[\w\-]+)*))?", re.IGNORECASE)

ALL_CODES = frozenset({"*"})


@dataclass(frozen=True)
class Suppression:
    first_line: int
    last_line: int
    codes: frozenset[str]  # ALL_CODES for every code

    def covers(self, line: int, code: str) -> bool:
        in_range = self.first_line <= line <= self.last_line
        return in_range and (self.codes == ALL_CODES or code in self.codes)


def parse_codes(text: str | None) -> frozenset[str]:
    if text is None or not text.strip():
        return ALL_CODES
    codes = set()
    for key in re.split(r"[\s,]+", text.strip()):
        rule = registry.rule_by_key(key) if key else None
        codes.add(rule.code if rule is not None else key.upper())
    return frozenset(codes)


def comments(text: str) -> list[tuple[int, int, str]]:
    """(line, column, text) of each comment; an untokenizable file simply has none."""
    found: list[tuple[int, int, str]] = []
    try:
        for token in tokenize.generate_tokens(io.StringIO(text).readline):
            if token.type == tokenize.COMMENT:
                found.append((token.start[0], token.start[1], token.string))
    except (tokenize.TokenError, SyntaxError):
        pass
    return found


StatementLines = list[tuple[int, int, bool]]


def suppressions(text: str, statement_lines: Callable[[], StatementLines]) -> list[Suppression]:
    lines = text.splitlines()
    result: list[Suppression] = []
    statements: StatementLines | None = None
    for line, column, comment in comments(text):
        match = _ZLINT.search(comment) or _NOQA.search(comment)
        if match is None:
            continue
        codes = parse_codes(match.group("codes"))
        if statements is None:
            statements = statement_lines()
        own_line = not lines[line - 1][:column].strip()
        result.append(
            _own_line(line, codes, statements) if own_line else _trailing(line, codes, statements)
        )
    return result


def _trailing(line: int, codes: frozenset[str], statements: StatementLines) -> Suppression:
    """The line itself, or the whole simple statement that ends on it (a multi-line call)."""
    ending_here = [s for s in statements if s[1] == line and s[2]]
    first = min((s[0] for s in ending_here), default=line)
    return Suppression(first, line, codes)


def _own_line(line: int, codes: frozenset[str], statements: StatementLines) -> Suppression:
    following = [s for s in statements if s[0] > line]
    if not following:
        return Suppression(line, line, codes)
    start = min(s[0] for s in following)
    end = max(s[1] for s in following if s[0] == start)
    return Suppression(start, end, codes)
