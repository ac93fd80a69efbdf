"""The ZenML APIs a pipeline or a step call needs that not every release has, and the
pipeline analyses cut down to what can run on some release of a target.

A pipeline decorated with ``@pipeline(dynamic=True)`` fails on releases before 0.91.1, a
``.map()`` before 0.92.0, a call passing ``start_after=`` before 0.96.2, a step whose
decorator passes ``substitutions=`` before 0.71.0: on those releases the code never runs,
so it collides with nothing there. ZL015 reports the APIs themselves; every other rule
sees only :func:`runnable` analyses, and says nothing about code that cannot run on any
release of the target.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import libcst as cst

from zlint.model import cst_utils, releases
from zlint.model.definitions import PipelineDef, StepDef
from zlint.model.invocations import Invocation, PipelineAnalysis
from zlint.model.releases import Fact, Target

#: Keywords of ``@step``, ``@pipeline``, ``with_options`` and ``configure`` that not every
#: release accepts (a ``TypeError`` where it does not).
OPTION_FACTS: Mapping[str, Fact] = {
    "substitutions": releases.SUBSTITUTIONS,
    "cache_policy": releases.CACHE_POLICY,
}
#: The same for ``@pipeline`` alone.
PIPELINE_OPTION_FACTS: Mapping[str, Fact] = {
    **OPTION_FACTS,
    "dynamic": releases.DYNAMIC_PIPELINES,
}
#: Methods of a step object that not every release has (an ``AttributeError``).
METHOD_FACTS: Mapping[str, Fact] = {
    "map": releases.MAP,
    "product": releases.MAP,
    "submit": releases.SUBMIT,
}
#: Keywords of a step call (and of ``map``/``product``/``submit``).
CALL_KEYWORD_FACTS: Mapping[str, Fact] = {"start_after": releases.START_AFTER}
#: Keywords of ``log_metadata``.
LOG_METADATA_KEYWORD_FACTS: Mapping[str, Fact] = {
    "infer_artifact": releases.INFER_ARTIFACT,
    "infer_model": releases.INFER_ARTIFACT,
}

#: The step context's output methods (``get_step_context().add_output_tags(...)``).
CONTEXT_METHOD_FACTS: Mapping[str, Fact] = {
    "add_output_metadata": releases.OUTPUT_METADATA_METHODS,
    "get_output_metadata": releases.OUTPUT_METADATA_METHODS,
    "add_output_tags": releases.ADD_OUTPUT_TAGS,
    "get_output_tags": releases.ADD_OUTPUT_TAGS,
    "remove_output_tags": releases.REMOVE_OUTPUT_TAGS,
}

_EVERY_FACT = (
    *PIPELINE_OPTION_FACTS.values(),
    *METHOD_FACTS.values(),
    *CALL_KEYWORD_FACTS.values(),
)


@dataclass(frozen=True)
class Need:
    """An API some code uses, and the fact that says which releases have it."""

    fact: Fact
    #: How the code spells it, for messages: ``.map()``, ``@step(substitutions=...)``.
    what: str


def pipeline_needs(pipeline: PipelineDef) -> list[Need]:
    """What the pipeline's decorator asks of ZenML."""
    return _options(pipeline.options, PIPELINE_OPTION_FACTS, "@pipeline")


def step_needs(step: StepDef) -> list[Need]:
    """What the step's decorator asks of ZenML."""
    return _options(step.options, OPTION_FACTS, "@step")


def invocation_needs(invocation: Invocation) -> list[Need]:
    """What one step call asks of ZenML: its method, its keywords, its ``with_options``
    and its step's decorator."""
    found = step_needs(invocation.step)
    method = invocation.fanout or ("submit" if invocation.concurrent else None)
    if method is not None:
        found.append(Need(METHOD_FACTS[method], f".{method}()"))
    for keyword, fact in CALL_KEYWORD_FACTS.items():
        if cst_utils.keyword(invocation.call, keyword) is not None:
            found.append(Need(fact, f"{keyword}="))
    for key, _ in invocation.obj.options:
        if key in OPTION_FACTS:
            found.append(Need(OPTION_FACTS[key], f"with_options({key}=...)"))
    return found


def runs_on(needs: Sequence[Need], target: Target) -> bool:
    """Whether some release of the target has every API in ``needs``."""
    return any(all(n.fact.holds_on(r) for n in needs) for r in target.releases)


def runnable(analyses: list[PipelineAnalysis], target: Target) -> list[PipelineAnalysis]:
    """The analyses without the pipelines and step calls that cannot run on any release
    of the target."""
    if all(target.all(fact) for fact in _EVERY_FACT):
        return analyses
    kept: list[PipelineAnalysis] = []
    for analysis in analyses:
        base = pipeline_needs(analysis.pipeline)
        if not runs_on(base, target):
            continue
        calls = [i for i in analysis.invocations if runs_on(base + invocation_needs(i), target)]
        if len(calls) == len(analysis.invocations):
            kept.append(analysis)
        else:
            kept.append(dataclasses.replace(analysis, invocations=calls))
    return kept


def _options(
    options: Mapping[str, cst.BaseExpression], facts: Mapping[str, Fact], decorator: str
) -> list[Need]:
    found = []
    for key, fact in facts.items():
        # Any value: a release without the keyword raises TypeError even for `dynamic=False`.
        if key in options:
            found.append(Need(fact, f"{decorator}({key}=...)"))
    return found
