"""``--force-exclude``: exclude and extend-exclude apply to paths named on the command line."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import write_project

from zlint.cli import main

DUPLICATE_IDS = """
from zenml import pipeline, step

@step
def load(part: str) -> list:
    return []

@pipeline
def p():
    load("a", id="load")
    load("b", id="load")
"""

QUERY = """
from zenml.client import Client

def latest():
    return Client().list_artifact_versions("cleaned")
"""


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    write_project(
        tmp_path,
        {
            "pyproject.toml": "[tool.zlint]\nextend-exclude = ['legacy', 'generated_*.py']\n",
            "pipelines/training.py": DUPLICATE_IDS,
            "legacy/old/training.py": DUPLICATE_IDS,
            "legacy/query.py": QUERY,
            "pipelines/generated_steps.py": DUPLICATE_IDS,
            ".venv/lib/site.py": DUPLICATE_IDS,
        },
    )
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.mark.parametrize(
    "path",
    [
        pytest.param("legacy/old/training.py", id="file-in-excluded-folder"),
        pytest.param("legacy", id="excluded-folder"),
        pytest.param("legacy/old", id="folder-in-excluded-folder"),
        pytest.param("pipelines/generated_steps.py", id="excluded-file-pattern"),
        pytest.param(".venv/lib/site.py", id="default-exclude"),
    ],
)
def test_excluded_paths_are_skipped_only_when_forced(
    project: Path, capsys: pytest.CaptureFixture[str], path: str
) -> None:
    assert main(["check", "--output-format", "concise", path]) == 1
    assert "ZL003" in capsys.readouterr().out
    assert main(["check", "--output-format", "concise", "--force-exclude", path]) == 0
    assert capsys.readouterr().out == "All checks passed!\n"


def test_other_paths_are_still_checked(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["check", "--output-format", "concise", "--force-exclude"]
    assert main([*argv, "pipelines/training.py", "legacy/old/training.py"]) == 1
    locations = [line.split(" ")[0] for line in capsys.readouterr().out.splitlines()]
    assert [loc for loc in locations if loc.endswith(":")] == ["pipelines/training.py:10:5:"]
    assert main([*argv, "."]) == 1  # the root itself is never excluded
    assert "legacy" not in capsys.readouterr().out


def test_fix_skips_force_excluded_files(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    query = project / "legacy" / "query.py"
    before = query.read_text(encoding="utf-8")
    assert main(["fix", "--force-exclude", "legacy/query.py"]) == 0
    assert query.read_text(encoding="utf-8") == before
    assert main(["fix", "legacy/query.py"]) == 0
    assert 'list_artifact_versions(name="cleaned")' in query.read_text(encoding="utf-8")
