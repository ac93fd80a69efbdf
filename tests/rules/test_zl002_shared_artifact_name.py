"""ZL002 shared-artifact-name: two different steps of one pipeline write one custom name."""

from __future__ import annotations

import pytest
from conftest import expected_markers


def one(text: str) -> dict[str, str]:
    return {"pipe.py": text}


CLEAN = [
    pytest.param(
        one("""
        from typing import Annotated
        from zenml import pipeline, step

        @step
        def count_rows(rows: list) -> Annotated[int, "row_count"]:
            return len(rows)

        @step
        def describe_rows(rows: list) -> Annotated[str, "row_description"]:
            return ""

        @pipeline
        def reporting():
            count_rows([1])
            describe_rows([1])
    """),
        id="different-names",
    ),
    pytest.param(
        one("""
        from typing import Annotated
        from zenml import pipeline, step

        @step
        def count_rows(rows: list) -> Annotated[int, "summary"]:
            return len(rows)

        @pipeline
        def reporting():
            count_rows([1])
            count_rows([2])
    """),
        id="same-step-twice-is-zl001-not-zl002",
    ),
    pytest.param(
        one("""
        from zenml import pipeline, step

        @step
        def count_rows(rows: list) -> int:
            return len(rows)

        @step
        def describe_rows(rows: list) -> str:
            return ""

        @pipeline
        def reporting():
            count_rows([1])
            describe_rows([1])
    """),
        id="unnamed-outputs",
    ),
    pytest.param(
        one("""
        from typing import Annotated
        from zenml import pipeline, step

        @step
        def count_rows(rows: list) -> Annotated[int, "summary"]:
            return len(rows)

        @step
        def describe_rows(rows: list) -> Annotated[str, "summary"]:
            return ""

        @pipeline
        def reporting(verbose: bool = False):
            if verbose:
                describe_rows([1])
            else:
                count_rows([1])
    """),
        id="exclusive-branches",
    ),
    pytest.param(
        one("""
        from typing import Annotated
        from zenml import pipeline, step

        @step
        def count_rows(rows: list) -> Annotated[int, "summary"]:
            return len(rows)

        @step
        def describe_rows(rows: list) -> Annotated[str, "summary"]:
            return ""

        @pipeline
        def counting():
            count_rows([1])

        @pipeline
        def describing():
            describe_rows([1])
    """),
        id="different-pipelines",
    ),
    pytest.param(
        one("""
        from typing import Annotated
        from zenml import pipeline, step

        @step
        def count_rows(rows: list) -> Annotated[int, "{kind}_summary"]:
            return len(rows)

        @step
        def describe_rows(rows: list) -> Annotated[str, "{kind}_summary"]:
            return ""

        @pipeline
        def reporting():
            count_rows.with_options(substitutions={"kind": "count"})([1])
            describe_rows.with_options(substitutions={"kind": "text"})([1])
    """),
        id="templates-filled-differently",
    ),
    pytest.param(
        one("""
        from typing import Annotated
        from zenml import pipeline, step

        @step
        def count_rows(rows: list) -> Annotated[int, "summary"]:
            return len(rows)

        @step
        def describe_rows(rows: list) -> Annotated[str, "summary"]:
            return ""

        @pipeline
        def reporting(mode: str = "count"):
            match mode:
                case "count":
                    count_rows([1])
                case _:
                    describe_rows([1])
    """),
        id="exclusive-match-cases",
    ),
    pytest.param(
        one("""
        from typing import Annotated, Tuple
        from zenml import pipeline, step

        @step
        def split(rows: list) -> Tuple[Annotated[list, "train"], Annotated[list, "test"]]:
            return rows, rows

        @step
        def scale(rows: list) -> Annotated[list, "scaled"]:
            return rows

        @pipeline
        def reporting():
            train, test = split([1])
            scale(train)
            scale(test)
    """),
        id="tuple-members-distinct-from-other-step",
    ),
    pytest.param(
        one("""
        from typing import Annotated, Tuple
        from zenml import pipeline, step

        @step
        def pair(rows: list) -> Tuple[Annotated[list, "summary"], Annotated[list, "other"]]:
            result = (rows, rows)
            return result

        @step
        def describe_rows(rows: list) -> Annotated[str, "summary"]:
            return ""

        @pipeline
        def reporting():
            pair([1])
            describe_rows([1])
    """),
        id="tuple-annotation-without-tuple-return-is-unnamed",
    ),
    pytest.param(
        one("""
        from typing import Annotated
        from zenml import pipeline, step

        @step
        def count_rows(rows: list) -> Annotated[int, "summary"]:
            return len(rows)

        @step
        def describe_rows(rows: list) -> Annotated[str, "description"]:
            return ""

        @pipeline
        def reporting(quick: bool = False):
            if quick:
                count_rows([1])
                return
            describe_rows([1])
    """),
        id="different-names-after-early-return",
    ),
    pytest.param(
        one("""
        from typing import Annotated
        from zenml import pipeline, step

        @step
        def count_rows(rows: list) -> Annotated[int, "summary"]:
            return len(rows)

        @step
        def describe_rows(rows: list) -> Annotated[str, "summary"]:
            return ""

        @pipeline
        def reporting(quick: bool = False):
            if quick:
                count_rows([1])
                return
            describe_rows([1])
    """),
        id="same-name-early-return-versus-rest",
    ),
]


@pytest.mark.parametrize("sources", CLEAN)
def test_clean(check, sources: dict[str, str]) -> None:  # type: ignore[no-untyped-def]
    assert check(sources, select=["ZL002"]) == []


FINDINGS = [
    pytest.param(
        one("""
        from typing import Annotated
        from zenml import pipeline, step

        @step
        def count_rows(rows: list) -> Annotated[int, "summary"]:
            return len(rows)

        @step
        def describe_rows(rows: list) -> Annotated[str, "summary"]:
            return ""

        @pipeline
        def reporting():
            count_rows([1])
            describe_rows([1])  # expect: ZL002
    """),
        id="two-steps-same-literal",
    ),
    pytest.param(
        one("""
        from typing import Annotated
        from zenml import ArtifactConfig, pipeline, step

        @step
        def count_rows(rows: list) -> Annotated[int, ArtifactConfig(name="summary")]:
            return len(rows)

        @step
        def describe_rows(rows: list) -> Annotated[str, "summary"]:
            return ""

        @pipeline
        def reporting():
            count_rows([1])
            describe_rows([1])  # expect: ZL002
    """),
        id="artifact-config-and-plain-string",
    ),
    pytest.param(
        one("""
        from typing import Annotated
        from zenml import ArtifactConfig, pipeline, step

        SUMMARY = "summary"

        class Names:
            SUMMARY = "summary"

        @step
        def count_rows(rows: list) -> Annotated[int, SUMMARY]:
            return len(rows)

        @step
        def describe_rows(rows: list) -> Annotated[str, ArtifactConfig(name=Names.SUMMARY)]:
            return ""

        @pipeline
        def reporting():
            count_rows([1])
            describe_rows([1])  # expect: ZL002
    """),
        id="names-from-constants",
    ),
    pytest.param(
        {
            "steps/__init__.py": "",
            "steps/count.py": """
            from typing import Annotated
            from zenml import step

            @step
            def count_rows(rows: list) -> Annotated[int, "summary"]:
                return len(rows)
        """,
            "steps/describe.py": """
            from typing import Annotated
            from zenml import step

            @step
            def describe_rows(rows: list) -> Annotated[str, "summary"]:
                return ""
        """,
            "pipe.py": """
            from zenml import pipeline
            from steps.count import count_rows
            from steps.describe import describe_rows

            @pipeline
            def reporting():
                count_rows([1])
                describe_rows([1])  # expect: ZL002
        """,
        },
        id="steps-in-different-modules",
    ),
    pytest.param(
        one("""
        from typing import Annotated
        from zenml import pipeline, step

        @step
        def count_rows(rows: list) -> Annotated[int, "summary"]:
            return len(rows)

        @step
        def describe_rows(rows: list) -> Annotated[str, "summary"]:
            return ""

        @step
        def plot_rows(rows: list) -> Annotated[bytes, "summary"]:
            return b""

        @pipeline
        def reporting():
            count_rows([1])
            describe_rows([1])  # expect: ZL002
            plot_rows([1])  # expect: ZL002
    """),
        id="three-steps",
    ),
    pytest.param(
        one("""
        from typing import Annotated, Tuple
        from zenml import pipeline, step

        @step
        def split(rows: list) -> Tuple[Annotated[list, "train"], Annotated[list, "test"]]:
            return rows, rows

        @step
        def load_test(rows: list) -> Annotated[list, "test"]:
            return rows

        @pipeline
        def reporting():
            split([1])
            load_test([1])  # expect: ZL002
    """),
        id="tuple-member-shares-name",
    ),
    pytest.param(
        one("""
        from typing import Annotated
        from zenml import pipeline, step

        @step
        def count_rows(rows: list) -> Annotated[int, "{kind}_summary"]:
            return len(rows)

        @step
        def describe_rows(rows: list) -> Annotated[str, "count_summary"]:
            return ""

        @pipeline
        def reporting():
            count_rows.with_options(substitutions={"kind": "count"})([1])
            describe_rows([1])  # expect: ZL002
    """),
        id="template-filled-to-the-other-steps-name",
    ),
    pytest.param(
        one("""
        from typing import Annotated
        from zenml import pipeline, step
        from zenml.steps import BaseStep

        class CountRows(BaseStep):
            def entrypoint(self, rows: list) -> Annotated[int, "summary"]:
                return len(rows)

        @step
        def describe_rows(rows: list) -> Annotated[str, "summary"]:
            return ""

        count_rows = CountRows()

        @pipeline
        def reporting():
            count_rows([1])
            describe_rows([1])  # expect: ZL002
    """),
        id="class-step-and-function-step",
    ),
    pytest.param(
        one("""
        from typing import Annotated
        from zenml import pipeline, step

        @step
        def count_rows(rows: list) -> Annotated[int, "summary"]:
            return len(rows)

        @step
        def describe_rows(rows: list) -> Annotated[str, "summary"]:
            return ""

        def describe(rows):
            describe_rows(rows)

        @pipeline
        def reporting():
            count_rows([1])
            describe([1])  # expect: ZL002
    """),
        id="through-a-helper-reported-at-outer-call",
    ),
    pytest.param(
        one("""
        from typing import Annotated
        from zenml import pipeline, step

        @step
        def count_rows(rows: list) -> Annotated[int, "summary"]:
            return len(rows)

        @step
        def describe_rows(rows: list) -> Annotated[str, "summary"]:
            return ""

        @pipeline
        def reporting(verbose: bool = False):
            count_rows([1])
            if verbose:
                describe_rows([1])  # expect: ZL002
    """),
        id="if-without-else-is-not-exclusive",
    ),
    pytest.param(
        one("""
        from typing import Annotated
        from zenml import pipeline, step

        @step
        def count_rows(rows: list) -> Annotated[int, "summary"]:
            return len(rows)

        @step(name="describe")
        def describe_rows(rows: list) -> Annotated[str, "summary"]:
            return ""

        @pipeline
        def reporting():
            describe_rows([1])
            count_rows([1])  # expect: ZL002
    """),
        id="later-call-reported-whatever-the-definition-order",
    ),
    pytest.param(
        one("""
        from typing import Annotated
        from zenml import pipeline, step

        @step
        def count_rows(rows: list) -> Annotated[int, "summary"]:
            return len(rows)

        @step
        def describe_rows(rows: list) -> Annotated[str, "summary"]:
            return ""

        @pipeline
        def reporting():
            for part in ["a", "b"]:
                count_rows([part])
                describe_rows([part])  # expect: ZL002
    """),
        id="both-inside-a-loop",
    ),
    pytest.param(
        one("""
        from typing import Annotated
        from zenml import pipeline, step

        @step(substitutions={"kind": "count"})
        def count_rows(rows: list) -> Annotated[int, "{kind}_summary"]:
            return len(rows)

        @step
        def describe_rows(rows: list) -> Annotated[str, "count_summary"]:
            return ""

        @pipeline
        def reporting():
            count_rows([1])
            describe_rows([1])  # expect: ZL002
    """),
        id="template-filled-at-step-level",
    ),
]


@pytest.mark.parametrize("sources", FINDINGS)
def test_findings(check, sources: dict[str, str]) -> None:  # type: ignore[no-untyped-def]
    assert check(sources, select=["ZL002"]) == expected_markers(sources)
