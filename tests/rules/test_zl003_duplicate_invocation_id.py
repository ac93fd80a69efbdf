"""ZL003 duplicate-invocation-id: explicit ids that clash with each other or with automatic ids."""

from __future__ import annotations

import pytest
from conftest import expected_markers


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
