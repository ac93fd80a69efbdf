from __future__ import annotations

from typing import TYPE_CHECKING

from zlint.model import releases
from zlint.rules import _collisions
from zlint.rules.base import Rule

if TYPE_CHECKING:
    from zlint.rules.base import RuleContext


class RunScopedArtifactName(Rule):
    """## What it does
    Finds a step invoked more than once in one pipeline whose output name is a template
    (`"{split}_features"`) filled only with values that are the same for the whole run:
    `{date}` and `{time}`, substitutions set on the pipeline (`@pipeline(substitutions=...)`),
    or `step.configure(substitutions=...)` called inside the pipeline body.

    ## Why is this bad?
    A template looks like it gives every call its own artifact, but these values are fixed
    once per run. `{date}` and `{time}` come from the run's start time, so every call writes
    `features_2026_11_27_...` with the same timestamp. Pipeline substitutions apply to
    every step of the run. `configure()` changes the one shared step object in place, so the
    value it sets last is used by every call, including the ones written before it. In all
    these cases the calls write versions of one artifact name that nothing tells apart.

    Per-call values do work: `step.with_options(substitutions={"split": "train"})(...)`
    gives each call its own name (pass the value as a parameter too, or the cache may merge
    calls with equal inputs).

    ## Example
    ```python
    from typing import Annotated

    from zenml import pipeline, step


    @step
    def export(rows: list) -> Annotated[list, "export_{date}"]:
        return rows


    @pipeline
    def exporting():
        export([1, 2])
        export([3, 4])
    ```

    ## Use instead
    ```python
    from typing import Annotated

    from zenml import pipeline, step


    @step
    def export(rows: list, part: str) -> Annotated[list, "export_{part}_{date}"]:
        return rows


    @pipeline
    def exporting():
        export.with_options(substitutions={"part": "first"})([1, 2], part="first")
        export.with_options(substitutions={"part": "second"})([3, 4], part="second")
    ```

    ## ZenML versions
    From 0.71.0. Before, `{date}` and the other placeholders stay in the name as written:
    when every release the project admits comes before 0.71.0, repeated calls are ZL001's
    collisions instead.

    ## Fix safety
    No automatic fix yet.
    """

    code = "ZL006"
    name = "run-scoped-artifact-name"
    summary = "Repeated step's artifact name differs only through values fixed for the run"

    def check(self, ctx: RuleContext) -> None:
        if not ctx.target.any(releases.PLACEHOLDERS_FILLED):
            return  # placeholders stay as written: a fixed name, ZL001's case
        _collisions.report(
            ctx,
            run_scoped=True,
            why=(
                "its placeholders are filled once per run (`{date}`/`{time}`, pipeline "
                "substitutions, or `configure()` on the shared step), so every call gets the "
                "same name: fill them per call with `with_options(substitutions=...)`"
            ),
        )
