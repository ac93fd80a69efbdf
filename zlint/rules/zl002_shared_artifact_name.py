from __future__ import annotations

from typing import TYPE_CHECKING

from zlint.model.definitions import Output
from zlint.model.invocations import Invocation, PipelineAnalysis
from zlint.rules import _artifacts as art
from zlint.rules import _messages as msg
from zlint.rules.base import Rule

if TYPE_CHECKING:
    from zlint.engine import RuleContext


class SharedArtifactName(Rule):
    """## What it does
    Finds two different steps in one pipeline whose outputs have the same fixed custom name.

    ## Why is this bad?
    An artifact name is global in ZenML: both steps write versions of one artifact, even when
    the data types differ (a `dict` as version 1, a `list` as version 2). ZenML gives no error
    or warning. Anything that loads the artifact by name, such as the latest version in a
    later pipeline, gets whichever step happened to run last.

    ## Example
    ```python
    from typing import Annotated

    from zenml import pipeline, step


    @step
    def count_rows(rows: list) -> Annotated[int, "summary"]:
        return len(rows)


    @step
    def describe_rows(rows: list) -> Annotated[str, "summary"]:
        return f"{len(rows)} rows"


    @pipeline
    def reporting():
        rows = [1, 2, 3]
        count_rows(rows)
        describe_rows(rows)
    ```

    ## Use instead
    ```python
    from typing import Annotated

    from zenml import pipeline, step


    @step
    def count_rows(rows: list) -> Annotated[int, "row_count"]:
        return len(rows)


    @step
    def describe_rows(rows: list) -> Annotated[str, "row_description"]:
        return f"{len(rows)} rows"


    @pipeline
    def reporting():
        rows = [1, 2, 3]
        count_rows(rows)
        describe_rows(rows)
    ```

    ## Fix safety
    No automatic fix: choosing the new name is a decision about the project's artifacts.
    """

    code = "ZL002"
    name = "shared-artifact-name"
    summary = "Two different steps in one pipeline write the same artifact name"

    def check(self, ctx: RuleContext) -> None:
        for analysis in ctx.analyses:
            reported: set[int] = set()
            for index, invocation in enumerate(analysis.invocations):
                message = self._message(analysis, invocation, analysis.invocations[:index], ctx)
                if message is not None and id(invocation.site.node) not in reported:
                    reported.add(id(invocation.site.node))
                    ctx.report(invocation.site, message)

    def _message(
        self,
        analysis: PipelineAnalysis,
        invocation: Invocation,
        earlier: list[Invocation],
        ctx: RuleContext,
    ) -> str | None:
        for output in invocation.step.outputs:
            text = _static_name(analysis, invocation, output)
            if text is None:
                continue
            for other in earlier:
                if (
                    other.step is invocation.step
                    or other.exclusive_with(invocation)
                    # Later iterations repeat what the first one already reported (unless one
                    # call runs a different step per iteration: `for t in [a, b]: t(x)`).
                    or (other.call is not invocation.call and _other_iteration(other, invocation))
                ):
                    continue
                if text in _static_names(analysis, other):
                    return (
                        f"{msg.step_label(invocation)} writes artifact `{text}`, which step "
                        f"`{other.step.name}` (line {ctx.line(other.site)}) also writes; "
                        "both become versions of one artifact: give each output its own name"
                    )
        return None


def _static_name(analysis: PipelineAnalysis, invocation: Invocation, output: Output) -> str | None:
    name = art.resolve(analysis, invocation, output)
    return art.static_text(name.parts) if name is not None else None


def _static_names(analysis: PipelineAnalysis, invocation: Invocation) -> set[str]:
    found = (_static_name(analysis, invocation, output) for output in invocation.step.outputs)
    return {name for name in found if name is not None}


def _other_iteration(first: Invocation, later: Invocation) -> bool:
    """Whether the two calls run in different iterations of one unrolled loop."""
    indexes = dict(first.iteration)
    return any(loop in indexes and indexes[loop] != index for loop, index in later.iteration)
