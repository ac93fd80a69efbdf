"""ZL006 run-scoped-artifact-name: templates filled only with values fixed for the whole run."""

from __future__ import annotations

import pytest
from conftest import expected_markers

STEP = """
from typing import Annotated
from zenml import pipeline, step

@step
def export(rows: list, part: str = "x") -> Annotated[list, "{part}_export"]:
    return rows

@step
def stamp(rows: list) -> Annotated[list, "rows_{date}_{time}"]:
    return rows
"""


def pipe(body: str) -> dict[str, str]:
    return {"pipe.py": STEP + body}


CLEAN = [
    pytest.param(
        pipe("""
@pipeline
def p():
    export.with_options(substitutions={"part": "a"})([1], part="a")
    export.with_options(substitutions={"part": "b"})([2], part="b")
"""),
        id="per-call-substitutions",
    ),
    pytest.param(
        pipe("""
@pipeline
def p():
    for part in ["a", "b"]:
        export.with_options(substitutions={"part": part})([1], part=part)
"""),
        id="per-call-substitutions-in-a-loop",
    ),
    pytest.param(
        pipe("""
@pipeline(substitutions={"part": "all"})
def p():
    export([1])
    stamp([1])
"""),
        id="called-once",
    ),
    pytest.param(
        pipe("""
@pipeline(substitutions={"part": "all"})
def p(full: bool):
    if full:
        export([1])
    else:
        export([2])
"""),
        id="exclusive-branches",
    ),
    pytest.param(
        {
            "pipe.py": """
from typing import Annotated
from zenml import get_step_context, pipeline, step

@step
def stamp(rows: list, label: str) -> Annotated[list, "rows_{date}"]:
    get_step_context().add_output_metadata(metadata={"label": label})
    return rows

@pipeline
def p():
    stamp([1], label="first")
    stamp([2], label="second")
"""
        },
        id="metadata-tells-them-apart",
    ),
    pytest.param(
        pipe("""
@pipeline
def p():
    stamp([1])
    stamp([1])
"""),
        id="identical-calls-are-cache-merged-instead",
    ),
]

FINDINGS = [
    pytest.param(
        pipe("""
@pipeline
def p():
    stamp([1])
    stamp([2])  # expect: ZL006
"""),
        id="date-and-time",
    ),
    pytest.param(
        pipe("""
@pipeline(substitutions={"part": "all"})
def p():
    export([1], part="a")
    export([2], part="b")  # expect: ZL006
"""),
        id="pipeline-substitution",
    ),
    pytest.param(
        pipe("""
@pipeline
def p():
    export.configure(substitutions={"part": "first"})
    export([1], part="a")
    export.configure(substitutions={"part": "second"})
    export([2], part="b")  # expect: ZL006
"""),
        id="configure-in-the-body-last-wins",
    ),
    pytest.param(
        pipe("""
@pipeline
def p():
    for rows in [[1], [2]]:
        stamp(rows)  # expect: ZL006
"""),
        id="loop",
    ),
    pytest.param(
        pipe("""
@pipeline
def p():
    export.with_options(substitutions={"part": "a"})([1], part="a")
    stamp([1])
    stamp([2])  # expect: ZL006
"""),
        id="only-the-run-scoped-step",
    ),
]


@pytest.mark.parametrize("sources", CLEAN)
def test_clean(check, sources: dict[str, str]) -> None:  # type: ignore[no-untyped-def]
    assert check(sources, select=["ZL006"]) == []


@pytest.mark.parametrize("sources", FINDINGS)
def test_findings(check, sources: dict[str, str]) -> None:  # type: ignore[no-untyped-def]
    assert check(sources, select=["ZL006", "ZL001"]) == expected_markers(sources)
