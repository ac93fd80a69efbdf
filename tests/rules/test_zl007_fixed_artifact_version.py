"""ZL007 fixed-artifact-version: `ArtifactConfig(version=...)` with a value known in advance."""

from __future__ import annotations

import pytest
from conftest import check_tree, expected_markers, write_project


def one(text: str) -> dict[str, str]:
    return {"steps.py": text}


CLEAN = [
    pytest.param(
        one("""
        from typing import Annotated
        from zenml import ArtifactConfig, step

        @step
        def train(rows: list) -> Annotated[dict, ArtifactConfig(name="model", tags=["v1"])]:
            return {}
    """),
        id="no-version",
    ),
    pytest.param(
        one("""
        from typing import Annotated
        from zenml import ArtifactConfig, step

        @step
        def train(rows: list) -> Annotated[dict, ArtifactConfig(name="model", version=None)]:
            return {}
    """),
        id="version-none",
    ),
    pytest.param(
        one("""
        import uuid
        from typing import Annotated
        from zenml import ArtifactConfig, step

        @step
        def train(rows: list) -> Annotated[
            dict, ArtifactConfig(name="model", version=str(uuid.uuid4()))
        ]:
            return {}
    """),
        id="computed-version",
    ),
    pytest.param(
        one("""
        from typing import Annotated
        from zenml import ArtifactConfig, step

        version = "1"

        def make(version: str):
            @step
            def train(rows: list) -> Annotated[dict, ArtifactConfig(name="m", version=version)]:
                return {}
            return train
    """),
        id="factory-parameter-shadows-a-module-constant",
    ),
    pytest.param(
        one("""
        class ArtifactConfig:
            def __init__(self, name: str, version: str) -> None:
                self.name = name

        config = ArtifactConfig(name="model", version="1")
    """),
        id="another-class-called-artifact-config",
    ),
    pytest.param(
        one("""
        from zenml import Model, pipeline

        @pipeline(model=Model(name="churn", version="production"))
        def train():
            pass
    """),
        id="model-version-is-not-an-artifact-version",
    ),
    pytest.param(
        one("""
        from zenml import ArtifactConfig

        def build(ArtifactConfig):
            return ArtifactConfig(name="model", version="1")
    """),
        id="parameter-shadows-the-import",
    ),
]

FINDINGS = [
    pytest.param(
        one("""
        from typing import Annotated
        from zenml import ArtifactConfig, step

        @step
        def train(rows: list) -> Annotated[dict, ArtifactConfig(name="model", version="v1")]:  # expect: ZL007
            return {}
    """),
        id="literal-string",
    ),
    pytest.param(
        one("""
        from typing import Annotated
        import zenml as zn

        @zn.step
        def train(rows: list) -> Annotated[dict, zn.ArtifactConfig(version=3)]:  # expect: ZL007
            return {}
    """),
        id="integer-through-module-alias",
    ),
    pytest.param(
        one("""
        from typing import Annotated
        from zenml import step
        from zenml.artifacts.artifact_config import ArtifactConfig as AC

        @step
        def train(rows: list) -> Annotated[
            dict,
            AC(
                name="model",
                version="{split}_v1",  # expect: ZL007
            ),
        ]:
            return {}
    """),
        id="template-with-aliased-full-path",
    ),
    pytest.param(
        {
            "settings.py": """
            MAJOR = "2"
            RELEASE = f"v{MAJOR}"
            BUILD = 7
            """,
            "steps.py": """
            from typing import Annotated
            from zenml import ArtifactConfig, step
            from settings import BUILD, RELEASE

            MODEL = ArtifactConfig(name="model", version=RELEASE)  # expect: ZL007
            REPORT = ArtifactConfig(name="report", version=BUILD)  # expect: ZL007

            @step
            def train(rows: list) -> Annotated[dict, MODEL]:
                return {}
            """,
        },
        id="constants-from-another-module",
    ),
    pytest.param(
        one("""
        from typing import Annotated
        from zenml import step

        def make(split: str):
            from zenml import ArtifactConfig

            @step
            def train(rows: list) -> Annotated[dict, ArtifactConfig(name=split, version="1")]:  # expect: ZL007
                return {}
            return train
    """),
        id="import-inside-a-factory",
    ),
]


@pytest.mark.parametrize("sources", CLEAN)
def test_clean(check, sources: dict[str, str]) -> None:  # type: ignore[no-untyped-def]
    assert check(sources, select=["ZL007"]) == []


@pytest.mark.parametrize("sources", FINDINGS)
def test_findings(check, sources: dict[str, str]) -> None:  # type: ignore[no-untyped-def]
    assert check(sources, select=["ZL007"]) == expected_markers(sources)


@pytest.mark.parametrize(
    ("version", "expected"),
    [
        pytest.param(
            '"v1"',
            "Artifact version `v1` is fixed: an artifact name holds each version once, so "
            "the second write (a repeated call of the step, or a run not served from the "
            "cache) fails with `EntityExistsError`",
            id="fixed",
        ),
        pytest.param(
            '"{split}"',
            "Artifact version `{split}` is fixed: ZenML fills placeholders in an artifact's "
            "`name` only, so this version is stored as written",
            id="template",
        ),
    ],
)
def test_message(tmp_path, version: str, expected: str) -> None:  # type: ignore[no-untyped-def]
    write_project(
        tmp_path,
        {"steps.py": f"from zenml import ArtifactConfig\nc = ArtifactConfig(version={version})\n"},
    )
    [diagnostic] = check_tree(tmp_path, select=["ZL007"]).diagnostics
    assert diagnostic.message.startswith(expected)
