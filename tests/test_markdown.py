"""Markdown pages (with ``extend-include``): Python blocks checked as one module per page."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import write_project

from zlint import config
from zlint.cli import main

STEP_BLOCK = """```python
from typing import Annotated
from zenml import pipeline, step

@step
def clean(rows: list) -> Annotated[list, "cleaned"]:
    return rows
```
"""

PIPELINE_BLOCK = """```py
@pipeline
def p(a: list, b: list):
    clean(a)
    clean(b)
```
"""

PAGE = "# Guide\n\nA step:\n\n" + STEP_BLOCK + "\nA pipeline:\n\n" + PIPELINE_BLOCK

INDENTED = "1. In a list:\n\n" + "".join(
    "    " + line if line.strip() else line for line in PIPELINE_BLOCK.splitlines(keepends=True)
)


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    write_project(tmp_path, {"pyproject.toml": "[tool.zlint]\nextend-include = ['*.md']\n"})
    monkeypatch.chdir(tmp_path)
    return tmp_path


def codes_at(out: str) -> list[str]:
    found = [re.match(r".*?: ZL\d{3}", line) for line in out.splitlines()]
    return [match[0] for match in found if match is not None]


@pytest.mark.parametrize(
    ("page", "expected"),
    [
        pytest.param(PAGE, ["guide.md:20:5: ZL001"], id="blocks-form-one-module"),
        pytest.param(
            STEP_BLOCK + "\n" + INDENTED, ["guide.md:16:9: ZL001"], id="indented-fence-in-list"
        ),
        pytest.param(
            STEP_BLOCK + "\n```python\ndef broken(:\n```\n" + PIPELINE_BLOCK,
            ["guide.md:11:12: ZL000", "guide.md:17:5: ZL001"],
            id="syntax-error-in-one-block",
        ),
        pytest.param(
            STEP_BLOCK + "\n```bash\nclean(a)\nclean(b)\n```\n", [], id="other-languages-skipped"
        ),
        pytest.param(
            "````markdown\n" + PAGE + "````\n", [], id="blocks-inside-another-fence-skipped"
        ),
        pytest.param(
            STEP_BLOCK.replace("```python", "~~~python3").replace("```", "~~~") + PIPELINE_BLOCK,
            ["guide.md:13:5: ZL001"],
            id="tilde-fence-and-python3",
        ),
    ],
)
def test_positions(
    project: Path, capsys: pytest.CaptureFixture[str], page: str, expected: list[str]
) -> None:
    (project / "guide.md").write_text(page, encoding="utf-8")
    main(["check", "--output-format", "concise"])
    assert codes_at(capsys.readouterr().out) == expected


@pytest.mark.parametrize(
    ("pyproject", "argv", "checked"),
    [
        pytest.param("[project]\nname = 'x'\n", ["check"], False, id="not-without-extend-include"),
        pytest.param(
            "[project]\nname = 'x'\n", ["check", "guide.md"], False, id="not-even-when-named"
        ),
        pytest.param(
            "[project]\nname = 'x'\n",
            ["check", "--extend-include", "*.md"],
            True,
            id="command-line-flag",
        ),
        pytest.param(
            "[tool.zlint]\nextend-include = ['docs/*.md']\n", ["check"], False, id="pattern"
        ),
        pytest.param("[tool.zlint]\nextend-include = ['*.md']\n", ["check"], True, id="config"),
    ],
)
def test_discovery(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    pyproject: str,
    argv: list[str],
    checked: bool,
) -> None:
    write_project(tmp_path, {"pyproject.toml": pyproject})
    (tmp_path / "guide.md").write_text(PAGE, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert main(argv) == (1 if checked else 0)
    capsys.readouterr()


def test_extend_include_is_validated(tmp_path: Path) -> None:
    (tmp_path / "zlint.toml").write_text("extend-include = '*.md'\n", encoding="utf-8")
    with pytest.raises(config.ConfigError, match="extend-include must be a list of strings"):
        config.load_config_file(tmp_path / "zlint.toml")


def test_fix_writes_back_into_the_blocks(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    page = PAGE + "\n" + INDENTED.replace("p(", "q(") + "\nThe end, no final line break."
    path = project / "guide.md"
    path.write_text(page, encoding="utf-8")
    assert main(["fix"]) == 0
    fixed = path.read_text(encoding="utf-8")
    assert "from zenml import get_step_context, pipeline, step" in fixed
    assert '    clean(b, prefix="clean_2")\n' in fixed
    assert '        clean(b, prefix="clean_2")\n    ```\n' in fixed  # indentation kept
    prose = [line for line in page.splitlines() if not line.startswith((" ", "from", "@", "def"))]
    assert [line for line in fixed.splitlines() if line in prose] == prose
    assert fixed.endswith("The end, no final line break.")
    assert main(["fix"]) == 0 and path.read_text(encoding="utf-8") == fixed
    capsys.readouterr()


def test_diff_shows_the_page(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (project / "guide.md").write_text(PAGE, encoding="utf-8")
    assert main(["fix", "--diff"]) == 1
    out = capsys.readouterr().out
    assert "+++ b/guide.md" in out and '+    clean(b, prefix="clean_2")' in out
    assert "#<<embedded" not in out
