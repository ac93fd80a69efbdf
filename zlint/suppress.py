"""Suppression comments: ``# zlint: ignore[ZL001]``, ``# zlint: file-ignore[ZL001]`` and
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
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import libcst as cst
from libcst.metadata import CodeRange

from zlint import catalog, config
from zlint.inputs import source
from zlint.inputs.embedded import is_embedded
from zlint.model import cst_utils
from zlint.types import Applicability, Diagnostic, Fix, NodeReplacement, Position, Span

if TYPE_CHECKING:
    from zlint.results import InternalError
    from zlint.rules.base import RuleContext

#: The two rules about suppression comments themselves; they are judged after every other rule.
UNUSED = catalog.UNUSED_SUPPRESSION
INVALID = catalog.INVALID_SUPPRESSION
META = catalog.SUPPRESSION_CODES

IGNORE = "ignore"
FILE_IGNORE = "file-ignore"
NOQA = "noqa"
_ZLINT_DIRECTIVES = (IGNORE, FILE_IGNORE)
_EXAMPLE = "write `# zlint: ignore[ZL001] reason`"
#: The last line of a file-wide scope.
_END = 10**9

_MARKER = re.compile(r"#\s*(?:(?P<zlint>zlint)|(?P<noqa>noqa))\b", re.IGNORECASE)
_ZLINT_HEAD = re.compile(r"#\s*zlint\s*:\s*(?P<word>[\w-]*)", re.IGNORECASE)
_NO_COLON = re.compile(r"#\s*zlint[\s_-]*(?:file[\s_-]*)?ign", re.IGNORECASE)
_NOQA_HEAD = re.compile(r"#\s*noqa\s*(?P<colon>:\s*)?", re.IGNORECASE)
_ITEM = re.compile(r"[^\s,\]]+")
_CODE_LIKE = re.compile(r"[A-Z]+[0-9]+")
_ZL_CODE = re.compile(r"zl[0-9]+", re.IGNORECASE)


# --------------------------------------------------------------------------- parsing


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
    markers = [m for m in _MARKER.finditer(comment.text) if _is_directive(comment.text, m)]
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


# --------------------------------------------------------------------------- tokens


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


# --------------------------------------------------------------------------- one file


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
        if not _MARKER.search(text):
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


# --------------------------------------------------------------------------- the run


def apply(
    diagnostics: Sequence[Diagnostic],
    ctx: RuleContext,
    settings: config.Settings,
    selected: frozenset[str],
    errors: Sequence[InternalError],
    *,
    whole_project: bool,
) -> list[Diagnostic]:
    """The findings that no per-file-ignore or suppression comment removes, plus ZL901
    (invalid suppressions) and ZL900 (unused ones) when they are selected.

    ZL900 judges only the codes of rules that ran: selected, not crashed, not switched off
    for the file by per-file-ignores; and only in a run over the whole project without
    internal errors, because a run on some files can miss findings that a pipeline in another
    file produces, and a stale-looking suppression would then be removed by a safe fix.
    """
    files = _Files(ctx, settings)
    kept: list[Diagnostic] = []
    for diagnostic in diagnostics:
        if diagnostic.code in config.ignored_codes_for(settings, diagnostic.path):
            continue
        found = files.get(diagnostic.path)
        if found is not None and found.suppress(diagnostic.span.start.line, diagnostic.code):
            continue
        kept.append(diagnostic)
    if not META & selected:
        return kept
    paths = sorted(
        {m.path for m in ctx.modules if m.tree is not None} | {d.path for d in diagnostics}
    )
    for path in paths:
        found = files.get(path)
        if found is None:
            continue
        ignored = config.ignored_codes_for(settings, path)
        if INVALID in selected and INVALID not in ignored:
            kept.extend(_invalid(path, found))
        if UNUSED in selected and UNUSED not in ignored and whole_project and not errors:
            judged = (selected - {UNUSED}) - ignored
            kept.extend(_unused(path, found, judged, files))
    return kept


class _Files:
    """Each file's suppressions, parsed on first use (only files with a tree have them)."""

    def __init__(self, ctx: RuleContext, settings: config.Settings) -> None:
        self.ctx = ctx
        self.require_reason = settings.require_suppression_reason
        self._found: dict[Path, FileSuppressions | None] = {}

    def get(self, path: Path) -> FileSuppressions | None:
        if path not in self._found:
            module = self.ctx.project.module(path)
            if module is None or module.tree is None:
                self._found[path] = None
            else:
                positions = self.ctx.positions(module)
                self._found[path] = FileSuppressions.of(
                    module.text,
                    lambda: statement_extents(positions.ranges),
                    require_reason=self.require_reason,
                )
        return self._found[path]


def _meta_rule(code: str) -> tuple[str, str]:
    rule = catalog.info(code)
    assert rule is not None
    return rule.code, rule.name


def _span(line: int, column: int, end_column: int) -> Span:
    return Span(Position(line, column + 1), Position(line, end_column + 1))


def _invalid(path: Path, found: FileSuppressions) -> Iterator[Diagnostic]:
    code, name = _meta_rule(INVALID)
    for problem in found.problems:
        if not found.suppress(problem.line, INVALID):
            span = _span(problem.line, problem.column, problem.end_column)
            yield Diagnostic(code, name, problem.message, path, span)


def _unused(
    path: Path, found: FileSuppressions, judged: frozenset[str], files: _Files
) -> list[Diagnostic]:
    """ZL900 findings: first for the codes of other rules (a directive listing ZL900 keeps
    its other codes from being reported), then for ZL900 codes that kept nothing, which only
    another directive can vouch for."""
    stale: list[tuple[Directive, list[str]]] = []
    for directive in found.directives:
        codes = _stale_codes(directive, judged)
        if codes and not found.suppress(directive.line, UNUSED):
            stale.append((directive, codes))
    for directive in found.directives:
        vouched = UNUSED not in directive.code_set or UNUSED in directive.used
        if not vouched and not found.suppress(directive.line, UNUSED, besides=directive):
            stale.append((directive, [UNUSED]))
    if not stale:
        return []
    code, name = _meta_rule(UNUSED)
    module = files.ctx.project.module(path)
    fixes = {}
    if module is not None and module.tree is not None:
        ranges = files.ctx.positions(module).ranges
        fixes = _removal_fixes(path, module.tree, ranges, stale)
    return [
        Diagnostic(
            code,
            name,
            _unused_message(directive, codes),
            path,
            _span(directive.line, directive.column, directive.end_column),
            fixes.get(id(directive)),
        )
        for directive, codes in stale
    ]


def _stale_codes(directive: Directive, judged: frozenset[str]) -> list[str]:
    codes = dict.fromkeys(directive.codes.values())
    return [c for c in codes if c in judged and c not in directive.used]


def _unused_message(directive: Directive, codes: Sequence[str]) -> str:
    named = ", ".join(f"`{c}` ({_meta_name(c)})" for c in codes)
    where = "in this file" if directive.kind == FILE_IGNORE else "here"
    verb = "suppresses" if len(codes) == 1 else "suppress"
    kind = {NOQA: "`noqa`", FILE_IGNORE: "`file-ignore`"}.get(directive.kind, "suppression")
    return f"Unused {kind}: {named} {verb} nothing {where}; no such finding in this run"


def _meta_name(code: str) -> str:
    rule = catalog.info(code)
    return f"`{rule.name}`" if rule is not None else code


# --------------------------------------------------------------------------- removal fixes


def rewrite_comment(text: str, removals: Sequence[tuple[Directive, Iterable[str]]]) -> str:
    """The comment without the given codes (a directive left with no item goes entirely,
    reason and all; other tools' codes and unknown items stay). "" when nothing is left."""
    for directive, codes in sorted(removals, key=lambda r: r[0].start, reverse=True):
        gone = set(codes)
        kept = [
            item
            for index, item in enumerate(directive.items)
            if directive.codes.get(index) not in gone
        ]
        if kept:
            replacement = (
                text[directive.start : directive.list_start]
                + ", ".join(kept)
                + text[directive.list_end : directive.end]
            )
        else:
            replacement = ""
        text = text[: directive.start] + replacement + text[directive.end :]
    return text.strip()


class _CommentEdits(cst.CSTTransformer):
    """Gives comments new text; a comment with none left goes, with its line when it had one
    of its own."""

    def __init__(self, texts: Mapping[int, str]) -> None:
        super().__init__()
        self.texts = texts

    def leave_TrailingWhitespace(
        self, original_node: cst.TrailingWhitespace, updated_node: cst.TrailingWhitespace
    ) -> cst.TrailingWhitespace:
        new = self.texts.get(id(original_node.comment)) if original_node.comment else None
        if new is None:
            return updated_node
        if new:
            return updated_node.with_changes(comment=cst.Comment(new))
        return updated_node.with_changes(whitespace=cst.SimpleWhitespace(""), comment=None)

    def leave_EmptyLine(
        self, original_node: cst.EmptyLine, updated_node: cst.EmptyLine
    ) -> cst.EmptyLine | cst.RemovalSentinel:
        new = self.texts.get(id(original_node.comment)) if original_node.comment else None
        if new is None:
            return updated_node
        if new:
            return updated_node.with_changes(comment=cst.Comment(new))
        return cst.RemovalSentinel.REMOVE


def _removal_fixes(
    path: Path,
    tree: cst.Module,
    ranges: Mapping[cst.CSTNode, CodeRange],
    stale: Sequence[tuple[Directive, Sequence[str]]],
) -> dict[int, Fix]:
    """One fix per group of comments whose edits touch nested nodes, keyed by directive id.

    A trailing comment is edited through its ``TrailingWhitespace``; an own-line comment
    that goes entirely through the node whose lines hold it (its line must go too). Edits
    whose nodes nest are merged into one replacement of the outermost node, which
    ``zlint fix`` can apply in one pass.
    """
    by_comment: dict[Comment, list[tuple[Directive, Sequence[str]]]] = defaultdict(list)
    for directive, codes in stale:
        by_comment[directive.comment].append((directive, codes))
    nodes = {
        (r.start.line, r.start.column): n for n, r in ranges.items() if isinstance(n, cst.Comment)
    }
    parents = cst_utils.parent_map(tree)
    texts: dict[int, str] = {}
    targets: dict[Comment, cst.CSTNode] = {}
    for comment, removals in by_comment.items():
        node = nodes.get((comment.line, comment.column))
        parent = parents.get(id(node)) if node is not None else None
        if node is None or parent is None:
            continue
        new = rewrite_comment(comment.text, removals)
        texts[id(node)] = new
        if isinstance(parent, cst.TrailingWhitespace) or (
            isinstance(parent, cst.EmptyLine) and new
        ):
            targets[comment] = parent
        elif isinstance(parent, cst.EmptyLine) and id(parent) in parents:
            targets[comment] = parents[id(parent)]
    fixes: dict[int, Fix] = {}
    for group in _nesting_groups(list(targets.items()), parents):
        top = group[0][1]
        new_top = top.visit(_CommentEdits(texts))
        if not isinstance(new_top, cst.CSTNode):
            continue
        removals = [r for comment, _ in group for r in by_comment[comment]]
        fix = Fix(
            Applicability.SAFE,
            _fix_message(removals),
            (NodeReplacement(path, top, new_top),),
        )
        for directive, _ in removals:
            fixes[id(directive)] = fix
    return fixes


def _fix_message(removals: Sequence[tuple[Directive, Sequence[str]]]) -> str:
    codes = [code for _, codes in removals for code in codes]
    if len(codes) == 1:
        return f"Remove the unused suppression of `{codes[0]}`"
    return f"Remove the unused suppressions of {', '.join(f'`{c}`' for c in codes)}"


def _nesting_groups(
    targets: list[tuple[Comment, cst.CSTNode]], parents: Mapping[int, cst.CSTNode]
) -> list[list[tuple[Comment, cst.CSTNode]]]:
    """Targets grouped so that no node of one group lies inside another group's; each group
    starts with its outermost node, which holds all the others."""

    def ancestors(node: cst.CSTNode) -> set[int]:
        found = {id(node)}
        while id(node) in parents:
            node = parents[id(node)]
            found.add(id(node))
        return found

    chains = [ancestors(node) for _, node in targets]
    groups: list[list[int]] = []
    for index, (_, node) in enumerate(targets):
        joined = [
            g
            for g in groups
            if any(id(node) in chains[i] or id(targets[i][1]) in chains[index] for i in g)
        ]
        merged = [index] + [i for g in joined for i in g]
        groups = [g for g in groups if g not in joined] + [merged]
    result = []
    for group in groups:
        group.sort(key=lambda i: len(chains[i]))  # the outermost node has the fewest ancestors
        result.append([targets[i] for i in group])
    return result


# --------------------------------------------------------------------------- --add-ignore


@dataclass
class AddIgnoreResult:
    #: How many codes each file gets.
    counts: dict[Path, int] = field(default_factory=dict)
    #: New text of every file that gets suppressions, and what it held on disk.
    texts: dict[Path, str] = field(default_factory=dict)
    originals: dict[Path, bytes] = field(default_factory=dict)
    #: Findings that no comment can suppress (a file that cannot be read or parsed).
    left: list[Diagnostic] = field(default_factory=list)
    problems: list[tuple[Path, str]] = field(default_factory=list)


def add_ignores(diagnostics: Sequence[Diagnostic], reason: str = "") -> AddIgnoreResult:
    """Trailing ``# zlint: ignore[CODES] reason`` comments for every finding, merged into a
    zlint ``ignore`` already on the line. Nothing is written here (see :func:`write`).

    A comment goes on the line the finding starts on, or, when that line ends inside a
    string or with a backslash, on the last line of its statement (which covers it too).
    """
    result = AddIgnoreResult()
    reason = " ".join(reason.split())
    by_path: dict[Path, list[Diagnostic]] = defaultdict(list)
    for diagnostic in diagnostics:
        # Notebooks and Markdown pages: their positions are not lines of a Python file.
        if diagnostic.code == catalog.UNPARSABLE_FILE or is_embedded(diagnostic.path):
            result.left.append(diagnostic)
        else:
            by_path[diagnostic.path].append(diagnostic)
    for path, found in sorted(by_path.items()):
        try:
            original = path.read_bytes()
        except OSError as exc:
            result.problems.append((path, f"cannot read it: {exc.strerror or exc}"))
            result.left.extend(found)
            continue
        text = source.decode(original)
        if isinstance(text, source.SourceError):
            result.problems.append((path, text.message))
            result.left.extend(found)
            continue
        new_text, added, left = _with_ignores(text, found, reason)
        result.left.extend(left)
        if added:
            result.texts[path] = new_text
            result.originals[path] = original
            result.counts[path] = added
    return result


def _with_ignores(
    text: str, found: Sequence[Diagnostic], reason: str
) -> tuple[str, int, list[Diagnostic]]:
    facts = token_facts(text)
    lines = io.StringIO(text).readlines()
    per_line: dict[int, list[Diagnostic]] = defaultdict(list)
    left: list[Diagnostic] = []
    for diagnostic in found:
        line = diagnostic.span.start.line
        if line not in facts.commentable:
            logical = facts.logical_line_of(line)
            line = logical[1] if logical is not None else line
        if line in facts.commentable and line <= len(lines):
            per_line[line].append(diagnostic)
        else:
            left.append(diagnostic)
    comments = {c.line: c for c in facts.comments}
    added = 0
    for line, here in per_line.items():
        codes = sorted({d.code for d in here})
        about_comments = any(d.code in META for d in here)
        content = lines[line - 1]
        body = content.rstrip("\r\n")
        ending = content[len(body) :]
        comment = comments.get(line)
        if comment is None:
            body = body.rstrip() + "  " + _new_ignore(codes, reason)
        else:
            new = None if about_comments else _merged(comment, codes, reason)
            if new is None:
                new = comment.text.rstrip() + "  " + _new_ignore(codes, reason)
            body = body[: comment.column] + new
        lines[line - 1] = body + ending
        added += len(codes)
    return "".join(lines), added, left


def _new_ignore(codes: Sequence[str], reason: str) -> str:
    return f"# zlint: ignore[{', '.join(codes)}]" + (f" {reason}" if reason else "")


def _merged(comment: Comment, codes: Sequence[str], reason: str) -> str | None:
    """The comment with ``codes`` added to its zlint ``ignore``, or None when it has none."""
    directives, _ = parse_comment(comment)
    ignores = [d for d in directives if d.kind == IGNORE]
    if not ignores:
        return None
    target = ignores[0]
    new = [c for c in codes if c not in target.code_set]
    text = comment.text
    listed = ", ".join([*target.items, *new])
    after = text[target.list_end : target.end]  # "]", the reason, the space before the next
    if reason and not target.reason:
        after = "] " + reason + after[1:]
    return (text[: target.list_start] + listed + after + text[target.end :]).rstrip()


def write(result: AddIgnoreResult) -> list[tuple[Path, str]]:
    """Writes the files with the same atomic writer as ``zlint fix``; returns what failed."""
    from zlint.fixing.apply import syntax_problem
    from zlint.fixing.write import write_atomically

    problems: list[tuple[Path, str]] = []
    for path, text in sorted(result.texts.items()):
        broken = syntax_problem(text, path)
        if broken is not None:
            problems.append((path, f"not written: the comments would break it ({broken})"))
            continue
        problem = write_atomically(path, text, result.originals[path])
        if problem is not None:
            problems.append((path, f"not written: {problem}"))
    return problems
