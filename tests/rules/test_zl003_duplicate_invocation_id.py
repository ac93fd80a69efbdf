"""ZL003 duplicate-invocation-id: explicit ids that clash with each other or with automatic ids."""

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


CLEAN = [
    pytest.param(
        one("""
        from zenml import pipeline, step

        @step
        def fetch(source: str) -> dict:
            return {}

        @pipeline
        def ingestion():
            fetch("shop", id="fetch_shop")
            fetch("crm", id="fetch_crm")
    """),
        id="distinct-literal-ids",
    ),
    pytest.param(
        one("""
        from zenml import pipeline, step

        @step
        def fetch(source: str) -> dict:
            return {}

        @pipeline
        def ingestion():
            fetch("shop")
            fetch("crm")
            fetch("erp")
    """),
        id="automatic-ids-only",
    ),
    pytest.param(
        one("""
        from zenml import pipeline, step

        @step
        def plain(source: str) -> dict:
            return {}

        @pipeline
        def ingestion():
            plain("a", id="plain_2")
            plain("b")
            plain("c")
    """),
        id="explicit-id-equal-to-a-future-automatic-id",
    ),
    pytest.param(
        one("""
        from zenml import pipeline, step

        @step
        def plain(source: str) -> dict:
            return {}

        @pipeline
        def ingestion():
            plain("a", id="plain")
            plain("b")
    """),
        id="explicit-base-name-first-then-automatic",
    ),
    pytest.param(
        one("""
        from zenml import pipeline, step

        @step
        def fetch(source: str) -> dict:
            return {}

        @pipeline
        def ingestion(full: bool = False):
            if full:
                fetch("all", id="fetch_main")
            else:
                fetch("some", id="fetch_main")
    """),
        id="same-id-in-exclusive-branches",
    ),
    pytest.param(
        one("""
        from zenml import pipeline, step

        @step
        def fetch(source: str) -> dict:
            return {}

        @pipeline
        def ingestion():
            for source in ["shop", "crm"]:
                fetch(source, id=f"fetch_{source}")
    """),
        id="id-built-from-loop-variable",
    ),
    pytest.param(
        one("""
        from zenml import pipeline, step

        @step(name="fetch_source")
        def fetch(source: str) -> dict:
            return {}

        @pipeline
        def ingestion():
            fetch("shop")
            fetch("crm", id="fetch")
    """),
        id="step-name-option-frees-the-function-name",
    ),
    pytest.param(
        one("""
        from zenml import pipeline, step

        @step
        def fetch(source: str) -> dict:
            return {}

        @pipeline
        def ingestion():
            for source in ["shop"]:
                fetch(source, id="fetch_once")
    """),
        id="fixed-id-in-single-iteration-loop",
    ),
    pytest.param(
        one("""
        from zenml import pipeline, step

        @step
        def fetch(source: str) -> dict:
            return {}

        @step
        def clean(data: dict) -> dict:
            return data

        @pipeline
        def ingestion():
            data = fetch("shop", id="clean_2")
            clean(data)
            clean(data)
            clean(data)
    """),
        id="other-steps-future-automatic-id-is-skipped",
    ),
    pytest.param(
        one("""
        from zenml import pipeline, step

        @step
        def fetch(source: str) -> dict:
            return {}

        @pipeline
        def ingestion():
            fetch("shop", id="fetch_main")

        @pipeline
        def backfill():
            fetch("shop", id="fetch_main")
    """),
        id="same-id-in-different-pipelines",
    ),
    pytest.param(
        one("""
        from zenml import pipeline, step

        @step
        def fetch(source: str) -> dict:
            return {}

        @pipeline
        def ingestion(quick: bool = False):
            if quick:
                fetch("sample", id="fetch_main")
                return
            fetch("all", id="fetch_main")
    """),
        id="same-id-early-return-versus-rest",
    ),
    pytest.param(
        one("""
        from zenml import pipeline, step

        @step
        def consume(data: str) -> dict:
            return {}

        @pipeline
        def ingestion(full: bool = False):
            if full:
                consume("all")
            else:
                consume("some")
            consume("c", id="consume_2")
    """),
        id="automatic-ids-in-exclusive-branches-take-only-the-base",
    ),
]


@pytest.mark.parametrize("sources", CLEAN)
def test_clean(check, sources: dict[str, str]) -> None:  # type: ignore[no-untyped-def]
    assert check(sources, select=["ZL003"]) == []


FINDINGS = [
    pytest.param(
        one("""
        from zenml import pipeline, step

        @step
        def fetch(source: str) -> dict:
            return {}

        @pipeline
        def ingestion():
            fetch("shop", id="fetch_source")
            fetch("crm", id="fetch_source")  # expect: ZL003
    """),
        id="same-literal-twice",
    ),
    pytest.param(
        one("""
        from zenml import pipeline, step

        @step
        def fetch(source: str) -> dict:
            return {}

        @pipeline
        def ingestion():
            fetch("shop", id="fetch_source")
            fetch("crm", id="fetch_source")  # expect: ZL003
            fetch("erp", id="fetch_source")  # expect: ZL003
    """),
        id="same-literal-three-times",
    ),
    pytest.param(
        one("""
        from zenml import pipeline, step

        @step
        def consume(data: str) -> dict:
            return {}

        @pipeline
        def ingestion():
            consume("a")
            consume("b", id="consume")  # expect: ZL003
    """),
        id="explicit-id-equal-to-earlier-automatic-id",
    ),
    pytest.param(
        one("""
        from zenml import pipeline, step

        @step
        def consume(data: str) -> dict:
            return {}

        @pipeline
        def ingestion():
            consume("a")
            consume("b")
            consume("c", id="consume_2")  # expect: ZL003
    """),
        id="explicit-id-equal-to-earlier-suffixed-id",
    ),
    pytest.param(
        one("""
        from zenml import pipeline, step

        @step
        def consume(data: str) -> dict:
            return {}

        @pipeline
        def ingestion():
            for item in ["a", "b"]:
                consume(item)
            consume("c", id="consume_2")  # expect: ZL003
    """),
        id="explicit-id-equal-to-automatic-id-from-loop",
    ),
    pytest.param(
        one("""
        from zenml import pipeline, step

        @step(name="custom_name")
        def consume(data: str) -> dict:
            return {}

        @pipeline
        def ingestion():
            consume("a")
            consume("b", id="custom_name")  # expect: ZL003
    """),
        id="step-name-option-is-the-automatic-base",
    ),
    pytest.param(
        one("""
        from zenml import pipeline
        from zenml.steps import BaseStep

        class Scaler(BaseStep):
            def entrypoint(self, data: str) -> dict:
                return {}

        scaler = Scaler()

        @pipeline
        def ingestion():
            scaler("a")
            scaler("b", id="Scaler")  # expect: ZL003
    """),
        id="class-step-automatic-base-is-class-name",
    ),
    pytest.param(
        one("""
        from zenml import pipeline, step

        @step
        def fetch(source: str) -> dict:
            return {}

        @pipeline
        def ingestion():
            for source in ["shop", "crm"]:
                fetch(source, id="fetch_source")  # expect: ZL003
    """),
        id="fixed-id-in-for-loop",
    ),
    pytest.param(
        one("""
        from zenml import pipeline, step

        @step
        def fetch(page: int) -> dict:
            return {}

        @pipeline
        def ingestion():
            page = 0
            while page < 3:
                fetch(page, id="fetch_page")  # expect: ZL003
                page += 1
    """),
        id="fixed-id-in-while-loop",
    ),
    pytest.param(
        one("""
        from zenml import pipeline, step

        @step
        def fetch(source: str) -> dict:
            return {}

        @pipeline
        def ingestion():
            [fetch(s, id="fetch_source") for s in ["shop", "crm"]]  # expect: ZL003
    """),
        id="fixed-id-in-comprehension",
    ),
    pytest.param(
        one("""
        from zenml import pipeline, step

        FETCH_ID = "fetch_source"

        @step
        def fetch(source: str) -> dict:
            return {}

        @pipeline
        def ingestion():
            fetch("shop", id=FETCH_ID)
            fetch("crm", id="fetch_source")  # expect: ZL003
    """),
        id="id-from-module-constant",
    ),
    pytest.param(
        one("""
        from zenml import pipeline, step

        @step
        def fetch(source: str) -> dict:
            return {}

        def fetch_one(source):
            fetch(source, id="fetch_source")

        @pipeline
        def ingestion():
            fetch_one("shop")
            fetch_one("crm")  # expect: ZL003
    """),
        id="helper-with-fixed-id-called-twice",
    ),
    pytest.param(
        one("""
        from zenml import pipeline, step

        @step
        def fetch(source: str) -> dict:
            return {}

        @step
        def clean(data: dict) -> dict:
            return data

        @pipeline
        def ingestion():
            data = fetch("shop")
            clean(data, id="fetch")  # expect: ZL003
    """),
        id="explicit-id-equal-to-another-steps-automatic-id",
    ),
    pytest.param(
        one("""
        from zenml import pipeline, step

        @step
        def fetch(source: str) -> dict:
            return {}

        @pipeline
        def ingestion(verbose: bool = False):
            fetch("shop", id="fetch_source")
            if verbose:
                fetch("crm", id="fetch_source")  # expect: ZL003
    """),
        id="if-without-else-is-not-exclusive",
    ),
    pytest.param(
        one("""
        from zenml import pipeline, step

        @step
        def fetch(source: str) -> dict:
            return {}

        @pipeline
        def ingestion():
            fetch.with_options(enable_cache=False)("shop", id="fetch_source")
            fetch("crm", id="fetch_source")  # expect: ZL003
    """),
        id="with-options-copy-shares-the-id-space",
    ),
    pytest.param(
        one("""
        from zenml import pipeline, step

        @step
        def fetch(source: str) -> dict:
            return {}

        @pipeline(dynamic=True)
        def ingestion():
            fetch("shop", id="fetch_source")
            fetch("crm", id="fetch_source")  # expect: ZL003
    """),
        id="dynamic-pipeline",
    ),
    pytest.param(
        one("""
        from zenml import pipeline, step

        @step
        def plain(data: str) -> dict:
            return {}

        @pipeline
        def ingestion():
            plain("a", id="plain_2")
            plain("b")
            plain("c")
            plain("d", id="plain_3")  # expect: ZL003
    """),
        id="automatic-ids-skip-a-taken-id-and-then-clash",
    ),
    pytest.param(
        one("""
        from zenml import pipeline, step

        @step
        def fetch(source: str) -> dict:
            return {}

        def fetch_one(source):
            fetch(source, id="fetch_source")

        @pipeline
        def ingestion():
            for source in ["shop", "crm"]:
                fetch_one(source)  # expect: ZL003
    """),
        id="helper-with-fixed-id-called-in-loop",
    ),
    pytest.param(
        one("""
        from zenml import pipeline, step

        @step
        def fetch(source: str) -> dict:
            return {}

        @pipeline
        def ingestion(full: bool = False):
            if full:
                fetch("all", id="fetch_main")
            else:
                fetch("some", id="fetch_other")
            fetch("more", id="fetch_main")  # expect: ZL003
    """),
        id="branch-id-reused-after-the-if",
    ),
    pytest.param(
        one("""
        from zenml import pipeline, step

        @step
        def fetch(source: str) -> dict:
            return {}

        @pipeline
        def ingestion():
            ident = "fetch_source"
            fetch("shop", id=ident)
            fetch("crm", id=ident)  # expect: ZL003
    """),
        id="id-from-local-variable-holding-a-literal",
    ),
]


@pytest.mark.parametrize("sources", FINDINGS)
def test_findings(check, sources: dict[str, str]) -> None:  # type: ignore[no-untyped-def]
    assert check(sources, select=["ZL003"]) == expected_markers(sources)


# -- the fix --------------------------------------------------------------------------------


def run_fix(root: Path, sources: dict[str, str], *flags: str) -> dict[str, str]:
    """Writes ``sources`` under ``root``, runs ``zlint fix`` there, returns the files' text."""
    write_project(root, sources)
    cwd = Path.cwd()
    os.chdir(root)
    try:
        main(["fix", "--select", "ZL003", "--fix-only", *flags, "."])
    finally:
        os.chdir(cwd)
    return {name: (root / name).read_text(encoding="utf-8") for name in sources}


def dedented(sources: dict[str, str]) -> dict[str, str]:
    return {name: textwrap.dedent(text).lstrip("\n") for name, text in sources.items()}


HEADER = """
    from zenml import pipeline, step

    @step
    def fetch(source: str) -> dict:
        return {}

    @step
    def consume(data: str) -> dict:
        return {}

    @pipeline
    def ingestion(sources: list):
"""


def body(lines: str) -> dict[str, str]:
    return {"pipe.py": HEADER + textwrap.indent(textwrap.dedent(lines), " " * 8)}


FIXES = [
    pytest.param(
        body("""
            fetch("shop", id="fetch_source")
            fetch("crm", id="fetch_source")
        """),
        body("""
            fetch("shop", id="fetch_source")
            fetch("crm", id="fetch_source_crm")
        """),
        id="suffix-from-a-split-like-parameter",
    ),
    pytest.param(
        body("""
            fetch("shop", id="fetch_source")
            fetch("crm", id="fetch_source")
            fetch(source="erp", id="fetch_source")
        """),
        body("""
            fetch("shop", id="fetch_source")
            fetch("crm", id="fetch_source_crm")
            fetch(source="erp", id="fetch_source_erp")
        """),
        id="three-calls-each-its-own-suffix",
    ),
    pytest.param(
        body("""
            consume("a")
            consume("b", id='consume')  # keep this comment
        """),
        body("""
            consume("a")
            consume("b", id='consume_2')  # keep this comment
        """),
        id="equal-to-an-automatic-id-numbered-keeps-quotes-and-comment",
    ),
    pytest.param(
        body("""
            consume("a")
            consume("b")
            consume("c", id="consume_2")
        """),
        body("""
            consume("a")
            consume("b")
            consume("c", id="consume_3")
        """),
        id="a-numbered-id-counts-on",
    ),
    pytest.param(
        body("""
            train_rows = consume("a", id="consume_rows")
            val_rows = consume("b", id="consume_rows")
        """),
        body("""
            train_rows = consume("a", id="consume_rows")
            val_rows = consume("b", id="consume_rows_val")
        """),
        id="suffix-from-the-assigned-variable",
    ),
    pytest.param(
        body("""
            fetch("shop", id="f")
            fetch("crm", id="f_crm")
            fetch("crm", id="f")
        """),
        body("""
            fetch("shop", id="f")
            fetch("crm", id="f_crm")
            fetch("crm", id="f_2")
        """),
        id="a-taken-suffix-falls-back-to-a-number",
    ),
    pytest.param(
        body("""
            for source in ["shop", "crm"]:
                fetch(source, id="fetch_source")
        """),
        body("""
            for source in ["shop", "crm"]:
                fetch(source, id=f"fetch_source_{source}")
        """),
        id="for-loop-over-known-values",
    ),
    pytest.param(
        body("""
            for source in sources:
                fetch(source, id="fetch_source")
        """),
        body("""
            for source in sources:
                fetch(source, id=f"fetch_source_{source}")
        """),
        id="for-loop-over-a-parameter",
    ),
    pytest.param(
        body("""
            for index, source in enumerate(sources):
                fetch(source, id="fetch_{x}")
        """),
        body("""
            for index, source in enumerate(sources):
                fetch(source, id=f"fetch_{{x}}_{source}")
        """),
        id="tuple-target-uses-the-variable-the-call-passes-and-braces-are-escaped",
    ),
    pytest.param(
        body("""
            [fetch(s, id="fetch_source") for s in ["shop", "crm"]]
        """),
        body("""
            [fetch(s, id=f"fetch_source_{s}") for s in ["shop", "crm"]]
        """),
        id="comprehension",
    ),
]


@pytest.mark.parametrize(("before", "after"), FIXES)
def test_fix(tmp_path: Path, before: dict[str, str], after: dict[str, str]) -> None:
    assert run_fix(tmp_path, before) == dedented(before)  # unsafe: not without the flag
    fixed = run_fix(tmp_path, before, "--unsafe-fixes")
    assert fixed == dedented(after)
    assert run_fix(tmp_path, fixed, "--unsafe-fixes") == fixed
    assert findings(check_tree(tmp_path, select=["ZL003"]), tmp_path) == []


NO_FIX = [
    pytest.param(
        {
            "pipe.py": """
            from zenml import pipeline, step

            @step
            def fetch(source: str) -> dict:
                return {}

            def fetch_one(source):
                fetch(source, id="fetch_source")

            @pipeline
            def ingestion():
                fetch_one("shop")
                fetch_one("crm")
            """
        },
        id="id-inside-a-helper-called-twice",
    ),
    pytest.param(
        {
            "pipe.py": """
            from zenml import pipeline, step

            @step
            def fetch(source: str) -> dict:
                return {}

            def fetch_one(source):
                fetch(source, id="fetch_source")

            @pipeline
            def ingestion():
                for source in ["shop", "crm"]:
                    fetch_one(source)
            """
        },
        id="id-inside-a-helper-called-in-a-loop",
    ),
    pytest.param(
        body("""
            ident = "fetch_source"
            fetch("shop", id=ident)
            fetch("crm", id=ident)
        """),
        id="id-from-a-variable",
    ),
    pytest.param(
        body("""
            page = 0
            while page < 3:
                fetch(page, id="fetch_page")
                page += 1
        """),
        id="while-loop-has-no-loop-variable",
    ),
    pytest.param(
        body("""
            for _ in range(2):
                fetch("shop", id="fetch_page")
        """),
        id="loop-variable-is-a-placeholder",
    ),
]


@pytest.mark.parametrize("sources", NO_FIX)
def test_no_fix(tmp_path: Path, sources: dict[str, str]) -> None:
    write_project(tmp_path, sources)
    diagnostics = check_tree(tmp_path, select=["ZL003"]).diagnostics
    assert [d.code for d in diagnostics] == ["ZL003"] * len(diagnostics) != []
    assert all(d.fix is None for d in diagnostics)
    assert run_fix(tmp_path, sources, "--unsafe-fixes") == dedented(sources)


def test_the_fix_is_unsafe_and_says_what_it_does(tmp_path: Path) -> None:
    sources = body("""
        fetch("shop", id="fetch_source")
        fetch("crm", id="fetch_source")
    """)
    write_project(tmp_path, sources)
    [diagnostic] = check_tree(tmp_path, select=["ZL003"]).diagnostics
    assert diagnostic.fix is not None
    assert diagnostic.fix.applicability is Applicability.UNSAFE
    assert diagnostic.fix.message == 'Rename the invocation id to "fetch_source_crm"'


def test_a_sub_pipeline_is_fixed_where_it_is_written(tmp_path: Path) -> None:
    source = """
    from zenml import pipeline, step

    @step
    def fetch(source: str) -> dict:
        return {}

    @pipeline
    def ingestion():
        fetch("shop", id="f")
        fetch("crm", id="f")

    @pipeline
    def everything():
        ingestion()
    """
    after = run_fix(tmp_path, {"pipe.py": source}, "--unsafe-fixes")
    assert 'fetch("crm", id="f_crm")' in after["pipe.py"]
    # Run twice by another pipeline, each of its calls needs two ids: no literal will do.
    twice = {"pipe.py": source + "    ingestion()\n"}
    assert run_fix(tmp_path, twice, "--unsafe-fixes") == dedented(twice)
