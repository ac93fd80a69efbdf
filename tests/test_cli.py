"""The command line, run in-process through ``main(argv)``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import write_project

from zlint import docs
from zlint.cli import main
from zlint.rules import registry

PIPELINE = """
from typing import Annotated
from zenml import pipeline, step

@step
def clean(rows: list, part: str) -> Annotated[list, "cleaned"]:
    return rows

@step
def load(part: str) -> list:
    return []

@pipeline
def p():
    clean(load("a"), part="a")
    clean(load("b"), part="b")
    load("c", id="load")
"""


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    write_project(tmp_path, {"pipe.py": PIPELINE, "clean.py": "x = 1\n"})
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.mark.parametrize(
    ("argv", "exit_code"),
    [
        pytest.param(["check"], 1, id="findings"),
        pytest.param(["check", "clean.py"], 0, id="clean-file"),
        pytest.param(["check", "--exit-zero"], 0, id="exit-zero"),
        pytest.param(["check", "--select", "ZL002"], 0, id="select-other-rule"),
        pytest.param(["check", "--ignore", "ZL001,duplicate-invocation-id"], 0, id="ignore-both"),
        pytest.param(["check", "--select", "ZL999"], 2, id="unknown-rule"),
        pytest.param(["check", "--output-format", "xml"], 2, id="bad-format"),
        pytest.param(["nonsense"], 2, id="unknown-command"),
        pytest.param(["rule", "ZL001"], 0, id="rule-doc"),
        pytest.param(["rule", "ZL999"], 2, id="rule-unknown"),
        pytest.param(["rules"], 0, id="rules"),
        pytest.param(["--version"], 0, id="version"),
    ],
)
def test_exit_codes(project: Path, argv: list[str], exit_code: int) -> None:
    assert main(argv) == exit_code


def test_text_output(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    main(["check", "--output-format", "concise"])
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("pipe.py:15:5: ZL001 [*] Step `clean` is called again here")
    assert lines[1].startswith("pipe.py:16:5: ZL003 Invocation id `load` is already used")
    assert len(lines) == 4 and lines[2] == "Found 2 errors."
    assert lines[3].startswith("[*] 1 fixable with zlint fix")


def test_clean_summary(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    main(["check", "clean.py"])
    assert capsys.readouterr().out.strip() == "All checks passed!"


def test_json_output_has_ruffs_shape(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    main(["check", "--output-format", "json"])
    items = json.loads(capsys.readouterr().out)
    assert [i["code"] for i in items] == ["ZL001", "ZL003"]
    first = items[0]
    assert set(first) == {
        "code",
        "name",
        "message",
        "filename",
        "location",
        "end_location",
        "fix",
        "url",
        "cell",
    }
    assert first["cell"] is None  # a notebook cell number, as in Ruff
    assert first["name"] == "repeated-step-artifact-collision"
    assert first["location"] == {"row": 15, "column": 5}
    assert first["end_location"] == {"row": 15, "column": 31}
    assert set(first["fix"]) == {"applicability", "message", "edits"}
    assert first["fix"]["applicability"] == "safe"
    assert {"content", "location", "end_location"} == set(first["fix"]["edits"][0])
    assert Path(first["filename"]) == (project / "pipe.py").resolve()
    assert first["url"].endswith("rules/ZL001.md")


def test_statistics(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    main(["check", "--statistics"])
    out = capsys.readouterr().out.splitlines()
    assert out == [
        "1\tZL001\trepeated-step-artifact-collision",
        "1\tZL003\tduplicate-invocation-id",
    ]


def test_select_by_name_and_extend_select(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["check", "--select", "shared-artifact-name", "--extend-select", "ZL003"]) == 1
    assert "ZL003" in capsys.readouterr().out


def test_config_error_names_file_and_key(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (project / "pyproject.toml").write_text("[tool.zlint]\nselekt = ['ZL001']\n", encoding="utf-8")
    assert main(["check"]) == 2
    err = capsys.readouterr().err
    assert "pyproject.toml" in err and "selekt" in err


def test_config_from_pyproject(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (project / "pyproject.toml").write_text("[tool.zlint]\nignore = ['ZL001']\n", encoding="utf-8")
    assert main(["check"]) == 1
    out = capsys.readouterr().out
    assert "ZL001" not in out and "ZL003" in out


def test_missing_path_is_reported_and_run_goes_on(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["check", "nope.py", "pipe.py"]) == 1
    out = capsys.readouterr().out
    assert "nope.py:1:1: ZL000" in out and "pipe.py:15:5: ZL001" in out


def test_rule_doc_and_listing(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    main(["rule", "repeated-step-artifact-collision"])
    doc = capsys.readouterr().out
    assert doc.startswith("# ZL001 `repeated-step-artifact-collision`")
    assert "## Why is this bad?" in doc
    main(["rules"])
    listing = capsys.readouterr().out
    assert "ZL012" in listing and "off by default" in listing


def test_crashing_rule_is_reported_and_others_still_print(
    project: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from zlint.rules.zl001_repeated_step_artifact_collision import RepeatedStepArtifactCollision

    def boom(self: object, ctx: object) -> None:
        raise ValueError("simulated bug")

    monkeypatch.setattr(RepeatedStepArtifactCollision, "check", boom)
    assert main(["check"]) == 2
    captured = capsys.readouterr()
    assert "ZL003" in captured.out
    assert "internal error in ZL001" in captured.err and "simulated bug" in captured.err
    assert "Traceback" not in captured.err
    assert main(["check", "--verbose"]) == 2
    assert "Traceback" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("argv", "exit_code"),
    [
        pytest.param(["rule", "--all"], 0, id="all"),
        pytest.param(["rule", "--all", "--output-format", "json"], 0, id="all-json"),
        pytest.param(["rule", "ZL001", "--output-format", "json"], 0, id="one-json"),
        pytest.param(["rule"], 2, id="neither-code-nor-all"),
        pytest.param(["rule", "ZL001", "--all"], 2, id="code-and-all"),
        pytest.param(["rule", "ZL001", "--output-format", "yaml"], 2, id="bad-format"),
    ],
)
def test_rule_command_exit_codes(project: Path, argv: list[str], exit_code: int) -> None:
    assert main(argv) == exit_code


def test_rule_all_prints_every_page(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    main(["rule", "--all"])
    text = capsys.readouterr().out
    headings = [
        line.split("`")[0].strip("# ") for line in text.splitlines() if line.startswith("# ")
    ]
    assert headings == [rule.code for rule in registry.RULES]
    assert "<!--" not in text


def test_rule_json_has_ruffs_fields(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    main(["rule", "ZL001", "--output-format", "json"])
    item = json.loads(capsys.readouterr().out)
    assert item["code"] == "ZL001" and item["name"] == "repeated-step-artifact-collision"
    assert item["linter"] == "zlint" and item["preview"] is False
    assert item["fix"] == "Fix is sometimes available."
    assert item["fix_applicability"] == "safe"
    assert item["explanation"].startswith("## What it does\n")
    assert item["url"].endswith("rules/ZL001.md")


def test_rule_all_json_lists_every_rule(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    main(["rule", "--all", "--output-format", "json"])
    items = json.loads(capsys.readouterr().out)
    assert [item["code"] for item in items] == [rule.code for rule in registry.RULES]
    by_code = {item["code"]: item for item in items}
    assert by_code["ZL002"]["fix"] == "Fix is not available."
    assert by_code["ZL002"]["fix_applicability"] is None
    assert by_code["ZL012"]["default_enabled"] is False
    for item in items:
        assert item["url"] == docs.rule_url(registry.rule_class(item["code"]))  # type: ignore[arg-type]


@pytest.mark.parametrize("output_format", ["json", "json-lines"])
def test_every_json_finding_links_its_rule(
    project: Path, capsys: pytest.CaptureFixture[str], output_format: str
) -> None:
    (project / "broken.py").write_text("x = (\n", encoding="utf-8")
    main(["check", "--select", "ALL", "--output-format", output_format, ".", "missing.py"])
    out = capsys.readouterr().out
    items = (
        json.loads(out) if output_format == "json" else [json.loads(x) for x in out.splitlines()]
    )
    assert {"ZL000", "ZL001"} <= {item["code"] for item in items}
    for item in items:
        assert (
            item["url"] == f"https://github.com/zlint-dev/zlint/blob/main/rules/{item['code']}.md"
        )
