"""Suppression comments: trailing and own-line, `# zlint: ignore[...]` and `# noqa: ...`,
by code or by name, and per-file-ignores from the configuration."""

from __future__ import annotations

import pytest

HEADER = """from typing import Annotated
from zenml import pipeline, step


@step
def clean(rows: list, part: str) -> Annotated[list, "cleaned"]:
    return rows


"""


def pipe(body: str) -> dict[str, str]:
    return {"pipe.py": HEADER + body}


@pytest.mark.parametrize(
    ("sources", "remaining"),
    [
        pytest.param(
            pipe("""@pipeline
def p():
    clean([1], part="a")
    clean([2], part="b")
"""),
            [("pipe.py", 13, "ZL001")],
            id="unsuppressed",
        ),
        pytest.param(
            pipe("""@pipeline
def p():
    clean([1], part="a")
    clean([2], part="b")  # zlint: ignore[ZL001]
"""),
            [],
            id="trailing-code",
        ),
        pytest.param(
            pipe("""@pipeline
def p():
    clean([1], part="a")
    clean([2], part="b")  # zlint: ignore[repeated-step-artifact-collision] the two parts never meet
"""),
            [],
            id="trailing-name-with-reason",
        ),
        pytest.param(
            pipe("""@pipeline
def p():
    clean([1], part="a")
    clean([2], part="b")  # noqa: ZL001
"""),
            [],
            id="noqa-code",
        ),
        pytest.param(
            pipe("""@pipeline
def p():
    clean([1], part="a")
    clean([2], part="b")  # noqa
"""),
            [],
            id="bare-noqa",
        ),
        pytest.param(
            pipe("""@pipeline
def p():
    clean([1], part="a")
    clean([2], part="b")  # zlint: ignore[ZL002]
"""),
            [("pipe.py", 13, "ZL001")],
            id="other-code-does-not-suppress",
        ),
        pytest.param(
            pipe("""@pipeline
def p():
    clean([1], part="a")
    # zlint: ignore[ZL001]
    clean([2], part="b")
"""),
            [],
            id="own-line-above",
        ),
        pytest.param(
            pipe("""@pipeline
def p():
    clean([1], part="a")
    # zlint: ignore[ZL001]

    x = 1
    clean([2], part="b")
"""),
            [("pipe.py", 16, "ZL001")],
            id="own-line-covers-only-the-next-statement",
        ),
        pytest.param(
            pipe("""@pipeline
def p():
    clean([1], part="a")
    clean(
        [2],
        part="b",
    )  # zlint: ignore[ZL001]
"""),
            [],
            id="trailing-on-the-last-line-of-a-multi-line-call",
        ),
        pytest.param(
            pipe("""@pipeline
def p():
    clean([1], part="a")
    # noqa: ZL001
    clean(
        [2],
        part="b",
    )
"""),
            [],
            id="own-line-above-a-multi-line-call",
        ),
        pytest.param(
            pipe("""@pipeline
def p():
    # zlint: ignore[ZL001]
    for part in ["a", "b"]:
        clean([1], part=part)
"""),
            [],
            id="own-line-above-a-loop",
        ),
        pytest.param(
            pipe("""@pipeline
def p():
    clean([1], part="a")
    clean([2], part="b")  # zlint: ignore[ZL002, ZL001]
"""),
            [],
            id="several-codes",
        ),
        pytest.param(
            pipe("""@pipeline
def p():
    clean([1], part="a")
    text = "# zlint: ignore[ZL001]"; clean([2], part="b")
"""),
            [("pipe.py", 13, "ZL001")],
            id="text-in-a-string-is-not-a-comment",
        ),
    ],
)
def test_suppression_comments(check, sources, remaining) -> None:  # type: ignore[no-untyped-def]
    assert check(sources, select=["ZL001"]) == remaining


def test_per_file_ignores(check) -> None:  # type: ignore[no-untyped-def]
    sources = {
        **pipe("""@pipeline
def p():
    clean([1], part="a")
    clean([2], part="b")
"""),
        "legacy/old.py": HEADER
        + """@pipeline
def q():
    clean([1], part="a")
    clean([2], part="b")
""",
        "pyproject.toml": "[tool.zlint]\nper-file-ignores = { 'legacy/*.py' = ['ZL001'] }\n",
    }
    assert check(sources, select=["ZL001"]) == [("pipe.py", 13, "ZL001")]
