from __future__ import annotations

from typing import TYPE_CHECKING

from zlint.fastpath.prefilter import ZENML_SYNTAX
from zlint.model import outputs as out
from zlint.model.definitions import StepDef
from zlint.model.metadata import LOG_METADATA, MetadataCall, metadata_calls
from zlint.rules import _module_scan
from zlint.rules.base import Rule

if TYPE_CHECKING:
    from zlint.rules.base import RuleContext

_UNSUPPORTED = "`ValueError: Unsupported way to call the log_metadata`"


class InvalidMetadataCall(Rule):
    """## What it does
    Finds metadata calls in a step body that ZenML rejects whatever the values are:
    `log_metadata(metadata=..., artifact_name=...)` without `infer_artifact=True` or
    `artifact_version` (or another keyword without its partner, such as `step_name` without
    `run_id_name_or_prefix`); `log_metadata(..., infer_artifact=True)` without
    `artifact_name`, and `get_step_context().add_output_metadata(...)`,
    `add_output_tags(...)` and the other output methods without `output_name`, in a step
    with several outputs; and any of these aimed at an output of a step that has none
    (annotated `-> None`, or unannotated without a `return` value).

    Steps are `@step` functions and `BaseStep` subclasses (their `entrypoint`). ZenML is
    recognised by qualified name, including imports inside the step and a step context kept
    in a variable (`ctx = get_step_context()`); calls in nested functions are not checked.

    ## Why is this bad?
    `log_metadata` picks its target from the keywords it is given and raises
    `ValueError: Unsupported way to call the log_metadata` for a combination it does not
    know: an `artifact_name` alone is one. Without a name, `infer_artifact=True` and the step
    context's output methods only work when the step has exactly one output; otherwise ZenML
    raises `ValueError: There is more than one output` or `StepContextError: ... has
    multiple outputs`. Either way the error happens when the step runs, after its work is
    done, and fails the pipeline run.

    ## Example
    ```python
    from typing import Annotated

    from zenml import log_metadata, step


    @step
    def featurize(rows: list, split: str) -> Annotated[list, "features"]:
        log_metadata(metadata={"split": split}, artifact_name="features")
        return rows
    ```

    ## Use instead
    ```python
    from typing import Annotated

    from zenml import log_metadata, step


    @step
    def featurize(rows: list, split: str) -> Annotated[list, "features"]:
        log_metadata(metadata={"split": split}, artifact_name="features", infer_artifact=True)
        return rows
    ```

    ## Fix safety
    No automatic fix: whether `infer_artifact=True` or an existing artifact version was
    meant, and which output a call is about, are the author's decisions.
    """

    code = "ZL009"
    name = "invalid-metadata-call"
    summary = "A metadata call in a step that ZenML rejects when the step runs"
    # Metadata calls are checked in steps, which only files with step syntax define.
    hints = (ZENML_SYNTAX,)

    def check(self, ctx: RuleContext) -> None:
        for step in _module_scan.checked_steps(ctx):
            for call in metadata_calls(ctx.project, step.module, step.function):
                message = self.problem(step, call)
                if message is not None:
                    ctx.report((step.module, call.node), message)

    def problem(self, step: StepDef, call: MetadataCall) -> str | None:
        if call.api == LOG_METADATA:
            return _log_metadata_problem(step, call)
        if call.is_context_method:
            return _context_problem(step, call)
        return None


def _log_metadata_problem(step: StepDef, call: MetadataCall) -> str | None:
    target = out.log_metadata_target(call)
    if target is out.Target.UNSUPPORTED:
        return _unsupported(step, call)
    if target is not out.Target.OUTPUT or "artifact_name" in out.passed_identifiers(call):
        return None
    where = f"`log_metadata(..., infer_artifact=True)` in step `{step.name}`"
    count = out.output_count(step)
    if count == 0:
        return (
            f"{where} targets the step's output, but the step has no outputs, so ZenML raises "
            "`ValueError: The step does not have any outputs.` when it runs: drop "
            "`infer_artifact=True` to log on the step run, or return the value to annotate"
        )
    if count > 1:
        return (
            f"{where} does not say which of the step's {count} outputs it is about "
            f"({out.describe_outputs(step)}), so ZenML raises `ValueError: There is more than "
            "one output` when it runs: pass `artifact_name=` with one of these output keys"
        )
    return None


def _unsupported(step: StepDef, call: MetadataCall) -> str:
    given = out.passed_identifiers(call)
    where = f"`log_metadata(...)` in step `{step.name}`"
    if "artifact_name" in given:
        return (
            f"{where} passes `artifact_name` without `infer_artifact=True` or "
            f"`artifact_version`, so it raises {_UNSUPPORTED} when the step runs: add "
            "`infer_artifact=True` to attach the metadata to this step's output, and name it "
            f"by its output key ({out.describe_outputs(step)})"
        )
    lonely = sorted(name for name in given if out.PARTNERS.get(name, name) not in given)
    needs = "; ".join(f"`{name}` needs `{out.PARTNERS[name]}`" for name in lonely)
    return (
        f"{where} passes a combination of keywords it does not support ({needs}), so it "
        f"raises {_UNSUPPORTED} when the step runs: pass the missing keyword, or use "
        "`infer_artifact=True` to attach the metadata to this step's output"
    )


def _context_problem(step: StepDef, call: MetadataCall) -> str | None:
    if call.has_unpacking:
        return None
    where = f"`{call.api}(...)` in step `{step.name}`"
    count = out.output_count(step)
    if count == 0:
        return (
            f"{where} needs one of the step's outputs, but the step has none, so ZenML raises "
            "`StepContextError: ... does not have any outputs` when it runs: log on the step "
            "run with `log_metadata(metadata=...)` instead, or return the value to annotate"
        )
    if count > 1 and out.omits_output_name(call):
        return (
            f"{where} does not pass `output_name`, but the step has {count} outputs "
            f"({out.describe_outputs(step)}), so ZenML raises `StepContextError: ... has "
            "multiple outputs` when it runs: pass `output_name=` with one of these output keys"
        )
    return None
