"""ZL012 order-dependent-default-names: repeated calls with unnamed outputs and no ``id=``."""

from __future__ import annotations

import pytest
from conftest import expected_markers


def one(text: str) -> dict[str, str]:
    return {"pipe.py": text}


REPEATED_UNNAMED = one("""
    from zenml import pipeline, step

    @step
    def split(rows: list, part: str) -> list:
        return rows

    @pipeline
    def splitting():
        split([1, 2], part="train")
        split([3, 4], part="test")  # expect: ZL012
""")


def test_off_unless_selected(check) -> None:  # type: ignore[no-untyped-def]
    assert check(REPEATED_UNNAMED) == []


CLEAN = [
    pytest.param(
        one("""
        from zenml import pipeline, step

        @step
        def split(rows: list, part: str) -> list:
            return rows

        @pipeline
        def splitting():
            split([1, 2], part="train")
    """),
        id="single-call",
    ),
    pytest.param(
        one("""
        from zenml import pipeline, step

        @step
        def split(rows: list, part: str) -> list:
            return rows

        @pipeline
        def splitting():
            split([1, 2], part="train", id="split_train")
            split([3, 4], part="test", id="split_test")
    """),
        id="every-call-has-an-id",
    ),
    pytest.param(
        one("""
        from zenml import pipeline, step

        @step
        def split(rows: list, part: str) -> list:
            return rows

        @pipeline
        def splitting():
            for part in ["train", "test"]:
                split([1], part=part, id=f"split_{part}")
    """),
        id="loop-with-id-from-loop-variable",
    ),
    pytest.param(
        one("""
        from typing import Annotated
        from zenml import pipeline, step

        @step
        def split(rows: list, part: str) -> Annotated[list, "split_rows"]:
            return rows

        @pipeline
        def splitting():
            split([1, 2], part="train")
            split([3, 4], part="test")
    """),
        id="custom-named-output-is-zl001-territory",
    ),
    pytest.param(
        one("""
        from zenml import pipeline, step

        @step
        def load() -> list:
            return []

        @step
        def split(rows: list, part: str) -> list:
            return rows

        @pipeline
        def splitting():
            rows = load()
            split(rows, part="train")
    """),
        id="different-steps-once-each",
    ),
    pytest.param(
        one("""
        from zenml import pipeline, step

        @step
        def split(rows: list, part: str) -> list:
            return rows

        @pipeline
        def splitting(full: bool = False):
            if full:
                split([1, 2], part="all")
            else:
                split([1], part="sample")
    """),
        id="exclusive-branches",
    ),
    pytest.param(
        one("""
        from zenml import pipeline, step

        @step
        def split(rows: list, part: str) -> list:
            return rows

        @pipeline
        def splitting():
            split([1, 2], part="train")

        @pipeline
        def evaluating():
            split([3, 4], part="test")
    """),
        id="one-call-per-pipeline",
    ),
    pytest.param(
        one("""
        from zenml import pipeline, step

        @step
        def split(rows: list, part: str) -> list:
            return rows

        @pipeline
        def splitting():
            split([1, 2], part="train")
            split([3, 4], part="test", id="split_test")
    """),
        id="only-one-call-without-id",
    ),
    pytest.param(
        one("""
        from zenml import pipeline, step

        @step
        def split(rows: list, part: str) -> list:
            return rows

        @pipeline
        def splitting():
            for part in ["train"]:
                split([1], part=part)
    """),
        id="loop-over-a-single-item",
    ),
]


@pytest.mark.parametrize("sources", CLEAN)
def test_clean(check, sources: dict[str, str]) -> None:  # type: ignore[no-untyped-def]
    assert check(sources, select=["ZL012"]) == []


FINDINGS = [
    pytest.param(REPEATED_UNNAMED, id="two-calls"),
    pytest.param(
        one("""
        from zenml import pipeline, step

        @step
        def split(rows: list, part: str):
            return rows

        @pipeline
        def splitting():
            split([1, 2], part="train")
            split([3, 4], part="val")  # expect: ZL012
            split([5, 6], part="test")  # expect: ZL012
    """),
        id="three-calls-no-annotation",
    ),
    pytest.param(
        one("""
        from zenml import pipeline, step

        @step
        def split(rows: list, part: str) -> list:
            return rows

        @pipeline
        def splitting():
            for part in ["train", "test"]:
                split([1], part=part)  # expect: ZL012
    """),
        id="for-loop",
    ),
    pytest.param(
        one("""
        from zenml import pipeline, step

        @step
        def split(rows: list, part: str) -> list:
            return rows

        @pipeline
        def splitting():
            parts = [split([1], part=p) for p in ["train", "test"]]  # expect: ZL012
    """),
        id="comprehension",
    ),
    pytest.param(
        one("""
        from zenml import pipeline, step

        @step
        def split(rows: list, part: str) -> list:
            return rows

        def split_part(part):
            return split([1], part=part)

        @pipeline
        def splitting():
            split_part("train")
            split_part("test")  # expect: ZL012
    """),
        id="helper-called-twice",
    ),
    pytest.param(
        one("""
        from typing import Tuple
        from zenml import pipeline, step

        @step
        def split(rows: list) -> Tuple[list, list]:
            return rows, rows

        @pipeline
        def splitting():
            split([1])
            split([2])  # expect: ZL012
    """),
        id="unnamed-tuple",
    ),
    pytest.param(
        one("""
        from typing import Annotated, Tuple
        from zenml import pipeline, step

        @step
        def split(rows: list) -> Tuple[Annotated[list, "train_rows"], list]:
            return rows, rows

        @pipeline
        def splitting():
            split([1])
            split([2])  # expect: ZL012
    """),
        id="tuple-with-one-unnamed-member",
    ),
    pytest.param(
        one("""
        from typing import Annotated, Tuple
        from zenml import pipeline, step

        @step
        def split(rows: list) -> Tuple[Annotated[list, "train_rows"], Annotated[list, "test_rows"]]:
            result = (rows, rows)
            return result

        @pipeline
        def splitting():
            split([1])
            split([2])  # expect: ZL012
    """),
        id="tuple-annotation-without-tuple-return-is-one-unnamed-output",
    ),
    pytest.param(
        one("""
        from zenml import pipeline, step

        @step
        def split(rows: list, part: str) -> list:
            return rows

        @pipeline
        def splitting():
            split([1, 2], part="train", id="split_train")
            split([3, 4], part="val")
            split([5, 6], part="test")  # expect: ZL012
    """),
        id="two-calls-without-id-among-three",
    ),
    pytest.param(
        one("""
        from zenml import pipeline, step

        @step
        def make_parts() -> list:
            return []

        @step
        def split(part: str) -> list:
            return []

        @pipeline(dynamic=True)
        def splitting():
            parts = make_parts()
            split.map(part=parts)  # expect: ZL012
    """),
        id="dynamic-map",
    ),
    pytest.param(
        one("""
        from zenml import pipeline, step

        @step
        def split(rows: list, part: str) -> list:
            return rows

        @pipeline
        def splitting():
            n = 0
            while n < 2:
                split([n], part="x")  # expect: ZL012
                n += 1
    """),
        id="while-loop",
    ),
    pytest.param(
        one("""
        from zenml import pipeline
        from zenml.steps import BaseStep

        class Splitter(BaseStep):
            def entrypoint(self, rows: list) -> list:
                return rows

        splitter = Splitter()

        @pipeline
        def splitting():
            splitter([1])
            splitter([2])  # expect: ZL012
    """),
        id="class-based-step",
    ),
    pytest.param(
        one("""
        from zenml import pipeline, step

        @step
        def split(rows: list, part: str) -> list:
            return rows

        @pipeline
        def splitting():
            split.with_options(enable_cache=False)([1], part="train")
            split([2], part="test")  # expect: ZL012
    """),
        id="with-options-copy-counts-as-the-same-step",
    ),
]


@pytest.mark.parametrize("sources", FINDINGS)
def test_findings(check, sources: dict[str, str]) -> None:  # type: ignore[no-untyped-def]
    assert check(sources, select=["ZL012"]) == expected_markers(sources)
