"""ZL015 unavailable-zenml-api: a ZenML name, argument or method that a release the project
admits does not have."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import check_tree, expected_markers, target, write_project

from zlint.model.releases import Target

STEP = """
from typing import Annotated
from zenml import pipeline, step

@step
def proc(x: int) -> Annotated[int, "proc_out"]:
    return x
"""


def pipe(body: str) -> dict[str, str]:
    return {"pipe.py": STEP + body}


CLEAN = [
    pytest.param(
        pipe(
            """
from zenml import log_metadata, unmapped
from zenml.config import CachePolicy

@pipeline(dynamic=True, cache_policy=CachePolicy.default())
def p():
    proc.map([1, 2], start_after=None)
    proc.submit(3)
"""
        ),
        target("0.98.0"),
        id="newest-release-has-everything",
    ),
    pytest.param(
        pipe(
            """
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from zenml.config import CachePolicy

try:
    from zenml import log_metadata
except ImportError:
    log_metadata = None

try:
    proc.map([1])
except AttributeError:
    pass
"""
        ),
        target("0.60.0"),
        id="guarded-code",
    ),
    pytest.param(
        {
            "legacy.py": """
from zenml.steps import BaseParameters, Output, step
from zenml.pipelines import BasePipeline, pipeline

@step
def load() -> Output(a=int, b=int):
    return 1, 2
"""
        },
        target("0.55.5"),
        id="the-legacy-api-before-0.68",
    ),
    pytest.param(
        {
            "other.py": """
import pandas as pd

def double(series: pd.Series) -> pd.Series:
    return series.map(lambda v: v * 2)

class Runner:
    def submit(self, job: str) -> None: ...

Runner().submit("x")
"""
        },
        target("0.85.0"),
        id="map-and-submit-of-other-objects",
    ),
    pytest.param(
        pipe(
            """
from zenml import get_step_context

@step
def tagged(x: int) -> int:
    get_step_context().add_output_metadata(metadata={"x": x})
    return x
"""
        ),
        target("0.50.0"),
        id="a-method-the-release-has",
    ),
]

FINDINGS = [
    pytest.param(
        pipe(
            """
from zenml import unmapped  # expect: ZL015

@pipeline(dynamic=True)  # expect: ZL015
def p():
    proc.map([1, 2])  # expect: ZL015
    proc.product([1], [2])  # expect: ZL015
    proc.submit(3)  # expect: ZL015
    proc(4, start_after=None)  # expect: ZL015
"""
        ),
        target("0.85.0"),
        id="dynamic-pipelines-0.85",
    ),
    pytest.param(
        pipe(
            """
import zenml as zn
from zenml import log_metadata  # expect: ZL015
from zenml.config.cache_policy import CachePolicy  # expect: ZL015

@step(substitutions={"a": "b"})  # expect: ZL015
def other(x: int) -> int:
    zn.log_metadata(metadata={"x": x}, infer_artifact=True)  # expect: ZL015 ZL015
    zn.add_tags(tags=["t"])  # expect: ZL015
    return x

@pipeline(cache_policy=None)  # expect: ZL015
def p():
    proc.with_options(substitutions={"a": "b"})(1)  # expect: ZL015
    proc.configure(substitutions={"a": "c"})  # expect: ZL015
"""
        ),
        target("0.65.0"),
        id="metadata-and-substitutions-0.65",
    ),
    pytest.param(
        pipe(
            """
fast = proc.with_options(enable_cache=False)

@pipeline(dynamic=True)
def p():
    fast.map([1])  # expect: ZL015
    again = fast.with_options(enable_cache=True)
    again.submit(1)
"""
        ),
        target("0.91.1"),
        id="configured-copies-0.91",
    ),
    pytest.param(
        {
            "tags.py": """
from zenml import get_step_context, step
from zenml.steps import StepContext

@step
def tag(x: int) -> int:
    get_step_context().add_output_tags(tags=["a"])  # expect: ZL015
    return x

def helper(context: StepContext) -> None:
    context.remove_output_tags(tags=["a"])  # expect: ZL015
"""
        },
        target("0.55.0"),
        id="step-context-methods-0.55.0",
    ),
    pytest.param(
        {
            "query.py": """
from typing import Annotated
from zenml import ArtifactConfig, step  # expect: ZL015
from zenml.client import Client

versions = Client().list_artifact_versions(name="a")  # expect: ZL015
"""
        },
        target("0.45.6"),
        id="artifact-config-and-queries-0.45",
    ),
    pytest.param(
        {
            "helpers.py": """
from zenml import *

def note(value: int) -> None:
    log_metadata(metadata={"value": value})  # expect: ZL015

def lazy() -> None:
    from zenml import add_tags  # expect: ZL015
    add_tags(tags=["a"])
"""
        },
        target("0.65.0"),
        id="star-import-and-import-in-a-function",
    ),
    pytest.param(
        {
            "old.py": """
from zenml.new.steps.step_decorator import step  # expect: ZL015
from zenml.steps import BaseParameters  # expect: ZL015
import zenml.new.pipelines.pipeline_decorator  # expect: ZL015
"""
        },
        target("0.98.0"),
        id="removed-in-0.68",
    ),
    pytest.param(
        {
            "steps.py": """
from zenml.steps import step  # expect: ZL015
from zenml.pipelines import pipeline  # expect: ZL015

@step
def load() -> int:
    return 1

@pipeline
def p():
    load()
"""
        },
        target("0.65.0", "0.70.0"),
        id="legacy-decorators-on-a-range",
    ),
]


@pytest.mark.parametrize(("sources", "pin"), CLEAN)
def test_clean(check, sources: dict[str, str], pin: Target) -> None:  # type: ignore[no-untyped-def]
    assert check(sources, select=["ZL015"], target=pin) == []


@pytest.mark.parametrize(("sources", "pin"), FINDINGS)
def test_findings(check, sources: dict[str, str], pin: Target) -> None:  # type: ignore[no-untyped-def]
    assert check(sources, select=["ZL015"], target=pin) == expected_markers(sources)


def _messages(tmp_path: Path, source: str, pin: Target) -> list[str]:
    write_project(tmp_path, {"pipe.py": source})
    result = check_tree(tmp_path, select=["ZL015"], target=pin)
    assert not result.errors
    return [d.message for d in result.diagnostics]


def test_messages_name_the_release_and_the_range(tmp_path: Path) -> None:
    pin = target("0.65.0", "0.75.1", spec=">=0.65,<0.76", source="requirements.txt")
    source = "from zenml import log_metadata, step\nfrom zenml.steps import step as s\n"
    assert _messages(tmp_path, source, pin) == [
        "`zenml.log_metadata` first appeared in ZenML 0.70.0; this project admits 0.65.0 to "
        "0.75.1 (from requirements.txt)",
        "`zenml.steps.step` is the legacy class-based decorator on ZenML 0.65.0 to 0.67.0, not "
        "`zenml.step` (import `step` from `zenml` for both); this project admits 0.65.0 to "
        "0.75.1 (from requirements.txt)",
    ]


def test_removed_names_and_dynamic_pipelines(tmp_path: Path) -> None:
    source = STEP + "\n@pipeline(dynamic=True)\ndef p():\n    proc.map([1])\n"
    assert _messages(tmp_path, source, target("0.91.1")) == [
        "`.map()` first appeared in ZenML 0.92.0; this project admits 0.91.1 (from test)"
    ]
    legacy = "from zenml.steps import Output, step\n\n@step\ndef load() -> int:\n    return 1\n"
    removed = _messages(tmp_path, legacy, target("0.98.0"))
    assert removed == [
        "`zenml.steps.Output` was removed in ZenML 0.68.0; this project admits 0.98.0 (from test)"
    ]


def test_the_project_setting_names_its_source(tmp_path: Path) -> None:
    write_project(
        tmp_path,
        {
            "pyproject.toml": '[tool.zlint]\nzenml-version = "0.85.0"\n',
            "pipe.py": "from zenml import unmapped\n",
        },
    )
    [finding] = check_tree(tmp_path, select=["ZL015"]).diagnostics
    assert finding.message == (
        "`zenml.unmapped` first appeared in ZenML 0.92.0; this project admits 0.85.0 "
        "(from pyproject.toml [tool.zlint] zenml-version)"
    )
