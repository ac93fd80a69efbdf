"""The qualified names of the ZenML (and typing) objects zlint understands.

Every rule matches ZenML by these names, never by how a user spelled the import:
``import zenml as zn; @zn.step`` and ``from zenml.steps import step as s; @s`` both resolve
to one of the names below.

Each set lists every module path that was the same object in *any* known release (from
0.43.0 on), read from the wheels by ``scripts/zenml_api_table.py`` into
:mod:`zlint.model._zenml_paths`: ``zenml.step`` is defined in
``zenml.new.steps.step_decorator`` up to 0.67.0 and in ``zenml.steps.step_decorator`` from
0.68.0. A path can also name *another* object in some releases: before 0.68.0
``zenml.steps.step`` is the legacy class-based decorator, not ``zenml.step``. The ``*_on``
functions give the paths that are the object on the releases of one target, so a project
pinned before 0.68.0 never has its legacy steps read as new ones.
"""

from __future__ import annotations

import bisect
import functools
from collections.abc import Iterable

from zlint.model import _zenml_paths
from zlint.model.releases import Release, Target

#: The releases the wheels were read for, oldest first.
DATA_RELEASES: tuple[Release, ...] = tuple(Release.parse(v) for v in _zenml_paths.RELEASES)


def _position(release: Release) -> int:
    """The index of ``release`` among :data:`DATA_RELEASES`; a release the wheels were not
    read for counts as the last one read before it."""
    return max(bisect.bisect_right(DATA_RELEASES, release) - 1, 0)


def _load() -> dict[str, tuple[str | None, ...]]:
    index = {text: i for i, text in enumerate(_zenml_paths.RELEASES)}
    count = len(_zenml_paths.RELEASES)
    found: dict[str, tuple[str | None, ...]] = {}
    for paths in _zenml_paths.PATHS.values():
        for path, spans in paths.items():
            origins: list[str | None] = [None] * count
            for since, until, origin in spans:
                for i in range(index[since], index[until] if until else count):
                    origins[i] = origin
            found[path] = tuple(origins)
    return found


#: path -> the object it names on each of :data:`DATA_RELEASES` (its defining path), or None
#: where it cannot be imported. Every path of every name the script reads.
ORIGINS: dict[str, tuple[str | None, ...]] = _load()


#: path -> its (release index, object) pairs, for :func:`same_object`.
_PAIRS = {
    path: frozenset((i, o) for i, o in enumerate(origins) if o is not None)
    for path, origins in ORIGINS.items()
}


def is_known(path: str) -> bool:
    """Whether the wheels were read for ``path`` (so its absence from a release is a fact)."""
    return path in ORIGINS


def origin_on(path: str, release: Release) -> str | None:
    """The object ``path`` names on ``release`` (its defining path), or None when absent."""
    origins = ORIGINS.get(path)
    return origins[_position(release)] if origins is not None else None


def absent_on(path: str, releases: Iterable[Release]) -> tuple[Release, ...]:
    """The releases on which a known ``path`` cannot be imported."""
    if path not in ORIGINS:
        return ()
    return tuple(r for r in releases if origin_on(path, r) is None)


def other_object_on(path: str, canonical: str, releases: Iterable[Release]) -> tuple[Release, ...]:
    """The releases on which ``path`` exists but names another object than ``canonical``
    (``zenml.steps.step`` before 0.68.0: the legacy decorator, not ``zenml.step``)."""
    found = []
    for release in releases:
        origin = origin_on(path, release)
        if origin is not None and origin != origin_on(canonical, release):
            found.append(release)
    return tuple(found)


def same_object(canonical: str, releases: Iterable[Release] = DATA_RELEASES) -> frozenset[str]:
    """``canonical`` and every path that was the same object on one of ``releases``."""
    wanted = {_position(r) for r in releases}
    mine = ORIGINS.get(canonical, ())
    pairs = {(i, mine[i]) for i in wanted if mine and mine[i] is not None}
    return frozenset(
        {canonical, *(p for p, known in _PAIRS.items() if not known.isdisjoint(pairs))}
    )


@functools.cache
def _on(canonical: str, releases: tuple[Release, ...]) -> frozenset[str]:
    found = same_object(canonical, releases)
    # A path the target never has is not the object there (``zenml.ArtifactConfig`` before
    # 0.50.0): the code cannot import it, so it means nothing to zlint.
    return frozenset(
        p for p in found if not is_known(p) or len(absent_on(p, releases)) < len(releases)
    )


def step_decorators_on(target: Target) -> frozenset[str]:
    """The paths of ``@step`` on the target's releases (not the legacy ``zenml.steps.step``
    of a project pinned before 0.68.0)."""
    return _on("zenml.step", target.releases)


def pipeline_decorators_on(target: Target) -> frozenset[str]:
    return _on("zenml.pipeline", target.releases)


def artifact_config_on(target: Target) -> frozenset[str]:
    """The paths of the ``ArtifactConfig`` that names outputs (0.50.0 on; the 0.45.x
    ``zenml.model.ArtifactConfig`` names nothing)."""
    return _on("zenml.ArtifactConfig", target.releases)


STEP_DECORATORS = same_object("zenml.step")
PIPELINE_DECORATORS = same_object("zenml.pipeline")
BASE_STEP = same_object("zenml.steps.BaseStep")
ARTIFACT_CONFIG = same_object("zenml.ArtifactConfig")
GET_STEP_CONTEXT = same_object("zenml.get_step_context")
LOG_METADATA = same_object("zenml.log_metadata")
LOG_ARTIFACT_METADATA = same_object("zenml.log_artifact_metadata")
LOG_STEP_METADATA = same_object("zenml.log_step_metadata")
LOG_MODEL_METADATA = same_object("zenml.log_model_metadata")
ADD_TAGS = same_object("zenml.add_tags")
UNMAPPED = same_object("zenml.unmapped")
CACHE_POLICY = same_object("zenml.config.CachePolicy")
CLIENT = same_object("zenml.client.Client")

#: The legacy class-based API's paths (their names, ``zenml.steps.step`` among them, may
#: be other objects in later releases).
LEGACY_STEP_DECORATOR = "zenml.steps.step"
LEGACY_PIPELINE_DECORATOR = "zenml.pipelines.pipeline"

ANNOTATED = frozenset({"typing.Annotated", "typing_extensions.Annotated"})
#: What a ``type Name = ...`` statement (Python 3.12) binds: an instance of
#: ``typing.TypeAliasType``. ZenML 0.98 does not look into one: an output annotated with
#: it gets the default name, whatever the alias stands for.
TYPE_ALIAS_INSTANCE = "typing.TypeAliasType()"
TUPLE = frozenset({"typing.Tuple", "builtins.tuple", "typing_extensions.Tuple"})
#: What user decorators that wrap ``step`` are built with (see :mod:`zlint.model.wrappers`).
FUNCTOOLS_WRAPS = frozenset({"functools.wraps"})
FUNCTOOLS_UPDATE_WRAPPER = frozenset({"functools.update_wrapper"})
FUNCTOOLS_PARTIAL = frozenset({"functools.partial"})

#: Methods of a step object that return a configured copy of it.
STEP_COPY_METHODS = frozenset({"with_options", "copy"})
#: Methods of a step object that run it once per item (dynamic pipelines).
STEP_FANOUT_METHODS = frozenset({"map", "product"})
#: Keyword arguments of a step call that are not entrypoint parameters.
CALL_ONLY_KEYWORDS = frozenset({"id", "after", "start_after"})
#: Placeholders ZenML fills from the pipeline run's start time.
RUN_TIME_PLACEHOLDERS = frozenset({"date", "time"})


#: What star imports from ZenML or typing are trusted to provide (``from zenml import *``).
STAR_EXPORTS = (
    STEP_DECORATORS
    | PIPELINE_DECORATORS
    | BASE_STEP
    | ARTIFACT_CONFIG
    | GET_STEP_CONTEXT
    | LOG_METADATA
    | LOG_ARTIFACT_METADATA
    | UNMAPPED
    | ADD_TAGS
    | ANNOTATED
    | TUPLE
)
