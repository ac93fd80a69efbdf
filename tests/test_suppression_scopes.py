"""Where a suppression comment applies: trailing and own-line comments, decorated
definitions, multi-line calls, comprehensions, file-wide comments, and noqa."""

from __future__ import annotations

import pytest

from zlint.suppress import comments, removal

STEP = """from zenml import step
from zenml.client import Client


"""


def module(body: str) -> dict[str, str]:
    return {"m.py": STEP + body}


# Line numbers below count the four header lines above.
SCOPES = [
    pytest.param(
        """# zlint: ignore[ZL010] the old name stays until 2.0
@step
def load(id: int) -> int:
    return id
""",
        [],
        id="own-line-above-the-decorator-covers-the-def",
    ),
    pytest.param(
        """@step
# zlint: ignore[reserved-step-parameter]
def load(id: int) -> int:
    return id
""",
        [],
        id="own-line-between-decorator-and-def",
    ),
    pytest.param(
        """@step  # zlint: ignore[ZL010]
def load(id: int) -> int:
    return id
""",
        [("m.py", 6, "ZL010")],
        id="decorator-line-is-a-statement-of-its-own",
    ),
    pytest.param(
        """@step
def load(
    id: int,  # zlint: ignore[ZL010]
) -> int:
    return id
""",
        [],
        id="trailing-inside-a-multi-line-def-header",
    ),
    pytest.param(
        """@step
def load(
    id: int,
) -> int:  # zlint: ignore[ZL010]
    return id
""",
        [],
        id="trailing-at-the-end-of-a-multi-line-def-header",
    ),
    pytest.param(
        """versions = Client().list_artifact_versions(  # zlint: ignore[ZL014]
    "features",
    size=10,
)
""",
        [],
        id="multi-line-call-comment-on-the-first-line",
    ),
    pytest.param(
        """versions = Client().list_artifact_versions(
    "features",
    size=10,  # zlint: ignore[ZL014]
)
""",
        [],
        id="multi-line-call-comment-on-a-middle-line",
    ),
    pytest.param(
        """versions = Client().list_artifact_versions(
    "features",
    size=10,
)  # zlint: ignore[ZL014]
""",
        [],
        id="multi-line-call-comment-on-the-last-line",
    ),
    pytest.param(
        """versions = Client().list_artifact_versions(
    # zlint: ignore[ZL014]
    "features",
    size=10,
)
""",
        [],
        id="multi-line-call-own-line-comment-inside-the-brackets",
    ),
    pytest.param(
        """versions = [
    Client().list_artifact_versions(name)
    for name in ["a", "b"]  # zlint: ignore[ZL014]
]
""",
        [],
        id="comprehension-trailing-on-another-line",
    ),
    pytest.param(
        """versions = {
    name: Client().list_artifact_versions(name)
    # zlint: ignore[ZL014]
    for name in ["a", "b"]
}
""",
        [],
        id="comprehension-own-line-inside",
    ),
    pytest.param(
        """versions = Client().list_artifact_versions(
    "features",
)
other = Client().list_artifact_versions("labels")  # zlint: ignore[ZL014]
""",
        [("m.py", 6, "ZL014")],
        id="trailing-covers-only-its-own-statement",
    ),
    pytest.param(
        """# zlint: ignore[ZL014]
for name in ["a", "b"]:
    Client().list_artifact_versions(name)
Client().list_artifact_versions("c")
""",
        [("m.py", 8, "ZL014")],
        id="own-line-covers-the-whole-next-statement-only",
    ),
    pytest.param(
        """for name in ["a", "b"]:  # zlint: ignore[ZL014]
    Client().list_artifact_versions(name)
""",
        [("m.py", 6, "ZL014")],
        id="comment-on-a-for-line-does-not-cover-the-body",
    ),
    pytest.param(
        """Client().list_artifact_versions("a")
Client().list_artifact_versions("b")

# zlint: file-ignore[ZL014] queries are rewritten in #42
""",
        [],
        id="file-ignore-anywhere",
    ),
    pytest.param(
        """@step
def load(id: int) -> int:
    return id
# zlint: file-ignore[ZL014]
""",
        [("m.py", 6, "ZL010")],
        id="file-ignore-only-its-codes",
    ),
    pytest.param(
        """Client().list_artifact_versions("a")  # noqa: E501, ZL014
Client().list_artifact_versions("b")  # noqa: E501
Client().list_artifact_versions("c")  # NOQA:positional-artifact-query
Client().list_artifact_versions("d")  # noqa
""",
        [("m.py", 6, "ZL014")],
        id="noqa-variants",
    ),
    pytest.param(
        """Client().list_artifact_versions("a")  # type: ignore  # zlint: ignore[ZL014]
Client().list_artifact_versions("b")  # zlint: ignore[ZL010]  # noqa: ZL014
""",
        [],
        id="several-directives-in-one-comment",
    ),
    pytest.param(
        """Client().list_artifact_versions("a")  # zlint: ignroe[ZL014]
Client().list_artifact_versions("b")  # zlint: ignore[ZL014
Client().list_artifact_versions("c")  # zlint: ignore
Client().list_artifact_versions("d")  # zlint ignore[ZL014]
""",
        [("m.py", 5, "ZL014"), ("m.py", 6, "ZL014"), ("m.py", 7, "ZL014"), ("m.py", 8, "ZL014")],
        id="malformed-comments-suppress-nothing",
    ),
    pytest.param(
        """Client().list_artifact_versions("a")  # zlint: ignore[ZL999, zl014]
""",
        [],
        id="an-unknown-code-does-not-spoil-the-others",
    ),
]


@pytest.mark.parametrize(("body", "remaining"), SCOPES)
def test_scopes(check, body: str, remaining: list[tuple[str, int, str]]) -> None:  # type: ignore[no-untyped-def]
    assert check(module(body), select=["ZL010", "ZL014"]) == remaining


def test_reason_is_the_text_after_the_list() -> None:
    comment = comments.Comment(
        1, 8, "# zlint: ignore[ZL001, repeated-step-artifact-collision] -- ok"
    )
    [directive], problems = comments.parse_comment(comment)
    assert (directive.reason, directive.code_set, problems) == ("ok", frozenset({"ZL001"}), [])
    noqa = comments.Comment(1, 8, "# noqa: E501,ZL001 because the splits never meet")
    [directive], _ = comments.parse_comment(noqa)
    assert directive.items == ("E501", "ZL001")
    assert directive.reason == "because the splits never meet"


def test_rewrite_comment_keeps_other_codes_and_reason() -> None:
    def rewritten(text: str, codes: set[str]) -> str:
        directives, _ = comments.parse_comment(comments.Comment(1, 0, text))
        return removal.rewrite_comment(text, [(d, codes) for d in directives])

    assert rewritten("# zlint: ignore[ZL001, ZL014] why", {"ZL014"}) == "# zlint: ignore[ZL001] why"
    assert rewritten("# zlint: ignore[ZL014] why", {"ZL014"}) == ""
    assert rewritten("# noqa: E501, ZL014 why", {"ZL014"}) == "# noqa: E501 why"
    assert rewritten("# noqa: ZL014", {"ZL014"}) == ""
    assert rewritten("# type: ignore  # zlint: ignore[ZL014]", {"ZL014"}) == "# type: ignore"
    assert rewritten("# zlint: ignore[ZL014]  # noqa: E501, ZL014", {"ZL014"}) == "# noqa: E501"
