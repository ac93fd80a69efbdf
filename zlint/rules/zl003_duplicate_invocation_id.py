from __future__ import annotations

from typing import TYPE_CHECKING

from zlint.model.invocations import Invocation, PipelineAnalysis
from zlint.rules.base import Rule

if TYPE_CHECKING:
    from zlint.engine import RuleContext


class DuplicateInvocationId(Rule):
    """## What it does
    Finds step calls in one pipeline whose invocation ids clash: two calls with the same
    literal `id=`, an explicit `id=` equal to an id ZenML already gave an earlier call
    automatically (the step name, then `name_2`, `name_3`, ...), or a fixed `id=` on a call
    that runs several times in a loop.

    ## Why is this bad?
    ZenML suffixes automatic ids to keep them unique but never changes an explicit one, so a
    clash raises `RuntimeError: Duplicate invocation ID` while the pipeline compiles, before
    any step runs.

    ## Example
    ```python
    from zenml import pipeline, step


    @step
    def fetch(source: str) -> dict:
        return {"source": source}


    @pipeline
    def ingestion():
        fetch("shop", id="fetch_source")
        fetch("crm", id="fetch_source")
    ```

    ## Use instead
    ```python
    from zenml import pipeline, step


    @step
    def fetch(source: str) -> dict:
        return {"source": source}


    @pipeline
    def ingestion():
        fetch("shop", id="fetch_shop")
        fetch("crm", id="fetch_crm")
    ```

    ## Fix safety
    No automatic fix: ids may be referenced elsewhere (`after=`, run configuration files).
    """

    code = "ZL003"
    name = "duplicate-invocation-id"
    summary = "Two step calls in one pipeline get the same invocation id"

    def check(self, ctx: RuleContext) -> None:
        for analysis in ctx.analyses:
            for invocation, message in self.findings(analysis, ctx):
                ctx.report(invocation.site, message)

    def findings(
        self, analysis: PipelineAnalysis, ctx: RuleContext
    ) -> list[tuple[Invocation, str]]:
        taken: list[tuple[str, Invocation]] = []
        found: list[tuple[Invocation, str]] = []
        for invocation in analysis.invocations:
            explicit = invocation.explicit_id
            if explicit is None:
                # Calls in other arms of an if/else never run with this one: their ids
                # are free for it.
                visible = {i for i, other in taken if not other.exclusive_with(invocation)}
                for generated in _automatic_ids(invocation, visible):
                    taken.append((generated, invocation))
                continue
            if not isinstance(explicit.literal, str):
                continue  # a computed id: unknown until the pipeline compiles
            clash = _clash(explicit.literal, invocation, taken)
            if clash is not None and clash.call is invocation.call:
                found.append((invocation, _fixed_in_loop(explicit.literal)))
            elif clash is not None:
                how = "automatically" if clash.explicit_id is None else "explicitly"
                found.append(
                    (
                        invocation,
                        (
                            f"Invocation id `{explicit.literal}` is already used by the call at line "
                            f"{ctx.line(clash.site)} (given {how}); ZenML raises `RuntimeError: "
                            "Duplicate invocation ID` when the pipeline compiles"
                        ),
                    )
                )
            elif invocation.repeats:
                found.append((invocation, _fixed_in_loop(explicit.literal)))
            taken.append((explicit.literal, invocation))
        return found


def _fixed_in_loop(identifier: str) -> str:
    return (
        f"Invocation id `{identifier}` is fixed, but this call runs several times; the second "
        "run raises `RuntimeError: Duplicate invocation ID`: build the id from the loop variable"
    )


def _clash(
    identifier: str, invocation: Invocation, taken: list[tuple[str, Invocation]]
) -> Invocation | None:
    for other_id, other in taken:
        if other_id == identifier and not other.exclusive_with(invocation):
            return other
    return None


def _automatic_ids(invocation: Invocation, taken: set[str]) -> list[str]:
    """The ids ZenML gives a call without ``id=``: the step name, suffixed until unique."""
    count = 1
    for loop in invocation.loops:
        if loop.count is not None:
            count *= loop.count
    ids: list[str] = []
    base = invocation.step.name
    suffix = 1
    while len(ids) < count:
        candidate = base if suffix == 1 else f"{base}_{suffix}"
        if candidate not in taken:
            ids.append(candidate)
            taken = taken | {candidate}
        suffix += 1
    return ids
