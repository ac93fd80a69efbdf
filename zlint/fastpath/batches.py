"""Splitting the check of a very large project into batches that give the same findings.

Holding every tree at once is what a large run's memory is: some 30 KB per module that a
rule wants (20,000 files, half of them defining steps or pipelines: 561 MiB). A batch is a
run of the engine over some of the reported files, whose trees are dropped before the next
batch starts. Its findings must be exactly those of the whole run, so a batch also analyses
the *contributors* of its files: every wanted module whose findings or fixes can depend on
theirs. What a module's analysis can see is bounded by its imports, so contributors are
found by following imports, generously, without LibCST:

* a module's *reach* is itself and every project module whose code its imports can lead
  to, at any depth: every place an import may resolve to, a package bound as a module
  object with all of its submodules (``pkg.sub.f`` resolves through them), imports inside
  functions too. A name imported from a package whose ``__init__`` binds it only by an
  import leads where that import leads, not to the rest of the package: a ``steps``
  package that re-exports every step does not put every step in every pipeline's reach;
* a wanted module ``w`` contributes to a reported file ``f`` when ``f`` is in the reach of
  ``w``: ``w``'s pipelines or step calls may report there (``f`` defines something);
* findings of one module can also share a fix or a first-reported message with another
  module's, through a step or a factory they both reach (ZL001's whole-step fixes, ZL004's
  fixes, ZL005's messages). So the second hop: every wanted module whose reach meets the
  reach of the batch or of its first-hop contributors in a module that may define steps
  (by the prefilter's text test).

A module that everything reaches, and that may define steps, makes one batch of the whole
project: the plan then reports that batching does not pay (``None``) and the run is checked
in one go. So does a reach larger than :data:`MAX_REACH`.

What is outside imports is the same in every batch: each batch resolves names in the whole
project (decorators named in the settings included), and the searches of every project
file's text (run configurations, ZL003's references) read all files.
"""

from __future__ import annotations

import ast
import bisect
import os
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from zlint.model.module_index import MODULE_SUFFIXES, ModuleIndex
from zlint.model.surface import top_level_statements

#: A module that reaches more modules than this makes batching pointless.
MAX_REACH = 5_000
#: Batching pays only while each batch analyses at most this share of the wanted modules.
MAX_SHARE = 0.75
#: Text that may hold something another module's finding is reported at (a function's
#: parameters, its body's metadata calls, a class-based step).
_DEFINES = re.compile(r"\b(?:def|class)\b")


@dataclass(frozen=True)
class Batch:
    #: The reported files this batch's findings are kept for.
    reported: frozenset[Path]
    #: The wanted modules it analyses: its own and their contributors (in the run's order,
    #: which the engine keeps: rules report the first of equal findings).
    analysed: frozenset[Path]


#: A module as a whole (name None), or one name looked up in a package's ``__init__``.
State = tuple[Path, "str | None"]


class Reach:
    """What each module's imports can lead to, read with :mod:`ast` (cached per module)."""

    def __init__(self, index: ModuleIndex, text_of: Callable[[Path], str | None]) -> None:
        self.index = index
        self.text_of = text_of
        self._edges: dict[Path, frozenset[State]] = {}
        self._name_edges: dict[State, tuple[State, ...]] = {}
        self._forwards: dict[Path, _Forwards | None] = {}
        self._modules: dict[tuple[str, str, int, bool], list[Path]] = {}
        self._names = sorted(str(p) for p in (*index.files, *index.dirs))

    def of(self, start: Path) -> set[Path] | None:
        """``start`` and every module whose code its imports lead to; None past
        :data:`MAX_REACH`. A package ``__init__`` that only passes on the imported name
        (``from .train import train``) leads to that name's module, not to all of its own
        imports: a steps package re-exporting every step links no two pipelines."""
        reached = {start}
        seen: set[State] = {(start, None)}
        todo: list[State] = [(start, None)]
        while todo:
            module, name = todo.pop()
            for state in self.edges(module) if name is None else self.name_edges(module, name):
                if state in seen:
                    continue
                seen.add(state)
                todo.append(state)
                if state[1] is None:
                    reached.add(state[0])
                    if len(reached) > MAX_REACH:
                        return None
        return reached

    def edges(self, path: Path) -> frozenset[State]:
        found = self._edges.get(path)
        if found is None:
            found = self._edges[path] = frozenset(self._targets(path))
        return found

    def _targets(self, path: Path) -> Iterable[State]:
        if path in self.index.dirs:  # a namespace package: no code of its own
            return ()
        text = self.text_of(path)
        statements = import_statements(text) if text is not None else None
        if statements is None:
            return ()  # LibCST will not build a tree either: nothing resolves through it
        targets: list[State] = []
        for node in statements:
            if isinstance(node, ast.Import):
                targets += self._imported(path, node)
            else:
                targets += self._imported_from(path, node)
        return targets

    def _imported(self, importer: Path, node: ast.Import) -> list[State]:
        """``import a.b`` binds ``a``: everything under ``a`` resolves through it."""
        states: list[State] = []
        for alias in node.names:
            bound = alias.name if alias.asname else alias.name.split(".")[0]
            states += self._whole(importer, alias.name, 0, everything=False)
            states += self._whole(importer, bound, 0, everything=True)
        return states

    def _imported_from(self, importer: Path, node: ast.ImportFrom) -> list[State]:
        """``from base import name``: that name in ``base``, or its submodule."""
        base = node.module or ""
        states: list[State] = []
        for alias in node.names:
            if alias.name == "*":
                states += self._whole(importer, base, node.level, everything=True)
                continue
            places = self._module(importer, base, node.level, whole=False)
            states += ((place, alias.name) for place in places)
            dotted = f"{base}.{alias.name}" if base else alias.name
            states += self._whole(importer, dotted, node.level, everything=True)
        return states

    def _whole(self, importer: Path, dotted: str, level: int, *, everything: bool) -> list[State]:
        return [(p, None) for p in self._module(importer, dotted, level, whole=everything)]

    def name_edges(self, module: Path, name: str) -> tuple[State, ...]:
        """Where looking ``name`` up in ``module`` leads (see :meth:`of`)."""
        key = (module, name)
        found = self._name_edges.get(key)
        if found is None:
            found = self._name_edges[key] = tuple(self._name_targets(module, name))
        return found

    def _name_targets(self, module: Path, name: str) -> list[State]:
        is_init = module.name.startswith("__init__.")
        if module not in self.index.dirs and not is_init:
            return [(module, None)]  # a plain module: the name is its own or comes through it
        folder = module if module in self.index.dirs else module.parent
        # A package's attribute may be its submodule.
        states = self._whole(folder / "__init__.py", name, 1, everything=True)
        if module in self.index.dirs:
            return states
        forwards = self._forwarding(module)
        if forwards is None or name in forwards.other:
            return [*states, (module, None)]
        for node in forwards.imports.get(name, ()):
            if isinstance(node, ast.ImportFrom):
                states += self._imported_from(module, node)
            else:
                states += self._imported(module, node)
        for star in forwards.stars:
            base = star.module or ""
            places = self._module(module, base, star.level, whole=False)
            states += ((place, name) for place in places)
        return states

    def _forwarding(self, init: Path) -> _Forwards | None:
        if init not in self._forwards:
            text = self.text_of(init)
            self._forwards[init] = _Forwards.of(text) if text is not None else None
        return self._forwards[init]

    def _module(self, importer: Path, dotted: str, level: int, *, whole: bool) -> list[Path]:
        """Every place the model may find ``dotted`` (files and namespace folders), with
        all the modules under a package when ``whole`` (it is bound as a module object)."""
        parts = dotted.split(".") if dotted else []
        if not level and not self.index.may_lead_into_project(parts[0] if parts else ""):
            return []  # `import zenml`, `from typing import Any`
        key = (os.path.dirname(importer), dotted, level, whole)
        found = self._modules.get(key)
        if found is None:
            found = self._modules[key] = self._places(importer, parts, level, whole=whole)
        return found

    def _places(self, importer: Path, parts: list[str], level: int, *, whole: bool) -> list[Path]:
        found: list[Path] = []
        for base in self._bases(importer, level):
            hit = self.index.find_module(base, parts) if parts else _package(self.index, base)
            if hit is None:
                continue
            found.append(hit)
            if not whole:
                continue
            if hit in self.index.dirs:  # a namespace package
                found += self._under(hit)
            elif hit.name.startswith("__init__."):
                found += self._under(hit.parent)
        return found

    def _bases(self, importer: Path, level: int) -> list[str]:
        folder = os.path.dirname(importer)
        if level:
            for _ in range(level - 1):
                folder = os.path.dirname(folder)
            return [folder]
        bases = [str(root) for root in self.index.src_roots]
        top = str(self.index.root)
        while folder == top or folder.startswith(top + os.sep):
            bases.append(folder)
            parent = os.path.dirname(folder)
            if parent == folder:
                break
            folder = parent
        return bases

    def _under(self, folder: Path) -> list[Path]:
        prefix = str(folder) + os.sep
        start = bisect.bisect_left(self._names, prefix)
        end = bisect.bisect_left(self._names, prefix + "\U0010ffff")
        return [Path(name) for name in self._names[start:end]]


#: Text that can bind a module's names out of sight of its statements.
_DYNAMIC = ("globals(", "setattr(", "sys.modules", "__getattr__", "exec(", "eval(", "vars(")


@dataclass
class _Forwards:
    """How a package's ``__init__`` binds its names: by top-level imports only (names in
    ``imports``, star imports in ``stars``), or otherwise too (``other``)."""

    imports: dict[str, list[ast.Import | ast.ImportFrom]]
    stars: list[ast.ImportFrom]
    other: set[str]

    @classmethod
    def of(cls, text: str) -> _Forwards | None:
        """None when the text may bind names in ways its statements do not show."""
        if any(word in text for word in _DYNAMIC):
            return None
        try:
            tree = ast.parse(text)
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            return None
        found = cls({}, [], set())
        top = {id(node) for node in top_level_statements(tree.body)}  # as the model reads
        for node in ast.walk(tree):
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                for alias in node.names:
                    if alias.name == "*":
                        if id(node) not in top:
                            return None
                        assert isinstance(node, ast.ImportFrom)
                        found.stars.append(node)
                        continue
                    bound = alias.asname or alias.name.split(".")[0]
                    if id(node) in top:
                        found.imports.setdefault(bound, []).append(node)
                    else:
                        found.other.add(bound)
            else:
                found.other.update(_bound_names(node))
        return found


def _bound_names(node: ast.AST) -> Iterable[str]:
    """The names a node other than an import binds or declares."""
    if isinstance(node, ast.Name) and not isinstance(node.ctx, ast.Load):
        yield node.id
    elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        yield node.name
    elif isinstance(node, (ast.Global, ast.Nonlocal)):
        yield from node.names
    elif isinstance(node, (ast.ExceptHandler, ast.MatchAs, ast.MatchStar)) and node.name:
        yield node.name
    elif isinstance(node, ast.MatchMapping) and node.rest:
        yield node.rest


def _package(index: ModuleIndex, folder: str) -> Path | None:
    """``from . import x``: the package the folder is (its ``__init__``, or the folder)."""
    for suffix in MODULE_SUFFIXES:
        init = Path(folder, f"__init__{suffix}")
        if init in index.files:
            return init
    return Path(folder) if Path(folder) in index.dirs else None


#: A line that starts an import statement, and every word ``import`` in a text.
_IMPORT_LINE = re.compile(r"^[ \t]*(?:from|import)\b", re.MULTILINE)
_IMPORT_WORD = re.compile(r"\bimport\b")


def import_statements(text: str) -> list[ast.Import | ast.ImportFrom] | None:
    """Every import statement of ``text``, in blocks and function bodies too (a line of a
    string that reads as one counts too); None when the whole text was parsed and Python
    refused it. Each line that starts an import is parsed on its own (ten times faster
    than the whole text); any other ``import`` in the text (after a ``;`` or a ``:``, in a
    string or a comment) makes it parse the whole text."""
    found: list[ast.Import | ast.ImportFrom] = []
    words = 0
    for match in _IMPORT_LINE.finditer(text):
        statement = _statement(text, match.start())
        words += len(_IMPORT_WORD.findall(statement))
        try:
            body = ast.parse(statement.strip()).body
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            return _parsed_imports(text)
        if len(body) != 1 or not isinstance(body[0], (ast.Import, ast.ImportFrom)):
            return _parsed_imports(text)
        found.append(body[0])
    if words != len(_IMPORT_WORD.findall(text)):
        return _parsed_imports(text)
    return found


def _statement(text: str, start: int) -> str:
    """The logical line from ``start``: up to the bracket that closes, past a backslash."""
    end = start
    while True:
        newline = text.find("\n", end)
        end = len(text) if newline < 0 else newline
        line = text[start:end]
        if newline < 0:
            return line
        if line.count("(") > line.count(")") or line.rstrip("\r").endswith("\\"):
            end = newline + 1
            continue
        return line


def _parsed_imports(text: str) -> list[ast.Import | ast.ImportFrom] | None:
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None
    return list(_import_nodes(tree.body))


def _import_nodes(body: Sequence[ast.stmt]) -> Iterable[ast.Import | ast.ImportFrom]:
    """Every import statement, in blocks and function bodies too (statements only: an
    expression holds no import statement)."""
    for stmt in body:
        if isinstance(stmt, (ast.Import, ast.ImportFrom)):
            yield stmt
        else:
            for block in _blocks(stmt):
                yield from _import_nodes(block)


def _blocks(stmt: ast.stmt) -> Iterable[list[ast.stmt]]:
    """The statement lists inside a statement (bodies, branches, handlers, cases)."""
    for name in ("body", "orelse", "finalbody"):
        block = getattr(stmt, name, None)
        if isinstance(block, list):
            yield block
    for handler in getattr(stmt, "handlers", ()):
        yield handler.body
    for case in getattr(stmt, "cases", ()):
        yield case.body


def plan(
    order: Sequence[Path],
    wanted: Sequence[Path],
    reach: Reach,
    may_define_steps: Callable[[Path], bool],
    size: int,
) -> list[Batch] | None:
    """Batches of about ``size`` wanted modules each, in ``order`` (the reported files);
    None when batching would not keep fewer trees at once."""
    reaches: dict[Path, set[Path]] = {}
    for module in wanted:
        found = reach.of(module)
        if found is None:
            return None
        reaches[module] = found
    reached_by: dict[Path, list[Path]] = {}
    for module, found in reaches.items():
        for target in found:
            reached_by.setdefault(target, []).append(module)
    batches = [
        _batch(chunk, reaches, reached_by, reach, may_define_steps)
        for chunk in _chunks(order, set(wanted), size)
    ]
    if len(batches) < 2 or any(len(b.analysed) > MAX_SHARE * len(wanted) for b in batches):
        return None
    return batches


def _chunks(order: Sequence[Path], wanted: set[Path], size: int) -> list[list[Path]]:
    chunks: list[list[Path]] = [[]]
    count = 0
    for path in order:
        if count == size:
            chunks.append([])
            count = 0
        chunks[-1].append(path)
        count += path in wanted
    return chunks


def _batch(
    chunk: list[Path],
    reaches: dict[Path, set[Path]],
    reached_by: dict[Path, list[Path]],
    reach: Reach,
    may_define_steps: Callable[[Path], bool],
) -> Batch:
    receivers = [p for p in chunk if p in reaches or _defines(reach, p)]
    first = {w for p in receivers for w in reached_by.get(p, ())}
    shared: set[Path] = set()
    for module in (*(p for p in chunk if p in reaches), *first):
        shared.update(reaches[module])
    second = {w for p in shared if may_define_steps(p) for w in reached_by.get(p, ())}
    own = {p for p in chunk if p in reaches}
    return Batch(frozenset(chunk), frozenset(own | first | second))


def _defines(reach: Reach, path: Path) -> bool:
    text = reach.text_of(path)
    return text is not None and _DEFINES.search(text) is not None
