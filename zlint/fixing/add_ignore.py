"""``--add-ignore``: a ``# zlint: ignore[CODES] reason`` comment for every finding, to baseline an
existing codebase; written with the same atomic writer as ``zlint fix``."""

from __future__ import annotations

import io
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from zlint import catalog
from zlint.fixing.apply import syntax_problem
from zlint.fixing.write import write_files
from zlint.inputs import source
from zlint.inputs.embedded import is_embedded
from zlint.suppress.comments import IGNORE, Comment, parse_comment, token_facts
from zlint.types import Diagnostic

#: The two rules about suppression comments themselves.
SUPPRESSION_CODES = catalog.SUPPRESSION_CODES


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
        about_comments = any(d.code in SUPPRESSION_CODES for d in here)
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
    """Writes the files with the same atomic writer as ``zlint fix``; returns what failed.
    A file the comments would break (they never should) is not written."""
    problems: list[tuple[Path, str]] = []
    writable: dict[Path, str] = {}
    for path, text in result.texts.items():
        broken = syntax_problem(text, path)
        if broken is None:
            writable[path] = text
        else:
            problems.append((path, f"not written: the comments would break it ({broken})"))
    problems += write_files(writable, result.originals)
    return sorted(problems, key=lambda problem: problem[0])
