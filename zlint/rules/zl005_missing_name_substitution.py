from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from zlint.model import artifacts as art
from zlint.model import releases
from zlint.model.invocations import Invocation, PipelineAnalysis
from zlint.model.output_names import Output
from zlint.rules import _messages as msg
from zlint.rules.base import Rule

if TYPE_CHECKING:
    from zlint.rules.base import RuleContext


class MissingNameSubstitution(Rule):
    """## What it does
    Finds a `{placeholder}` in a step's output name (other than `{date}` and `{time}`) that
    no substitution fills when a pipeline calls the step. Substitutions come from
    `with_options(substitutions=...)` on the call, `@step(substitutions=...)`,
    `step.configure(substitutions=...)`, or `@pipeline(substitutions=...)`.

    ## Why is this bad?
    ZenML compiles and starts the pipeline without complaint, then fails the step when it
    stores the output: `KeyError: Could not format the name template {split}_data. Missing
    key: 'split'`. A step parameter of the same name does not fill the placeholder:
    parameters are never used as substitutions.

    zlint stays quiet when the pipeline may be given substitutions where it cannot see
    them: a `.with_options(...)` or `.configure(...)` call on the pipeline anywhere in the
    project, or a YAML run configuration that sets `substitutions` or `enable_cache`.

    ## Example
    ```python
    from typing import Annotated

    from zenml import pipeline, step


    @step
    def split_rows(rows: list, part: str) -> Annotated[list, "{part}_rows"]:
        return rows


    @pipeline
    def splitting():
        split_rows([1, 2], part="train")
    ```

    ## Use instead
    ```python
    from typing import Annotated

    from zenml import pipeline, step


    @step
    def split_rows(rows: list, part: str) -> Annotated[list, "{part}_rows"]:
        return rows


    @pipeline
    def splitting():
        split_rows.with_options(substitutions={"part": "train"})([1, 2], part="train")
    ```

    ## ZenML versions
    From 0.71.0, where ZenML fills placeholders. Before, the name keeps its braces and the
    step runs: when every release the project admits comes before 0.71.0 this rule is quiet and
    repeated calls of the step are ZL001's collisions. For a range across 0.71.0 the message
    names the releases that fail, and suggests a name without placeholders when some admitted
    release has no `substitutions=` (0.71.0).

    ## Fix safety
    No automatic fix: the right value is the author's choice.
    """

    code = "ZL005"
    name = "missing-name-substitution"
    summary = "Placeholder in an artifact name has no substitution"

    def check(self, ctx: RuleContext) -> None:
        if not ctx.target.any(releases.PLACEHOLDERS_FILLED):
            return  # placeholders stay as written: a fixed name, ZL001's case
        reported: set[int] = set()
        for analysis in ctx.analyses:
            if analysis.reconfigured:
                continue  # substitutions may come from where zlint cannot read them
            for invocation, output, keys in _missing(analysis):
                if id(output.node) in reported:
                    continue
                reported.add(id(output.node))
                node = output.name_node or output.node
                assert node is not None
                message = self._message(analysis, invocation, output, keys, ctx)
                ctx.report((invocation.step.module, node), message)

    def _message(
        self,
        analysis: PipelineAnalysis,
        invocation: Invocation,
        output: Output,
        keys: list[str],
        ctx: RuleContext,
    ) -> str:
        where = f"pipeline `{analysis.pipeline.name}` calls step `{invocation.step.name}`"
        line = ctx.line(invocation.site)
        placeholders = ", ".join(f"`{{{key}}}`" for key in keys)
        plural = "s" if len(keys) > 1 else ""
        example = ", ".join(f'"{key}": ...' for key in keys)
        fails = msg.only_on(ctx.target, releases.PLACEHOLDERS_FILLED)
        if ctx.target.all(releases.SUBSTITUTIONS):
            remedy = (
                f"pass `with_options(substitutions={{{example}}})` on the call, or set it on "
                "`@step` or `@pipeline`"
            )
        else:
            lacking = msg.missing(ctx.target, releases.SUBSTITUTIONS, "`substitutions=`")
            remedy = f"name the output without placeholders ({lacking})"
        text = (
            f"Placeholder{plural} {placeholders} in artifact name `{output.custom_name}` "
            f"{'have' if plural else 'has'} no value when {where} (line {line}): the step fails "
            f"with KeyError when it stores the output{fails}; {remedy}"
        )
        shadowing = [key for key in keys if invocation.step.param(key) is not None]
        if shadowing:
            names = ", ".join(f"`{key}`" for key in shadowing)
            text += f" (a step parameter named {names} does not fill it)"
        return text


def _missing(analysis: PipelineAnalysis) -> Iterator[tuple[Invocation, Output, list[str]]]:
    for invocation in analysis.invocations:
        for output in invocation.step.outputs:
            keys = art.missing_placeholders(analysis, invocation, output)
            if keys:
                yield invocation, output, keys
