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
_POLICY_REMEDY = (
    "keep the parameters in the cache key (drop `include_step_parameters=False`), or turn "
    "caching off for this step with `enable_cache=False`"
)


class CacheMergedCalls(Rule):
    """## What it does
    Finds a step that one pipeline invokes more than once with provably identical inputs
    and parameter values while caching is on: the same upstream outputs, the same literals,
    the same pipeline parameters, or a loop whose iterations pass nothing that changes.
    Under a cache policy that leaves the parameters out
    (`CachePolicy(include_step_parameters=False)`), calls that differ only in parameters
    count as identical.

    ## Why is this bad?
    Caching is on unless `enable_cache=False` is set on the call's `with_options`, on the
    step (its decorator, or a `my_step.configure(enable_cache=False)` that runs when the
    project is imported), or on the pipeline. ZenML's cache key covers the step's source,
    its parameters (unless the step's `cache_policy` leaves them out) and its input
    artifacts, but not the invocation id, the name substitutions or the order of calls.
    The later call is therefore not run at all: it is served from the first call's cache
    entry and its output *is* the first call's artifact version. A different `id=` or a
    different `with_options(substitutions=...)` does not change this; with substitutions
    the second name is never even created. Turning caching off for the *first* call
    (`with_options(enable_cache=False)`) does not protect the next one either: ZenML
    stores every call's cache key, so the later call, cached, is served from it (the
    order is the order of invocation ids, as text). Anything the step does that is not a
    pure function of its inputs (sampling, training with a random seed, reading the
    clock) silently happens only once.

    Only calls zlint can prove merged are reported: an argument it cannot evaluate
    counts as different, and a cache policy it cannot read or a `configure()` that may
    not run before the pipeline (one in a function, under an `if`, or in a module the
    pipeline does not import) keeps it quiet. A pipeline's own `cache_policy` does not
    reach its steps in ZenML 0.98.

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
            shared, remedy = _shared(invocation, invocation)
            what = f"passes {shared} each time"
            return (
                f"{msg.repeated_here(invocation, what)}; "
                f"every repetition after the first is served from the cache "
                f"and returns the first one's artifact: {remedy}"
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
        shared, remedy = _shared(first, invocation)
        return (
            f"{msg.called_again(invocation, first, line, f'passes {shared}')}"
            f"; ZenML serves it from the cache and it returns the first call's artifact: {remedy}"
        )


def _shared(first: Invocation, later: Invocation) -> tuple[str, str]:
    """What the calls (or the repetitions of one call) share, and the remedy: everything,
    or the inputs under a policy that leaves the parameters out of the cache key."""
    if first is later:
        differs = any(v.varies & first.repeating_loops for v in first.args.values())
    else:
        names = first.args.keys() | later.args.keys()
        differs = not all(first.arg(n).same_as(later.arg(n)) for n in names)
    if not differs:
        return "the same inputs and parameters", _REMEDY
    shared = (
        "the same inputs, and its cache policy (`include_step_parameters=False`) leaves "
        "the parameters out of the cache key"
    )
    return shared, _POLICY_REMEDY
