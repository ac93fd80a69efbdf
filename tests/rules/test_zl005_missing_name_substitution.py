"""ZL005 missing-name-substitution: a `{placeholder}` in an output name that nothing fills."""

from __future__ import annotations

import pytest
from conftest import expected_markers

STEP = """
from typing import Annotated
from zenml import ArtifactConfig, pipeline, step

@step
def featurize(rows: list, split: str = "train") -> Annotated[list, "{split}_features"]:  # expect: ZL005
    return rows
"""

STEP_CLEAN = STEP.replace("  # expect: ZL005", "")


def pipe(step_source: str, body: str) -> dict[str, str]:
    return {"pipe.py": step_source + body}


CLEAN = [
    pytest.param(
        pipe(
            STEP_CLEAN,
            """
@pipeline
def p():
    featurize.with_options(substitutions={"split": "train"})([1])
""",
        ),
        id="per-call-substitution",
    ),
    pytest.param(
        pipe(
            STEP_CLEAN,
            """
@pipeline(substitutions={"split": "all"})
def p():
    featurize([1])
""",
        ),
        id="pipeline-substitution",
    ),
    pytest.param(
        pipe(
            STEP_CLEAN.replace("@step\n", '@step(substitutions={"split": "x"})\n'),
            """
@pipeline
def p():
    featurize([1])
""",
        ),
        id="step-decorator-substitution",
    ),
    pytest.param(
        pipe(
            STEP_CLEAN,
            """
@pipeline
def p():
    featurize.configure(substitutions={"split": "x"})
    featurize([1])
""",
        ),
        id="configure-in-the-body",
    ),
    pytest.param(
        pipe(
            STEP_CLEAN,
            """
train_features = featurize.with_options(substitutions={"split": "train"})

@pipeline
def p():
    train_features([1])
""",
        ),
        id="module-level-alias-with-substitution",
    ),
    pytest.param(
        pipe(
            STEP_CLEAN,
            """
SUBS = {"split": "x"}

@pipeline(substitutions=SUBS)
def p():
    featurize([1])
""",
        ),
        id="pipeline-substitutions-from-a-variable",
    ),
    pytest.param(
        pipe(
            STEP_CLEAN,
            """
@pipeline
def p():
    featurize([1])

if __name__ == "__main__":
    p.with_options(substitutions={"split": "cli"})()
""",
        ),
        id="pipeline-configured-at-run-time",
    ),
    pytest.param(
        {
            **pipe(
                STEP_CLEAN,
                """
@pipeline
def p():
    featurize([1])
""",
            ),
            "configs/run.yaml": "substitutions:\n  split: yaml\n",
        },
        id="yaml-run-configuration",
    ),
    pytest.param(
        pipe(
            """
from typing import Annotated
from zenml import pipeline, step

@step
def stamp(rows: list) -> Annotated[list, "rows_{date}_{time}"]:
    return rows
""",
            """
@pipeline
def p():
    stamp([1])
""",
        ),
        id="date-and-time-are-always-filled",
    ),
    pytest.param(pipe(STEP_CLEAN, ""), id="step-never-called"),
]

FINDINGS = [
    pytest.param(
        pipe(
            STEP,
            """
@pipeline
def p():
    featurize([1], split="train")
""",
        ),
        id="parameter-of-the-same-name-does-not-count",
    ),
    pytest.param(
        pipe(
            STEP,
            """
@pipeline
def p():
    featurize.with_options(substitutions={"other": "x"})([1])
""",
        ),
        id="substitution-for-another-key",
    ),
    pytest.param(
        pipe(
            STEP,
            """
@pipeline
def p():
    featurize.with_options(substitutions={"split": "train"})([1])

@pipeline
def q():
    featurize([2])
""",
        ),
        id="one-of-two-pipelines-misses-it",
    ),
    pytest.param(
        {
            "steps.py": STEP,
            "pipe.py": """
from zenml import pipeline
from steps import featurize

@pipeline
def p():
    featurize([1])
""",
        },
        id="step-in-another-module",
    ),
    pytest.param(
        pipe(
            """
from typing import Annotated
from zenml import ArtifactConfig, pipeline, step

@step
def featurize(rows: list) -> Annotated[list, ArtifactConfig(name="{table}_{split}")]:  # expect: ZL005
    return rows
""",
            """
@pipeline
def p():
    featurize([1])
""",
        ),
        id="artifact-config-two-placeholders",
    ),
]


@pytest.mark.parametrize("sources", CLEAN)
def test_clean(check, sources: dict[str, str]) -> None:  # type: ignore[no-untyped-def]
    assert check(sources, select=["ZL005"]) == []


@pytest.mark.parametrize("sources", FINDINGS)
def test_findings(check, sources: dict[str, str]) -> None:  # type: ignore[no-untyped-def]
    assert check(sources, select=["ZL005"]) == expected_markers(sources)


def test_message_names_the_parameter_pitfall(check, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from conftest import check_tree

    check(FINDINGS[0].values[0])
    [finding] = check_tree(tmp_path, select=["ZL005"]).diagnostics
    assert "Placeholder `{split}`" in finding.message
    assert "a step parameter named `split` does not fill it" in finding.message
