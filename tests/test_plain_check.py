"""A check in which no file needs a tree skips LibCST and the rules (zlint/fastpath/plain_check.py):
its result must be the one the engine gives, field for field."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import load_settings, write_project

from zlint import config, engine
from zlint.fastpath import plain_check, triage
from zlint.inputs import embedded, files
from zlint.results import CheckResult

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


def _both(
    root: Path, paths: list[Path], select: list[str] | None = None
) -> tuple[CheckResult | None, CheckResult]:
    """The plain check's result (None when some file wants a tree) and the engine's."""
    settings = load_settings(root)
    if select is not None:
        settings = config.with_overrides(settings, select=select)
    found = files.discover(paths, settings)
    sorting = triage.start(
        settings, found.reported, found.project, embedded.read_text, parallel=False
    )
    plain = None
    if not sorting.first_wanted():
        plain = plain_check.plain_check(
            settings, found.reported, sorting.verdicts, sorting.hints, sorting.chooser.names
        )
    return plain, engine.check_project(settings, found.reported, found.project)


def _fields(result: CheckResult) -> tuple[object, ...]:
    return (
        result.diagnostics,
        [(e.path, e.where, e.message) for e in result.errors],
        result.files_checked,
        result.inputs,
        result.listed_yaml,
        result.syntax_only,
        result.hints,
        result.decorator_names,
        result.scan_only,
        result.searched,
    )


def _fixture_files() -> list[Path]:
    return sorted(
        p
        for p in FIXTURES.rglob("*")
        if p.suffix in (".py", ".ipynb") and "__pycache__" not in str(p)
    )


@pytest.mark.parametrize("path", _fixture_files(), ids=lambda p: str(p.relative_to(FIXTURES)))
def test_each_fixture_file_alone(path: Path) -> None:
    root = FIXTURES / path.relative_to(FIXTURES).parts[0]
    plain, full = _both(root, [path])
    if plain is not None:
        assert _fields(plain) == _fields(full)


def test_most_fixture_files_that_are_plain_take_the_plain_path() -> None:
    plain = 0
    for path in _fixture_files():
        root = FIXTURES / path.relative_to(FIXTURES).parts[0]
        plain += _both(root, [path])[0] is not None
    assert plain >= 5  # helpers, constants and config modules of the fixture projects


BAD = {
    "ok.py": "VALUE = 1\n",
    "broken.py": "def f(:\n",
    "returns.py": "return 1\n",  # a compiler error, not a parser one
    "ignored.py": "def g(:\n",
    "imports_factory.py": "from factories import make\nstep_a = make('a')\n",
    "factories.py": "def helper():\n    return 1\n",
    "pyproject.toml": "[tool.zlint.per-file-ignores]\n'ignored.py' = ['ZL000']\n",
}


@pytest.mark.parametrize("select", [None, ["ALL"], ["ZL001"]], ids=["default", "all", "no-zl000"])
def test_syntax_errors_ignores_and_selection(tmp_path: Path, select: list[str] | None) -> None:
    write_project(tmp_path, BAD)
    (tmp_path / "latin.py").write_bytes(b"NAME = '\xe9'\n")  # not UTF-8, no coding line
    paths = sorted(tmp_path.glob("*.py"))
    plain, full = _both(tmp_path, paths, select)
    assert plain is not None
    assert _fields(plain) == _fields(full)
    assert plain.diagnostics or select == ["ZL001"]


def test_a_file_that_wants_a_tree_goes_to_the_engine(tmp_path: Path) -> None:
    write_project(
        tmp_path, {"steps.py": "from zenml import step\n\n@step\ndef s() -> int:\n    return 1\n"}
    )
    plain, _ = _both(tmp_path, [tmp_path / "steps.py"])
    assert plain is None


def test_checking_a_plain_file_does_not_import_libcst(tmp_path: Path) -> None:
    write_project(tmp_path, {"plain.py": "VALUE = 1\n", "bad.py": "def f(:\n"})
    script = (
        "import sys\n"
        "from zlint import cli\n"
        f"code = cli.main(['check', {str(tmp_path / 'plain.py')!r}, {str(tmp_path / 'bad.py')!r},"
        " '--no-cache', '--output-format', 'concise'])\n"
        "print('exit', code)\n"
        "print('libcst' in sys.modules)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, cwd=tmp_path
    )
    lines = done.stdout.strip().splitlines()
    assert lines[-1] == "False", done.stdout + done.stderr
    assert lines[-2] == "exit 1"
    assert "bad.py:1:7: ZL000" in done.stdout


def _notebook(*cells: str) -> str:
    return json.dumps(
        {
            "cells": [
                {
                    "cell_type": "code",
                    "metadata": {},
                    "source": c,
                    "outputs": [],
                    "execution_count": None,
                }
                for c in cells
            ],
            "metadata": {"kernelspec": {"language": "python", "name": "python3"}},
            "nbformat": 4,
            "nbformat_minor": 5,
        }
    )


def test_notebooks_report_at_their_cells(tmp_path: Path) -> None:
    write_project(
        tmp_path,
        {
            "plain.ipynb": _notebook("x = 1\n", "y = x + 1\n"),
            "broken.ipynb": _notebook("x = 1\n", "def f(:\n    pass\n"),
            "magic.ipynb": _notebook("%matplotlib inline\n", "z = 2\n"),
        },
    )
    paths = sorted(tmp_path.glob("*.ipynb"))
    plain, full = _both(tmp_path, paths)
    assert plain is not None
    assert _fields(plain) == _fields(full)
    assert [d.path.name for d in plain.diagnostics] == ["broken.ipynb"]


def test_markdown_pages_report_at_their_lines(tmp_path: Path) -> None:
    write_project(
        tmp_path,
        {
            "pyproject.toml": "[tool.zlint]\nextend-include = ['*.md']\n",
            "guide.md": "# Guide\n\n```python\nx = 1\n```\n\nText.\n\n```python\ndef f(:\n```\n",
        },
    )
    plain, full = _both(tmp_path, [tmp_path / "guide.md"])
    assert plain is not None
    assert _fields(plain) == _fields(full)
    assert [(d.path.name, d.span.start.line) for d in plain.diagnostics] == [("guide.md", 10)]
