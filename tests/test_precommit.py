"""The hooks in ``.pre-commit-hooks.yaml``, run by the real pre-commit on a small ZenML project.

``pre-commit try-repo`` installs zlint from a repository into a fresh virtualenv with pip
(zlint's dependencies and its build backend come from the package index, or pip's cache),
exactly as a user's ``.pre-commit-config.yaml`` would. It clones only committed files, and
this working tree may hold uncommitted work, so the tests commit a snapshot of it into a
temporary repository first. Each try-repo call installs afresh (about 5 to 10 seconds with
a warm pip cache), so the tests keep to three calls.

Deselect with ``-m "not precommit"``.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

pytestmark = pytest.mark.precommit

ROOT = Path(__file__).parent.parent
#: Upper bound for one pre-commit call (an install on a cold cache included).
TIMEOUT = 300
#: Left out of the snapshot when this tree is not a git checkout.
NOT_SHIPPED = (".git", ".venv", "__pycache__", ".pytest_cache", ".mypy_cache", ".ruff_cache")

STEPS = """
from typing import Annotated

from zenml import step


@step
def clean(rows: list, part: str) -> Annotated[list, "cleaned"]:
    return rows
"""

PIPELINE = """
from zenml import pipeline

from steps.clean import clean


@pipeline
def training():
    clean([1], part="train")
    clean([2], part="test")
"""

REPORTS = """
from zenml.client import Client


def latest():
    return Client().list_artifact_versions("cleaned")
"""


def _environment(home: Path) -> dict[str, str]:
    env = dict(os.environ)
    # A temporary pre-commit store, and git without the user's settings (hooks, signing).
    env.update(
        PRE_COMMIT_HOME=str(home / "pre-commit"),
        GIT_CONFIG_GLOBAL=os.devnull,
        GIT_CONFIG_NOSYSTEM="1",
        GIT_AUTHOR_NAME="zlint tests",
        GIT_AUTHOR_EMAIL="tests@zlint.invalid",
        GIT_COMMITTER_NAME="zlint tests",
        GIT_COMMITTER_EMAIL="tests@zlint.invalid",
    )
    # pre-commit and the hook's virtualenv run from this interpreter's environment.
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
    return env


def _git(cwd: Path, env: dict[str, str], *args: str) -> str:
    result = subprocess.run(
        ["git", *args], cwd=cwd, env=env, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    if shutil.which("git") is None:
        pytest.fail("the pre-commit tests need git on PATH")
    return _environment(tmp_path_factory.mktemp("home"))


@pytest.fixture(scope="module")
def zlint_repo(tmp_path_factory: pytest.TempPathFactory, env: dict[str, str]) -> Path:
    """A committed snapshot of this working tree, the files git would not ignore."""
    snapshot = tmp_path_factory.mktemp("zlint-repo")
    if (ROOT / ".git").exists():
        listed = _git(ROOT, env, "ls-files", "-z", "--cached", "--others", "--exclude-standard")
        for relative in filter(None, listed.split("\0")):
            source = ROOT / relative
            if source.is_file():  # a tracked file deleted in the working tree is not
                (snapshot / relative).parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(source, snapshot / relative)
    else:
        shutil.copytree(
            ROOT, snapshot, dirs_exist_ok=True, ignore=shutil.ignore_patterns(*NOT_SHIPPED)
        )
    assert (snapshot / ".pre-commit-hooks.yaml").is_file()
    _git(snapshot, env, "init", "-q")
    _git(snapshot, env, "add", "-A")
    _git(snapshot, env, "commit", "-q", "--no-verify", "-m", "snapshot")
    return snapshot


@pytest.fixture
def project(tmp_path: Path, env: dict[str, str]) -> Path:
    """A ZenML project in a git repository; nothing staged yet."""
    sources = {
        "pyproject.toml": '[project]\nname = "demo"\n\n[tool.zlint]\nextend-exclude = ["legacy"]\n',
        "steps/__init__.py": "",
        "steps/clean.py": STEPS,
        "pipelines/__init__.py": "",
        "pipelines/training.py": PIPELINE,
        "legacy/__init__.py": "",
        "legacy/old_training.py": PIPELINE,
        "reports.py": REPORTS,
    }
    for relative, text in sources.items():
        path = tmp_path / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    _git(tmp_path, env, "init", "-q")
    return tmp_path


def try_repo(
    project: Path, env: dict[str, str], repo: Path, hook: str, *files: str
) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "pre_commit", "try-repo", str(repo), hook, "--color=never"]
    if files:
        command += ["--files", *files]
    return subprocess.run(
        command, cwd=project, env=env, capture_output=True, text=True, timeout=TIMEOUT, check=False
    )


def test_check_hook_reports_the_files_it_is_given(
    project: Path, env: dict[str, str], zlint_repo: Path
) -> None:
    """The step lives in another module, and the file under ``legacy/`` is excluded by the
    project's configuration although pre-commit names it (``--force-exclude``)."""
    result = try_repo(
        project, env, zlint_repo, "zlint-check", "pipelines/training.py", "legacy/old_training.py"
    )
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert "zlint check" in output and "Failed" in output
    assert "pipelines/training.py:9:5: ZL001 " in output
    assert '9 |     clean([2], part="test")' in output  # the full format's source frame
    assert "legacy/" not in output
    assert "steps/clean.py:" not in output
    assert "Found 1 error." in output


def test_check_hook_on_a_staged_pipeline_with_unstaged_steps(
    project: Path, env: dict[str, str], zlint_repo: Path
) -> None:
    """A plain commit: only the pipeline is staged; its steps module is not even tracked."""
    _git(project, env, "add", "pyproject.toml", "pipelines/training.py")
    result = try_repo(project, env, zlint_repo, "zlint-check")
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert "pipelines/training.py:9:5: ZL001 " in output
    assert "Found 1 error." in output


def test_fix_hook_rewrites_the_file_and_stops_the_commit(
    project: Path, env: dict[str, str], zlint_repo: Path
) -> None:
    _git(project, env, "add", "reports.py")
    result = try_repo(project, env, zlint_repo, "zlint-fix", "reports.py")
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert "files were modified by this hook" in output
    fixed = (project / "reports.py").read_text(encoding="utf-8")
    assert 'Client().list_artifact_versions(name="cleaned")' in fixed
