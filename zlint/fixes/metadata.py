"""ZL001's ``metadata`` strategy (the default, safe): a per-call value written into the
colliding output's metadata.

When the calls already pass a parameter that differs per call (``split=...``), the step
writes it into the metadata (under its own name). Otherwise the step gets a parameter
(``fix-parameter``, default ``prefix: str = "default"``, so other callers keep working) that
it writes under ``metadata-key`` (default ``custom_prefix``), and every colliding call passes
its own value. The write is ``get_step_context().add_output_metadata(output_name=<key>,
metadata=...)`` or, with ``metadata-api = "log_metadata"``, ``log_metadata(metadata=...,
infer_artifact=True, artifact_name=<key>)``; either is the first statement of the body.

Artifact names stay the same, so downstream consumers keep working, and the differing
parameter also keeps ZenML's cache from merging the calls. A version is found later with
``Client().list_artifact_versions(name=<name>, run_metadata="<key>:<value>")``.
"""

from __future__ import annotations

import libcst as cst

from zlint.fixes import arguments, common
from zlint.fixes.options import LOG_METADATA, FixOptions
from zlint.model.definitions import StepDef
from zlint.model.invocations import Invocation, PipelineAnalysis
from zlint.model.project import Project
from zlint.types import Applicability, Fix, ImportEdit, NodeReplacement


def metadata_fix(
    project: Project,
    options: FixOptions,
    analysis: PipelineAnalysis,
    step: StepDef,
    outputs: list[str],
    group: list[Invocation],
) -> Fix | common.NoFix:
    """The fix for the colliding ``group`` of calls of ``step``, or why there is none."""
    api = _api_name(options)
    unusual = _unusual_entrypoint(step)
    if unusual is not None:
        return common.NoFix(unusual)
    if not common.free_or_zenml(step.module, api):
        return common.NoFix(f"`{api}` means something else in `{step.module.qualname}`")
    existing = common.distinct_parameter(step, group)
    if existing is not None:
        return _existing_parameter_fix(options, step, outputs, existing)
    parameter = options.parameter
    values = common.call_values(project, analysis, step, group, parameter)
    if isinstance(values, common.NoFix):
        return values
    replacements: list[NodeReplacement] = []
    imports: list[ImportEdit] = []
    if step.param(parameter) is not None:
        # A previous fix added it; only calls that pass nothing are left.
        if not all(parameter in step.identity_params(o) for o in step.outputs if o.key in outputs):
            return common.NoFix(
                f"the step already has a parameter `{parameter}` that it does not write into "
                "the metadata; choose another fix-parameter"
            )
    else:
        step_edits = _step_edits(options, step, outputs, parameter, _key(options, parameter))
        if isinstance(step_edits, common.NoFix):
            return step_edits
        replacements.extend(step_edits)
        imports.append(ImportEdit(step.module.path, "zenml", api))
    for value in values:
        arg = arguments.keyword_arg(parameter, value.expression())
        new_call = arguments.with_argument(value.call, arg)
        replacements.append(NodeReplacement(value.module.path, value.call, new_call))
    shown = ", ".join(v.shown() for v in values)
    message = (
        f"Pass `{parameter}=` ({shown}) to `{step.name}` and write it into the metadata of "
        f"{common.listed(outputs)}; {_lookup(outputs, _key(options, parameter))}"
    )
    return Fix(Applicability.SAFE, message, tuple(replacements), tuple(imports))


def _existing_parameter_fix(
    options: FixOptions, step: StepDef, outputs: list[str], chosen: common.Chosen
) -> Fix | common.NoFix:
    param = chosen.name
    key = _key(options, param)
    statements = [_metadata_statement(options, output, key, param) for output in outputs]
    body = step.function.body
    new_body = common.with_statements_first(body, statements)
    if new_body is None:
        return common.NoFix("the step's body is on its `def` line")
    message = (
        f"Write `{param}` into the metadata of {common.listed(outputs)}; {_lookup(outputs, key)}"
    )
    applicability = Applicability.SAFE
    if chosen.unsafe_because is not None:
        applicability = Applicability.UNSAFE
        message += f" (unsafe: {chosen.unsafe_because})"
    return Fix(
        applicability,
        message,
        (NodeReplacement(step.module.path, body, new_body),),
        (ImportEdit(step.module.path, "zenml", _api_name(options)),),
    )


def _step_edits(
    options: FixOptions, step: StepDef, outputs: list[str], parameter: str, key: str
) -> list[NodeReplacement] | common.NoFix:
    body = step.function.body
    statements = [_metadata_statement(options, output, key, parameter) for output in outputs]
    new_body = common.with_statements_first(body, statements)
    if new_body is None:
        return common.NoFix("the step's body is on its `def` line")
    new_params = common.add_parameter(step, parameter)
    if isinstance(new_params, common.NoFix):
        return new_params
    return [new_params, NodeReplacement(step.module.path, body, new_body)]


def _unusual_entrypoint(step: StepDef) -> str | None:
    """Why the fix would not know how ZenML calls this step's function, or None. A
    ``BaseStep`` subclass's ``entrypoint`` must be a plain method: no decorator, not
    ``async``, no ``*args`` or ``**kwargs``. A step made by a user decorator is called
    through the decorator's inner wrapper, which may not pass a new parameter on."""
    if step.wrapped_by is not None:
        return (
            f"`{step.name}` is made by the decorator `{step.wrapped_by}`, whose inner wrapper "
            "ZenML calls instead of the function, so zlint cannot tell that a new parameter "
            "reaches it"
        )
    if step.class_node is None:
        return None
    function = step.function
    params = function.params
    first = [*params.posonly_params, *params.params][:1]
    plain = (
        not function.decorators
        and function.asynchronous is None
        and len(first) == 1  # the instance
        and not isinstance(params.star_arg, cst.Param)
        and params.star_kwarg is None
    )
    if plain:
        return None
    return (
        f"`{step.name}` is a `BaseStep` subclass whose `entrypoint` is not a plain method "
        "(decorated, `async`, or taking `*args`/`**kwargs`), so zlint cannot tell how ZenML "
        "passes its parameters"
    )


def _key(options: FixOptions, parameter: str) -> str:
    """The metadata key: ``metadata-key`` for the fix's own parameter, else the parameter's
    name (``split`` is written as ``split``)."""
    return options.metadata_key if parameter == options.parameter else parameter


def _api_name(options: FixOptions) -> str:
    return "log_metadata" if options.metadata_api == LOG_METADATA else "get_step_context"


def _metadata_statement(
    options: FixOptions, output: str, key: str, param: str
) -> cst.BaseStatement:
    metadata = f"{{{common.quote(key)}: {param}}}"
    if options.metadata_api == LOG_METADATA:
        code = (
            f"log_metadata(metadata={metadata}, infer_artifact=True, "
            f"artifact_name={common.quote(output)})\n"
        )
    else:
        code = (
            f"get_step_context().add_output_metadata(output_name={common.quote(output)}, "
            f"metadata={metadata})\n"
        )
    return cst.parse_statement(code)


def _lookup(outputs: list[str], key: str) -> str:
    return (
        f'find a version later with `Client().list_artifact_versions(name="{outputs[0]}", '
        f'run_metadata="{key}:<value>")`'
    )
