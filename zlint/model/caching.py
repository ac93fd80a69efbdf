"""Whether ZenML's cache merges two calls of one step: the later-running call is served
from the earlier one's entry and returns its artifact, writing no version of its own.

What decides it (ZenML 0.98, verified by runs, see fixtures/caching and
fixtures/cache_facts):

- A call is looked up in the cache when caching is on for it: ``with_options(enable_cache=)``
  on the call, else the step's own setting (decorator, ``configure`` at import, see
  :mod:`zlint.model.step_configs`), else the pipeline decorator's; on by default.
- Every call's cache key is computed and stored, caching on or off. So a call with caching
  on is served from an identical call that ran *before* it even when that one had caching
  off (``with_options(enable_cache=False)`` on the first call does not protect the next
  plain one), but a call with caching off always runs.
- The key covers the step, its input artifacts and, unless the policy says
  ``include_step_parameters=False``, its parameters. Under such a policy, calls that
  differ only in parameters are merged. A pipeline's ``cache_policy`` does not reach its
  steps (they keep the default policy). Two calls under different policies are not
  compared here.
- Identical calls run in one topological layer, in the order of their invocation ids as
  text (a dynamic pipeline runs them in call order); ``after=`` changes the layers.

Each answer is True, False, or :data:`~zlint.model.invocations.UNKNOWN`: a rule that
reports a merge needs True, one that reports two versions needs False.
"""

from __future__ import annotations

from collections.abc import Hashable

from zlint.model import cst_utils
from zlint.model.invocation_ids import assign_ids
from zlint.model.invocations import (
    DEFAULT_POLICY,
    UNKNOWN,
    Invocation,
    PipelineAnalysis,
    Policy,
    StepCaching,
    Unknown,
    Value,
)

Answer = bool | Unknown
#: Stands for every parameter value in a grouping key when parameters leave the key.
_ANY_PARAMETER = ("any-parameter",)


def enabled(invocation: Invocation, analysis: PipelineAnalysis) -> Answer:
    """Whether ZenML looks this call up in the cache. The closest setting decides: the
    call's ``with_options``, the step's own, the pipeline's. ``.submit()`` calls run
    alongside each other and are not merged; a pipeline configured at run time where
    zlint cannot read it counts as not cached, as before."""
    if invocation.concurrent or analysis.reconfigured:
        # Reconfigured where zlint cannot read it (`p.with_options(enable_cache=False)()`,
        # a YAML run configuration): what projects do there is turn caching off.
        return False
    step = analysis.step_caching.get(id(invocation.step), StepCaching())
    for setting in (invocation.obj.enable_cache, step.enable, analysis.pipeline_cache):
        if setting is not None:
            return setting
    return True


def policy(invocation: Invocation, analysis: PipelineAnalysis) -> Policy | Unknown:
    """The cache policy of this call: ``with_options``, else the step's, else the default
    (a pipeline-level ``cache_policy`` does not reach the steps in ZenML 0.98)."""
    step = analysis.step_caching.get(id(invocation.step), StepCaching())
    for setting in (invocation.obj.cache_policy, step.policy):
        if setting is not None:
            return setting
    return DEFAULT_POLICY


def keys_equal(first: Invocation, later: Invocation, analysis: PipelineAnalysis) -> Answer:
    """Whether the two calls have one cache key: provably equal inputs, and parameters
    equal or left out of the key. A value zlint cannot compare counts as different (as
    for any argument), except under a policy that leaves parameters out, where only an
    artifact is known to count."""
    first_policy, later_policy = policy(first, analysis), policy(later, analysis)
    if isinstance(first_policy, Unknown) or isinstance(later_policy, Unknown):
        return UNKNOWN
    if first_policy != later_policy:
        return UNKNOWN  # keys hash different things; equal only when nothing differs
    answer: Answer = True
    for name in first.args.keys() | later.args.keys():
        a, b = first.arg(name), later.arg(name)
        if a.same_as(b):
            continue
        if first_policy.include_parameters or is_artifact(a) or is_artifact(b):
            return False
        if not (is_parameter(a) and is_parameter(b)):
            answer = UNKNOWN
    return answer


def merged(first: Invocation, later: Invocation, analysis: PipelineAnalysis) -> Answer:
    """Whether the cache merges the two calls (one run, one artifact), whichever runs
    first. Calls in exclusive branches or loops are the caller's concern."""
    keys = keys_equal(first, later, analysis)
    if keys is False:
        return False
    on_first, on_later = enabled(first, analysis), enabled(later, analysis)
    if on_first is False and on_later is False:
        return False
    if first.concurrent or later.concurrent or isinstance(keys, Unknown):
        return UNKNOWN
    if on_first is True and on_later is True:
        return True
    order = runs_first(first, later, analysis)
    if isinstance(order, Unknown):
        return UNKNOWN
    return on_later if order else on_first  # the one running second is the one served


def merged_across_iterations(invocation: Invocation, analysis: PipelineAnalysis) -> Answer:
    """Whether every repetition of one call site (a loop, ``.map()``) after the first is
    served from the cache: nothing it passes changes between them, or only parameters
    that the policy leaves out of the key."""
    on = enabled(invocation, analysis)
    if on is False:
        return False
    loops = invocation.repeating_loops
    varying = [v for v in invocation.args.values() if v.varies & loops]
    keys: Answer = True
    if varying:
        call_policy = policy(invocation, analysis)
        if isinstance(call_policy, Unknown):
            keys = UNKNOWN
        elif call_policy.include_parameters or any(is_artifact(v) for v in varying):
            keys = False
        elif not all(is_parameter(v) for v in varying):
            keys = UNKNOWN
    if keys is False:
        return False
    return UNKNOWN if isinstance(keys, Unknown) or isinstance(on, Unknown) else True


def runs_first(first: Invocation, later: Invocation, analysis: PipelineAnalysis) -> Answer:
    """Whether ``first`` runs before ``later``, two calls with one cache key. A dynamic
    pipeline runs calls as its body reaches them. A static one runs them in one layer
    (their inputs are the same steps' outputs), sorted by invocation id as text, unless
    ``after=`` adds an edge."""
    if analysis.pipeline.is_dynamic:
        return first.index < later.index
    if any(_orders(invocation) for invocation in (first, later)):
        return UNKNOWN
    ids = _invocation_ids(analysis)
    first_ids, later_ids = ids.get(id(first), []), ids.get(id(later), [])
    if len(first_ids) != 1 or len(later_ids) != 1:
        return UNKNOWN
    return first_ids[0] < later_ids[0]


def _orders(invocation: Invocation) -> bool:
    return any(
        cst_utils.keyword(invocation.call, word) is not None for word in ("after", "start_after")
    )


def _invocation_ids(analysis: PipelineAnalysis) -> dict[int, list[str]]:
    """Each call's invocation ids (one per run of it; an explicit id zlint cannot read
    gives none), computed once per number of calls walked."""
    count = len(analysis.invocations)
    if analysis.ids is not None and analysis.ids[0] == count:
        return analysis.ids[1]
    found: dict[int, list[str]] = {}
    assignment = assign_ids(analysis)
    for identifier, invocation in assignment.automatic:
        found.setdefault(id(invocation), []).append(identifier)
    for invocation in analysis.invocations:
        explicit = invocation.explicit_id
        if explicit is not None and isinstance(explicit.literal, str):
            found.setdefault(id(invocation), []).append(explicit.literal)
    analysis.ids = (count, found)
    return found


def grouping_key(invocation: Invocation, analysis: PipelineAnalysis) -> Hashable | None:
    """Equal for two calls whose cache keys :func:`keys_equal` may find equal, so calls
    are compared within groups, not pairwise; None when a value cannot be hashed."""
    call_policy = policy(invocation, analysis)
    if isinstance(call_policy, Unknown):
        return ("unknown-policy", id(invocation))
    try:
        return (
            call_policy,
            frozenset(
                (name, _ANY_PARAMETER if _left_out(value, call_policy) else value.key)
                for name, value in invocation.args.items()
            ),
        )
    except TypeError:
        return None


def _left_out(value: Value, call_policy: Policy) -> bool:
    return not call_policy.include_parameters and is_parameter(value)


def is_artifact(value: Value) -> bool:
    """Whether ``value`` may be a step's output (an artifact input of the step it is passed
    to) rather than a parameter: an artifact's content is unknown here, so two of them are
    never known to differ, and it may not even be storable as metadata."""
    return holds_kind(value.key, ("output", "mapped"))


def is_parameter(value: Value) -> bool:
    """Whether ``value`` is surely a parameter, not an artifact: a literal, a pipeline
    parameter, or a collection written out of those."""
    return _parameter_key(value.key)


def _parameter_key(key: object) -> bool:
    if not isinstance(key, tuple) or not key:
        return False
    if key[0] in ("lit", "param"):
        return True
    if key[0] == "expr" and len(key) == 3 and isinstance(key[2], tuple):
        return all(_parameter_key(part) for part in key[2])
    return False


def holds_kind(key: object, kinds: tuple[str, ...]) -> bool:
    if not isinstance(key, tuple):
        return False
    if key and key[0] in kinds:
        return True
    return any(holds_kind(part, kinds) for part in key)
