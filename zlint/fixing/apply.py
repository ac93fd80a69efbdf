"""Applying fixes to parsed modules: node replacements, then the imports they need."""

from __future__ import annotations

import contextlib
import difflib
import warnings
from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping
from contextvars import ContextVar
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar, cast

import libcst as cst
from libcst.metadata import CodeRange

from zlint.fixing import cell_imports
from zlint.inputs.embedded import is_embedded
from zlint.model import cst_utils
from zlint.model.positions import positions_of
from zlint.types import Fix, ImportEdit, NodeReplacement, Position, TextEdit


@dataclass
class Applied:
    """New text per changed file, the fixes used, and those left for a later pass."""

    texts: dict[Path, str] = field(default_factory=dict)
    fixes: list[Fix] = field(default_factory=list)
    deferred: list[Fix] = field(default_factory=list)
    #: (path, reason) for files whose fixed text did not parse: those files are left as is.
    reverted: list[tuple[Path, str]] = field(default_factory=list)


def apply_fixes(fixes: Iterable[Fix], trees: Mapping[Path, cst.Module]) -> Applied:
    """Applies every fix that overlaps no fix chosen before it; the others are deferred."""
    applied = Applied()
    taken: dict[Path, list[tuple[int, int]]] = defaultdict(list)
    ranges = _Ranges(trees)
    for fix in fixes:
        spans = [(r.path, ranges.offsets(r.path, r.old)) for r in fix.replacements]
        if any(span is None for _, span in spans) or any(
            _overlaps(span, taken[path]) for path, span in spans if span is not None
        ):
            applied.deferred.append(fix)
            continue
        for path, span in spans:
            assert span is not None
            taken[path].append(span)
        applied.fixes.append(fix)
    replacements: dict[Path, list[NodeReplacement]] = defaultdict(list)
    imports: dict[Path, list[ImportEdit]] = defaultdict(list)
    for fix in applied.fixes:
        for replacement in fix.replacements:
            replacements[replacement.path].append(replacement)
        for edit in fix.imports:
            imports[edit.path].append(edit)
    for path in sorted(set(replacements) | set(imports)):
        text = rewrite(trees[path], replacements[path], imports[path])
        problem = syntax_problem(text, path)
        if problem is None:
            applied.texts[path] = text
        else:
            applied.reverted.append((path, problem))
    return applied


#: Results already computed while :func:`remembering_rewrites` is on: ids of the function
#: and its arguments -> (those objects, kept alive so that the ids stay theirs; the result).
_REMEMBERED: ContextVar[dict[tuple[Hashable, ...], tuple[tuple[object, ...], object]] | None] = (
    ContextVar("_REMEMBERED", default=None)
)
_T = TypeVar("_T")


@contextlib.contextmanager
def remembering_rewrites() -> Iterator[None]:
    """In the block (or the decorated function), rewriting one tree with the same edits
    again returns the first text, and so do the text edits between the same texts:
    ``zlint fix`` renders each finding's fix as text edits when it lints, then applies
    those same fixes; findings that share one fix render it once. Forgotten when the
    outermost such block ends."""
    if _REMEMBERED.get() is not None:  # already on: keep what the outer block remembers
        yield
        return
    token = _REMEMBERED.set({})
    try:
        yield
    finally:
        _REMEMBERED.reset(token)


def _remembered(
    objects: tuple[object, ...], compute: Callable[[], _T], values: Hashable = ()
) -> _T:
    """``compute()``, remembered for these very ``objects`` (by identity) and ``values``
    (by equality) while :func:`remembering_rewrites` is on."""
    cache = _REMEMBERED.get()
    if cache is None:
        return compute()
    key = (*(id(thing) for thing in objects), values)
    known = cache.get(key)
    if known is not None and all(a is b for a, b in zip(known[0], objects, strict=True)):
        return cast(_T, known[1])
    result = compute()
    cache[key] = (objects, result)
    return result


def rewrite(
    tree: cst.Module, replacements: Iterable[NodeReplacement], imports: Iterable[ImportEdit]
) -> str:
    edits, needed = list(replacements), list(imports)
    return _remembered((rewrite, tree, *edits, *needed), lambda: _rewrite(tree, edits, needed))


def _rewrite(
    tree: cst.Module, replacements: list[NodeReplacement], imports: list[ImportEdit]
) -> str:
    """The module's text with the replacements and imports made. Only the top-level
    statements that hold a replaced node are visited, and the import codemod sees only the
    module's head when no import follows it: a module with many findings renders each fix
    without walking the whole tree each time."""
    new_tree, touched = _replace(tree, replacements) if replacements else (tree, set())
    if imports and is_embedded(imports[0].path):
        # A notebook or Markdown page: the imports go into the right cell or block.
        new_tree = cell_imports.add_imports(new_tree, imports, add_imports_codemod)
    elif imports:
        # The original tree's head (computed once a tree), stretched over any replaced
        # statement that now holds an import; a longer head than needed is still right.
        head = _remembered((_import_head, tree), lambda: _import_head(tree))
        if -1 in touched:
            head = _import_head(new_tree)
        for index in touched - {-1}:
            if index >= head and _holds_import(new_tree.body[index]):
                head = index + 1
        if head < len(tree.body) and -1 not in touched and min(touched, default=head) >= head:
            # The head is the original tree's own: findings that add the same imports share
            # one run of the codemod (it costs more than the rest of a fix's rendering).
            done = _remembered(
                (_add_imports, tree),
                lambda: add_imports_codemod(tree.with_changes(body=tree.body[:head]), imports),
                (head, tuple(imports)),
            )
            new_tree = done.with_changes(body=[*done.body, *new_tree.body[head:]])
        else:
            new_tree = _add_imports(new_tree, imports, head)
    return _render(tree, new_tree)


def _render(old: cst.Module, new: cst.Module) -> str:
    """``new.code``, reusing the original text of the top-level statements ``new`` shares
    with ``old`` (the same objects): rendering a whole module for each fix made a module
    with many findings slow to report."""
    if _REMEMBERED.get() is None:
        return new.code  # the layout pays only when it serves several fixes of a tree
    layout = _remembered((_layout, old), lambda: _layout(old))
    if (
        layout is None
        or new.header is not old.header
        or new.footer is not old.footer
        or new.has_trailing_newline is not old.has_trailing_newline
    ):
        return new.code
    text, starts = layout  # starts[i]: where statement i begins; starts[-1]: the footer
    shared = min(len(old.body), len(new.body))
    prefix = next((i for i in range(shared) if old.body[i] is not new.body[i]), shared)
    suffix = next(
        (i for i in range(shared - prefix) if old.body[-1 - i] is not new.body[-1 - i]),
        shared - prefix,
    )
    if suffix == 0 and not old.has_trailing_newline:
        return new.code  # the last statement's newline is the module's to drop
    middle = "".join(new.code_for_node(s) for s in new.body[prefix : len(new.body) - suffix])
    return text[: starts[prefix]] + middle + text[starts[len(old.body) - suffix] :]


def _layout(tree: cst.Module) -> tuple[str, list[int]] | None:
    """The module's text and where each top-level statement (then the footer) starts in
    it; None when the pieces rendered one by one do not make up the text."""
    text = tree.code
    pieces = ["".join(tree.code_for_node(h) for h in tree.header)]
    pieces += [tree.code_for_node(s) for s in tree.body]
    starts: list[int] = []
    offset = 0
    for piece in pieces:
        offset += len(piece)
        starts.append(offset)
    footer = "".join(tree.code_for_node(f) for f in tree.footer)
    joined = "".join(pieces) + footer
    if not tree.has_trailing_newline and joined.endswith(tree.default_newline):
        joined = joined[: -len(tree.default_newline)]
    return (text, starts) if joined == text else None


def _replace(tree: cst.Module, replacements: list[NodeReplacement]) -> tuple[cst.Module, set[int]]:
    """The tree with the replacements made, and the indices of the top-level statements
    they touched (-1: a node outside them, when the whole tree is visited)."""
    mapping = {id(r.old): r.new for r in replacements}
    owners = _top_level_owners(tree)
    touched = {owners.get(id(r.old), -1) for r in replacements}
    if -1 in touched:
        return tree.visit(_Replace(mapping)), touched
    body: list[cst.CSTNode] = list(tree.body)
    for index in touched:
        body[index] = cast(cst.CSTNode, body[index].visit(_Replace(mapping)))  # never removes
    return tree.with_changes(body=body), touched


def _top_level_owners(tree: cst.Module) -> dict[int, int]:
    """id(node) -> the index of the top-level statement holding it (computed once a tree)."""

    def walk() -> dict[int, int]:
        owners: dict[int, int] = {}
        for index, statement in enumerate(tree.body):
            stack: list[cst.CSTNode] = [statement]
            while stack:
                node = stack.pop()
                owners[id(node)] = index
                stack.extend(cst_utils.child_nodes(node))
        return owners

    return _remembered((_top_level_owners, tree), walk)


def add_imports_codemod(tree: cst.Module, imports: Iterable[ImportEdit]) -> cst.Module:
    """LibCST's import codemod on ``tree``: each import added unless already there."""
    # LibCST's codemod package imports its matchers (0.15 s): only runs that add an
    # import pay for it.
    from libcst.codemod import CodemodContext
    from libcst.codemod.visitors import AddImportsVisitor

    context = CodemodContext()
    for edit in imports:
        if edit.name is None:
            AddImportsVisitor.add_needed_import(context, edit.module)
        else:
            AddImportsVisitor.add_needed_import(context, edit.module, edit.name)
    return AddImportsVisitor(context).transform_module(tree)


def _add_imports(tree: cst.Module, imports: list[ImportEdit], head: int) -> cst.Module:
    if head >= len(tree.body):
        return add_imports_codemod(tree, imports)
    # The codemod places imports after the last top-level import and skips names imported
    # already; with no import statement after ``head``, the head alone decides both.
    done = add_imports_codemod(tree.with_changes(body=tree.body[:head]), imports)
    return done.with_changes(body=[*done.body, *tree.body[head:]])


def _import_head(tree: cst.Module) -> int:
    """How many top-level statements run through the last one that holds an import
    (anywhere inside it); all of them when the tree has none."""
    last = max((i for i, s in enumerate(tree.body) if _holds_import(s)), default=-1)
    return last + 1 if last >= 0 else len(tree.body)


def _holds_import(statement: cst.CSTNode) -> bool:
    stack: list[cst.CSTNode] = [statement]
    while stack:
        node = stack.pop()
        if isinstance(node, (cst.Import, cst.ImportFrom)):
            return True
        stack.extend(cst_utils.child_nodes(node))
    return False


def syntax_problem(text: str, path: Path) -> str | None:
    """Why ``text`` is not valid Python (LibCST and CPython must both accept it), or None."""
    try:
        cst.parse_module(text)
        with warnings.catch_warnings():  # SyntaxWarnings are the user's code's, not news
            warnings.simplefilter("ignore")
            compile(text, str(path), "exec", dont_inherit=True)
    except (cst.ParserSyntaxError, SyntaxError, ValueError, RecursionError) as exc:
        return str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    return None


def text_edits(before: str, after: str) -> tuple[TextEdit, ...]:
    """The changed line ranges between two texts as 1-based text edits."""
    return _remembered((text_edits, before, after), lambda: _text_edits(before, after))


def _text_edits(before: str, after: str) -> tuple[TextEdit, ...]:
    old_lines = before.splitlines(keepends=True)
    new_lines = after.splitlines(keepends=True)
    # The lines before the first change and after the last one are left out of the diff:
    # a fix changes a few lines of a module, and diffing all of it for each finding was
    # most of the time of reporting a module with many findings.
    same = min(len(old_lines), len(new_lines))
    head = next((i for i in range(same) if old_lines[i] != new_lines[i]), same)
    tail = next(
        (i for i in range(same - head) if old_lines[-1 - i] != new_lines[-1 - i]), same - head
    )
    edits: list[TextEdit] = []
    matcher = difflib.SequenceMatcher(
        a=old_lines[head : len(old_lines) - tail],
        b=new_lines[head : len(new_lines) - tail],
        autojunk=False,
    )
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        text = "".join(new_lines[head + j1 : head + j2])
        edits.append(TextEdit(text, Position(head + i1 + 1, 1), Position(head + i2 + 1, 1)))
    return tuple(edits)


class _Replace(cst.CSTTransformer):
    def __init__(self, mapping: dict[int, cst.CSTNode]) -> None:
        self.mapping = mapping

    # LibCST types on_leave generically; a replacement may be another node type.
    def on_leave(  # type: ignore[override]
        self, original_node: cst.CSTNode, updated_node: cst.CSTNode
    ) -> cst.CSTNode | cst.RemovalSentinel | cst.FlattenSentinel[cst.CSTNode]:
        return self.mapping.get(id(original_node), updated_node)


class _Ranges:
    """Character offsets of nodes, to tell overlapping fixes apart."""

    def __init__(self, trees: Mapping[Path, cst.Module]) -> None:
        self.trees = trees
        self._positions: dict[Path, Mapping[cst.CSTNode, CodeRange]] = {}
        self._line_starts: dict[Path, list[int]] = {}

    def offsets(self, path: Path, node: cst.CSTNode) -> tuple[int, int] | None:
        tree = self.trees.get(path)
        if tree is None:
            return None
        if path not in self._positions:
            self._positions[path] = positions_of(tree)
            starts = [0]
            for line in tree.code.splitlines(keepends=True):
                starts.append(starts[-1] + len(line))
            self._line_starts[path] = starts
        code_range = self._positions[path].get(node)
        if code_range is None:
            return None
        starts = self._line_starts[path]
        start = starts[code_range.start.line - 1] + code_range.start.column
        end = starts[code_range.end.line - 1] + code_range.end.column
        return start, end


def _overlaps(span: tuple[int, int], taken: list[tuple[int, int]]) -> bool:
    return any(span[0] < end and start < span[1] for start, end in taken)
