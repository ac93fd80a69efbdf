"""The package itself passes `mypy --strict` and `ruff` (lint and format)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).parent.parent


@pytest.mark.parametrize(
    "command",
    [
        pytest.param([sys.executable, "-m", "mypy"], id="mypy-strict"),
        pytest.param([sys.executable, "-m", "ruff", "check", "zlint", "tests"], id="ruff-check"),
        pytest.param(
            [sys.executable, "-m", "ruff", "format", "--check", "zlint", "tests"], id="ruff-format"
        ),
    ],
)
def test_tool_passes(command: list[str]) -> None:
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
