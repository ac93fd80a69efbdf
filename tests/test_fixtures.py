"""Each fixture project is checked as a user would: its findings must match the inline
``# expect:`` markers, and the full text output must match its golden ``expected.txt``.

Regenerate the golden files with ``ZLINT_UPDATE_GOLDEN=1 python -m pytest tests/test_fixtures.py``.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from zlint.cli import main

FIXTURES = Path(__file__).parent.parent / "fixtures"
PROJECTS = sorted(p for p in FIXTURES.iterdir() if (p / "pyproject.toml").is_file())


Marker = tuple[str, int, int, str]  # (path, cell (0 outside notebooks), line, code)


def _markers(project: Path) -> list[Marker]:
    found: list[Marker] = []
    for path in sorted(project.rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        found.extend(_in_text(path.relative_to(project).as_posix(), 0, text))
    for path in sorted(project.rglob("*.ipynb")):
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        for number, cell in enumerate(cells, 1):  # cells count as Jupyter shows them
            if cell["cell_type"] == "code":
                text = "".join(cell["source"])
                found.extend(_in_text(path.relative_to(project).as_posix(), number, text))
    return sorted(found)


def _in_text(path: str, cell: int, text: str) -> list[Marker]:
    found = []
    for number, line in enumerate(text.splitlines(), 1):
        if "# expect:" in line:
            for code in line.split("# expect:", 1)[1].replace(",", " ").split():
                found.append((path, cell, number, code))
    return found


def _run(project: Path, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    cwd = Path.cwd()
    os.chdir(project)
    try:
        code = main(["check", *args])
    finally:
        os.chdir(cwd)
    return code, capsys.readouterr().out


@pytest.mark.parametrize("project", PROJECTS, ids=lambda p: p.name)
def test_findings_match_inline_markers(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out = _run(project, capsys, "--output-format", "json")
    found = sorted(
        (
            Path(d["filename"]).relative_to(project.resolve()).as_posix(),
            d.get("cell") or 0,
            d["location"]["row"],
            d["code"],
        )
        for d in json.loads(out)
    )
    assert found == _markers(project)
    assert code == (1 if found else 0)


@pytest.mark.parametrize("project", PROJECTS, ids=lambda p: p.name)
def test_text_output_matches_golden_file(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _, out = _run(project, capsys, "--output-format", "concise")
    golden = project / "expected.txt"
    if os.environ.get("ZLINT_UPDATE_GOLDEN"):
        golden.write_text(out, encoding="utf-8")
    assert out == golden.read_text(encoding="utf-8")
