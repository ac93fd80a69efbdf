"""ZL001's ``substitution`` strategy (unsafe: artifact names change).

The colliding output's name becomes a template, ``"{prefix}_transformed_data"`` (in the
``Annotated`` string or in ``ArtifactConfig(name=...)``), and every colliding call fills it
with ``step.with_options(substitutions={"prefix": <value>})(...)``. The same value is also
passed as a parameter (``prefix=<value>``, added to the step as ``prefix: str = "default"``),
because ZenML's cache key leaves substitutions out: without a differing parameter the later
calls would be served the first call's artifact. When the calls already pass a parameter that
differs per call (``split=...``), that parameter names the placeholder and nothing is added.

Calls of the step that are not in a colliding group (a pipeline calling it once, code in
another project) would now fail with ``KeyError: Could not format the name template``, so the
decorator gets a default: ``@step(substitutions={"prefix": "default"})``. ZenML 0.98 fills a
placeholder from ``with_options(substitutions=...)`` first, then from the step's decorator,
then from the pipeline (verified by running it), so the per-call values win and the other
calls write ``default_transformed_data``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import libcst as cst

from zlint.fixes import arguments, common
from zlint.fixes.options import FixOptions
from zlint.model import cst_utils
from zlint.model.definitions import Definitions, StepDef
from zlint.model.invocations import Invocation, PipelineAnalysis
from zlint.model.output_names import Output
from zlint.types import Applicability, Fix, NodeReplacement

_WITH_OPTIONS = "with_options"


@dataclass(frozen=True)
class Group:
    """One pipeline's colliding calls of the step, with the output keys that collide."""

    analysis: PipelineAnalysis
    outputs: list[str]
    invocations: list[Invocation]


def substitution_fix(
    definitions: Definitions, options: FixOptions, step: StepDef, groups: Sequence[Group]
) -> Fix | common.NoFix:
    """One fix for every pipeline's colliding calls of ``step`` (the step is edited once)."""
    keys = [o.key for o in step.outputs if any(o.key in g.outputs for g in groups)]
    outputs = [o for o in step.outputs if o.key in keys]
    problem = _step_problem(step, outputs)
    if problem is not None:
        return problem
    existing = _shared_distinct_parameter(step, groups)
    placeholder = existing or options.parameter
    replacements: list[NodeReplacement] = []
    shown: list[str] = []
    for group in groups:
        values = (
            _existing_values(step, group, existing)
            if existing is not None
            else common.call_values(
                definitions.project, group.analysis, step, group.invocations, placeholder
            )
        )
        if isinstance(values, common.NoFix):
            return values
        for value in values:
            new_call = _call_with_substitution(value, placeholder, pass_parameter=not existing)
            if new_call is None:
                return common.NoFix("a call's step expression cannot take `.with_options()`")
            replacements.append(NodeReplacement(value.module.path, value.call, new_call))
        shown.extend(v.shown() for v in values)
    step_edits = _step_edits(definitions, step, outputs, placeholder, add_parameter=not existing)
    if isinstance(step_edits, common.NoFix):
        return step_edits
    templates = [f"{{{placeholder}}}_{o.custom_name}" for o in outputs]
    message = (
        f"Name {common.listed([o.custom_name or o.key for o in outputs])} per call as "
        f"{common.listed(templates)} with `with_options(substitutions=...)` ({', '.join(shown)})"
        + ("" if existing else f" and pass `{placeholder}=` too, so the cache keeps them apart")
        + f"; other calls of `{step.name}` write "
        f"{common.listed([t.replace('{' + placeholder + '}', common.DEFAULT) for t in templates])}"
    )
    return Fix(Applicability.UNSAFE, message, (*step_edits, *replacements))


def _step_problem(step: StepDef, outputs: list[Output]) -> common.NoFix | None:
    if step.class_node is not None:
        return common.NoFix(
            "a class-based step has no decorator to hold a default substitution for its other calls"
        )
    for output in outputs:
        if not isinstance(output.name_node, cst.SimpleString) or output.custom_name is None:
            return common.NoFix(
                f"the name of `{output.key}` is not a string literal in the annotation, so "
                "zlint would not turn it into a template"
            )
        if common.mentions_string(step.function.body, output.custom_name):
            return common.NoFix(
                f"the step body refers to output `{output.key}` by name, which would no "
                "longer match once the name is a template"
            )
    return None


def _shared_distinct_parameter(step: StepDef, groups: Sequence[Group]) -> str | None:
    """A parameter that tells the calls apart in every pipeline, if there is one."""
    chosen = [common.distinct_parameter(step, g.invocations) for g in groups]
    # A substitution is filled when the pipeline compiles: an input artifact cannot fill it.
    found = {c.name if c is not None and c.unsafe_because is None else None for c in chosen}
    if len(found) != 1:
        return None
    return found.pop()


def _existing_values(
    step: StepDef, group: Group, param: str
) -> list[common.CallValue] | common.NoFix:
    """The values the calls already pass for ``param``, as substitution values."""
    values: dict[int, common.CallValue] = {}
    # A loop variable walked value by value is a string in every iteration: no str() needed.
    strings: dict[int, bool] = {}
    for invocation in group.invocations:
        problem = common.unfixable_site(invocation, None)
        if problem is not None:
            return problem
        call = invocation.call
        literal = invocation.arg(param).literal
        strings[id(call)] = strings.get(id(call), True) and isinstance(literal, str)
        if id(call) in values:
            continue
        node = _argument(step, call, param)
        if node is None:
            return common.NoFix(f"a call does not pass `{param}` as a plain argument")
        text = cst_utils.literal_string(node)
        module = invocation.site.module
        code = cst.Module([]).code_for_node(node)
        values[id(call)] = common.CallValue(call, module, text, None if text else code)
    return [
        value
        if value.literal is not None or strings[id(value.call)]
        else common.CallValue(value.call, value.module, None, f"str({value.code})")
        for value in values.values()
    ]


def _argument(step: StepDef, call: cst.Call, param: str) -> cst.BaseExpression | None:
    arg = cst_utils.keyword(call, param)
    if arg is not None:
        return arg.value
    names = [p.name for p in step.params]
    positional = cst_utils.positional(call)
    if any(a.star for a in call.args) or param not in names:
        return None
    index = names.index(param)
    return positional[index].value if index < len(positional) else None


def _call_with_substitution(
    value: common.CallValue, key: str, *, pass_parameter: bool
) -> cst.Call | None:
    call = value.call
    func = _with_substitution(call.func, key, value.expression())
    if func is None:
        return None
    new_call = call.with_changes(func=func)
    if pass_parameter:
        new_call = arguments.with_argument(new_call, arguments.keyword_arg(key, value.expression()))
    return new_call


def _with_substitution(
    func: cst.BaseExpression, key: str, value: cst.BaseExpression
) -> cst.BaseExpression | None:
    """``func.with_options(substitutions={key: value})``, merged into a ``with_options``
    call that ``func`` already is, when that call sets no substitutions zlint cannot read."""
    element = cst.DictElement(cst.SimpleString(common.quote(key)), value)
    if (
        isinstance(func, cst.Call)
        and isinstance(func.func, cst.Attribute)
        and func.func.attr.value == _WITH_OPTIONS
    ):
        existing = cst_utils.keyword(func, "substitutions")
        if existing is None:
            return arguments.with_argument(
                func, arguments.keyword_arg("substitutions", cst.Dict([element]))
            )
        merged = _dict_with(existing.value, key, element)
        if merged is not None:
            new_args = [a.with_changes(value=merged) if a is existing else a for a in func.args]
            return func.with_changes(args=new_args)
    if not isinstance(func, (cst.Name, cst.Attribute, cst.Call, cst.Subscript)):
        return None
    return cst.Call(
        cst.Attribute(func, cst.Name(_WITH_OPTIONS)),
        [arguments.keyword_arg("substitutions", cst.Dict([element]))],
    )


def _dict_with(node: cst.BaseExpression, key: str, element: cst.DictElement) -> cst.Dict | None:
    """``node`` (a literal dict without ``key``) with ``element`` added."""
    if not isinstance(node, cst.Dict) or not all(
        isinstance(e, cst.DictElement) for e in node.elements
    ):
        return None
    keys = [
        cst_utils.literal_string(e.key) for e in node.elements if isinstance(e, cst.DictElement)
    ]
    if key in keys:
        return None
    elements = list(node.elements)
    if elements and elements[-1].comma is cst.MaybeSentinel.DEFAULT:
        last = elements[-1].with_changes(
            comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))
        )
        elements[-1] = last
    return node.with_changes(elements=[*elements, element])


# --------------------------------------------------------------------------- the step


def _step_edits(
    definitions: Definitions,
    step: StepDef,
    outputs: list[Output],
    key: str,
    *,
    add_parameter: bool,
) -> list[NodeReplacement] | common.NoFix:
    path = step.module.path
    edits: list[NodeReplacement] = []
    for output in outputs:
        node = output.name_node
        assert isinstance(node, cst.SimpleString)
        opening = len(node.prefix) + len(node.quote)
        new_value = f"{node.value[:opening]}{{{key}}}_{node.value[opening:]}"
        edits.append(NodeReplacement(path, node, node.with_changes(value=new_value)))
    decorator = _step_decorator(definitions, step)
    if decorator is None:
        return common.NoFix(
            "the step is not made with a `@step` decorator, which would hold a default "
            "substitution for its other calls"
        )
    new_decorator = _with_default(decorator.decorator, key)
    if isinstance(new_decorator, common.NoFix):
        return new_decorator
    if new_decorator is not None:
        edits.append(NodeReplacement(path, decorator.decorator, new_decorator))
    if add_parameter:
        if step.param(key) is not None:
            return common.NoFix(
                f"the step already has a parameter `{key}`; choose another fix-parameter"
            )
        parameter = common.add_parameter(step, key)
        if isinstance(parameter, common.NoFix):
            return parameter
        edits.append(parameter)
    return edits


def _step_decorator(definitions: Definitions, step: StepDef) -> cst.Decorator | None:
    for decorator in step.function.decorators:
        kind = definitions.decorator_kind(step.module, decorator.decorator)
        if kind is not None and kind[0] == "step":
            return decorator
    return None


def _with_default(
    decorator: cst.BaseExpression, key: str
) -> cst.BaseExpression | common.NoFix | None:
    """The decorator with ``substitutions={key: "default"}``; None when it has the key."""
    element = cst.DictElement(
        cst.SimpleString(common.quote(key)), cst.SimpleString(common.quote(common.DEFAULT))
    )
    if not isinstance(decorator, cst.Call):
        return cst.Call(decorator, [arguments.keyword_arg("substitutions", cst.Dict([element]))])
    existing = cst_utils.keyword(decorator, "substitutions")
    if existing is None:
        return arguments.with_argument(
            decorator, arguments.keyword_arg("substitutions", cst.Dict([element]))
        )
    if isinstance(existing.value, cst.Dict) and key in {
        cst_utils.literal_string(e.key)
        for e in existing.value.elements
        if isinstance(e, cst.DictElement)
    }:
        return None
    merged = _dict_with(existing.value, key, element)
    if merged is None:
        return common.NoFix(
            "the step's `substitutions=` is not a literal dict that a default can be added to"
        )
    return decorator.with_changes(
        args=[a.with_changes(value=merged) if a is existing else a for a in decorator.args]
    )
