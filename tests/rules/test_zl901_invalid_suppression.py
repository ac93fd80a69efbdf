"""ZL901 invalid-suppression: unknown codes, malformed directives, missing reasons."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import check_tree, expected_markers, write_project

QUERY = "from zenml.client import Client\n\nclient = Client()\n"

FINDINGS = [
    pytest.param(
        {
            "q.py": QUERY
            + """
client.list_artifact_versions("a")  # zlint: ignore[ZL999]  # expect: ZL901 ZL014
client.list_artifact_versions("b")  # zlint: ignore[positional-artifact-querry]  # expect: ZL901 ZL014
client.list_artifact_versions("c")  # noqa: E501, ZL1400  # expect: ZL901 ZL014
"""
        },
        id="unknown-codes-and-names",
    ),
    pytest.param(
        {
            "q.py": QUERY
            + """
client.list_artifact_versions("a")  # zlint: ignroe[ZL014]  # expect: ZL901 ZL014
client.list_artifact_versions("b")  # zlint: ignore[ZL014  # expect: ZL901 ZL014
client.list_artifact_versions("c")  # zlint: ignore  # expect: ZL901 ZL014
client.list_artifact_versions("d")  # zlint: ignore[]  # expect: ZL901 ZL014
client.list_artifact_versions("e")  # zlint ignore[ZL014]  # expect: ZL901 ZL014
client.list_artifact_versions("f")  # zlint:  # expect: ZL901 ZL014
"""
        },
        id="malformed-directives",
    ),
    pytest.param(
        {
            "q.py": """
# zlint: file_ignore[ZL014]  # expect: ZL901
x = 1
"""
        },
        id="own-line-malformed",
    ),
]

CLEAN = [
    pytest.param(
        {
            "q.py": QUERY
            + """
client.list_artifact_versions("a")  # zlint: ignore[ZL014] paged by hand
client.list_artifact_versions("b")  # zlint: ignore[positional-artifact-query]
client.list_artifact_versions("c")  # noqa: E501, ZL014
d = 1  # noqa: E501, F401
client.list_artifact_versions("e")  # noqa
# zlint: file-ignore[ZL001]
"""
        },
        id="valid-comments",
    ),
    pytest.param(
        {
            "q.py": """
# zlint-check runs in CI; zlint is great
x = "# zlint: ignroe[ZL014]"
"""
        },
        id="prose-and-strings-are-not-directives",
    ),
    pytest.param(
        {
            "q.py": QUERY
            + """
client.list_artifact_versions("a")  # zlint: ignore[ZL999, ZL014, ZL901] vouched for
"""
        },
        id="listing-ZL901-suppresses-it-on-that-line",
    ),
]


@pytest.mark.parametrize("sources", FINDINGS)
def test_findings(check, sources: dict[str, str]) -> None:  # type: ignore[no-untyped-def]
    # ZL014 too: an invalid comment suppresses nothing.
    assert check(sources, select=["ZL014", "ZL901"]) == expected_markers(sources)


@pytest.mark.parametrize("sources", CLEAN)
def test_clean(check, sources: dict[str, str]) -> None:  # type: ignore[no-untyped-def]
    assert check(sources, select=["ZL014", "ZL901"]) == []


def _messages(root: Path, source: str, pyproject: str | None = None) -> list[str]:
    sources = {"q.py": source}
    if pyproject is not None:
        sources["pyproject.toml"] = pyproject
    write_project(root, sources)
    result = check_tree(root, select=["ZL901"])
    return [f"{d.span.start.line}:{d.span.start.column} {d.message}" for d in result.diagnostics]


def test_messages(tmp_path: Path) -> None:
    source = (
        "x = 1  # zlint: ignore[ZL01]\n"
        "y = 2  # zlint: ignroe[ZL001]\n"
        "z = 3  # zlint: ignore[ZL001\n"
        "w = 4  # zlint: ignore\n"
    )
    assert _messages(tmp_path, source) == [
        "1:24 Unknown rule `ZL01` in a suppression comment (did you mean `ZL001`?); "
        "`zlint rules` lists them",
        "2:8 Malformed suppression comment: `ignroe` is not a directive (did you mean `ignore`?); "
        "write `# zlint: ignore[ZL001] reason` or `# zlint: file-ignore[ZL001] reason`",
        "3:8 Malformed suppression comment: the `[` is never closed; "
        "write `# zlint: ignore[ZL001] reason`",
        "4:8 Suppression comment names no rule; write `# zlint: ignore[ZL001] reason`",
    ]


def test_reason_required(tmp_path: Path) -> None:
    source = (
        "a = 1  # zlint: ignore[ZL001]\n"
        "b = 2  # zlint: ignore[ZL001] the splits never meet\n"
        "c = 3  # noqa: E501, ZL001\n"
        "d = 4  # noqa: ZL001 generated code\n"
        "e = 5  # noqa: E501\n"
        "# zlint: file-ignore[ZL001]\n"
    )
    pyproject = "[tool.zlint]\nrequire-suppression-reason = true\n"
    messages = _messages(tmp_path, source, pyproject)
    assert [m.split(" ", 1)[0] for m in messages] == ["1:8", "3:8", "6:1"]
    assert messages[0].endswith(
        "Suppression without a reason (`require-suppression-reason` is on): say why after the "
        "`]`, e.g. `# zlint: ignore[ZL001] the splits never meet`"
    )
    assert "after the codes" in messages[1]


def test_reason_not_required_by_default(tmp_path: Path) -> None:
    assert _messages(tmp_path, "a = 1  # zlint: ignore[ZL001]\n") == []


def test_per_file_ignores_switch_it_off(tmp_path: Path) -> None:
    pyproject = "[tool.zlint]\nper-file-ignores = { 'q.py' = ['ZL901'] }\n"
    assert _messages(tmp_path, "a = 1  # zlint: ignore[ZL999]\n", pyproject) == []
