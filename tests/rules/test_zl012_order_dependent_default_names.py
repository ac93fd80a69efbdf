"""ZL012 order-dependent-default-names: repeated calls with unnamed outputs and no ``id=``."""

from __future__ import annotations

import os
import textwrap
from pathlib import Path

import pytest
from conftest import check_tree, expected_markers, findings, write_project

from zlint.cli import main
from zlint.types import Applicability


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


# -- the fix --------------------------------------------------------------------------------


def run_fix(root: Path, sources: dict[str, str], *flags: str) -> dict[str, str]:
    """Writes ``sources`` under ``root``, runs ``zlint fix`` there, returns the files' text."""
    write_project(root, sources)
    cwd = Path.cwd()
    os.chdir(root)
    try:
        main(["fix", "--select", "ZL012", "--fix-only", *flags, "."])
    finally:
        os.chdir(cwd)
    return {name: (root / name).read_text(encoding="utf-8") for name in sources}


def dedented(sources: dict[str, str]) -> dict[str, str]:
    return {name: textwrap.dedent(text).lstrip("\n") for name, text in sources.items()}


HEADER = """
    from zenml import pipeline, step

    @step
    def split(rows: list, part: str = "all") -> list:
        return rows

    @step
    def evaluate(model: list, data: list) -> float:
        return 0.0

    @pipeline
    def splitting(rows: list, parts: list):
"""


def body(lines: str) -> dict[str, str]:
    return {"pipe.py": HEADER + textwrap.indent(textwrap.dedent(lines), " " * 8)}


SAFE_FIXES = [
    pytest.param(
        body("""
            split([1, 2], part="train")
            split([3, 4], part="test")
        """),
        body("""
            split([1, 2], part="train", id="split_train")
            split([3, 4], part="test", id="split_test")
        """),
        id="split-like-parameter",
    ),
    pytest.param(
        body("""
            train_data = split(rows)
            X_val, y_val = split(rows)
            test_df = split(rows)
        """),
        body("""
            train_data = split(rows, id="split_train")
            X_val, y_val = split(rows, id="split_val")
            test_df = split(rows, id="split_test")
        """),
        id="assigned-variables",
    ),
    pytest.param(
        body("""
            X_test = split(rows, part="holdout")
            X_val = split(rows, "eu-west 2")
            evaluate(X_test, X_test)
            evaluate(X_val, model=X_val)
        """),
        body("""
            X_test = split(rows, part="holdout", id="split_holdout")
            X_val = split(rows, "eu-west 2", id="split_eu_west_2")
            evaluate(X_test, X_test, id="evaluate_test")
            evaluate(X_val, model=X_val, id="evaluate_val")
        """),
        id="parameter-before-variable-and-names-passed",
    ),
    pytest.param(
        body("""
            split(
                rows,
                part = 'train'  # the training part
            )
            split(
                rows,
                part = 'val',  # the validation part
            )
            split(rows,
                  part='test')
        """),
        body("""
            split(
                rows,
                part = 'train',  # the training part
                id = 'split_train'
            )
            split(
                rows,
                part = 'val',  # the validation part
                id = 'split_val',
            )
            split(rows,
                  part='test',
                  id='split_test')
        """),
        id="layout-quotes-spacing-and-comments-are-kept",
    ),
    pytest.param(
        body("""
            split(rows, part="train")
            split(rows)
        """),
        body("""
            split(rows, part="train", id="split_train")
            split(rows)
        """),
        id="a-call-without-a-word-keeps-its-automatic-id",
    ),
    pytest.param(
        {
            "pipe.py": """
            from zenml import pipeline
            from zenml.steps import BaseStep

            class Splitter(BaseStep):
                def entrypoint(self, rows: list, split: str) -> list:
                    return rows

            splitter = Splitter()

            @pipeline
            def splitting():
                splitter([1], split="train")
                splitter([2], split="val")
            """
        },
        {
            "pipe.py": """
            from zenml import pipeline
            from zenml.steps import BaseStep

            class Splitter(BaseStep):
                def entrypoint(self, rows: list, split: str) -> list:
                    return rows

            splitter = Splitter()

            @pipeline
            def splitting():
                splitter([1], split="train", id="Splitter_train")
                splitter([2], split="val", id="Splitter_val")
            """
        },
        id="class-based-step-named-after-its-class",
    ),
]


@pytest.mark.parametrize(("before", "after"), SAFE_FIXES)
def test_safe_fix(tmp_path: Path, before: dict[str, str], after: dict[str, str]) -> None:
    fixed = run_fix(tmp_path, before)
    assert fixed == dedented(after)
    assert run_fix(tmp_path, fixed, "--unsafe-fixes") == fixed
    assert findings(check_tree(tmp_path, select=["ZL012"]), tmp_path) == []


UNSAFE_FIXES = [
    pytest.param(
        body("""
            for part in ["train", "test"]:
                split(rows, part=part)
        """),
        body("""
            for part in ["train", "test"]:
                split(rows, part=part, id=f"split_{part}")
        """),
        id="for-loop",
    ),
    pytest.param(
        body("""
            results = [split(rows, part=p) for p in parts]
        """),
        body("""
            results = [split(rows, part=p, id=f"split_{p}") for p in parts]
        """),
        id="comprehension",
    ),
    pytest.param(
        body("""
            for part in parts:
                for fold in range(3):
                    split(rows, part=part)
        """),
        body("""
            for part in parts:
                for fold in range(3):
                    split(rows, part=part, id=f"split_{part}_{fold}")
        """),
        id="nested-loops",
    ),
    pytest.param(
        body("""
            split(rows, part="train")
            split(rows, part="test")
            evaluate(rows, rows, after="split_2")
        """),
        body("""
            split(rows, part="train", id="split_train")
            split(rows, part="test", id="split_test")
            evaluate(rows, rows, after="split_2")
        """),
        id="an-id-that-changes-is-referenced",
    ),
]


@pytest.mark.parametrize(("before", "after"), UNSAFE_FIXES)
def test_unsafe_fix(tmp_path: Path, before: dict[str, str], after: dict[str, str]) -> None:
    assert run_fix(tmp_path, before) == dedented(before)
    fixed = run_fix(tmp_path, before, "--unsafe-fixes")
    assert fixed == dedented(after)
    assert run_fix(tmp_path, fixed, "--unsafe-fixes") == fixed
    assert findings(check_tree(tmp_path, select=["ZL012"]), tmp_path) == []


def test_a_run_configuration_naming_an_automatic_id_makes_the_fix_unsafe(tmp_path: Path) -> None:
    sources = {
        **body("""
            split(rows, part="train")
            split(rows, part="test")
        """),
        "config.yaml": "steps:\n  split_2:\n    enable_cache: false\n",
    }
    write_project(tmp_path, sources)
    diagnostics = check_tree(tmp_path, select=["ZL012"]).diagnostics
    assert [d.fix.applicability if d.fix else None for d in diagnostics] == [Applicability.UNSAFE]


NO_FIX = [
    pytest.param(
        body("""
            split([1])
            split([2])
        """),
        id="nothing-says-what-the-calls-work-on",
    ),
    pytest.param(
        body("""
            split([1], part="train")
            split([2], part="train")
        """),
        id="the-same-word-for-both-calls",
    ),
    pytest.param(
        body("""
            evaluate(train_data, X_val)
            evaluate(train_data, X_test)
        """),
        id="several-words-in-the-names-passed",
    ),
    pytest.param(
        {
            "pipe.py": """
            from zenml import pipeline, step

            @step
            def split(rows: list, part: str) -> list:
                return rows

            def split_part(part):
                return split([1], part=part)

            @pipeline
            def splitting():
                split_part("train")
                split_part("test")
            """
        },
        id="helper-called-twice",
    ),
    pytest.param(
        body("""
            n = 0
            while n < 2:
                split([n], part="x")
                n += 1
        """),
        id="while-loop",
    ),
    pytest.param(
        {
            "pipe.py": """
            from zenml import pipeline, step

            @step
            def split(rows: list, part: str) -> list:
                return rows

            @step
            def split_train(rows: list) -> list:
                return rows

            @step
            def split_test(rows: list) -> list:
                return rows

            @pipeline
            def splitting():
                split([1], part="train")
                split([2], part="test")
                split_train(split_test([3]))
            """
        },
        id="the-id-is-another-steps-automatic-id",
    ),
    pytest.param(
        body("""
            for part in parts:
                split(rows, part=part, id=f"split_{part}")
            split([1], part="train")
            split([2], part="test")
        """),
        id="a-computed-id-might-be-the-same",
    ),
    pytest.param(
        {
            "pipe.py": """
            from zenml import pipeline, step

            @step
            def split(rows: list, part: str) -> list:
                return rows

            @pipeline
            def splitting():
                split([1], part="train")
                split([2], part="test")

            @pipeline
            def everything():
                splitting()
                splitting()
            """
        },
        id="sub-pipeline-run-twice-by-another",
    ),
    pytest.param(
        {
            "pipe.py": """
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
                split.map(part=parts)
            """
        },
        id="dynamic-map",
    ),
]


@pytest.mark.parametrize("sources", NO_FIX)
def test_no_fix(tmp_path: Path, sources: dict[str, str]) -> None:
    write_project(tmp_path, sources)
    diagnostics = check_tree(tmp_path, select=["ZL012"]).diagnostics
    assert diagnostics
    assert all(d.fix is None for d in diagnostics)
    assert run_fix(tmp_path, sources, "--unsafe-fixes") == dedented(sources)
