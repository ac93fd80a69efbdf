"""What a remote orchestrator or step operator does with the steps of
``fixtures/wrapper_steps``: import each step's module by name, alone, in a fresh process,
and read the step from it (``BaseStep.load_from_source``). Steps made by a decorator with
``functools.wraps`` load from the decorated function's module; the one whose wrapper lacks
``wraps`` (zlint's ZL004 there) does not load."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from truth.harness import zenml_env

pytestmark = pytest.mark.truth

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "wrapper_steps"
LOADER = """
import sys
from zenml.steps import BaseStep
from shop import legacy, steps

for step in [steps.clean, steps.sample, steps.split, steps.fetch, steps.score, legacy.dedupe]:
    print("SOURCE", step.resolve().import_path, step.name)
"""
LOAD = """
import sys
from zenml.steps import BaseStep

try:
    step = BaseStep.load_from_source(sys.argv[1])
except Exception as exc:
    print("FAILED", type(exc).__name__, exc)
else:
    print("LOADED", step.name)
"""


def _python(project: Path, tmp: Path, code: str, *args: str) -> str:
    """Runs ``code`` as a script of the project (ZenML's source root is its folder)."""
    script = project / "zlint_probe.py"
    script.write_text(code, encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, script.name, *args],
        cwd=project,
        env=zenml_env(tmp / ".zenconfig", project),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    return proc.stdout


def test_sources_and_fresh_process_loading(tmp_path: Path) -> None:
    project = tmp_path / "wrapper_steps"
    shutil.copytree(FIXTURE, project, ignore=shutil.ignore_patterns("__pycache__"))
    sources = {
        line.split()[1]: line.split()[2]
        for line in _python(project, tmp_path, LOADER).splitlines()
        if line.startswith("SOURCE ")
    }
    assert sources == {
        "shop.steps.clean": "clean",
        "shop.steps.sample": "sample",
        "shop.steps.split": "split",
        "shop.steps.fetch": "fetch",
        "shop.steps.score": "score_batch",
        "tracing.decorators.wrapper": "wrapper",
    }
    for source, name in sources.items():
        out = _python(project, tmp_path, LOAD, source)
        if source.startswith("shop."):
            assert out.strip() == f"LOADED {name}", out
        else:
            assert out.startswith("FAILED AttributeError"), out
