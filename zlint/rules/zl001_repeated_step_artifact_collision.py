from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING

from zlint.model.definitions import Output, PipelineDef
from zlint.model.invocations import Invocation, PipelineAnalysis
from zlint.rules import _artifacts as art
from zlint.rules import _messages as msg
from zlint.rules.base import Rule

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
    No automatic fix yet.
    """

    code = "ZL001"
    name = "repeated-step-artifact-collision"
    summary = "Step with a fixed artifact name is invoked repeatedly and the versions cannot be told apart"

    def check(self, ctx: RuleContext) -> None:
        for analysis in ctx.analyses:
            for invocation, message in self.findings(analysis, ctx):
                ctx.report(invocation.site, message)

    def findings(
        self, analysis: PipelineAnalysis, ctx: RuleContext
    ) -> list[tuple[Invocation, str]]:
        groups: dict[int, list[Invocation]] = defaultdict(list)
        for invocation in analysis.invocations:
            groups[id(invocation.step)].append(invocation)
        found: list[tuple[Invocation, str]] = []
        for group in groups.values():
            for index, invocation in enumerate(group):
                message = self._message(invocation, group[:index], analysis.pipeline, ctx)
                if message is not None:
                    found.append((invocation, message))
        return _one_per_site(sorted(found, key=lambda pair: pair[0].index))

    def _message(
        self,
        invocation: Invocation,
        earlier: list[Invocation],
        pipeline: PipelineDef,
        ctx: RuleContext,
    ) -> str | None:
        repeated: list[str] = []
        again: list[str] = []
        first_other: Invocation | None = None
        for output in invocation.step.outputs:
            name = art.resolved_name(invocation, output)
            if name is None:
                continue
            if invocation.repeats and not (
                art.told_apart_across_iterations(invocation, output, name)
                # Identical repetitions are cached and write nothing new (a cache problem).
                or art.cache_merged_across_iterations(invocation, pipeline)
            ):
                repeated.append(art.display(name))
                continue
            other = _colliding_earlier(invocation, earlier, output, name, pipeline)
            if other is not None:
                again.append(art.display(name))
                first_other = first_other or other
        if repeated:
            what = f"writes {_artifacts(repeated)}"
            return f"{msg.repeated_here(invocation, what)}; nothing tells the versions apart: {msg.REMEDY}"
        if first_other is not None:
            what = f"writes {_artifacts(again)} again"
            line = ctx.line(first_other.site)
            return f"{msg.called_again(invocation, first_other, line, what)}; nothing tells the versions apart: {msg.REMEDY}"
        return None


def _artifacts(names: list[str]) -> str:
    return f"artifact{'s' if len(names) > 1 else ''} {msg.quoted(names)}"


def _colliding_earlier(
    invocation: Invocation,
    earlier: list[Invocation],
    output: Output,
    name: tuple[art.NamePart, ...],
    pipeline: PipelineDef,
) -> Invocation | None:
    for other in earlier:
        other_name = art.resolved_name(other, output)
        if (
            other_name is not None
            and not other.exclusive_with(invocation)
            and art.same_name(name, other_name)
            and not art.told_apart(other, invocation, output)
            and not art.cache_merged(other, invocation, pipeline)
        ):
            return other
    return None


def _one_per_site(found: list[tuple[Invocation, str]]) -> list[tuple[Invocation, str]]:
    """A helper called again reports once, at the outer call, for all its colliding steps."""
    by_site: dict[int, tuple[Invocation, str]] = {}
    for invocation, message in found:
        key = id(invocation.site.node)
        if key in by_site:
            first, text = by_site[key]
            by_site[key] = (first, text) if message in text else (first, f"{text}; {message}")
        else:
            by_site[key] = (invocation, message)
    return list(by_site.values())
