"""``zlint fix --unsafe-fixes --select ALL`` over real code: ZenML's own source (the installed
``zenml`` package, as in ``test_reliability``'s corpus check) and every fixture project.

No internal error; every file a fix changed still parses (CPython and LibCST); afterwards no
fixable finding is left; and a second fix changes nothing. The counts are printed.
"""

from __future__ import annotations

import json
import shutil
import sys
import time
from pathlib import Path

import libcst as cst
import pytest
from conftest import write_project

from zlint.cli import main
from zlint.inputs import source

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
FIX = ["fix", "--unsafe-fixes", "--select", "ALL", "--output-format", "json"]


def _snapshot(root: Path) -> dict[Path, bytes]:
    return {path: path.read_bytes() for path in root.rglob("*.py")}


def _fix(project: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, list[dict[str, object]]]:
    """Fixes applied, and the findings left, by one ``zlint fix`` run."""
    code = main([*FIX, str(project)])
    out, err = capsys.readouterr()
    assert code in (0, 1), err
    assert "internal error" not in err and "Traceback" not in err, err
    assert "would break the file" not in err, err
    fixed = [line for line in err.splitlines() if line.startswith("Fixed ")]
    assert len(fixed) == 1, err
    return int(fixed[0].split()[1]), json.loads(out)


def _fix_and_verify(project: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, int]:
    """(fixes applied, files changed); asserts what the module docstring promises."""
    before = _snapshot(project)
    applied, _ = _fix(project, capsys)
    after = _snapshot(project)
    assert after.keys() == before.keys()
    changed = [path for path in after if after[path] != before[path]]
    for path in changed:
        text = source.decode(after[path])
        assert isinstance(text, str), (path, text)
        assert isinstance(source.parse(text), cst.Module), path  # CPython, then LibCST
    again, left = _fix(project, capsys)  # reads the fixed files back: a fresh check
    fixable = [f"{f['filename']}: {f['code']}" for f in left if f["fix"] is not None]
    assert (again, fixable) == (0, [])
    assert _snapshot(project) == after, "a second fix changed files again"
    return applied, len(changed)


@pytest.mark.slow
def test_fixing_zenml_and_every_fixture_project(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    zenml = pytest.importorskip("zenml")
    package = Path(zenml.__file__).parent
    corpus = tmp_path / "corpus"
    shutil.copytree(package, corpus / "zenml", ignore=shutil.ignore_patterns("__pycache__"))
    write_project(corpus, {})
    fixtures = tmp_path / "fixtures"
    shutil.copytree(FIXTURES, fixtures, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setenv("ZLINT_NO_CACHE", "1")  # every run analyses the files it is given
    started = time.monotonic()
    projects = [corpus, *sorted(p.parent for p in fixtures.rglob("pyproject.toml"))]
    totals = [0, 0]
    for project in projects:
        monkeypatch.chdir(project)
        applied, changed = _fix_and_verify(project, capsys)
        totals[0] += applied
        totals[1] += changed
    files = len(list(corpus.rglob("*.py"))) + len(list(fixtures.rglob("*.py")))
    print(
        f"\nfixed {len(projects)} projects, {files} files: {totals[0]} fixes applied, "
        f"{totals[1]} files changed, {time.monotonic() - started:.1f} s",
        file=sys.__stderr__,
    )
    assert totals[0] > 0 and totals[1] > 0  # the fixture projects have fixable findings
