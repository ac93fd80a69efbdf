"""Which artifact name an invocation writes, and whether two writes can be told apart
(whether the cache merges them is :mod:`zlint.model.caching`'s question)."""

from __future__ import annotations

import re
from dataclasses import dataclass

import libcst as cst

from zlint.model import cst_utils, flows, zenml_api
from zlint.model.flows import INVOCATION, UNKNOWN, Flow, fold
from zlint.model.invocations import Invocation, PipelineAnalysis, Value
from zlint.model.output_names import Output
from zlint.model.walk.common import UNKNOWN_KEYS

NamePart = str | Value
_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")


@dataclass(frozen=True)
class Filled:
    """Where a placeholder's value comes from. ``scope`` is "call" (per call, via
    ``with_options``), "step" (the step's decorator: one value for every call) or "run"
    (pipeline-level, ``configure`` in the body, ``{date}``/``{time}``: one value per run)."""

    value: Value
    scope: str


@dataclass(frozen=True)
class ResolvedName:
    parts: tuple[NamePart, ...]
    #: Some placeholder takes its value from the run (pipeline substitutions, date/time,
    #: configure in the body): ZL006's case rather than ZL001's.
    run_scoped: bool


def substitution(analysis: PipelineAnalysis, invocation: Invocation, key: str) -> Filled | None:
    """The value ZenML fills ``{key}`` with for this call; None when nothing supplies it.

    Step-level values (``with_options``, ``configure``, the decorator) win over the
    pipeline's, as in ZenML.
    """
    per_call = invocation.obj.substitution(key)
    if per_call is not None:
        return Filled(per_call, "call")
    configured = analysis.configured.get(id(invocation.step), {})
    if key in configured or UNKNOWN_KEYS in configured:
        return Filled(configured.get(key) or Value(("configured", key)), "run")
    decorated = _dict_option(invocation.step.options.get("substitutions"), key)
    if decorated is not None:
        return Filled(decorated, "step")
    piped = _dict_option(analysis.pipeline.options.get("substitutions"), key)
    if piped is not None:
        return Filled(piped, "run")
    if key in zenml_api.RUN_TIME_PLACEHOLDERS:
        return Filled(Value(("run-start", key)), "run")
    return None


def _dict_option(node: cst.BaseExpression | None, key: str) -> Value | None:
    """The value of ``key`` in a decorator's ``substitutions={...}``; a dict zlint cannot
    read supplies every key with an unknown, run-wide value."""
    if node is None:
        return None
    if not isinstance(node, cst.Dict):
        return Value(("option", id(node), key))
    for element in node.elements:
        if not isinstance(element, cst.DictElement):
            return Value(("option", id(node), key))  # `**other` may hold the key
        if cst_utils.literal_string(element.key) == key:
            text = cst_utils.literal_string(element.value)
            return Value.of_literal(text) if text is not None else Value(("option", id(node), key))
    return None


def missing_placeholders(
    analysis: PipelineAnalysis, invocation: Invocation, output: Output
) -> list[str]:
    return [k for k in output.placeholders if substitution(analysis, invocation, k) is None]


def resolve(
    analysis: PipelineAnalysis, invocation: Invocation, output: Output, *, filled: bool = True
) -> ResolvedName | None:
    """The artifact name this call writes for ``output``. None when unnamed (names are
    then unique per invocation), dynamic, or when a placeholder has no value (ZL005).

    ``filled``: whether ZenML fills placeholders (0.71.0 on). Before, it keeps
    ``"{split}_data"`` as written: a fixed name, the same for every call."""
    template = output.custom_name
    if template is None or output.is_dynamic:
        return None
    if not filled:
        return ResolvedName((template,), run_scoped=False)
    parts: list[NamePart] = []
    run_scoped = False
    position = 0
    for match in _PLACEHOLDER.finditer(template):
        parts.append(template[position : match.start()])
        supplied = substitution(analysis, invocation, match.group(1))
        if supplied is None:
            return None
        run_scoped = run_scoped or supplied.scope == "run"
        value = supplied.value
        parts.append(value.literal if isinstance(value.literal, str) else value)
        position = match.end()
    parts.append(template[position:])
    return ResolvedName(_merge_strings(parts), run_scoped)


def _merge_strings(parts: list[NamePart]) -> tuple[NamePart, ...]:
    merged: list[NamePart] = []
    for part in parts:
        if isinstance(part, str) and merged and isinstance(merged[-1], str):
            merged[-1] = merged[-1] + part
        elif part != "":
            merged.append(part)
    return tuple(merged)


def static_text(name: tuple[NamePart, ...]) -> str | None:
    """The name as plain text when every part is known."""
    return "".join(name) if all(isinstance(p, str) for p in name) else None  # type: ignore[arg-type]


def display(name: tuple[NamePart, ...]) -> str:
    return "".join(p if isinstance(p, str) else "{...}" for p in name)


def same_name(a: tuple[NamePart, ...], b: tuple[NamePart, ...]) -> bool:
    if len(a) != len(b):
        return False
    for left, right in zip(a, b, strict=True):
        if isinstance(left, str) or isinstance(right, str):
            if left != right:
                return False
        elif not left.same_as(right):
            return False
    return True


def told_apart(first: Invocation, later: Invocation, output: Output) -> bool:
    """Whether a value written into ``output``'s metadata differs between the two calls."""
    return any(_tells_apart(flow, first, later) for flow in later.step.metadata_flows(output))


def _tells_apart(flow: Flow, first: Invocation, later: Invocation) -> bool:
    if flow.kind == flows.IDENTITY:
        param = flow.params[0]
        if param == INVOCATION:
            return True  # the step writes its own run's name or id: unique per invocation
        # An input artifact written as it is tells calls apart when their inputs differ
        # (a `.map()` item, say); one it is computed from does not (COMPUTED below).
        return not first.arg(param).same_as(later.arg(param))
    if flow.kind == flows.FOLDED:
        left_value, right_value = folded(flow, first), folded(flow, later)
        return UNKNOWN not in (left_value, right_value) and left_value != right_value
    return False  # a value computed from the parameters is not known to differ


def folded(flow: Flow, invocation: Invocation) -> object:
    """A folded flow's value for one call, or :data:`~zlint.model.flows.UNKNOWN`."""
    assert flow.expr is not None
    env: dict[str, object] = {}
    for name, param in flow.names:
        value = invocation.arg(param)
        if not value.has_literal:
            return UNKNOWN
        env[name] = value.literal
    return fold(flow.expr, env)


def why_not_told_apart(first: Invocation, later: Invocation, output: Output) -> str | None:
    """Why the metadata ``output``'s step writes does not tell the two calls apart; None
    when it writes none."""
    found = sorted(later.step.metadata_flows(output), key=_flow_order)
    if not found:
        return None
    flow = found[0]
    shown = f"`{flow.shown}`" if flow.shown else "its metadata value"
    if flow.kind == flows.COMPUTED:
        return f"the metadata value {shown} is computed from {_params(flow)}, so it is not known to differ between the calls"
    if flow.kind == flows.FOLDED:
        value = folded(flow, later)
        if value is UNKNOWN:
            return f"the metadata value {shown} cannot be worked out for these calls"
        return f"the metadata value {shown} is `{value!r}` for both calls"
    return f"the metadata value {shown} is the same for both calls"


def _flow_order(flow: Flow) -> tuple[int, str, tuple[str, ...]]:
    """A total order for the message: flows are kept in sets, whose order varies by run."""
    rank = {flows.FOLDED: 0, flows.IDENTITY: 1, flows.COMPUTED: 2}
    return rank.get(flow.kind, 3), flow.shown, flow.params


def _params(flow: Flow) -> str:
    names = [p for p in flow.params if p != INVOCATION]
    return ", ".join(f"`{p}`" for p in names) if names else "the step run"


def told_apart_across_iterations(
    invocation: Invocation, output: Output, name: tuple[NamePart, ...]
) -> bool:
    """Whether every repetition of one call site writes a different name or metadata value.

    Each repeating loop around the call must change the name or a metadata parameter: in
    ``for split in ...: for seed in ...: step(split=split)`` the inner loop writes the same
    split twice.
    """
    identities = invocation.step.identity_params(output)
    if INVOCATION in identities:
        return True
    changing: frozenset[int] = frozenset()
    for part in name:
        if isinstance(part, Value):
            changing |= part.varies
    for param in identities:
        changing |= invocation.arg(param).varies
    return invocation.repeating_loops <= changing
