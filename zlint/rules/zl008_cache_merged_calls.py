from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable
from typing import TYPE_CHECKING

from zlint.model import caching
from zlint.model.invocations import Invocation, PipelineAnalysis
from zlint.rules import _messages as msg
from zlint.rules.base import Rule

if TYPE_CHECKING:
    from zlint.rules.base import RuleContext

_REMEDY = (
    "pass a parameter that differs between the calls, or turn caching off for this step "
    "with `enable_cache=False`"
)


class CacheMergedCalls(Rule):
    """## What it does
    Finds a step that one pipeline invokes more than once with provably identical inputs
    and parameter values while caching is on: the same upstream outputs, the same literals,
    the same pipeline parameters, or a loop whose iterations pass nothing that changes.

    ## Why is this bad?
    Caching is on unless `enable_cache=False` is set on the step, on the call's
    `with_options`, or on the pipeline. ZenML's cache key covers the step's source, its
    parameters and its input artifacts, but not the invocation id, the name substitutions or
    the order of calls. The later call is therefore not run at all: it is served from the
    first call's cache entry and its output *is* the first call's artifact version. A
    different `id=` or a different `with_options(substitutions=...)` does not change this;
    with substitutions the second name is never even created. Anything the step does that
    is not a pure function of its inputs (sampling, training with a random seed, reading
    the clock) silently happens only once.

    Only calls zlint can prove identical are reported; any argument it cannot evaluate
    counts as different.

    ## Example
    ```python
    from zenml import pipeline, step


    @step
    def sample_rows(rows: list) -> list:
        return rows[:2]


    @pipeline
    def sampling():
        rows = [1, 2, 3]
        first = sample_rows(rows)
        second = sample_rows(rows)
    ```

    ## Use instead
    ```python
    from zenml import pipeline, step


    @step(enable_cache=False)
    def sample_rows(rows: list) -> list:
        return rows[:2]


    @pipeline
    def sampling():
        rows = [1, 2, 3]
        first = sample_rows(rows)
        second = sample_rows(rows)
    ```

    ## Fix safety
    No automatic fix yet.
    """

    code = "ZL008"
    name = "cache-merged-calls"
    summary = "Repeated step calls with identical inputs are merged by the cache"

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
            # The earlier calls by what their cache keys may hold: each call is compared
            # with those the cache could merge it with, not with every earlier call.
            by_key: dict[Hashable, list[Invocation]] = defaultdict(list)
            for index, invocation in enumerate(group):
                key = caching.grouping_key(invocation, analysis)
                candidates = group[:index] if key is None else by_key[key]
                message = self._message(invocation, candidates, analysis, ctx)
                if message is not None:
                    found.append((invocation, message))
                if key is not None:
                    by_key[key].append(invocation)
        return found

    def _message(
        self,
        invocation: Invocation,
        candidates: list[Invocation],
        analysis: PipelineAnalysis,
        ctx: RuleContext,
    ) -> str | None:
        if invocation.repeats:
            if caching.merged_across_iterations(invocation, analysis) is not True:
                return None
            what = f"passes {_same(invocation, invocation)} each time"
            return (
                f"{msg.repeated_here(invocation, what)}; "
                f"every repetition after the first is served from the cache "
                f"and returns the first one's artifact: {_REMEDY}"
            )
        first = next(
            (
                other
                for other in candidates
                if not other.exclusive_with(invocation)
                and caching.merged(other, invocation, analysis) is True
            ),
            None,
        )
        if first is None:
            return None
        line = ctx.line(first.site)
        what = f"passes {_same(first, invocation)}"
        return (
            f"{msg.called_again(invocation, first, line, what)}"
            "; ZenML serves it from the cache and it returns the first "
            f"call's artifact: {_REMEDY}"
        )


def _same(first: Invocation, later: Invocation) -> str:
    """What the calls (or the repetitions of one call) share: everything, or the inputs
    under a policy that leaves the parameters out of the cache key."""
    if first is later:
        differs = any(v.varies & first.repeating_loops for v in first.args.values())
    else:
        names = first.args.keys() | later.args.keys()
        differs = not all(first.arg(n).same_as(later.arg(n)) for n in names)
    if not differs:
        return "the same inputs and parameters"
    return (
        "the same inputs, and its cache policy (`include_step_parameters=False`) leaves "
        "the parameters out of the cache key"
    )
