"""What ZL001's fix strategies share: the value each colliding call gets, why a fix is
sometimes not offered, and small LibCST edits (a parameter, a keyword, a statement).

Values keep the calls' order and are distinct per call. A call's value is, in this order
of preference: a short string the call already passes, a split word of its argument or
target names (``val_rows`` -> ``"val"``), its literal ``id=``, a short string passed to a
call in its arguments (``clean(extract("orders"))``), or the invocation id ZenML would
give it; a call inside a loop gets the loop variable, when the loop runs over written-out
strings or numbers. Values that come out equal are
numbered (``train``, ``train_2``); calls whose values cannot be proved distinct (a helper,
``.map()``, nested loops, a loop next to other calls) get no fix, with the reason.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass

import libcst as cst

from zlint.fixes import arguments
from zlint.fixes.invocation_ids import SPLIT_WORDS
from zlint.model import cst_utils
from zlint.model.caching import is_artifact
from zlint.model.definitions import StepDef
from zlint.model.invocations import Invocation, PipelineAnalysis, Value
from zlint.model.modules import ModuleInfo
from zlint.model.project import Project
from zlint.model.symbols import ValueSym
from zlint.types import NodeReplacement

DEFAULT = "default"


@dataclass(frozen=True)
class NoFix:
    """Why no fix is offered; the finding's message ends with it."""

    reason: str
    #: The fix strategy that could not be applied (``metadata``, ...).
    strategy: str = ""

    @property
    def note(self) -> str:
        strategy = f" ({self.strategy} strategy)" if self.strategy else ""
        return f"no automatic fix{strategy}: {self.reason}"


@dataclass(frozen=True)
class CallValue:
    """What one call passes to tell it apart: a literal, or code (a loop variable)."""

    call: cst.Call
    module: ModuleInfo
    literal: str | None
    code: str | None = None

    def expression(self) -> cst.BaseExpression:
        if self.literal is not None:
            return cst.SimpleString(quote(self.literal))
        assert self.code is not None
        return cst.parse_expression(self.code)

    def shown(self) -> str:
        return self.literal if self.literal is not None else f"{{{self.code}}}"


# --------------------------------------------------------------------------- call values


def call_values(
    project: Project,
    analysis: PipelineAnalysis,
    step: StepDef,
    group: list[Invocation],
    parameter: str | None,
) -> list[CallValue] | NoFix:
    """One value per colliding call site, in call order, distinct from each other
    (``parameter``: the keyword the fix adds to each call, if any)."""
    parents = cst_utils.parent_map(analysis.pipeline.function)
    values: dict[int, CallValue] = {}
    for invocation in group:
        problem = unfixable_site(invocation, parameter)
        if problem is not None:
            return problem
        if id(invocation.call) in values:
            continue  # another iteration of an unrolled loop: one edit per call site
        value = _value_for(project, invocation, step, parents, len(values))
        if isinstance(value, NoFix):
            return value
        values[id(invocation.call)] = value
    ordered = list(values.values())
    looped = [v for v in ordered if v.code is not None]
    if looped and len(ordered) > 1:
        return NoFix(
            "a call inside a loop and other calls of the step would pass values zlint "
            "cannot prove distinct"
        )
    return _numbered(ordered)


def unfixable_site(invocation: Invocation, parameter: str | None) -> NoFix | None:
    """Why this call cannot be given a value of its own (``parameter``: the one the fix
    would pass), or None."""
    if invocation.via:
        return NoFix(f"the calls sit in `{invocation.via[0]}`: one call site serves several calls")
    if invocation.fanout:
        return NoFix(f"`.{invocation.fanout}()` cannot pass a value of its own per item")
    if invocation.through:
        return NoFix(f"the step is called through `{invocation.through}`, not at a call of its own")
    call = invocation.call
    if any(a.star == "**" for a in call.args):
        return NoFix("a call passes `**kwargs`, which may already hold the parameter")
    if parameter is not None and cst_utils.keyword(call, parameter) is not None:
        return NoFix(f"a call already passes `{parameter}=`; choose another fix-parameter")
    return None


def _numbered(values: list[CallValue]) -> list[CallValue]:
    """Equal literals get ``_2``, ``_3`` in call order, never clashing with other values."""
    taken = {v.literal for v in values if v.literal is not None}
    seen: set[str] = set()
    result: list[CallValue] = []
    for value in values:
        literal = value.literal
        if literal is None or literal not in seen:
            if literal is not None:
                seen.add(literal)
            result.append(value)
            continue
        number = 2
        while f"{literal}_{number}" in taken:
            number += 1
        fresh = f"{literal}_{number}"
        taken.add(fresh)
        seen.add(fresh)
        result.append(CallValue(value.call, value.module, fresh))
    return result


def _value_for(
    project: Project,
    invocation: Invocation,
    step: StepDef,
    parents: dict[int, cst.CSTNode],
    index: int,
) -> CallValue | NoFix:
    call = invocation.call
    if invocation.iteration or invocation.repeats:
        loops = _enclosing_loops(call, parents)
        if len(loops) != 1:
            return NoFix(
                "the call sits in nested loops; one loop variable would repeat its values"
                if loops
                else "the call repeats, but not in a loop zlint can see"
            )
        if isinstance(loops[0], cst.While):
            return NoFix("the call repeats in a `while` loop, which has no loop variable")
        target = loops[0].target
        if not isinstance(target, cst.Name):
            return NoFix("the loop unpacks several variables; zlint would not pick one")
        kind = _item_kind(project, invocation.site.module, loops[0].iter)
        if kind is None:
            return NoFix(
                "the loop's items are not written out as plain values (strings, numbers), "
                "so the loop variable cannot serve as a value"
            )
        code = target.value if kind == "str" else f"str({target.value})"
        return CallValue(call, invocation.site.module, None, code)
    for token in (
        _literal_argument(call),
        _name_token(call, parents),
        _literal_id(call),
        _nested_literal(call),
    ):
        if token:
            return CallValue(call, invocation.site.module, token)
    automatic = step.name if index == 0 else f"{step.name}_{index + 1}"
    return CallValue(call, invocation.site.module, automatic)


def _literal_argument(call: cst.Call) -> str | None:
    for arg in call.args:
        if arg.keyword is not None and arg.keyword.value in ("id", "after"):
            continue
        text = cst_utils.literal_string(arg.value)
        if text and re.fullmatch(r"[\w.-]{1,40}", text):
            return text
    return None


def _nested_literal(call: cst.Call) -> str | None:
    """A short string passed to a call in the arguments (``clean(extract("orders"))``)."""
    for arg in call.args:
        if isinstance(arg.value, cst.Call):
            text = _literal_argument(arg.value)
            if text:
                return text
    return None


def _name_token(call: cst.Call, parents: dict[int, cst.CSTNode]) -> str | None:
    names: list[str] = []
    parent = parents.get(id(call))
    if isinstance(parent, cst.Assign):
        names += [t.target.value for t in parent.targets if isinstance(t.target, cst.Name)]
    names += [a.value.value for a in call.args if isinstance(a.value, cst.Name)]
    for name in names:
        for word in re.split(r"[_\W]+|(?<=[a-z])(?=[A-Z])", name):
            if word.lower() in SPLIT_WORDS:
                return word.lower()
    return None


def _literal_id(call: cst.Call) -> str | None:
    arg = cst_utils.keyword(call, "id")
    return cst_utils.literal_string(arg.value) if arg is not None else None


def _enclosing_loops(
    call: cst.Call, parents: dict[int, cst.CSTNode]
) -> list[cst.For | cst.CompFor | cst.While]:
    loops: list[cst.For | cst.CompFor | cst.While] = []
    node: cst.CSTNode | None = call
    while node is not None:
        parent = parents.get(id(node))
        if isinstance(parent, (cst.For, cst.While)) and node is parent.body:
            loops.append(parent)  # the loop's `else:` and iterable do not repeat per item
        elif isinstance(parent, (cst.ListComp, cst.SetComp, cst.GeneratorExp, cst.DictComp)):
            clause: cst.CompFor | None = parent.for_in
            while clause is not None:
                loops.append(clause)
                clause = clause.inner_for_in
        node = parent
    return loops


def _item_kind(
    project: Project, module: ModuleInfo, iterable: cst.BaseExpression, depth: int = 0
) -> str | None:
    """``"str"`` when the loop runs over written-out strings, ``"plain"`` over numbers or
    a ``range(...)``, None when its items may be anything (step outputs, say)."""
    if isinstance(iterable, (cst.List, cst.Tuple, cst.Set)) and iterable.elements:
        kinds = set()
        for element in iterable.elements:
            if isinstance(element, cst.StarredElement):
                return None
            if cst_utils.literal_string(element.value) is not None:
                kinds.add("str")
            elif isinstance(element.value, (cst.Integer, cst.Float)):
                kinds.add("plain")
            else:
                return None
        return "str" if kinds == {"str"} else "plain"
    if isinstance(iterable, cst.Call) and cst_utils.is_name(iterable.func, "range"):
        return "plain"
    if isinstance(iterable, (cst.Name, cst.Attribute)) and depth < 10:
        sym = project.resolve_expr(module, iterable)
        if isinstance(sym, ValueSym):
            return _item_kind(project, sym.module, sym.node, depth + 1)
    return None


@dataclass(frozen=True)
class Chosen:
    """A parameter the calls already pass that the fix writes into the metadata."""

    name: str
    #: Why writing it is not known to be safe (the fix is then unsafe), or None.
    unsafe_because: str | None = None


def distinct_parameter(step: StepDef, group: list[Invocation]) -> Chosen | None:
    """A parameter the calls already pass with a different value each (``split``) that the
    step can write into its metadata as it is (:func:`metadata_safe`). A parameter given an
    input artifact (a ``.map()`` item) is chosen only when no other is, and not safely:
    its values are not known to differ."""
    artifact: Chosen | None = None
    for param in step.params:
        if not metadata_safe(param.annotation):
            continue  # a value ZenML may not store as metadata, or one zlint cannot tell
        values = [invocation.arg(param.name) for invocation in group]
        if any(is_artifact(v) for v in values):
            if artifact is None and _differ(group, param.name, values):
                why = f"`{param.name}` is an input artifact, whose values are not known to differ"
                artifact = Chosen(param.name, why)
            continue
        if any(not v.has_literal and not v.varies for v in values):
            continue  # only literals and loop variables are known to differ
        if any(v.has_literal and not _json_scalar(v.literal) for v in values):
            continue
        if _differ(group, param.name, values):
            return Chosen(param.name)
    return artifact


def _differ(group: list[Invocation], name: str, values: list[Value]) -> bool:
    """Whether the values passed for ``name`` differ between every two calls and between
    the iterations of every loop around a call."""
    distinct = all(not a.same_as(b) for i, a in enumerate(values) for b in values[i + 1 :])
    return distinct and all(
        invocation.repeating_loops <= invocation.arg(name).varies for invocation in group
    )


#: Annotations of parameters whose values ZenML stores as metadata as they are.
_SCALARS = frozenset({"str", "int", "float", "bool"})
_LITERAL = frozenset({"Literal", "typing.Literal", "typing_extensions.Literal"})


def metadata_safe(annotation: cst.BaseExpression | None) -> bool:
    """Whether a parameter so annotated holds a value ZenML stores as metadata: ``str``,
    ``int``, ``float``, ``bool`` or a ``Literal[...]`` of those. ZenML validates a step's
    parameters against their annotations, so every call passes such a value. Unannotated
    parameters are not safe (another caller may pass anything), nor optional ones: ZenML
    0.98 fails the step when a metadata value is ``None``."""
    if annotation is None:
        return False
    if isinstance(annotation, cst.Name):
        return annotation.value in _SCALARS
    if isinstance(annotation, cst.Subscript):
        head = cst_utils.dotted_name(annotation.value)
        items = [e.slice for e in annotation.slice if isinstance(e.slice, cst.Index)]
        if head in _LITERAL:
            return all(
                isinstance(i.value, (cst.SimpleString, cst.Integer, cst.Float)) for i in items
            )
    return False


def _json_scalar(value: object) -> bool:
    return isinstance(value, (str, int, float, bool))


# --------------------------------------------------------------------------- edits


def add_parameter(step: StepDef, name: str) -> NodeReplacement | NoFix:
    """``name: str = "default"`` added to the step's signature, so other callers keep working."""
    params = step.function.params
    if params.star_kwarg is not None:
        return NoFix("the step takes `**kwargs`; zlint would not add a parameter next to it")
    new_param = cst.Param(
        cst.Name(name),
        annotation=cst.Annotation(cst.Name("str")),
        default=cst.SimpleString(quote(DEFAULT)),
        equal=cst.AssignEqual(cst.SimpleWhitespace(" "), cst.SimpleWhitespace(" ")),
    )
    if params.kwonly_params or isinstance(params.star_arg, cst.Param):
        new_params = params.with_changes(kwonly_params=[*params.kwonly_params, new_param])
    else:
        new_params = params.with_changes(
            params=[*arguments.params_with_comma(params.params), new_param]
        )
    return NodeReplacement(step.module.path, params, new_params)


def with_statements_first(
    body: cst.BaseSuite, statements: Sequence[cst.BaseStatement]
) -> cst.IndentedBlock | None:
    """``body`` with ``statements`` at its start (after a docstring)."""
    if not isinstance(body, cst.IndentedBlock):
        return None
    position = 1 if body.body and is_docstring(body.body[0]) else 0
    return body.with_changes(body=[*body.body[:position], *statements, *body.body[position:]])


def is_docstring(statement: cst.BaseStatement) -> bool:
    return (
        isinstance(statement, cst.SimpleStatementLine)
        and len(statement.body) == 1
        and isinstance(statement.body[0], cst.Expr)
        and isinstance(statement.body[0].value, (cst.SimpleString, cst.ConcatenatedString))
    )


def free_or_zenml(module: ModuleInfo, name: str) -> bool:
    """``name`` is unbound in ``module``, or bound to ZenML's object of that name, so
    ``from zenml import name`` may be added."""
    binding = module.bindings.get(name)
    return binding is None or "zenml" in repr(binding)


def mentions_string(node: cst.CSTNode, text: str) -> bool:
    """Whether a string literal in ``node`` is exactly ``text``."""
    if cst_utils.literal_string(node) == text:
        return True
    return any(mentions_string(child, text) for child in node.children)


def quote(text: str) -> str:
    """A double-quoted Python string literal (JSON's escapes are Python's too)."""
    return json.dumps(text, ensure_ascii=False)


def listed(names: Sequence[str]) -> str:
    return ", ".join(f"`{name}`" for name in names)


def module_with(
    tree: cst.Module,
    replaced: cst.BaseStatement,
    statements: Sequence[cst.BaseStatement],
    edits: dict[int, cst.CSTNode],
) -> cst.Module:
    """``tree`` with its top-level statement ``replaced`` by ``statements``, and the nodes
    ``edits`` names (by id) replaced in the other statements."""
    body: list[cst.BaseStatement] = []
    for statement in tree.body:
        if statement is replaced:
            body.extend(statements)
            continue
        edited = statement.visit(_Replace(edits)) if edits else statement
        assert isinstance(edited, cst.BaseStatement)
        body.append(edited)
    return tree.with_changes(body=body)


class _Replace(cst.CSTTransformer):
    def __init__(self, mapping: dict[int, cst.CSTNode]) -> None:
        self.mapping = mapping

    # LibCST types on_leave generically; a replacement may be another node type.
    def on_leave(  # type: ignore[override]
        self, original_node: cst.CSTNode, updated_node: cst.CSTNode
    ) -> cst.CSTNode:
        return self.mapping.get(id(original_node), updated_node)
