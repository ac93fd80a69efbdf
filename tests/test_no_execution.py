"""zlint never imports or runs the code it checks, nor the code it fixes.

Every module of the project below would leave a marker file and end the process with exit
code 3 if it were imported: at module top level, in a package ``__init__``, a ``conftest.py``,
a ``setup.py``, and modules named like the standard-library and third-party modules zlint
itself imports (a project's ``json.py`` must not shadow the real one).
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import write_project

from zlint.cli import main


def _trap(marker: Path, name: str, *, exit_too: bool = True) -> str:
    exit_line = "os._exit(3)\n" if exit_too else ""
    return (
        "import os\n"
        f"with open({str(marker)!r}, 'a', encoding='utf-8') as _marker:\n"
        f"    _marker.write({name!r} + '\\n')\n"
        f"{exit_line}"
    )


PIPELINE = """
from typing import Annotated

from zenml import pipeline, step

from pkg.steps import load


@step
def clean(rows: list) -> Annotated[list, "cleaned"]:
    return rows


@pipeline
def training():
    clean(load("train"))
    clean(load("test"))
"""

STEPS = """
from zenml import step


@step
def load(split: str) -> list:
    return [split]
"""

#: Names of modules that zlint, click, LibCST or the standard library import while running.
SHADOWING = ("json", "difflib", "tempfile", "hashlib", "textwrap", "tokenize", "click", "libcst")


def _trapped_project(root: Path, marker: Path, *, exit_too: bool = True) -> None:
    def trap(name: str) -> str:
        return _trap(marker, name, exit_too=exit_too)

    sources = {
        "setup.py": trap("setup.py") + "from setuptools import setup\nsetup(name='sample')\n",
        "conftest.py": trap("conftest.py"),
        "pkg/__init__.py": trap("pkg/__init__.py"),
        "pkg/steps.py": trap("pkg/steps.py") + textwrap.dedent(STEPS),
        "pkg/pipelines.py": trap("pkg/pipelines.py") + textwrap.dedent(PIPELINE),
        "run.py": trap("run.py") + "from pkg.pipelines import training\ntraining()\n",
        "tests/conftest.py": trap("tests/conftest.py"),
        **{f"{name}.py": trap(f"{name}.py") for name in SHADOWING},
    }
    write_project(root, {name: text for name, text in sources.items()})


@pytest.fixture
def project(tmp_path: Path) -> Iterator[tuple[Path, Path]]:
    root, marker = tmp_path / "proj", tmp_path / "imported.txt"
    root.mkdir()
    _trapped_project(root, marker)
    yield root, marker


def _console_script() -> Path:
    script = Path(sys.executable).with_name("zlint")
    if not script.exists():
        pytest.skip("the zlint console script is not installed next to this Python")
    return script


@pytest.mark.parametrize(
    ("args", "exit_codes"),
    [
        pytest.param(["check", "."], {1}, id="check"),
        pytest.param(["check", "pkg/pipelines.py"], {1}, id="check-one-file"),
        pytest.param(["check", ".", "--select", "ALL", "--output-format", "json"], {1}, id="all"),
        pytest.param(["check", ".", "--diff"], {0, 1}, id="diff"),
        pytest.param(["check", ".", "--fix", "--unsafe-fixes"], {0, 1}, id="check-fix"),
        pytest.param(["fix", "."], {0, 1}, id="fix"),
    ],
)
def test_the_command_line_never_imports_the_project(
    project: tuple[Path, Path], args: list[str], exit_codes: set[int]
) -> None:
    root, marker = project
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    done = subprocess.run(
        [str(_console_script()), *args],
        cwd=root,  # the project's folder, as pre-commit runs it
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert not marker.exists(), marker.read_text(encoding="utf-8")
    assert done.returncode in exit_codes, done.stdout + done.stderr
    assert "internal error" not in done.stderr


def test_python_dash_m_with_safe_path_never_imports_the_project(
    project: tuple[Path, Path],
) -> None:
    # Plain `python -m zlint` puts the current folder first on sys.path, as for every module
    # run that way: a project's json.py would shadow the real one. -P (3.11+) prevents it.
    if sys.version_info < (3, 11):
        pytest.skip("python -P is new in 3.11")
    root, marker = project
    command = [sys.executable, "-P", "-m", "zlint", "check", "."]
    done = subprocess.run(command, cwd=root, capture_output=True, text=True, timeout=300)
    assert not marker.exists(), marker.read_text(encoding="utf-8")
    assert done.returncode == 1, done.stdout + done.stderr


def test_in_process_check_and_fix_import_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # In this process a trap must not end the run: it only leaves its marker.
    root, marker = tmp_path / "proj", tmp_path / "imported.txt"
    root.mkdir()
    _trapped_project(root, marker, exit_too=False)
    monkeypatch.chdir(root)
    monkeypatch.syspath_prepend(str(root))  # even importable, nothing is imported
    before = set(sys.modules)
    assert main(["check", "."]) == 1
    assert main(["fix", "."]) in (0, 1)
    capsys.readouterr()
    assert not marker.exists(), marker.read_text(encoding="utf-8")
    assert {name for name in set(sys.modules) - before if name.split(".")[0] == "pkg"} == set()
