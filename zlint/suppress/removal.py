"""The safe fixes of ZL900: suppression comments without the codes that suppressed nothing."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

import libcst as cst
from libcst.metadata import CodeRange

from zlint.model import cst_utils
from zlint.suppress.comments import Comment, Directive
from zlint.types import Applicability, Fix, NodeReplacement


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


def removal_fixes(
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
