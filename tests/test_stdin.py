"""Source on standard input (``zlint check|fix --stdin-filename NAME -``), as editors use it."""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import write_project

from zlint.cli import main

STEPS = """
from typing import Annotated
from zenml import step

@step
def clean(rows: list) -> Annotated[list, "cleaned"]:
    return rows
"""

#: Calls a step of another module twice: ZL001, whose fix would edit steps/s.py too.
COLLIDING = """\
from zenml import pipeline
from steps.s import clean

@pipeline
def p():
    clean([1])
    clean([2])
"""

CLEAN = """\
from zenml import pipeline
from steps.s import clean

@pipeline
def p():
    clean([1])
"""

#: ZL014 with a fix confined to this file.
POSITIONAL = """\
from zenml.client import Client

versions = Client().list_artifact_versions("features")
"""
POSITIONAL_FIXED = POSITIONAL.replace('("features")', '(name="features")')

UNPARSABLE = "x = (\n"


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    write_project(
        tmp_path,
        {
            "pyproject.toml": '[tool.zlint]\nextend-exclude = ["generated"]\n',
            "steps/__init__.py": "",
            "steps/s.py": STEPS,
            "pipe.py": COLLIDING,
            "clean.py": CLEAN,
            "sub/zlint.toml": 'ignore = ["ZL014"]\n',
        },
    )
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _feed(monkeypatch: pytest.MonkeyPatch, data: bytes) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data), encoding="utf-8"))


def _tree(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


@pytest.mark.parametrize(
    ("argv", "text", "exit_code", "expected"),
    [
        pytest.param(
            ["--stdin-filename", "src/new.py", "-"],
            COLLIDING,
            1,
            "src/new.py:7:5: ZL001 ",
            id="absent-file-resolves-steps-of-other-modules",
        ),
        pytest.param(
            ["--stdin-filename", "src/new.py", "-"], CLEAN, 0, "All checks passed!", id="clean"
        ),
        pytest.param(
            ["--stdin-filename", "pipe.py", "-"],
            CLEAN,
            0,
            "All checks passed!",
            id="stdin-replaces-the-file-on-disk",
        ),
        pytest.param(
            ["--stdin-filename", "clean.py", "-"],
            COLLIDING,
            1,
            "clean.py:7:5: ZL001 ",
            id="stdin-replaces-a-clean-file-on-disk",
        ),
        pytest.param(["-"], COLLIDING, 1, "-:7:5: ZL001 ", id="placeholder-name-from-cwd"),
        pytest.param(
            ["--stdin-filename", "src/new.py"], COLLIDING, 1, "src/new.py:7:5", id="dash-implied"
        ),
        pytest.param(
            ["--stdin-filename", "sub/x.py", "-"],
            POSITIONAL,
            0,
            "All checks passed!",
            id="config-found-from-the-filename",
        ),
        pytest.param(
            ["--stdin-filename", "x.py", "-"],
            POSITIONAL,
            1,
            "x.py:3:44: ZL014",
            id="config-of-another-folder",
        ),
        pytest.param(
            ["--stdin-filename", "generated/x.py", "--force-exclude", "-"],
            COLLIDING,
            0,
            "All checks passed!",
            id="force-excluded",
        ),
        pytest.param(
            ["--stdin-filename", "generated/x.py", "-"],
            COLLIDING,
            1,
            "generated/x.py:7:5: ZL001",
            id="excluded-but-named",
        ),
        pytest.param(
            ["--stdin-filename", "new.py", "-"],
            UNPARSABLE,
            1,
            "new.py:1:5: ZL000 syntax error",
            id="unparsable",
        ),
        pytest.param(
            ["--stdin-filename", "new.py", "--exit-zero", "-"],
            COLLIDING,
            0,
            "new.py:7:5: ZL001",
            id="exit-zero",
        ),
        pytest.param(
            ["--stdin-filename", "new.py", "--statistics", "-"],
            COLLIDING,
            1,
            "1\tZL001\trepeated-step-artifact-collision",
            id="statistics",
        ),
        pytest.param(
            ["--stdin-filename", "new.py", "--show-files", "-"],
            COLLIDING,
            0,
            "new.py",
            id="show-files",
        ),
    ],
)
def test_check(
    project: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    argv: list[str],
    text: str,
    exit_code: int,
    expected: str,
) -> None:
    _feed(monkeypatch, text.encode())
    before = _tree(project)
    assert main(["check", "--output-format", "full", *argv]) == exit_code
    out = capsys.readouterr().out
    assert expected in out
    assert _tree(project) == before


def test_full_format_shows_the_stdin_text_not_the_disk(
    project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _feed(monkeypatch, COLLIDING.replace("clean([2])", "clean([2])  # from stdin").encode())
    assert main(["check", "--stdin-filename", "clean.py", "-"]) == 1
    assert "7 |     clean([2])  # from stdin" in capsys.readouterr().out


def test_json_names_the_file_and_links_the_rule(
    project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _feed(monkeypatch, COLLIDING.encode())
    assert main(["check", "--stdin-filename", "src/new.py", "--output-format", "json", "-"]) == 1
    [item] = json.loads(capsys.readouterr().out)
    assert item["filename"] == str(project.resolve() / "src" / "new.py")
    assert item["url"].endswith("/rules/ZL001.md")
    # Its fix would edit steps/s.py as well, which stdin cannot: shown, never applied.
    assert item["fix"]["applicability"] == "display-only"


def test_other_paths_are_ignored_with_a_warning(
    project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _feed(monkeypatch, CLEAN.encode())
    assert main(["check", "--stdin-filename", "new.py", "pipe.py"]) == 0
    assert "ignoring pipe.py in favour of standard input" in capsys.readouterr().err


def test_add_ignore_refuses_stdin(
    project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _feed(monkeypatch, COLLIDING.encode())
    assert main(["check", "--add-ignore", "-"]) == 2
    assert "standard input" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("argv", "data", "exit_code", "stdout", "stderr"),
    [
        pytest.param(
            ["fix", "--stdin-filename", "new.py", "-"],
            POSITIONAL.encode(),
            0,
            POSITIONAL_FIXED.encode(),
            "Fixed 1 error.",
            id="fixed",
        ),
        pytest.param(
            ["check", "--fix", "--stdin-filename", "new.py", "-"],
            POSITIONAL.encode(),
            0,
            POSITIONAL_FIXED.encode(),
            "Fixed 1 error.",
            id="check-fix",
        ),
        pytest.param(
            ["fix", "--stdin-filename", "new.py", "-"],
            CLEAN.encode(),
            0,
            CLEAN.encode(),
            "Fixed 0 errors.",
            id="nothing-to-fix-echoes",
        ),
        pytest.param(
            ["fix", "--stdin-filename", "new.py", "-"],
            COLLIDING.encode(),
            1,
            COLLIDING.encode(),
            "new.py:7:5: ZL001 Step",  # no [*]: its fix would edit another file
            id="fix-editing-other-files-not-applied",
        ),
        pytest.param(
            ["fix", "--stdin-filename", "new.py", "-"],
            UNPARSABLE.encode(),
            1,
            UNPARSABLE.encode(),
            "ZL000 syntax error",
            id="unparsable-echoed",
        ),
        pytest.param(
            ["fix", "--stdin-filename", "generated/x.py", "--force-exclude", "-"],
            POSITIONAL.encode(),
            0,
            POSITIONAL.encode(),
            "",
            id="force-excluded-echoed",
        ),
        pytest.param(
            ["fix", "--fix-only", "--stdin-filename", "new.py", "-"],
            (POSITIONAL + COLLIDING.split("\n", 2)[2]).encode(),
            0,
            (POSITIONAL_FIXED + COLLIDING.split("\n", 2)[2]).encode(),
            "Fixed 1 error.",
            id="fix-only",
        ),
        pytest.param(
            ["fix", "--stdin-filename", "new.py", "-"],
            POSITIONAL.replace("\n", "\r\n").encode(),
            0,
            POSITIONAL_FIXED.replace("\n", "\r\n").encode(),
            "Fixed 1 error.",
            id="crlf-kept",
        ),
        pytest.param(
            ["fix", "--stdin-filename", "new.py", "-"],
            b"\xef\xbb\xbf" + POSITIONAL.encode(),
            0,
            b"\xef\xbb\xbf" + POSITIONAL_FIXED.encode(),
            "Fixed 1 error.",
            id="bom-kept",
        ),
        pytest.param(
            ["fix", "--stdin-filename", "new.py", "-"],
            ("# -*- coding: latin-1 -*-\n# café\n" + POSITIONAL).encode("latin-1"),
            0,
            ("# -*- coding: latin-1 -*-\n# café\n" + POSITIONAL_FIXED).encode("latin-1"),
            "Fixed 1 error.",
            id="declared-encoding-kept",
        ),
        pytest.param(
            ["fix", "--stdin-filename", "new.py", "-"],
            b"x = '\xff'\n",
            1,
            b"x = '\xff'\n",
            "ZL000 cannot decode file as utf-8",
            id="undecodable-echoed",
        ),
        pytest.param(
            ["fix", "--diff", "--stdin-filename", "new.py", "-"],
            POSITIONAL.encode(),
            1,
            b'+versions = Client().list_artifact_versions(name="features")\n',
            "",
            id="diff",
        ),
    ],
)
def test_fix(
    project: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsysbinary: pytest.CaptureFixture[bytes],
    argv: list[str],
    data: bytes,
    exit_code: int,
    stdout: bytes,
    stderr: str,
) -> None:
    _feed(monkeypatch, data)
    before = _tree(project)
    assert main(argv) == exit_code
    captured = capsysbinary.readouterr()
    if "--diff" in argv:
        assert stdout in captured.out
    else:
        assert captured.out == stdout
    assert stderr.encode() in captured.err
    assert _tree(project) == before  # nothing written, not even the file named


def test_fix_of_an_existing_file_leaves_it_alone(
    project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (project / "query.py").write_text(POSITIONAL, encoding="utf-8")
    _feed(monkeypatch, POSITIONAL.encode())
    assert main(["fix", "--stdin-filename", "query.py", "-"]) == 0
    assert capsys.readouterr().out == POSITIONAL_FIXED
    assert (project / "query.py").read_text(encoding="utf-8") == POSITIONAL


def _console_script() -> Path:
    found = Path(sys.executable).parent / "zlint"
    if not found.exists():
        which = shutil.which("zlint")
        if which is None:
            pytest.skip("the zlint console script is not installed")
        found = Path(which)
    return found


@pytest.mark.parametrize(
    ("argv", "data", "exit_code", "stdout"),
    [
        pytest.param(
            ["check", "--output-format", "concise", "--stdin-filename", "src/new.py", "-"],
            COLLIDING,
            1,
            os.path.join("src", "new.py") + ":7:5: ZL001 ",
            id="check",
        ),
        pytest.param(
            ["fix", "--stdin-filename", "src/new.py", "-"],
            POSITIONAL,
            0,
            POSITIONAL_FIXED,
            id="fix",
        ),
    ],
)
def test_console_script_with_real_stdin(
    project: Path, argv: list[str], data: str, exit_code: int, stdout: str
) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    done = subprocess.run(
        [str(_console_script()), *argv],
        cwd=project,
        env=env,
        input=data.encode(),
        capture_output=True,
        timeout=300,
    )
    assert done.returncode == exit_code, done.stderr.decode()
    assert stdout.encode() in done.stdout
    if argv[0] == "fix":
        assert done.stdout == stdout.encode()


def test_readme_documents_stdin_and_rule_json() -> None:
    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    for text in ("--stdin-filename FILE", "zlint rule --all --output-format json", "`.pyi`"):
        assert text in readme, text


TEMPLATED = """\
from typing import Annotated
from zenml import pipeline, step

@step
def make() -> Annotated[list, "{split}_rows"]:
    return []

@pipeline
def p():
    make()
"""


@pytest.mark.parametrize(
    ("text", "exit_code"),
    [
        pytest.param(TEMPLATED, 1, id="stdin-drops-the-with-options-on-disk"),
        pytest.param(
            TEMPLATED + 'p.with_options(substitutions={"split": "a"})()\n', 0, id="stdin-keeps-it"
        ),
    ],
)
def test_run_configuration_is_read_from_stdin_not_the_disk(
    project: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    text: str,
    exit_code: int,
) -> None:
    on_disk = TEMPLATED + 'p.with_options(substitutions={"split": "a"})()\n'
    (project / "templated.py").write_text(on_disk, encoding="utf-8")
    _feed(monkeypatch, text.encode())
    assert (
        main(["check", "--select", "ZL005", "--stdin-filename", "templated.py", "-"]) == exit_code
    )
    assert ("ZL005" in capsys.readouterr().out) is bool(exit_code)


def _notebook(*cells: str) -> bytes:
    return json.dumps(
        {
            "cells": [
                {"cell_type": "code", "metadata": {}, "source": [c], "outputs": []} for c in cells
            ],
            "metadata": {},
            "nbformat": 4,
            "nbformat_minor": 5,
        }
    ).encode()


def test_notebook_on_stdin_is_checked_by_cell_and_echoed_by_fix(
    project: Path, monkeypatch: pytest.MonkeyPatch, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    data = _notebook("from zenml.client import Client\n", POSITIONAL.splitlines()[-1] + "\n")
    _feed(monkeypatch, data)
    assert main(["check", "--output-format", "concise", "--stdin-filename", "nb.ipynb", "-"]) == 1
    assert b"nb.ipynb:cell 2:1:" in capsysbinary.readouterr().out
    _feed(monkeypatch, data)
    assert main(["fix", "--stdin-filename", "nb.ipynb", "-"]) == 1  # not applied to notebooks
    captured = capsysbinary.readouterr()
    assert captured.out == data
    assert b"ZL014 The first" in captured.err  # no [*]
