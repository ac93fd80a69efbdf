"""Rules per ZenML release: a finding only where its failure or collision happens on some
release the project admits (the message names which when not all do), a fix only where it
works on all of them (facts: zlint/model/releases.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import Finding, check_tree, findings, target, write_project

from zlint.model.releases import Target

NAMED = """
from typing import Annotated
from {module} import {step}
from zenml import pipeline

@{step}
def scale(values: list, factor: float) -> Annotated[list, "scaled"]:
    return values

@pipeline
def scaling():
    scale([1], factor=2.0)
    scale([2], factor=3.0)
"""


def _run(tmp_path: Path, source: str, pin: Target, select: list[str]) -> list[Finding]:
    write_project(tmp_path, {"pipe.py": source})
    return findings(check_tree(tmp_path, select=select, target=pin), tmp_path)


def _messages(tmp_path: Path, source: str, pin: Target, select: list[str]) -> list[str]:
    write_project(tmp_path, {"pipe.py": source})
    result = check_tree(tmp_path, select=select, target=pin)
    assert not result.errors
    return [d.message for d in result.diagnostics]


# -- the legacy class-based decorators (before 0.68.0) -------------------------------------


@pytest.mark.parametrize(
    ("module", "step", "pin", "found"),
    [
        pytest.param("zenml", "step", target("0.55.5"), True, id="zenml.step-0.55"),
        # Before 0.68.0 zenml.steps.step is the legacy decorator: its "steps" are classes
        # that a legacy pipeline instantiates, which zlint does not model.
        pytest.param("zenml.steps", "step", target("0.55.5"), False, id="legacy-0.55"),
        pytest.param("zenml.steps", "step", target("0.70.0"), True, id="zenml.steps.step-0.70"),
        pytest.param("zenml.steps", "step", target("0.65.0", "0.70.0"), True, id="range"),
        pytest.param(
            "zenml.new.steps.step_decorator", "step", target("0.55.5"), True, id="zenml.new-0.55"
        ),
    ],
)
def test_which_step_decorator_the_target_has(
    tmp_path: Path, module: str, step: str, pin: Target, found: bool
) -> None:
    source = NAMED.format(module=module, step=step)
    assert bool(_run(tmp_path, source, pin, ["ZL001"])) == found


def test_a_legacy_pipeline_decorator_is_not_a_pipeline_before_0_68(tmp_path: Path) -> None:
    source = NAMED.format(module="zenml", step="step").replace(
        "from zenml import pipeline", "from zenml.pipelines import pipeline"
    )
    assert _run(tmp_path, source, target("0.60.0"), ["ZL001"]) == []
    assert _run(tmp_path, source, target("0.68.0"), ["ZL001"]) != []
