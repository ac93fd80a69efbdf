from __future__ import annotations

from typing import TYPE_CHECKING

from zlint.fastpath.prefilter import ZENML_SYNTAX
from zlint.model import needs
from zlint.model import outputs as out
from zlint.model.definitions import StepDef
from zlint.model.metadata import LOG_METADATA, MetadataCall, metadata_calls
from zlint.model.releases import INFER_ARTIFACT, Fact, Target
from zlint.model.releases import LOG_METADATA as LOG_METADATA_FACT
from zlint.rules import _messages as msg
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

    ## ZenML versions
    `log_metadata` exists from 0.70.0. Its `artifact_name=` without `infer_artifact=True` or
    `artifact_version` fails from 0.71.0: 0.70.0 attaches the metadata to the running step's
    output, and has no `infer_artifact=` (a `TypeError`, ZL015's finding). So those findings,
    and the ones about `infer_artifact=True`, need a release from 0.71.0 on in the project's
    range; for a range across 0.71.0 the message names the failing releases and suggests
    `get_step_context().add_output_metadata(...)`, which both sides have. The step context's
    output methods are checked where they exist: `add_output_metadata` from 0.45.2,
    `add_output_tags` from 0.55.2, `remove_output_tags` from 0.80.0.

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
                found = self.problem(step, call, ctx.target)
                if found is None or not ctx.target.any(found[1]):
                    continue  # no release the project admits fails this way
                message, fact = found
                ctx.report((step.module, call.node), _on_releases(message, ctx.target, fact))

    def problem(self, step: StepDef, call: MetadataCall, target: Target) -> tuple[str, Fact] | None:
        """What goes wrong, and the fact that says on which releases it does."""
        if call.api == LOG_METADATA:
            return _log_metadata_problem(step, call, target)
        if call.is_context_method:
            problem = _context_problem(step, call)
            return (problem, needs.CONTEXT_METHOD_FACTS[call.api]) if problem else None
        return None


def _on_releases(message: str, target: Target, fact: Fact) -> str:
    """``message`` with the releases it happens on, when the target admits others."""
    where = msg.only_on(target, fact)
    for marker in (" when the step runs", " when it runs"):
        head, found, tail = message.partition(marker)
        if where and found:
            return f"{head}{marker}{where}{tail}"
    return message


def _log_metadata_problem(
    step: StepDef, call: MetadataCall, releases: Target
) -> tuple[str, Fact] | None:
    target = out.log_metadata_target(call)
    if target is out.Target.UNSUPPORTED:
        # ZenML 0.70.0 attached `artifact_name=` alone to the running step's output.
        named = "artifact_name" in out.passed_identifiers(call)
        message = _unsupported(step, call, releases)
        return message, INFER_ARTIFACT if named else LOG_METADATA_FACT
    if target is not out.Target.OUTPUT or "artifact_name" in out.passed_identifiers(call):
        return None
    problem = _output_problem(step)
    return (problem, INFER_ARTIFACT) if problem is not None else None


def _output_problem(step: StepDef) -> str | None:
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


def _unsupported(step: StepDef, call: MetadataCall, releases: Target) -> str:
    given = out.passed_identifiers(call)
    where = f"`log_metadata(...)` in step `{step.name}`"
    if "artifact_name" in given:
        head = (
            f"{where} passes `artifact_name` without `infer_artifact=True` or "
            f"`artifact_version`, so it raises {_UNSUPPORTED} when the step runs: "
        )
        keys = out.describe_outputs(step)
        if releases.all(INFER_ARTIFACT):
            return (
                f"{head}add `infer_artifact=True` to attach the metadata to this step's "
                f"output, and name it by its output key ({keys})"
            )
        lacking = msg.missing(releases, INFER_ARTIFACT, "`infer_artifact=`")
        return (
            f"{head}attach the metadata to this step's output with "
            "`get_step_context().add_output_metadata(metadata=..., output_name=...)`, naming "
            f"it by its output key ({keys}; {lacking})"
        )
    lonely = sorted(name for name in given if out.PARTNERS.get(name, name) not in given)
    partners = "; ".join(f"`{name}` needs `{out.PARTNERS[name]}`" for name in lonely)
    return (
        f"{where} passes a combination of keywords it does not support ({partners}), so it "
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
