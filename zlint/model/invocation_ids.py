"""Invocation ids as ZenML assigns them (``compute_invocation_id``): the step's name, then
``_2``, ``_3``, ... until unique; an explicit ``id=`` is never suffixed, so a second use is a
``Duplicate invocation ID`` error when the pipeline compiles."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from zlint.model.invocations import Invocation, PipelineAnalysis

#: An id a fix would give a call: one string for every run of the call, or a function of
#: the run (an f-string over loop variables) that returns None where zlint cannot tell.
IdOverride = str | Callable[[Invocation], str | None]


@dataclass(frozen=True)
class Clash:
    invocation: Invocation
    identifier: str
    #: The earlier call with that id; None when the call itself runs several times.
    earlier: Invocation | None


@dataclass
class IdAssignment:
    """The invocation ids of one pipeline's calls, as ZenML gives them in call order."""

    automatic: list[tuple[str, Invocation]] = field(default_factory=list)
    clashes: list[Clash] = field(default_factory=list)
    #: Calls whose explicit id zlint cannot read.
    unknown: list[Invocation] = field(default_factory=list)


def assign_ids(
    analysis: PipelineAnalysis, overrides: Mapping[int, IdOverride] | None = None
) -> IdAssignment:
    """``overrides`` (``id(call node)`` -> id) gives calls the ids a fix would write."""
    overrides = overrides or {}
    taken = _Taken()
    result = IdAssignment()
    for invocation in analysis.invocations:
        explicit, identifier = _explicit(invocation, overrides)
        if not explicit:
            for generated in _automatic_ids(invocation, taken):
                taken.add(generated, invocation)
                result.automatic.append((generated, invocation))
            continue
        if identifier is None:
            result.unknown.append(invocation)  # a computed id: unknown until it compiles
            continue
        clash = taken.holder(identifier, invocation)
        if clash is not None and clash.call is not invocation.call:
            result.clashes.append(Clash(invocation, identifier, clash))
        elif clash is not None or invocation.repeats:
            result.clashes.append(Clash(invocation, identifier, None))
        taken.add(identifier, invocation)
    return result


class _Taken:
    """The ids given so far and the calls that have each, looked up by id (a pipeline with
    thousands of calls must not compare each call with all the others)."""

    def __init__(self) -> None:
        self._calls: dict[str, list[Invocation]] = {}
        #: Step name -> how many of its ids (``name``, ``name_2``, ...) from the first on are
        #: held by calls outside any if/else, so no call can have them: searches start after.
        self._full: dict[str, int] = {}

    def add(self, identifier: str, invocation: Invocation) -> None:
        self._calls.setdefault(identifier, []).append(invocation)

    def holder(self, identifier: str, invocation: Invocation) -> Invocation | None:
        """The first call with ``identifier`` that can run with ``invocation``: calls in
        other arms of an if/else never run with it, so their ids are free for it."""
        calls = self._calls.get(identifier, ())
        return next((other for other in calls if not other.exclusive_with(invocation)), None)

    def first_open_suffix(self, base: str) -> int:
        suffix = self._full.get(base, 0)
        while any(not other.branches for other in self._calls.get(_numbered(base, suffix + 1), ())):
            suffix += 1
        self._full[base] = suffix
        return suffix + 1


def _numbered(base: str, suffix: int) -> str:
    return base if suffix == 1 else f"{base}_{suffix}"


def _explicit(
    invocation: Invocation, overrides: Mapping[int, IdOverride]
) -> tuple[bool, str | None]:
    """Whether the call has an explicit id, and its value when zlint knows it."""
    override = overrides.get(id(invocation.call))
    if override is not None:
        return True, override if isinstance(override, str) else override(invocation)
    explicit = invocation.explicit_id
    if explicit is None:
        return False, None
    return True, explicit.literal if isinstance(explicit.literal, str) else None


def _automatic_ids(invocation: Invocation, taken: _Taken) -> list[str]:
    """The ids ZenML gives a call without ``id=``: the step name, suffixed until unique."""
    count = 1
    for loop in invocation.loops:
        if loop.count is not None:
            count *= loop.count
    ids: list[str] = []
    base = invocation.step.name
    suffix = taken.first_open_suffix(base)
    while len(ids) < count:
        candidate = _numbered(base, suffix)
        if candidate not in ids and taken.holder(candidate, invocation) is None:
            ids.append(candidate)
        suffix += 1
    return ids
