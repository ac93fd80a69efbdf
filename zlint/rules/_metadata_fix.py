"""ZL001's fix: a per-call parameter written into the colliding output's metadata.

The step gets a parameter (``prefix: str = "default"``, so other callers keep working) and,
first thing in its body, ``get_step_context().add_output_metadata(output_name=<key>,
metadata={"custom_prefix": prefix})``; every colliding call passes its own value. Artifact
names stay the same, so downstream consumers keep working, and the differing parameter
also keeps ZenML's cache from merging the calls. A version is found later with
``Client().list_artifact_versions(name=<name>, run_metadata="custom_prefix:<value>")``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import libcst as cst

from zlint.model import cst_utils
from zlint.model.definitions import StepDef
from zlint.model.invocations import Invocation, PipelineAnalysis
from zlint.model.modules import ModuleInfo
from zlint.types import Applicability, Fix, ImportEdit, NodeReplacement

PARAMETER = "prefix"
METADATA_KEY = "custom_prefix"
DEFAULT = "default"
#: Words that name a data split, preferred when a call's argument names contain one.
_SPLIT_WORDS = (
    "train", "training", "val", "valid", "validation", "test", "testing", "eval",
    "holdout", "dev", "calibration",
)  # fmt: skip


@dataclass(frozen=True)
class CallValue:
    """What one call passes for the new parameter: a literal, or code (a loop variable)."""

    call: cst.Call
    module: ModuleInfo
    literal: str | None
    code: str | None = None

    def expression(self) -> cst.BaseExpression:
        if self.literal is not None:
            return cst.SimpleString(_quote(self.literal))
        assert self.code is not None
        return cst.parse_expression(self.code)


def metadata_fix(
    analysis: PipelineAnalysis, step: StepDef, outputs: list[str], group: list[Invocation]
) -> Fix | None:
    """The fix for the colliding ``group`` of calls of ``step``, or None when zlint cannot
    write one that is certainly right (then the finding simply has no fix)."""
    existing = _distinct_parameter(step, group)
    if existing is not None:
        return _existing_parameter_fix(step, outputs, existing)
    values = _call_values(analysis, step, group)
    if values is None:
        return None
    replacements: list[NodeReplacement] = []
    imports: list[ImportEdit] = []
    has_parameter = step.param(PARAMETER) is not None
    if has_parameter:
        # A previous fix already added it; only calls that pass nothing are left.
        if not all(
            PARAMETER in step.distinguishing_params(o) for o in step.outputs if o.key in outputs
        ):
            return None
    else:
        step_edit = _step_edits(step, outputs)
        if step_edit is None:
            return None
        replacements.extend(step_edit)
        imports.append(ImportEdit(step.module.path, "zenml", "get_step_context"))
    for value in values:
        new_call = value.call.with_changes(args=[*_with_comma(value.call.args), _keyword(value)])
        replacements.append(NodeReplacement(value.module.path, value.call, new_call))
    shown = ", ".join(v.literal if v.literal is not None else f"{{{v.code}}}" for v in values)
    message = (
        f"Pass `{PARAMETER}=` ({shown}) to `{step.name}` and write it into the metadata of "
        f"{', '.join(f'`{o}`' for o in outputs)}; find a version later with "
        f'`Client().list_artifact_versions(name="{outputs[0]}", '
        f'run_metadata="{METADATA_KEY}:<value>")`'
    )
    return Fix(Applicability.SAFE, message, tuple(replacements), tuple(imports))


def _distinct_parameter(step: StepDef, group: list[Invocation]) -> str | None:
    """A parameter the calls already pass with a different value each (``split``)."""
    for param in step.params:
        values = [invocation.arg(param.name) for invocation in group]
        if any(not v.has_literal and not v.varies for v in values):
            continue  # only literals and loop variables are known to differ
        distinct = all(not a.same_as(b) for i, a in enumerate(values) for b in values[i + 1 :])
        repeating_ok = all(
            invocation.repeating_loops <= invocation.arg(param.name).varies for invocation in group
        )
        if distinct and repeating_ok:
            return param.name
    return None


def _existing_parameter_fix(step: StepDef, outputs: list[str], param: str) -> Fix | None:
    body = step.function.body
    if not isinstance(body, cst.IndentedBlock) or not _can_import_context(step):
        return None
    statements = [_metadata_statement(key, param, param) for key in outputs]
    position = 1 if body.body and _is_docstring(body.body[0]) else 0
    new_body = body.with_changes(body=[*body.body[:position], *statements, *body.body[position:]])
    message = (
        f"Write `{param}` into the metadata of {', '.join(f'`{o}`' for o in outputs)}; find a "
        f'version later with `Client().list_artifact_versions(name="{outputs[0]}", '
        f'run_metadata="{param}:<value>")`'
    )
    return Fix(
        Applicability.SAFE,
        message,
        (NodeReplacement(step.module.path, body, new_body),),
        (ImportEdit(step.module.path, "zenml", "get_step_context"),),
    )


def _can_import_context(step: StepDef) -> bool:
    """``get_step_context`` is free in the step's module, or already ZenML's."""
    return "get_step_context" not in step.module.bindings or _is_zenml(step)


def _step_edits(step: StepDef, outputs: list[str]) -> list[NodeReplacement] | None:
    function = step.function
    params = function.params
    if params.star_kwarg is not None or (
        "get_step_context" in step.module.bindings and not _is_zenml(step)
    ):
        return None
    new_param = cst.Param(
        cst.Name(PARAMETER),
        annotation=cst.Annotation(cst.Name("str")),
        default=cst.SimpleString(_quote(DEFAULT)),
        equal=cst.AssignEqual(cst.SimpleWhitespace(" "), cst.SimpleWhitespace(" ")),
    )
    if params.kwonly_params or isinstance(params.star_arg, cst.Param):
        new_params = params.with_changes(kwonly_params=[*params.kwonly_params, new_param])
    else:
        new_params = params.with_changes(params=[*_params_with_comma(params.params), new_param])
    body = function.body
    if not isinstance(body, cst.IndentedBlock):
        return None
    statements = [_metadata_statement(key, METADATA_KEY, PARAMETER) for key in outputs]
    position = 1 if body.body and _is_docstring(body.body[0]) else 0
    new_body = body.with_changes(body=[*body.body[:position], *statements, *body.body[position:]])
    return [
        NodeReplacement(step.module.path, params, new_params),
        NodeReplacement(step.module.path, body, new_body),
    ]


def _is_zenml(step: StepDef) -> bool:
    binding = step.module.bindings.get("get_step_context")
    return binding is not None and "zenml" in repr(binding)


def _metadata_statement(output: str, key: str, param: str) -> cst.BaseStatement:
    return cst.parse_statement(
        f"get_step_context().add_output_metadata(output_name={_quote(output)}, "
        f"metadata={{{_quote(key)}: {param}}})\n"
    )


def _call_values(
    analysis: PipelineAnalysis, step: StepDef, group: list[Invocation]
) -> list[CallValue] | None:
    parents = _parents(analysis.pipeline.function)
    values: dict[int, CallValue] = {}
    for invocation in group:
        call = invocation.call
        if invocation.via or invocation.fanout or id(call) in values:
            if invocation.via or invocation.fanout:
                return None  # the call sits in a helper or a .map(): no per-call value to write
            continue
        if any(a.keyword is not None and a.keyword.value == PARAMETER for a in call.args):
            return None
        value = _value_for(invocation, step, parents, len(values))
        if value is None:
            return None
        values[id(call)] = value
    literals = [v.literal for v in values.values() if v.literal is not None]
    if len(set(literals)) != len(literals):
        return None  # the calls could not be told apart by what zlint would pass
    return list(values.values())


def _value_for(
    invocation: Invocation, step: StepDef, parents: dict[int, cst.CSTNode], index: int
) -> CallValue | None:
    call = invocation.call
    loop_variable = _loop_variable(call, parents)
    if invocation.iteration or invocation.repeats:
        if loop_variable is None:
            return None
        return CallValue(call, invocation.site.module, None, f"str({loop_variable})")
    for token in (
        _literal_argument(call),
        _name_token(call, parents),
        _literal_id(call),
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


def _name_token(call: cst.Call, parents: dict[int, cst.CSTNode]) -> str | None:
    names: list[str] = []
    parent = parents.get(id(call))
    if isinstance(parent, cst.Assign):
        names += [t.target.value for t in parent.targets if isinstance(t.target, cst.Name)]
    names += [a.value.value for a in call.args if isinstance(a.value, cst.Name)]
    for name in names:
        for word in re.split(r"[_\W]+|(?<=[a-z])(?=[A-Z])", name):
            if word.lower() in _SPLIT_WORDS:
                return word.lower()
    return None


def _literal_id(call: cst.Call) -> str | None:
    arg = cst_utils.keyword(call, "id")
    return cst_utils.literal_string(arg.value) if arg is not None else None


def _loop_variable(call: cst.Call, parents: dict[int, cst.CSTNode]) -> str | None:
    node: cst.CSTNode | None = call
    while node is not None:
        node = parents.get(id(node))
        if isinstance(node, (cst.For, cst.CompFor)):
            return node.target.value if isinstance(node.target, cst.Name) else None
    return None


def _parents(root: cst.CSTNode) -> dict[int, cst.CSTNode]:
    parents: dict[int, cst.CSTNode] = {}
    stack = [root]
    while stack:
        node = stack.pop()
        for child in node.children:
            parents[id(child)] = node
            stack.append(child)
    return parents


def _keyword(value: CallValue) -> cst.Arg:
    return cst.Arg(
        value.expression(),
        keyword=cst.Name(PARAMETER),
        equal=cst.AssignEqual(cst.SimpleWhitespace(""), cst.SimpleWhitespace("")),
    )


def _with_comma(args: Sequence[cst.Arg]) -> Iterator[cst.Arg]:
    items = list(args)
    for index, arg in enumerate(items):
        if index == len(items) - 1 and arg.comma is cst.MaybeSentinel.DEFAULT:
            yield arg.with_changes(comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" ")))
        else:
            yield arg


def _params_with_comma(params: Sequence[cst.Param]) -> Iterator[cst.Param]:
    items = list(params)
    for index, param in enumerate(items):
        if index == len(items) - 1 and param.comma is cst.MaybeSentinel.DEFAULT:
            yield param.with_changes(comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" ")))
        else:
            yield param


def _is_docstring(statement: cst.BaseStatement) -> bool:
    return (
        isinstance(statement, cst.SimpleStatementLine)
        and len(statement.body) == 1
        and isinstance(statement.body[0], cst.Expr)
        and isinstance(statement.body[0].value, (cst.SimpleString, cst.ConcatenatedString))
    )


def _quote(text: str) -> str:
    """A double-quoted Python string literal (JSON's escapes are Python's too)."""
    return json.dumps(text, ensure_ascii=False)
