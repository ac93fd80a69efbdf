from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable
from typing import TYPE_CHECKING

from zlint.model import artifacts as art
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

    ## ZenML versions
    Every release from 0.43.0 serves identical calls from the cache, also when their `id=`
    differs.

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
            # The earlier calls with caching on, by their arguments: each call is compared
            # with those the cache could merge it with, not with every earlier call.
            cached: dict[Hashable, list[Invocation]] = defaultdict(list)
            for index, invocation in enumerate(group):
                message = self._message(invocation, group[:index], cached, analysis, ctx)
                if message is not None:
                    found.append((invocation, message))
                key = invocation.arguments_key()
                if key is not None and art.caching_on(invocation, analysis):
                    cached[key].append(invocation)
        return found

    def _message(
        self,
        invocation: Invocation,
        earlier: list[Invocation],
        cached: dict[Hashable, list[Invocation]],
        analysis: PipelineAnalysis,
        ctx: RuleContext,
    ) -> str | None:
        if invocation.repeats and art.cache_merged_across_iterations(invocation, analysis):
            what = "passes the same inputs and parameters each time"
            return (
                f"{msg.repeated_here(invocation, what)}; "
                f"every repetition after the first is served from the cache "
                f"and returns the first one's artifact: {_REMEDY}"
            )
        if not art.caching_on(invocation, analysis):
            return None
        key = invocation.arguments_key()
        candidates = earlier if key is None else cached.get(key, [])
        first = next(
            (
                other
                for other in candidates
                if not other.exclusive_with(invocation)
                and art.cache_merged(other, invocation, analysis)
            ),
            None,
        )
        if first is None:
            return None
        line = ctx.line(first.site)
        what = "passes the same inputs and parameters"
        return (
            f"{msg.called_again(invocation, first, line, what)}"
            "; ZenML serves it from the cache and it returns the first "
            f"call's artifact: {_REMEDY}"
        )
