from __future__ import annotations

from typing import TYPE_CHECKING

from zlint.rules import _collisions
from zlint.rules import _messages as msg
from zlint.rules._metadata_fix import metadata_fix
from zlint.rules.base import Rule
from zlint.types import Applicability

if TYPE_CHECKING:
    from zlint.engine import RuleContext


class RepeatedStepArtifactCollision(Rule):
    """## What it does
    Finds a step whose output has a fixed custom name (`Annotated[T, "name"]` or
    `ArtifactConfig(name=...)`) and that one pipeline invokes more than once, with nothing
    that tells the resulting artifact versions apart. Repeated means: called twice, called in
    a `for`/`while` loop or a comprehension, fanned out with `.map()`/`.product()`, or reached
    through a helper function or sub-pipeline that the pipeline calls twice.

    ## Why is this bad?
    ZenML names a custom-named output after the annotation only; the invocation id plays no
    part. Every call therefore writes a new *version* of the same artifact, and nothing in
    the versions says which call (train, validation, test, ...) produced which. Version
    numbers do not follow call order either: ZenML sorts the steps of one layer by
    invocation id as text (`transform_10` runs before `transform_2`), and parallel
    orchestrators run them in any order. Code that later loads "the train version" gets the
    wrong data without any error. A different `id=` per call does not help: it changes the
    step run's name, not the artifact's.

    Calls are told apart (and not reported) when the step writes one of its parameters into
    the output's metadata or tags (`get_step_context().add_output_metadata(...)`,
    `log_metadata(..., infer_artifact=True)`, `add_output_tags(...)`) and the calls pass
    different values for it, or when the name is a template such as `"{split}_data"` that
    each call fills differently with `step.with_options(substitutions=...)`. Calls in
    different arms of an `if`/`else` never run together and are not repeats.

    ## Example
    ```python
    from typing import Annotated

    from zenml import pipeline, step


    @step
    def scale(values: list, factor: float) -> Annotated[list, "scaled_values"]:
        return [v * factor for v in values]


    @pipeline
    def scaling():
        scale([1, 2], factor=2.0)
        scale([3, 4], factor=10.0)
    ```

    ## Use instead
    ```python
    from typing import Annotated

    from zenml import get_step_context, pipeline, step


    @step
    def scale(values: list, factor: float, label: str) -> Annotated[list, "scaled_values"]:
        get_step_context().add_output_metadata(
            output_name="scaled_values", metadata={"label": label}
        )
        return [v * factor for v in values]


    @pipeline
    def scaling():
        scale([1, 2], factor=2.0, label="small")
        scale([3, 4], factor=10.0, label="large")
    ```
    Find a version later with
    `Client().list_artifact_versions(name="scaled_values", run_metadata="label:small")`.

    ## Fix safety
    The fix is safe. It adds a parameter `prefix: str = "default"` to the step (other callers
    keep working), writes it into the colliding output's metadata with
    `get_step_context().add_output_metadata(output_name=..., metadata={"custom_prefix": prefix})`,
    and passes a distinct value at every colliding call: a string the call already passes,
    a split word from its argument or target names (`val_rows` -> `"val"`), its literal
    `id=`, the loop variable, or the invocation id ZenML would assign. Artifact names do not
    change, so downstream pipelines keep loading them; the new parameter also keeps the cache
    from merging the calls. No fix is offered when the calls sit in a helper or a `.map()`,
    or when distinct values cannot be found.
    """

    code = "ZL001"
    fix = Applicability.SAFE
    name = "repeated-step-artifact-collision"
    summary = "Step with a fixed artifact name is invoked repeatedly and the versions cannot be told apart"

    def check(self, ctx: RuleContext) -> None:
        _collisions.report(
            ctx,
            run_scoped=False,
            why=f"nothing tells the versions apart: {msg.REMEDY}",
            fixer=metadata_fix,
        )
