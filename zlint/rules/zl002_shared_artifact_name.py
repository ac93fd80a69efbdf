from __future__ import annotations

from typing import TYPE_CHECKING

from zlint.model import artifacts as art
from zlint.model import releases
from zlint.model.invocations import Invocation, PipelineAnalysis
from zlint.model.output_names import Output
from zlint.rules import _messages as msg
from zlint.rules.base import Rule

if TYPE_CHECKING:
    from zlint.rules.base import RuleContext


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

    ## ZenML versions
    Every release. A templated name is read as ZL001 reads it (with its braces before 0.71.0),
    and `ArtifactConfig(name=...)` names outputs from 0.50.0.

    ## Fix safety
    No automatic fix: choosing the new name is a decision about the project's artifacts.
    """

    code = "ZL002"
    name = "shared-artifact-name"
    summary = "Two different steps in one pipeline write the same artifact name"

    def check(self, ctx: RuleContext) -> None:
        filled = ctx.target.any(releases.PLACEHOLDERS_FILLED)
        for analysis in ctx.analyses:
            reported: set[int] = set()
            # name -> id(step) -> the earlier calls of that step that write the name: each
            # call is compared with the calls of other steps writing its names, not all.
            writers: dict[str, dict[int, list[Invocation]]] = {}
            for invocation in analysis.invocations:
                names = _static_names(analysis, invocation, filled)
                message = self._message(invocation, names, writers, ctx)
                if message is not None and id(invocation.site.node) not in reported:
                    reported.add(id(invocation.site.node))
                    ctx.report(invocation.site, message)
                for name in dict.fromkeys(names):
                    by_step = writers.setdefault(name, {})
                    by_step.setdefault(id(invocation.step), []).append(invocation)

    def _message(
        self,
        invocation: Invocation,
        names: list[str],
        writers: dict[str, dict[int, list[Invocation]]],
        ctx: RuleContext,
    ) -> str | None:
        for text in names:
            other = _first_other_writer(invocation, writers.get(text, {}))
            if other is not None:
                return (
                    f"{msg.step_label(invocation)} writes artifact `{text}`, which step "
                    f"`{other.step.name}` (line {ctx.line(other.site)}) also writes; "
                    "both become versions of one artifact: give each output its own name"
                )
        return None


def _first_other_writer(
    invocation: Invocation, by_step: dict[int, list[Invocation]]
) -> Invocation | None:
    """The earliest call of another step (among those writing one name) that can run in
    the same pipeline run as ``invocation``."""
    found: Invocation | None = None
    for step, calls in by_step.items():
        if step == id(invocation.step):
            continue
        for other in calls:
            if found is not None and other.index > found.index:
                break
            if other.exclusive_with(invocation) or (
                # Later iterations repeat what the first one already reported (unless one
                # call runs a different step per iteration: `for t in [a, b]: t(x)`).
                other.call is not invocation.call and _other_iteration(other, invocation)
            ):
                continue
            found = other
            break
    return found


def _static_name(
    analysis: PipelineAnalysis, invocation: Invocation, output: Output, filled: bool
) -> str | None:
    name = art.resolve(analysis, invocation, output, filled=filled)
    return art.static_text(name.parts) if name is not None else None


def _static_names(analysis: PipelineAnalysis, invocation: Invocation, filled: bool) -> list[str]:
    """The fixed names the call writes, in the order of the step's outputs (``filled``:
    whether the target's ZenML fills placeholders; before 0.71.0 they stay as written)."""
    found = (
        _static_name(analysis, invocation, output, filled) for output in invocation.step.outputs
    )
    return [name for name in found if name is not None]


def _other_iteration(first: Invocation, later: Invocation) -> bool:
    """Whether the two calls run in different iterations of one unrolled loop."""
    indexes = dict(first.iteration)
    return any(loop in indexes and indexes[loop] != index for loop, index in later.iteration)
