"""Which artifact name an invocation writes, and whether two writes can be told apart."""

from __future__ import annotations

import re

import libcst as cst

from zlint.model import cst_utils, zenml_api
from zlint.model.definitions import Output, PipelineDef
from zlint.model.invocations import Invocation, Value

NamePart = str | Value
_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")


def resolved_name(invocation: Invocation, output: Output) -> tuple[NamePart, ...] | None:
    """The artifact name this call writes for ``output``, with per-call substitutions filled.

    None when zlint does not compare this output: unnamed (names are unique per invocation),
    dynamic, or with a placeholder that no per-call or step-level substitution fills (the
    run-scoped and missing-substitution cases have rules of their own).
    """
    template = output.custom_name
    if template is None or output.is_dynamic:
        return None
    parts: list[NamePart] = []
    position = 0
    for match in _PLACEHOLDER.finditer(template):
        parts.append(template[position : match.start()])
        key = match.group(1)
        if key in zenml_api.RUN_TIME_PLACEHOLDERS:
            return None
        value = invocation.obj.substitution(key) or _step_level_substitution(invocation, key)
        if value is None:
            return None
        parts.append(value.literal if isinstance(value.literal, str) else value)
        position = match.end()
    parts.append(template[position:])
    return _merge_strings(parts)


def _step_level_substitution(invocation: Invocation, key: str) -> Value | None:
    node = invocation.step.options.get("substitutions")
    if not isinstance(node, cst.Dict):
        return None
    for element in node.elements:
        if isinstance(element, cst.DictElement) and cst_utils.literal_string(element.key) == key:
            text = cst_utils.literal_string(element.value)
            return Value.of_literal(text) if text is not None else None
    return None


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
    """Whether a per-call parameter written into ``output``'s metadata differs between calls."""
    params = later.step.distinguishing_params(output)
    return any(not first.arg(p).same_as(later.arg(p)) for p in params)


def told_apart_across_iterations(
    invocation: Invocation, output: Output, name: tuple[NamePart, ...]
) -> bool:
    """Whether every repetition of one call site writes a different name or metadata value.

    Each repeating loop around the call must change the name or a metadata parameter: in
    ``for split in ...: for seed in ...: step(split=split)`` the inner loop writes the same
    split twice.
    """
    changing: frozenset[int] = frozenset()
    for part in name:
        if isinstance(part, Value):
            changing |= part.varies
    for param in invocation.step.distinguishing_params(output):
        changing |= invocation.arg(param).varies
    return invocation.repeating_loops <= changing


def _cache_disabled(invocation: Invocation, pipeline: PipelineDef) -> bool:
    """``enable_cache=False`` on the step, on this call's ``with_options``, or the pipeline."""
    sources = [
        invocation.step.options.get("enable_cache"),
        pipeline.options.get("enable_cache"),
        *(value for key, value in invocation.obj.options if key == "enable_cache"),
    ]
    if any(key == "cache_policy" for key, _ in invocation.obj.options):
        return True  # a custom cache policy may leave inputs or parameters out of the key
    return any(cst_utils.is_name(node, "False") for node in sources if node is not None)


def cache_merged(first: Invocation, later: Invocation, pipeline: PipelineDef) -> bool:
    """Whether ZenML serves ``later`` from the cache of ``first``: same step, provably equal
    inputs and parameters, caching on. The later call then writes no version at all."""
    if _cache_disabled(first, pipeline) or _cache_disabled(later, pipeline):
        return False
    names = first.args.keys() | later.args.keys()
    return all(first.arg(n).same_as(later.arg(n)) for n in names)


def cache_merged_across_iterations(invocation: Invocation, pipeline: PipelineDef) -> bool:
    """Whether every repetition of one call site gets the same inputs, so all but the
    first are served from the cache."""
    if _cache_disabled(invocation, pipeline):
        return False
    loops = invocation.repeating_loops
    return not any(value.varies & loops for value in invocation.args.values())
