"""Shapes from real ZenML projects that once fooled zlint, each checked against what ZenML
0.98 did when the project ran (a red-team pass over 20 small projects)."""

from __future__ import annotations

import pytest
from conftest import expected_markers

STEPS = """
from typing import Annotated, Tuple
from zenml import pipeline, step

@step
def load(source: str = "db") -> list:
    return [1, 2]

@step
def fit(rows: list, split: str) -> Annotated[dict, "model"]:
    return {}

@step
def evaluate(model: dict, rows: list, split: str) -> Annotated[dict, "metrics"]:
    return {}

@step
def summarize(rows: list) -> Annotated[dict, "summary"]:
    return {}

@step
def train_lr(rows: list) -> Annotated[dict, "fitted"]:
    return {}

@step
def train_rf(rows: list) -> Annotated[dict, "fitted"]:
    return {}

@step
def proc(rows: list, split: str) -> list:
    return rows
"""

SELECT = ["ZL001", "ZL002", "ZL003", "ZL005", "ZL008"]


def pipe(body: str, extra: dict[str, str] | None = None) -> dict[str, str]:
    return {"pipe.py": STEPS + body, **(extra or {})}


CASES = [
    pytest.param(
        pipe("""
@pipeline
def p():
    rows = load()
    model = None
    for split in ["train", "val", "test"]:
        if split == "train":
            model = fit(rows, split=split)
        else:
            evaluate(model, rows, split=split)  # expect: ZL001
"""),
        id="condition-on-the-loop-variable-runs-fit-once",
    ),
    pytest.param(
        pipe("""
def prepare(rows, split):
    if split == "train":
        fit(rows, split=split)
    return summarize(rows)

@pipeline
def p():
    prepare(load("a"), "train")
    prepare(load("b"), "val")  # expect: ZL001
    prepare(load("c"), "test")  # expect: ZL001
"""),
        id="condition-on-a-helper-argument",
    ),
    pytest.param(
        pipe("""
@pipeline
def p():
    rows = load()
    [fit(rows, split=s) for s in ["train", "val"] if s == "train"]
"""),
        id="filtered-comprehension-runs-once",
    ),
    pytest.param(
        pipe("""
SEEDS = [42]

@pipeline
def p():
    rows = load()
    for seed in SEEDS:
        fit(rows, split="all")
"""),
        id="loop-over-a-one-element-constant",
    ),
    pytest.param(
        pipe("""
@pipeline
def p():
    rows = load()
    for train in [train_lr, train_rf]:
        train(rows)  # expect: ZL002
"""),
        id="steps-taken-from-a-list",
    ),
    pytest.param(
        pipe("""
TRAINERS = {"lr": train_lr, "rf": train_rf}

@pipeline
def p():
    rows = load()
    for name, train in TRAINERS.items():
        train(rows, id=f"train_{name}")  # expect: ZL002
"""),
        id="steps-taken-from-a-dict-constant",
    ),
    pytest.param(
        pipe("""
STAGE = "prep"

@pipeline
def p():
    rows = load()
    for split in ["a", "b"]:
        proc(rows, split=split, id=f"proc_{STAGE}")  # expect: ZL003
"""),
        id="f-string-id-over-a-constant-in-a-loop",
    ),
    pytest.param(
        pipe("""
SPLITS = ["a", "b"]

@pipeline
def p():
    rows = load()
    for split in SPLITS:
        proc(rows, split=split)
    proc(rows, split="c", id="proc_2")  # expect: ZL003
"""),
        id="explicit-id-taken-by-a-loop-over-a-constant",
    ),
    pytest.param(
        pipe("""
@pipeline(dynamic=True)
def p():
    rows = load()
    first = fit.submit(rows, split="all")
    second = fit.submit(rows, split="all")  # expect: ZL001
"""),
        id="submit-runs-identical-calls-concurrently",
    ),
    pytest.param(
        pipe("""
@step(enable_cache=True)
def cached_fit(rows: list) -> Annotated[dict, "cached_model"]:
    return {}

@pipeline(enable_cache=False)
def p():
    rows = load()
    cached_fit(rows)
    cached_fit(rows)  # expect: ZL008
"""),
        id="step-level-cache-setting-beats-the-pipeline",
    ),
    pytest.param(
        pipe("""
@pipeline
def p():
    a = load()
    b = load()  # expect: ZL008
    summarize(a)
    summarize(b)  # expect: ZL008
"""),
        id="downstream-of-a-cache-merged-call",
    ),
    pytest.param(
        pipe("""
@pipeline
def p():
    rows = load()
    summarize(rows)
    summarize(rows)  # expect: ZL001

if __name__ == "__main__":
    p.with_options(enable_cache=False)()
"""),
        id="caching-turned-off-at-run-time",
    ),
    pytest.param(
        {
            "pipe.py": """
from typing import Annotated
from zenml import pipeline, step

@step
def per_split(rows: list, split: str) -> Annotated[list, "{split}_rows"]:
    return rows

@pipeline
def p():
    for s in ["train", "val"]:
        subs = {"split": s}
        per_split.with_options(substitutions=subs)([1], split=s)
    per_split.with_options(substitutions=dict(split="test"))([2], split="test")
"""
        },
        id="substitutions-from-a-variable-or-dict-call",
    ),
    pytest.param(
        {
            "pipe.py": """
from typing import Annotated, Tuple
from zenml import pipeline, step

@step
def only(rows: list) -> Tuple[Annotated[list, "rows"]]:
    return (rows,)

@pipeline
def p():
    only([1])
    only([2])
"""
        },
        id="one-element-tuple-return-is-one-unnamed-output",
    ),
]


@pytest.mark.parametrize("sources", CASES)
def test_matches_what_zenml_did(check, sources: dict[str, str]) -> None:  # type: ignore[no-untyped-def]
    assert check(sources, select=SELECT) == expected_markers(sources)
