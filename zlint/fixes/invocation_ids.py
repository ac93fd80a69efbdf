"""Readable invocation ids for fixes (ZL003, ZL012): words from a call's context (its split
argument, the variable it is assigned to, its loop) and a project-wide check that an id is
free and not referred to elsewhere (``after="split_2"``, run configurations)."""

from __future__ import annotations

import dataclasses
import os
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import libcst as cst

from zlint.model import cst_utils, zenml_api
from zlint.model.invocations import Invocation, PipelineAnalysis

if TYPE_CHECKING:
    from zlint.rules.base import RuleContext

from zlint.model.invocation_ids import IdOverride, assign_ids

#: Parameters whose string value says which part of the data a call works on.
SPLIT_PARAMETERS = (
    "split",
    "part",
    "stage",
    "dataset",
    "subset",
    "partition",
    "phase",
    "fold",
    "mode",
    "name",
    "source",
    "kind",
    "variant",
)
#: Words in variable names that say the same (`X_val`, `test_df`, `trainData`).
SPLIT_WORDS = frozenset(
    {
        "train",
        "training",
        "val",
        "valid",
        "validation",
        "test",
        "testing",
        "eval",
        "evaluation",
        "dev",
        "holdout",
        "calib",
        "calibration",
        "inference",
        "serving",
        "reference",
        "current",
    }
)
_WORD = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+")
#: Folders never searched for run configurations.
_SKIPPED = frozenset({"node_modules", "site-packages", "__pycache__", "venv", "dist", "build"})


class IdContext:
    """The project-wide view fixes that change invocation ids check their ids against: every
    analysed pipeline that runs a call (a sub-pipeline's calls also run in its callers)."""

    def __init__(self, ctx: RuleContext) -> None:
        self.ctx = ctx
        self._by_call: dict[int, list[PipelineAnalysis]] | None = None
        self._parents: dict[int, dict[int, cst.CSTNode]] = {}
        self._texts: list[tuple[bool, str]] | None = None
        #: Ids the fixes made so far give calls: later fixes must not clash with them.
        self.planned: dict[int, IdOverride] = {}

    def analyses_of(self, calls: Iterable[int]) -> list[PipelineAnalysis]:
        if self._by_call is None:
            self._by_call = {}
            for analysis in self.ctx.analyses:
                for invocation in analysis.invocations:
                    found = self._by_call.setdefault(id(invocation.call), [])
                    if not found or found[-1] is not analysis:
                        found.append(analysis)
        seen: dict[int, PipelineAnalysis] = {}
        for call in calls:
            for analysis in self._by_call.get(call, []):
                seen.setdefault(id(analysis), analysis)
        return list(seen.values())

    def runs_of(self, call: cst.Call) -> list[Invocation]:
        return [
            invocation
            for analysis in self.analyses_of([id(call)])
            for invocation in analysis.invocations
            if invocation.call is call
        ]

    def acceptable(
        self,
        before: Mapping[int, IdOverride],
        after: Mapping[int, IdOverride],
        new_ids: set[str],
    ) -> bool:
        """Whether the calls ``after`` adds or changes get ids that clash with no other id
        (explicit, automatic before or after the change, or computed) and resolve their
        own clashes."""
        changed = {call for call in after if after[call] is not before.get(call)}
        for analysis in self.analyses_of(changed):
            old = assign_ids(analysis, before)
            new = assign_ids(analysis, after)
            still = {id(c.invocation.call) for c in old.clashes} - changed
            if any(id(c.invocation.call) not in still for c in new.clashes):
                return False
            automatic = {i for i, _ in old.automatic} | {i for i, _ in new.automatic}
            if new_ids & automatic:
                return False
            for invocation in new.unknown:
                if id(invocation.call) not in after and _may_equal(invocation.call, new_ids):
                    return False
        return True

    def parents(self, root: cst.CSTNode) -> dict[int, cst.CSTNode]:
        """``id(node)`` -> its parent, for every node under ``root``."""
        if id(root) not in self._parents:
            parents: dict[int, cst.CSTNode] = {}
            stack = [root]
            while stack:
                node = stack.pop()
                for child in _children(node):
                    parents[id(child)] = node
                    stack.append(child)
            self._parents[id(root)] = parents
        return self._parents[id(root)]

    def ancestors(self, analysis: PipelineAnalysis, node: cst.CSTNode) -> list[cst.CSTNode]:
        """The nodes from ``node``'s parent up to the pipeline function."""
        parents = self.parents(analysis.pipeline.function)
        found: list[cst.CSTNode] = []
        current = parents.get(id(node))
        while current is not None:
            found.append(current)
            current = parents.get(id(current))
        return found

    def is_direct(self, analysis: PipelineAnalysis, invocation: Invocation) -> bool:
        """Whether the call is written in the pipeline body itself: a call in a helper or
        a sub-pipeline is shared by every call of that helper."""
        return (
            invocation.site.node is invocation.call
            and invocation.fanout is None
            and bool(self.ancestors(analysis, invocation.call))
        )

    def loop_variables(self, analysis: PipelineAnalysis, call: cst.Call) -> list[str] | None:
        """The variables of the ``for`` loops and comprehensions around ``call`` in the
        pipeline body, outermost first; None when a loop has no usable one (``while``)."""
        names: list[str | None] = []
        child: cst.CSTNode = call
        for parent in self.ancestors(analysis, call):
            if parent is analysis.pipeline.function:
                break
            if isinstance(parent, (cst.Lambda, cst.FunctionDef)):
                return None
            if isinstance(parent, cst.While) and child is not parent.orelse:
                return None  # runs again and again, with nothing that tells the runs apart
            if isinstance(parent, cst.For) and child is parent.body:
                names.insert(0, _loop_name(parent.target, call))
            elif isinstance(parent, (cst.ListComp, cst.SetComp, cst.GeneratorExp, cst.DictComp)):
                if child is parent.for_in:
                    return None  # in a clause's iterable or condition
                clauses: list[str | None] = []
                clause: cst.CompFor | None = parent.for_in
                while clause is not None:
                    clauses.append(_loop_name(clause.target, call))
                    clause = clause.inner_for_in
                names[:0] = clauses
            child = parent
        found = [n for n in names if n is not None]
        return found if found and len(found) == len(names) else None

    def referenced(self, identifiers: set[str]) -> bool:
        """Whether a string in the project's code, or any word of a YAML file, names one of
        ``identifiers`` (``after="split_2"``, ``run.steps["split_2"]``, run configurations)."""
        if not identifiers:
            return False
        words = "|".join(re.escape(i) for i in sorted(identifiers))
        word = rf"(?<![\w.-])({words})(?![\w.-])"
        quoted = re.compile(rf"[\"'][^\"'\n]*{word}[^\"'\n]*[\"']")
        bare = re.compile(word)
        return any(
            (bare if is_yaml else quoted).search(text) for is_yaml, text in self._project_texts()
        )

    def _project_texts(self) -> list[tuple[bool, str]]:
        """(is it YAML, text) of every project file and YAML file under the root; read
        once per run (a run checked in batches shares them through ``ctx.run.once``)."""
        if self._texts is None:
            ctx = self.ctx
            found = ctx.run.once(_PROJECT_TEXTS, _ProjectTexts, lambda: _read_project_texts(ctx))
            self._texts = found.texts
            ctx.run.read_files(found.paths, listed_yaml=True)
        return self._texts


_PROJECT_TEXTS = "invocation-ids:project-texts"


@dataclass(frozen=True)
class _ProjectTexts:
    paths: frozenset[Path]
    texts: list[tuple[bool, str]]


def _read_project_texts(ctx: RuleContext) -> _ProjectTexts:
    paths = set(ctx.project.files)
    for folder, dirs, names in os.walk(ctx.project.root):
        dirs[:] = [d for d in dirs if d not in _SKIPPED and not d.startswith(".")]
        paths.update(Path(folder) / n for n in names if n.endswith((".yaml", ".yml")))
    texts = []
    for path in sorted(paths):
        try:
            text = path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            continue
        texts.append((path.suffix in (".yaml", ".yml"), text))
    return _ProjectTexts(frozenset(paths), texts)


def context_token(ids: IdContext, analysis: PipelineAnalysis, invocation: Invocation) -> str | None:
    """A word that says what this call works on: a string passed for a split-like
    parameter, else a split word in the assigned variable or in the names passed."""
    return (
        _parameter_token(invocation)
        or _target_token(ids, analysis, invocation.call)
        or _argument_token(invocation.call)
    )


def _parameter_token(invocation: Invocation) -> str | None:
    passed = _passed_parameters(invocation)
    for name in SPLIT_PARAMETERS:
        value = invocation.args.get(name)
        if name in passed and value is not None and isinstance(value.literal, str):
            token = _clean(value.literal)
            if token is not None:
                return token
    return None


def _passed_parameters(invocation: Invocation) -> set[str]:
    """The parameters the call (or its ``with_options(parameters=...)``) sets."""
    names = [p.name for p in invocation.step.params]
    passed = {key for key, _ in invocation.obj.parameters}
    position = 0
    for arg in invocation.call.args:
        if arg.star:
            break
        if arg.keyword is not None:
            passed.add(arg.keyword.value)
        else:
            if position < len(names):
                passed.add(names[position])
            position += 1
    return passed


def _clean(text: str) -> str | None:
    token = re.sub(r"[^0-9A-Za-z]+", "_", text).strip("_").lower()
    return token if token and len(token) <= 32 and not token.isdigit() else None


def _target_token(ids: IdContext, analysis: PipelineAnalysis, call: cst.Call) -> str | None:
    parent = ids.parents(analysis.pipeline.function).get(id(call))
    targets: list[cst.BaseExpression] = []
    if isinstance(parent, cst.Assign) and parent.value is call:
        targets = [t.target for t in parent.targets]
    elif isinstance(parent, (cst.AnnAssign, cst.NamedExpr)) and parent.value is call:
        targets = [parent.target]
    return _one_word(name for target in targets for name in _names_in(target))


def _argument_token(call: cst.Call) -> str | None:
    names = [
        arg.value.value
        for arg in call.args
        if isinstance(arg.value, cst.Name)
        and not arg.star
        and (arg.keyword is None or arg.keyword.value not in zenml_api.CALL_ONLY_KEYWORDS)
    ]
    return _one_word(names)


def _one_word(names: Iterable[str]) -> str | None:
    words = {w.lower() for n in names for w in _WORD.findall(n) if w.lower() in SPLIT_WORDS}
    return words.pop() if len(words) == 1 else None


def _names_in(target: cst.BaseExpression) -> Iterator[str]:
    if isinstance(target, cst.Name):
        yield target.value
    elif isinstance(target, (cst.Tuple, cst.List)):
        for element in target.elements:
            yield from _names_in(element.value)
    elif isinstance(target, cst.StarredElement):
        yield from _names_in(target.value)


def _loop_name(target: cst.BaseExpression, call: cst.Call) -> str | None:
    """The loop variable to build an id from: of ``for i, split in ...``, the one the call
    uses, else the first."""
    if isinstance(target, (cst.Tuple, cst.List)) and any(
        not isinstance(e.value, cst.Name) or isinstance(e, cst.StarredElement)
        for e in target.elements
    ):
        return None
    if not isinstance(target, (cst.Name, cst.Tuple, cst.List)):
        return None
    names = list(_names_in(target))
    used = {n.value for n in _walk(call) if isinstance(n, cst.Name)}
    chosen = next((n for n in names if n in used), names[0] if names else None)
    return chosen if chosen not in (None, "_") else None


def loop_value(invocation: Invocation, variable: str) -> str | None:
    """What ``{variable}`` formats to in this run of the call, when the call passes the
    variable straight to a parameter whose value zlint knows (an unrolled loop)."""
    names = [p.name for p in invocation.step.params]
    position = 0
    for arg in invocation.call.args:
        if arg.star:
            return None
        key = arg.keyword.value if arg.keyword is not None else None
        if key is None:
            key = names[position] if position < len(names) else None
            position += 1
        if isinstance(arg.value, cst.Name) and arg.value.value == variable and key is not None:
            value = invocation.args.get(key)
            literal = value.literal if value is not None else None
            return str(literal) if isinstance(literal, (str, int)) else None
    return None


def loop_id(prefix: str, variables: list[str]) -> Callable[[Invocation], str | None]:
    """The id ``f"{prefix}_{a}_{b}"`` takes in one run of a call, where zlint knows it."""

    def value(invocation: Invocation) -> str | None:
        parts = [loop_value(invocation, v) for v in variables]
        if any(p is None for p in parts):
            return None
        return "_".join([prefix, *(p for p in parts if p is not None)])

    return value


def _may_equal(call: cst.Call, identifiers: set[str]) -> bool:
    """Whether the computed ``id=`` of ``call`` might evaluate to one of ``identifiers``."""
    arg = cst_utils.keyword(call, "id")
    if arg is None or not identifiers:
        return False
    value = arg.value
    if not isinstance(value, cst.FormattedString):
        return True
    parts = value.parts
    head = _text_of(parts, 0, 1)
    tail = _text_of(parts, len(parts) - 1, -1)
    return any(
        i.startswith(head) and i.endswith(tail) and len(i) >= len(head) + len(tail)
        for i in identifiers
    )


def _text_of(parts: Sequence[cst.BaseFormattedStringContent], start: int, step: int) -> str:
    """The literal text at one end of an f-string, up to its first expression."""
    pieces: list[str] = []
    index = start
    while 0 <= index < len(parts):
        part = parts[index]
        if not isinstance(part, cst.FormattedStringText):
            break
        pieces.append(part.value.replace("{{", "{").replace("}}", "}"))
        index += step
    return "".join(pieces if step > 0 else reversed(pieces))


def _children(node: cst.CSTNode) -> Iterator[cst.CSTNode]:
    for spec in dataclasses.fields(node):
        value = getattr(node, spec.name)
        if isinstance(value, cst.CSTNode):
            yield value
        elif isinstance(value, (list, tuple)):
            yield from (item for item in value if isinstance(item, cst.CSTNode))


def _walk(root: cst.CSTNode) -> Iterator[cst.CSTNode]:
    stack = [root]
    while stack:
        node = stack.pop()
        yield node
        stack.extend(_children(node))


# -- the fix ------------------------------------------------------------------------------

#: How many numbered ids (``_2``, ``_3``, ...) a fix tries.
