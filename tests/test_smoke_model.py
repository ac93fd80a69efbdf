from __future__ import annotations

from conftest import expected_markers

SOURCES = {
    "steps/__init__.py": "",
    "steps/prep.py": """
        from typing import Annotated
        from zenml import step, get_step_context

        @step
        def transform(data: dict, split: str) -> Annotated[dict, "transformed_data"]:
            return data

        @step
        def tagged(data: dict, split: str) -> Annotated[dict, "tagged_data"]:
            get_step_context().add_output_metadata(output_name="tagged_data", metadata={"split": split})
            return data

        @step
        def load() -> dict:
            return {}
    """,
    "pipelines/train.py": """
        from zenml import pipeline
        from steps.prep import transform, tagged, load

        @pipeline
        def training():
            d = load()
            transform(d, split="train")
            transform(d, split="val")  # expect: ZL001
            tagged(d, split="train")
            tagged(d, split="val")
            for s in ["a", "b"]:
                transform(d, split=s)  # expect: ZL001
                tagged(d, split=s)
            load(id="load")  # expect: ZL003 ZL008
    """,
}


def test_cross_module_project(check) -> None:  # type: ignore[no-untyped-def]
    assert check(SOURCES) == expected_markers(SOURCES)


def test_reports_only_the_given_file_but_resolves_the_rest(check) -> None:  # type: ignore[no-untyped-def]
    expected = [f for f in expected_markers(SOURCES) if f[0] == "pipelines/train.py"]
    assert check(SOURCES, paths=["pipelines/train.py"]) == expected
    assert check(SOURCES, paths=["steps/prep.py"]) == []
