"""ZL900 unused-suppression: which suppressions are judged, and the fix that removes them."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from conftest import check_tree, expected_markers, write_project

from zlint import engine
from zlint.cli import main
from zlint.rules.zl014_positional_artifact_query import PositionalArtifactQuery

HEADER = """from zenml import step
from zenml.client import Client

client = Client()
"""
SELECT = ["ZL010", "ZL014", "ZL900"]


def one(body: str) -> dict[str, str]:
    return {"m.py": HEADER + body}


FINDINGS = [
    pytest.param(
        one("""
x = 1  # zlint: ignore[ZL014]  # expect: ZL900
client.list_artifact_versions("a")  # zlint: ignore[ZL010, ZL014]  # expect: ZL900
y = 2  # noqa: E501, ZL014  # expect: ZL900
"""),
        id="trailing-and-noqa",
    ),
    pytest.param(
        one("""
# zlint: ignore[positional-artifact-query]  # expect: ZL900
@step
def load(rows: int) -> int:
    return rows
"""),
        id="own-line-above-a-decorator",
    ),
    pytest.param(
        one("""
# zlint: file-ignore[ZL010]  # expect: ZL900
client.list_artifact_versions("a")  # zlint: ignore[ZL014]
"""),
        id="file-ignore",
    ),
    pytest.param(
        one("""
x = 1  # zlint: ignore[ZL900]  # expect: ZL900
"""),
        id="a-ZL900-code-that-kept-nothing",
    ),
]

CLEAN = [
    pytest.param(
        one("""
client.list_artifact_versions("a")  # zlint: ignore[ZL014]
client.list_artifact_versions(  # noqa: E501, ZL014
    "b",
)
# zlint: ignore[ZL010]
@step
def load(id: int) -> int:
    return id
"""),
        id="used-suppressions",
    ),
    pytest.param(
        one("""
x = 1  # zlint: ignore[ZL001, ZL013] rules that did not run are not judged
y = 2  # noqa: E501, F401
z = 3  # noqa
"""),
        id="other-rules-other-tools-and-bare-noqa",
    ),
    pytest.param(
        one("""
x = 1  # zlint: ignore[ZL014, ZL900] kept on purpose
"""),
        id="listing-ZL900-keeps-the-other-codes",
    ),
    pytest.param(
        one("""
client.list_artifact_versions("a")  # zlint: ignore[ZL014]  # zlint: ignore[ZL014]
"""),
        id="two-suppressions-of-one-finding-are-both-used",
    ),
]


@pytest.mark.parametrize("sources", FINDINGS)
def test_findings(check, sources: dict[str, str]) -> None:  # type: ignore[no-untyped-def]
    assert check(sources, select=SELECT) == expected_markers(sources)


@pytest.mark.parametrize("sources", CLEAN)
def test_clean(check, sources: dict[str, str]) -> None:  # type: ignore[no-untyped-def]
    assert check(sources, select=SELECT) == []


def test_off_by_default(check) -> None:  # type: ignore[no-untyped-def]
    assert check(one("x = 1  # zlint: ignore[ZL014]\n")) == []


def test_per_file_ignored_codes_are_not_judged(check) -> None:  # type: ignore[no-untyped-def]
    sources = {
        **one("x = 1  # zlint: ignore[ZL014]\n"),
        "pyproject.toml": "[tool.zlint]\nper-file-ignores = { 'm.py' = ['ZL014'] }\n",
    }
    assert check(sources, select=SELECT) == []


def test_only_whole_project_runs_are_judged(check) -> None:  # type: ignore[no-untyped-def]
    sources = {**one("x = 1  # zlint: ignore[ZL014]\n"), "other.py": "y = 2\n"}
    assert check(sources, select=SELECT) == [("m.py", 5, "ZL900")]
    assert check(sources, select=SELECT, paths=["m.py"]) == []


def test_not_judged_when_a_rule_failed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def boom(self: object, ctx: engine.RuleContext) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(PositionalArtifactQuery, "check", boom)
    write_project(tmp_path, one('client.list_artifact_versions("a")  # zlint: ignore[ZL014]\n'))
    result = check_tree(tmp_path, select=SELECT)
    assert [e.where for e in result.errors] == ["ZL014"]
    assert result.diagnostics == []


def test_message_and_fix(tmp_path: Path) -> None:
    write_project(tmp_path, one("x = 1  # noqa: E501, ZL010, ZL014 why\n"))
    [finding] = check_tree(tmp_path, select=SELECT).diagnostics
    assert finding.message == (
        "Unused `noqa`: `ZL010` (`reserved-step-parameter`), `ZL014` "
        "(`positional-artifact-query`) suppress nothing here; no such finding in this run"
    )
    assert (finding.span.start.column, finding.span.end.column) == (8, 38)
    assert finding.fix is not None
    assert finding.fix.applicability.value == "safe"
    assert finding.fix.message == "Remove the unused suppressions of `ZL010`, `ZL014`"
    assert [e.content for e in finding.edits] == ["x = 1  # noqa: E501 why\n"]


BEFORE = """\
from zenml import step
from zenml.client import Client

# zlint: file-ignore[ZL010] nothing reserved here

client = Client()
client.list_artifact_versions("a")  # zlint: ignore[ZL010, ZL014] paged by hand
x = 1  # zlint: ignore[ZL014]
y = [
    # zlint: ignore[ZL014]
    n
    for n in range(3)
]
z = 3  # zlint: ignore[ZL002, ZL014]  # noqa: E501, ZL014


@step
# zlint: ignore[ZL014]
def load(rows: int) -> int:
    return rows
"""

AFTER = """\
from zenml import step
from zenml.client import Client


client = Client()
client.list_artifact_versions("a")  # zlint: ignore[ZL014] paged by hand
x = 1
y = [
    n
    for n in range(3)
]
z = 3  # zlint: ignore[ZL002]  # noqa: E501


@step
def load(rows: int) -> int:
    return rows
"""


def test_fix_removes_stale_codes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'x'\n", encoding="utf-8")
    path = tmp_path / "m.py"
    path.write_text(BEFORE, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert main(["fix", "--select", ",".join(SELECT)]) == 0
    assert path.read_text(encoding="utf-8") == AFTER
    assert main(["check", "--select", ",".join(SELECT)]) == 0


def test_fix_alongside_other_fixes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    source = textwrap.dedent("""\
        from zenml.client import Client

        # zlint: ignore[ZL010]
        versions = Client().list_artifact_versions("features")  # noqa: ZL010
    """)
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'x'\n", encoding="utf-8")
    (tmp_path / "m.py").write_text(source, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert main(["fix", "--select", ",".join(SELECT)]) == 0
    assert (tmp_path / "m.py").read_text(encoding="utf-8") == textwrap.dedent("""\
        from zenml.client import Client

        versions = Client().list_artifact_versions(name="features")
    """)
