"""Reading suppression comments: ``# zlint: ignore[ZL001]``, ``# zlint: file-ignore[ZL001]`` and
``# noqa: ZL001``; the judging of stale (ZL900) and invalid (ZL901) ones; ``--add-ignore``.

Where a comment applies:

* ``# zlint: file-ignore[...]``, anywhere in a file: the whole file.
* A comment inside a statement (at the end of any of its lines, or on a line of its own
  between the brackets of a multi-line call or comprehension): that whole statement, that is
  the *logical line* Python's tokenizer sees, every physical line of it. A ``def``, ``for``
  or ``with`` line is a logical line of its own: a comment there does not cover the body.
* A comment on a line of its own outside any brackets: the next statement, all of it (the
  body of a ``for``, ``with`` or ``def`` included); above or between the decorators of a
  ``def`` or ``class``, the whole decorated definition. Its range starts at the comment, so
  it also covers findings about the comment itself (ZL900, ZL901) and own-line comments
  stacked below it.

A finding is covered when the line it starts on is. Codes may be given as codes (any case)
or kebab names; text after ``]`` (after the codes, for ``noqa``) is the reason. A bare
``# noqa`` covers every code; ``# zlint: ignore`` must name its codes.
"""

from __future__ import annotations

import difflib
import io
import re
import tokenize
from collections.abc import Mapping
from dataclasses import dataclass, field

from zlint import catalog

#: The two rules about suppression comments themselves; they are judged after every other rule.
UNUSED = catalog.UNUSED_SUPPRESSION
INVALID = catalog.INVALID_SUPPRESSION
META = catalog.SUPPRESSION_CODES

IGNORE = "ignore"
FILE_IGNORE = "file-ignore"
NOQA = "noqa"
_ZLINT_DIRECTIVES = (IGNORE, FILE_IGNORE)
_EXAMPLE = "write `# zlint: ignore[ZL001] reason`"

MARKER = re.compile(r"#\s*(?:(?P<zlint>zlint)|(?P<noqa>noqa))\b", re.IGNORECASE)
_ZLINT_HEAD = re.compile(r"#\s*zlint\s*:\s*(?P<word>[\w-]*)", re.IGNORECASE)
_NO_COLON = re.compile(r"#\s*zlint[\s_-]*(?:file[\s_-]*)?ign", re.IGNORECASE)
_NOQA_HEAD = re.compile(r"#\s*noqa\s*(?P<colon>:\s*)?", re.IGNORECASE)
_ITEM = re.compile(r"[^\s,\]]+")
_CODE_LIKE = re.compile(r"[A-Z]+[0-9]+")
_ZL_CODE = re.compile(r"zl[0-9]+", re.IGNORECASE)


@dataclass(frozen=True)
class Comment:
    """A comment token: its line (1-based), column (0-based) and text, up to the line end."""

    line: int
    column: int
    text: str


@dataclass(eq=False)
class Directive:
    """One suppression inside a comment, with the lines it covers once they are known."""

    kind: str  # IGNORE, FILE_IGNORE or NOQA
    comment: Comment
    #: The directive's part of the comment text: from its ``#`` to the next directive or the end.
    start: int
    end: int
    #: Where the list of codes sits in the comment text, to rewrite it.
    list_start: int
    list_end: int
    #: Every item of the list as written (unknown codes and other tools' codes included).
    items: tuple[str, ...]
    #: The zlint code each item names, where it names one.
    codes: Mapping[int, str]
    reason: str
    blanket: bool = False  # a bare noqa comment, without codes
    first_line: int = 0
    last_line: int = 0
    used: set[str] = field(default_factory=set)

    @property
    def line(self) -> int:
        return self.comment.line

    @property
    def column(self) -> int:
        """0-based column of the directive's ``#``."""
        return self.comment.column + self.start

    @property
    def end_column(self) -> int:
        text = self.comment.text[self.start : self.end]
        return self.comment.column + self.start + len(text.rstrip())

    @property
    def code_set(self) -> frozenset[str]:
        return frozenset(self.codes.values())

    def covers(self, line: int, code: str) -> bool:
        in_range = self.first_line <= line <= self.last_line
        return in_range and (self.blanket or code in self.code_set)


@dataclass(frozen=True)
class Problem:
    """Why (part of) a suppression comment is invalid: a ZL901 finding."""

    line: int
    column: int  # 0-based
    end_column: int
    message: str


def parse_comment(
    comment: Comment, *, require_reason: bool = False
) -> tuple[list[Directive], list[Problem]]:
    """The directives of one comment (a comment may hold several, e.g. ``... # noqa: E501``)
    and what is wrong with them."""
    markers = [m for m in MARKER.finditer(comment.text) if _is_directive(comment.text, m)]
    directives: list[Directive] = []
    problems: list[Problem] = []
    for index, marker in enumerate(markers):
        end = markers[index + 1].start() if index + 1 < len(markers) else len(comment.text)
        parse = _parse_zlint if marker.group("zlint") else _parse_noqa
        directive = parse(comment, marker.start(), end, problems)
        if directive is None:
            continue
        directives.append(directive)
        if require_reason and directive.codes and not directive.reason:
            where = "after the `]`" if directive.kind != NOQA else "after the codes"
            problems.append(
                _problem(
                    comment,
                    directive.start,
                    directive.end,
                    "Suppression without a reason (`require-suppression-reason` is on): "
                    f"say why {where}, e.g. `# zlint: ignore[ZL001] the splits never meet`",
                )
            )
    return directives, problems


def _is_directive(text: str, marker: re.Match[str]) -> bool:
    if marker.group("noqa"):
        return True
    rest = text[marker.start() :]
    return _ZLINT_HEAD.match(rest) is not None or _NO_COLON.match(rest) is not None


def _problem(comment: Comment, start: int, end: int, message: str) -> Problem:
    text = comment.text[start:end].rstrip()
    return Problem(
        comment.line, comment.column + start, comment.column + start + len(text), message
    )


def _parse_zlint(
    comment: Comment, start: int, end: int, problems: list[Problem]
) -> Directive | None:
    region = comment.text[start:end]
    head = _ZLINT_HEAD.match(region)
    if head is None:
        problems.append(
            _problem(
                comment,
                start,
                end,
                f"Malformed suppression comment: `:` missing after `zlint`; {_EXAMPLE}",
            )
        )
        return None
    word = head.group("word")
    if word.lower() not in _ZLINT_DIRECTIVES:
        guess = difflib.get_close_matches(word.lower(), _ZLINT_DIRECTIVES, n=1, cutoff=0.5)
        hint = f" (did you mean `{guess[0]}`?)" if guess else ""
        shown = f"`{word}` is not a directive{hint}" if word else "no directive after `zlint:`"
        problems.append(
            _problem(
                comment,
                start,
                end,
                f"Malformed suppression comment: {shown}; {_EXAMPLE} or "
                "`# zlint: file-ignore[ZL001] reason`",
            )
        )
        return None
    opening = re.compile(r"\s*\[").match(region, head.end())
    if opening is None:
        problems.append(
            _problem(comment, start, end, f"Suppression comment names no rule; {_EXAMPLE}")
        )
        return None
    close = region.find("]", opening.end())
    if close < 0:
        problems.append(
            _problem(
                comment,
                start,
                end,
                f"Malformed suppression comment: the `[` is never closed; {_EXAMPLE}",
            )
        )
        return None
    items = list(_ITEM.finditer(region, opening.end(), close))
    if not items:
        problems.append(
            _problem(comment, start, end, f"Suppression comment names no rule; {_EXAMPLE}")
        )
        return None
    codes: dict[int, str] = {}
    for index, item in enumerate(items):
        rule = catalog.info(item.group())
        if rule is None:
            problems.append(_unknown(comment, start + item.start(), item.group()))
        else:
            codes[index] = rule.code
    return Directive(
        kind=word.lower(),
        comment=comment,
        start=start,
        end=end,
        list_start=start + opening.end(),
        list_end=start + close,
        items=tuple(item.group() for item in items),
        codes=codes,
        reason=_reason(region[close + 1 :]),
    )


def _parse_noqa(
    comment: Comment, start: int, end: int, problems: list[Problem]
) -> Directive | None:
    region = comment.text[start:end]
    head = _NOQA_HEAD.match(region)
    assert head is not None
    items: list[re.Match[str]] = []
    if head.group("colon"):
        position = head.end()
        for item in _ITEM.finditer(region, head.end()):
            gap = region[position : item.start()]
            if gap.strip(" \t,") or not _is_noqa_item(item.group()):
                break
            items.append(item)
            position = item.end()
    if not items:
        # A bare noqa comment (or one whose codes cannot be read) covers everything, as in
        # flake8.
        return Directive(NOQA, comment, start, end, start, start, (), {}, "", blanket=True)
    codes: dict[int, str] = {}
    for index, item in enumerate(items):
        rule = catalog.info(item.group())
        if rule is not None:
            codes[index] = rule.code
        elif _ZL_CODE.fullmatch(item.group()):
            problems.append(_unknown(comment, start + item.start(), item.group()))
    if not codes:
        return None  # only other tools' codes: not ours to judge
    return Directive(
        kind=NOQA,
        comment=comment,
        start=start,
        end=end,
        list_start=start + items[0].start(),
        list_end=start + items[-1].end(),
        items=tuple(item.group() for item in items),
        codes=codes,
        reason=_reason(region[items[-1].end() :]),
    )


def _is_noqa_item(item: str) -> bool:
    if _CODE_LIKE.fullmatch(item) or _ZL_CODE.fullmatch(item):
        return True
    return catalog.info(item) is not None


def _unknown(comment: Comment, offset: int, key: str) -> Problem:
    keys = [k for rule in catalog.RULES for k in (rule.code, rule.name)]
    close = difflib.get_close_matches(key.upper() if _ZL_CODE.fullmatch(key) else key, keys, n=1)
    if _ZL_CODE.fullmatch(key) and catalog.info(f"ZL{int(key[2:]):03d}") is not None:
        close = [f"ZL{int(key[2:]):03d}"]  # a missing zero (`ZL01`) is the likeliest slip
    hint = f" (did you mean `{close[0]}`?)" if close else ""
    return Problem(
        comment.line,
        comment.column + offset,
        comment.column + offset + len(key),
        f"Unknown rule `{key}` in a suppression comment{hint}; `zlint rules` lists them",
    )


def _reason(text: str) -> str:
    return text.strip().lstrip("-:;,\u2013\u2014").strip()


@dataclass
class TokenFacts:
    """What the tokenizer tells about a file's lines and comments."""

    comments: list[Comment] = field(default_factory=list)
    #: Per comment: the (first, last) line of the statement it lies in, None between statements.
    enclosing: list[tuple[int, int] | None] = field(default_factory=list)
    #: (first, last) line of every logical line.
    logical: list[tuple[int, int]] = field(default_factory=list)
    #: Lines that end outside any string or backslash continuation: a comment can go there.
    commentable: set[int] = field(default_factory=set)

    def logical_line_of(self, line: int) -> tuple[int, int] | None:
        for first, last in self.logical:
            if first <= line <= last:
                return first, last
        return None


_LAYOUT = (tokenize.INDENT, tokenize.DEDENT, tokenize.ENDMARKER)


def token_facts(text: str) -> TokenFacts:
    """An untokenizable file has no comments, as far as suppressions go."""
    facts = TokenFacts()
    open_start: int | None = None
    pending: list[int] = []
    try:
        for token in tokenize.generate_tokens(io.StringIO(text).readline):
            kind = token.type
            if kind == tokenize.COMMENT:
                facts.comments.append(Comment(token.start[0], token.start[1], token.string))
                facts.enclosing.append(None)
                if open_start is not None:
                    pending.append(len(facts.comments) - 1)
            elif kind in (tokenize.NEWLINE, tokenize.NL):
                facts.commentable.add(token.start[0])
                if kind == tokenize.NEWLINE and open_start is not None:
                    span = (open_start, token.start[0])
                    facts.logical.append(span)
                    for index in pending:
                        facts.enclosing[index] = span
                    open_start, pending = None, []
            elif open_start is None and kind not in _LAYOUT:
                open_start = token.start[0]
    except (tokenize.TokenError, SyntaxError):
        return TokenFacts()
    return facts
