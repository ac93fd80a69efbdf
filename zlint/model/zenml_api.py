"""The qualified names of the ZenML (and typing) objects zlint understands.

Every rule matches ZenML by these names, never by how a user spelled the import:
``import zenml as zn; @zn.step`` and ``from zenml.steps import step as s; @s`` both resolve
to one of the names below. Each set lists every public path to the same object in 0.98.
"""

from __future__ import annotations

STEP_DECORATORS = frozenset({"zenml.step", "zenml.steps.step", "zenml.steps.step_decorator.step"})
PIPELINE_DECORATORS = frozenset(
    {
        "zenml.pipeline",
        "zenml.pipelines.pipeline",
        "zenml.pipelines.pipeline_decorator.pipeline",
    }
)
BASE_STEP = frozenset({"zenml.steps.BaseStep", "zenml.steps.base_step.BaseStep"})
ARTIFACT_CONFIG = frozenset(
    {"zenml.ArtifactConfig", "zenml.artifacts.artifact_config.ArtifactConfig"}
)
GET_STEP_CONTEXT = frozenset(
    {
        "zenml.get_step_context",
        "zenml.steps.get_step_context",
        "zenml.steps.step_context.get_step_context",
    }
)
LOG_METADATA = frozenset({"zenml.log_metadata", "zenml.utils.metadata_utils.log_metadata"})
LOG_ARTIFACT_METADATA = frozenset(
    {"zenml.log_artifact_metadata", "zenml.artifacts.utils.log_artifact_metadata"}
)
ADD_TAGS = frozenset({"zenml.add_tags", "zenml.utils.tag_utils.add_tags"})
CACHE_POLICY = frozenset({"zenml.config.CachePolicy", "zenml.config.cache_policy.CachePolicy"})
UNMAPPED = frozenset({"zenml.unmapped", "zenml.execution.pipeline.dynamic.utils.unmapped"})

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
