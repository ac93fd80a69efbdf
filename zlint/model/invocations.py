"""The data a pipeline body turns into: symbolic values, loops and step invocations."""

from __future__ import annotations

import enum
import itertools
from collections.abc import Hashable
from dataclasses import dataclass, field

import libcst as cst

from zlint.model.definitions import PipelineDef, StepDef
from zlint.model.factories import Factory
from zlint.model.modules import ModuleInfo

_unique = itertools.count()


@dataclass(frozen=True)
class Value:
    """What an expression evaluates to when the pipeline is compiled, as far as zlint knows.

    Two values with the same ``key`` are provably equal. ``varies`` holds the loops over which
    the value changes from one iteration to the next.
    """

    key: tuple[object, ...]
    varies: frozenset[int] = frozenset()
    literal: object = None
    has_literal: bool = False

    @classmethod
    def of_literal(cls, value: object) -> Value:
        return cls(("lit", type(value).__name__, value), literal=value, has_literal=True)

    @classmethod
    def unknown(cls, varies: frozenset[int] = frozenset()) -> Value:
        """A value zlint cannot reason about: equal to nothing but itself."""
        return cls(("unknown", next(_unique)), varies)

    def same_as(self, other: Value) -> bool:
        return self.key == other.key


class Unknown(enum.Enum):
    """A setting zlint cannot read (a value computed at run time, a custom cache policy)."""

    UNKNOWN = "unknown"


UNKNOWN = Unknown.UNKNOWN
#: ``enable_cache`` as one level of configuration sets it: on, off, not set (None), unknown.
Flag = bool | None | Unknown


@dataclass(frozen=True)
class Policy:
    """What a ``CachePolicy`` leaves in the cache key that can differ between two calls of
    one run: the step's parameters unless ``include_step_parameters=False``."""

    include_parameters: bool = True


DEFAULT_POLICY = Policy()
#: ``cache_policy`` as one level of configuration sets it (None: not set).
PolicySetting = Policy | None | Unknown


@dataclass(frozen=True)
class StepCaching:
    """A step's own cache settings in one pipeline: its decorator's, overridden by
    ``configure(...)`` calls that run when the project is imported."""

    enable: Flag = None
    policy: PolicySetting = None


@dataclass(frozen=True)
class Loop:
    """A ``for``/``while`` loop, a comprehension clause or a ``.map()`` fan-out."""

    id: int
    node: cst.CSTNode
    #: How many times it runs when the iterable is a literal, else None.
    count: int | None
    kind: str = "loop"

    @property
    def repeats(self) -> bool:
        return self.count is None or self.count >= 2


@dataclass(frozen=True, eq=False)
class StepObject:
    """A step as the pipeline body calls it: its definition plus per-object options."""

    step: StepDef
    substitutions: tuple[tuple[str, Value], ...] = ()
    parameters: tuple[tuple[str, Value], ...] = ()
    options: tuple[tuple[str, cst.BaseExpression], ...] = ()
    #: ``with_options(enable_cache=...)`` / ``with_options(cache_policy=...)``, as read.
    enable_cache: Flag = None
    cache_policy: PolicySetting = None

    def substitution(self, key: str) -> Value | None:
        """The per-call value of ``{key}``; a mapping zlint could not read ("*") may hold it."""
        return next((v for k, v in reversed(self.substitutions) if k in (key, "*")), None)


@dataclass(frozen=True)
class Site:
    """Where a finding about an invocation is reported: the outermost call in the pipeline."""

    module: ModuleInfo
    node: cst.CSTNode


@dataclass(eq=False)
class Invocation:
    index: int
    obj: StepObject
    site: Site
    call: cst.Call
    loops: tuple[Loop, ...]
    branches: tuple[tuple[int, int], ...]
    args: dict[str, Value]
    explicit_id: Value | None
    fanout: str | None = None  # "map" / "product" in dynamic pipelines
    #: ``.submit()`` in a dynamic pipeline: runs alongside identical calls, not from cache.
    concurrent: bool = False
    #: (loop node id, index) of the unrolled loop iterations this call runs in.
    iteration: tuple[tuple[int, int], ...] = ()
    via: tuple[str, ...] = ()  # helpers and sub-pipelines it was reached through
    #: ``"map"`` or ``"functools.partial"`` when the call that runs the step is not written
    #: as a call of it (its arguments are not all in ``call``).
    through: str | None = None

    @property
    def step(self) -> StepDef:
        return self.obj.step

    @property
    def repeating_loops(self) -> frozenset[int]:
        return frozenset(loop.id for loop in self.loops if loop.repeats)

    @property
    def repeats(self) -> bool:
        return bool(self.repeating_loops)

    def exclusive_with(self, other: Invocation) -> bool:
        """True when the two calls sit in different arms of one ``if``/``match``."""
        arms = dict(self.branches)
        return any(bid in arms and arms[bid] != arm for bid, arm in other.branches)

    def arguments_key(self) -> Hashable | None:
        """Equal for two calls exactly when their arguments are provably equal: the same
        names, each with a value ``same_as`` the other's. For grouping calls instead of
        comparing every pair; None when a value cannot be hashed (compare those pairwise)."""
        try:
            return frozenset((name, value.key) for name, value in self.args.items())
        except TypeError:
            return None

    def arg(self, name: str) -> Value:
        found = self.args.get(name)
        return found if found is not None else Value(("missing", id(self), name))


@dataclass(eq=False)
class PipelineAnalysis:
    pipeline: PipelineDef
    invocations: list[Invocation] = field(default_factory=list)
    #: id(StepDef) -> substitutions its ``configure(...)`` in the body sets for the whole run.
    configured: dict[int, dict[str, Value]] = field(default_factory=dict)
    #: The pipeline may get caching or substitutions where zlint cannot read them.
    reconfigured: bool = False
    #: Step factories called from the body (their steps cannot be loaded remotely).
    factory_calls: list[tuple[Site, Factory]] = field(default_factory=list)
    #: id(StepDef) -> the step's own cache settings (decorator, configure at import).
    step_caching: dict[int, StepCaching] = field(default_factory=dict)
    #: The pipeline decorator's ``enable_cache``, as read.
    pipeline_cache: Flag = None
    #: Invocation ids by ``len(invocations)`` when computed (see ``caching.runs_first``).
    ids: tuple[int, dict[int, list[str]]] | None = None
