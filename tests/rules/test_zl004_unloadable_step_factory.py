"""ZL004 unloadable-step-factory: steps made inside functions that ZenML cannot reload."""

from __future__ import annotations

import pytest
from conftest import expected_markers

LOADABLE = """
from typing import Annotated
from zenml import pipeline, step

def make_scaler(label: str, factor: float) -> None:
    def scale(values: list) -> Annotated[list, f"scaled_{label}"]:
        return [v * factor for v in values]

    scale.__name__ = scale.__qualname__ = f"scale_{label}"
    globals()[scale.__name__] = step(scale)
"""

CLEAN = [
    pytest.param(
        {
            "scalers.py": LOADABLE
            + """
make_scaler("double", 2.0)
make_scaler("triple", 3.0)
"""
        },
        id="loadable-form",
    ),
    pytest.param(
        {
            "scalers.py": LOADABLE
            + """
for label, factor in [("double", 2.0), ("triple", 3.0)]:
    make_scaler(label, factor)
"""
        },
        id="loadable-form-in-a-loop",
    ),
    pytest.param(
        {
            "scalers.py": """
import sys
from zenml import step

def make(label: str) -> None:
    def entry(values: list) -> list:
        return values

    entry.__name__ = f"entry_{label}"
    setattr(sys.modules[__name__], entry.__name__, step(entry))

make("a")
"""
        },
        id="setattr-on-the-module",
    ),
    pytest.param(
        {
            "scalers.py": """
from zenml import step

def make():
    def entry(values: list) -> list:
        return values
    entry.__name__ = "entry_x"
    return step(entry)

globals()["entry_x"] = make()
"""
        },
        id="registered-where-the-factory-is-called",
    ),
    pytest.param(
        {
            "plain.py": """
from zenml import step

@step
def top_level(values: list) -> list:
    return values

def helper():
    def inner(x):
        return x
    return inner
"""
        },
        id="plain-functions-and-top-level-steps",
    ),
    pytest.param(
        {
            "flows.py": """
def step(fn):
    return fn

def make():
    @step
    def inner(x):
        return x
    return inner
"""
        },
        id="not-zenml-step",
    ),
]

FINDINGS = [
    pytest.param(
        {
            "pipe.py": """
from typing import Any, Dict
from typing_extensions import Annotated
from zenml import ArtifactConfig, pipeline, step

def create_step(prefix: str):
    @step
    def split_step(data: Any) -> Annotated[Dict[str, Any], ArtifactConfig(name=f"{prefix}_artifact")]:  # expect: ZL004
        return {"data": data}

    return split_step

@pipeline
def splits():
    train_step = create_step("train")  # expect: ZL004
    train_step([1])
"""
        },
        id="seed-documentation-factory",
    ),
    pytest.param(
        {
            "pipe.py": """
from zenml import step

def create_step(prefix: str):
    @step(name=f"{prefix}_split")
    def split_step(data: list) -> list:  # expect: ZL004
        return data
    return split_step

train_step = create_step("train")
test_step = create_step("test")
"""
        },
        id="module-level-calls-with-a-step-name-are-not-enough",
    ),
    pytest.param(
        {
            "pipe.py": """
from zenml import step

def create(prefix: str):
    def entry(data: list) -> list:
        return data
    return step(entry)  # expect: ZL004

split_step = create("train")
"""
        },
        id="step-call-without-rename",
    ),
    pytest.param(
        {
            "lib.py": LOADABLE.replace(
                "    globals()[scale.__name__] = step(scale)",
                "    globals()[scale.__name__] = step(scale)  # expect: ZL004",
            ),
            "pipe.py": """
from zenml import pipeline
from lib import make_scaler

make_scaler("double", 2.0)  # expect: ZL004

@pipeline
def p():
    scale_double([1])  # noqa: F821
""",
        },
        id="factory-called-only-from-another-module",
    ),
    pytest.param(
        {
            "scalers.py": LOADABLE
            + """
make_scaler("double", 2.0)
""",
            "pipe.py": """
from zenml import pipeline
import scalers

@pipeline
def p():
    scalers.make_scaler("triple", 3.0)  # expect: ZL004
""",
        },
        id="loadable-factory-called-in-a-pipeline-body",
    ),
    pytest.param(
        {
            "pipe.py": """
import zenml as zn

def make():
    @zn.step
    def inner(x: int) -> int:  # expect: ZL004
        return x
    return inner

inner = make()
"""
        },
        id="bound-under-the-shared-name-silently-wrong",
    ),
]


@pytest.mark.parametrize("sources", CLEAN)
def test_clean(check, sources: dict[str, str]) -> None:  # type: ignore[no-untyped-def]
    assert check(sources, select=["ZL004"]) == []


@pytest.mark.parametrize("sources", FINDINGS)
def test_findings(check, sources: dict[str, str]) -> None:  # type: ignore[no-untyped-def]
    assert check(sources, select=["ZL004"]) == expected_markers(sources)
