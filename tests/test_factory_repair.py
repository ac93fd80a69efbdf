"""ZL004's fix: a simple step factory rewritten into the form ZenML can load."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import write_project

from zlint.cli import main

FACTORY = """
from typing import Annotated

from zenml import step


def make_scaler(label: str, factor: float = 1.0):
    @step(enable_cache=False)
    def scale(values: list) -> Annotated[list, f"{label}_scaled"]:
        return [v * factor for v in values]

    return scale
"""
PIPELINE = """
from zenml import pipeline

from scalers import make_scaler


@pipeline
def scaling():
    make_scaler("double", 2.0)([1, 2])
    triple = make_scaler("triple", factor=3.0)
    triple([3])
"""


def findings(root: Path, capsys: pytest.CaptureFixture[str]) -> list[dict[str, object]]:
    capsys.readouterr()
    main(["check", str(root), "--select", "ZL004", "--output-format", "json"])
    found: list[dict[str, object]] = json.loads(capsys.readouterr().out)
    return found


def test_simple_factory_is_rewritten(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_project(tmp_path, {"scalers.py": FACTORY, "pipe.py": PIPELINE})
    assert all(d["fix"] is not None for d in findings(tmp_path, capsys))
    main(["fix", str(tmp_path), "--unsafe-fixes"])
    scalers = (tmp_path / "scalers.py").read_text(encoding="utf-8")
    pipe = (tmp_path / "pipe.py").read_text(encoding="utf-8")
    assert "    def scale(values: list)" in scalers and "@step" not in scalers
    assert 'scale.__name__ = scale.__qualname__ = f"scale_{label}"' in scalers
    assert "globals()[scale.__name__] = step(enable_cache=False)(scale)" in scalers
    assert 'scale_double = make_scaler("double", 2.0)' in scalers
    assert 'scale_triple = make_scaler("triple", factor=3.0)' in scalers
    assert "scale_double([1, 2])" in pipe and "triple = scale_triple\n" in pipe
    assert "from scalers import scale_double, scale_triple" in pipe
    assert findings(tmp_path, capsys) == []


def test_fix_is_unsafe(tmp_path: Path) -> None:
    write_project(tmp_path, {"scalers.py": FACTORY, "pipe.py": PIPELINE})
    main(["fix", str(tmp_path)])
    assert "@step(enable_cache=False)" in (tmp_path / "scalers.py").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("factory", "pipeline"),
    [
        pytest.param(FACTORY, PIPELINE.replace('"triple"', "label"), id="computed-argument"),
        pytest.param(
            FACTORY,
            PIPELINE.replace('make_scaler("triple", factor=3.0)', 'make_scaler("double", 3.0)'),
            id="same-name-other-arguments",
        ),
        pytest.param(
            FACTORY.replace("    return scale\n", "    print(label)\n    return scale\n"),
            PIPELINE,
            id="more-in-the-body",
        ),
        pytest.param(
            FACTORY + "\n\ndef helper(label):\n    return make_scaler(label)\n",
            PIPELINE.replace(
                "from scalers import make_scaler", "from scalers import helper, make_scaler"
            ).replace('triple = make_scaler("triple", factor=3.0)', 'triple = helper("triple")'),
            id="through-a-helper",
        ),
        pytest.param(FACTORY, "scale_double = 1\n" + PIPELINE, id="name-taken"),
    ],
)
def test_no_fix_when_not_simple(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], factory: str, pipeline: str
) -> None:
    write_project(tmp_path, {"scalers.py": factory, "pipe.py": pipeline})
    found = findings(tmp_path, capsys)
    assert found and all(d["fix"] is None for d in found)
