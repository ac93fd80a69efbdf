"""ZL010 reserved-step-parameter: a step parameter named `id` or `after`."""

from __future__ import annotations

import pytest
from conftest import check_tree, expected_markers, write_project


def one(text: str) -> dict[str, str]:
    return {"steps.py": text}


CLEAN = [
    pytest.param(
        one("""
        from zenml import step

        @step
        def load(row_id: str, after_date: str, identity: int) -> list:
            return [row_id]
    """),
        id="names-that-only-contain-id-or-after",
    ),
    pytest.param(
        one("""
        from zenml import pipeline, step

        @step
        def load(source: str) -> list:
            return [source]

        @pipeline
        def p(id: str = "a", after: str = "b"):
            load(id, id="first")
            load(after, id="second", after="first")
    """),
        id="pipeline-parameters-and-call-keywords-are-fine",
    ),
    pytest.param(
        one("""
        from zenml import step

        @step
        def load(start_after: int) -> int:
            return start_after
    """),
        id="start-after-is-accepted-by-the-decorator",
    ),
    pytest.param(
        one("""
        def step(func):
            return func

        @step
        def load(id: str) -> list:
            return [id]
    """),
        id="a-local-decorator-called-step",
    ),
    pytest.param(
        one("""
        from metaflow import step

        @step
        def load(self, id):
            pass
    """),
        id="another-librarys-step",
    ),
    pytest.param(
        one("""
        def lookup(id: str) -> str:
            return id

        class Loader:
            def entrypoint(self, id: str) -> str:
                return id
    """),
        id="plain-function-and-plain-class",
    ),
    pytest.param(
        one("""
        from zenml import step

        def helper(id: str) -> str:
            return id

        @step
        def load(source: str) -> str:
            def inner(after: str) -> str:
                return after
            return inner(source)
    """),
        id="helpers-of-a-step",
    ),
    pytest.param(
        one("""
        from zenml.steps import BaseStep

        class Load(BaseStep):
            def entrypoint(self, source: str) -> str:
                return source

            def describe(self, id: str) -> str:
                return id
    """),
        id="other-methods-of-a-step-class",
    ),
]

FINDINGS = [
    pytest.param(
        one("""
        from zenml import step

        @step
        def load(source: str, id: str) -> list:  # expect: ZL010
            return [source, id]
    """),
        id="id-parameter",
    ),
    pytest.param(
        one("""
        import zenml as zn

        @zn.step(enable_cache=False)
        def load(
            source: str,
            after: str = "x",  # expect: ZL010
            id: int = 0,  # expect: ZL010
        ) -> list:
            return [source]
    """),
        id="module-alias-both-names",
    ),
    pytest.param(
        one("""
        from zenml.steps import step as make_step

        @make_step
        def load(source: str, *, after: str) -> list:  # expect: ZL010
            return [source]
    """),
        id="keyword-only-with-aliased-decorator",
    ),
    pytest.param(
        one("""
        from zenml import step

        @step
        def load(source: str, **after) -> list:  # expect: ZL010
            return [source]
    """),
        id="star-kwargs",
    ),
    pytest.param(
        one("""
        from zenml.steps import BaseStep

        class Load(BaseStep):
            def entrypoint(self, after: str) -> str:  # expect: ZL010
                return after

        load = Load()
    """),
        id="base-step-entrypoint",
    ),
    pytest.param(
        {
            "base.py": """
            from zenml.steps import BaseStep

            class Tracked(BaseStep):
                pass
            """,
            "steps.py": """
            from base import Tracked

            class Load(Tracked):
                def entrypoint(self, id: int) -> int:  # expect: ZL010
                    return id
            """,
        },
        id="subclass-of-a-project-step-class",
    ),
    pytest.param(
        {
            "helpers.py": """
            def load(id: int) -> int:  # expect: ZL010
                return id
            """,
            "steps.py": """
            import helpers
            from zenml import step

            load = step(helpers.load, enable_cache=False)
            """,
        },
        id="function-wrapped-with-step-in-another-module",
    ),
    pytest.param(
        one("""
        from zenml import step

        def load(after: int) -> int:  # expect: ZL010
            return after

        load_step = step(name="load_rows")(load)
    """),
        id="function-wrapped-with-configured-step",
    ),
    pytest.param(
        one("""
        from zenml import step

        def make():
            @step
            def inner(id: int) -> int:  # expect: ZL010
                return id
            return inner
    """),
        id="step-defined-in-a-factory",
    ),
]


@pytest.mark.parametrize("sources", CLEAN)
def test_clean(check, sources: dict[str, str]) -> None:  # type: ignore[no-untyped-def]
    assert check(sources, select=["ZL010"]) == []


@pytest.mark.parametrize("sources", FINDINGS)
def test_findings(check, sources: dict[str, str]) -> None:  # type: ignore[no-untyped-def]
    assert check(sources, select=["ZL010"]) == expected_markers(sources)


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        pytest.param(
            """
            from zenml import step

            @step
            def load(id: int) -> int:
                return id
            """,
            "Step `load` has a parameter named `id`, which ZenML reserves for the invocation "
            "id of a call (`id=`): ZenML raises `RuntimeError: Reserved argument name 'id'.` "
            "when the `@step` decorator runs on import; rename the parameter",
            id="function",
        ),
        pytest.param(
            """
            from zenml.steps import BaseStep

            class Load(BaseStep):
                def entrypoint(self, after: int) -> int:
                    return after
            """,
            "when the step object is created (`Load()`)",
            id="class",
        ),
    ],
)
def test_message(tmp_path, source: str, expected: str) -> None:  # type: ignore[no-untyped-def]
    write_project(tmp_path, {"steps.py": source})
    [diagnostic] = check_tree(tmp_path, select=["ZL010"]).diagnostics
    assert expected in diagnostic.message
