"""ZL008 cache-merged-calls: repeated calls with provably identical inputs and parameters."""

from __future__ import annotations

import pytest
from conftest import expected_markers

HEADER = """
from typing import Annotated
from zenml import pipeline, step

@step
def load(source: str = "db") -> list:
    return [1, 2]

@step
def sample(rows: list, size: int = 2) -> list:
    return rows[:size]

@step(enable_cache=False)
def fresh(rows: list) -> list:
    return rows
"""


def pipe(body: str) -> dict[str, str]:
    return {"pipe.py": HEADER + body}


CLEAN = [
    pytest.param(
        pipe("""
@pipeline
def p():
    rows = load()
    sample(rows, size=1)
    sample(rows, size=2)
"""),
        id="different-parameter",
    ),
    pytest.param(
        pipe("""
@pipeline
def p():
    sample(load("a"))
    sample(load("b"))
"""),
        id="different-upstream-outputs",
    ),
    pytest.param(
        pipe("""
@pipeline
def p():
    rows = load()
    fresh(rows)
    fresh(rows)
"""),
        id="cache-off-on-the-step",
    ),
    pytest.param(
        pipe("""
@pipeline
def p():
    rows = load()
    sample(rows)
    sample.with_options(enable_cache=False)(rows)
"""),
        id="cache-off-on-one-call",
    ),
    pytest.param(
        pipe("""
@pipeline(enable_cache=False)
def p():
    rows = load()
    sample(rows)
    sample(rows)
"""),
        id="cache-off-on-the-pipeline",
    ),
    pytest.param(
        pipe("""
@pipeline
def p():
    rows = load()
    for size in [1, 2, 3]:
        sample(rows, size=size)
"""),
        id="loop-variable-changes-the-parameter",
    ),
    pytest.param(
        pipe("""
@pipeline
def p(full: bool = True):
    rows = load()
    if full:
        sample(rows)
    else:
        sample(rows)
"""),
        id="exclusive-branches",
    ),
    pytest.param(
        pipe("""
import random

@pipeline
def p():
    rows = load()
    sample(rows, size=random.randint(1, 3))
    sample(rows, size=random.randint(1, 3))
"""),
        id="unknown-values-count-as-different",
    ),
    pytest.param(
        pipe("""
@pipeline
def p():
    rows = load()
    sample(rows, **{"size": 1})
    sample(rows, **{"size": 1})
"""),
        id="double-star-arguments-are-unknown",
    ),
    pytest.param(
        pipe("""
@pipeline
def p():
    rows = load()
    sample(rows)
    sample.with_options(cache_policy="custom")(rows)
"""),
        id="custom-cache-policy",
    ),
]

FINDINGS = [
    pytest.param(
        pipe("""
@pipeline
def p():
    rows = load()
    sample(rows)
    sample(rows)  # expect: ZL008
"""),
        id="same-upstream-output-twice",
    ),
    pytest.param(
        pipe("""
@pipeline
def p():
    load()
    load("db")  # expect: ZL008
"""),
        id="default-equals-explicit-literal",
    ),
    pytest.param(
        pipe("""
@pipeline
def p(source: str):
    load(source)
    load(source=source)  # expect: ZL008
"""),
        id="same-pipeline-parameter-positional-and-keyword",
    ),
    pytest.param(
        pipe("""
@pipeline
def p():
    rows = load()
    sample(rows, id="first")
    sample(rows, id="second")  # expect: ZL008
"""),
        id="different-ids-do-not-help",
    ),
    pytest.param(
        pipe("""
@pipeline
def p():
    rows = load()
    for _ in range(3):
        sample(rows)  # expect: ZL008
"""),
        id="loop-without-changing-arguments",
    ),
    pytest.param(
        pipe("""
@pipeline
def p():
    rows = load()
    [sample(rows) for _ in range(2)]  # expect: ZL008
"""),
        id="comprehension-without-changing-arguments",
    ),
    pytest.param(
        {
            "pipe.py": """
from typing import Annotated
from zenml import pipeline, step

@step
def split(rows: list) -> Annotated[list, "{part}_rows"]:
    return rows

@pipeline
def p():
    rows = [1, 2]
    split.with_options(substitutions={"part": "train"})(rows)
    split.with_options(substitutions={"part": "val"})(rows)  # expect: ZL008
"""
        },
        id="different-substitutions-do-not-help",
    ),
    pytest.param(
        pipe("""
def twice(rows):
    sample(rows)

@pipeline
def p():
    rows = load()
    twice(rows)
    twice(rows)  # expect: ZL008
"""),
        id="helper-called-twice-with-the-same-argument",
    ),
]


@pytest.mark.parametrize("sources", CLEAN)
def test_clean(check, sources: dict[str, str]) -> None:  # type: ignore[no-untyped-def]
    assert check(sources, select=["ZL008"]) == []


@pytest.mark.parametrize("sources", FINDINGS)
def test_findings(check, sources: dict[str, str]) -> None:  # type: ignore[no-untyped-def]
    assert check(sources, select=["ZL008"]) == expected_markers(sources)
