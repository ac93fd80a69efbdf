"""ZL001 repeated-step-artifact-collision: one step, a static custom name, several calls."""

from __future__ import annotations

import pytest
from conftest import expected_markers


def one(text: str) -> dict[str, str]:
    return {"pipe.py": text}


# --------------------------------------------------------------------------- clean cases

CLEAN = [
    pytest.param(
        one("""
        from typing import Annotated
        from zenml import pipeline, step

        @step
        def transform(split: str) -> Annotated[dict, "transformed_data"]:
            return {}

        @pipeline
        def training():
            transform(split="train")
    """),
        id="single-call",
    ),
    pytest.param(
        one("""
        from zenml import pipeline, step

        @step
        def transform(split: str) -> dict:
            return {}

        @pipeline
        def training():
            transform(split="train")
            transform(split="val")
            for s in ["a", "b"]:
                transform(split=s)
    """),
        id="unnamed-output",
    ),
    pytest.param(
        one("""
        from zenml import pipeline, step

        @step
        def transform(split: str):
            return {}

        @pipeline
        def training():
            transform(split="train")
            transform(split="val")
    """),
        id="no-annotation",
    ),
    pytest.param(
        one("""
        from typing import Tuple
        from zenml import pipeline, step

        @step
        def split_data(ratio: float) -> Tuple[dict, list]:
            return {}, []

        @pipeline
        def training():
            split_data(ratio=0.1)
            split_data(ratio=0.2)
    """),
        id="unnamed-tuple-members",
    ),
    pytest.param(
        one("""
        from typing import Annotated, Tuple
        from zenml import pipeline, step

        @step
        def pair(ratio: float) -> Tuple[Annotated[dict, "features"], Annotated[list, "labels"]]:
            result = ({}, [])
            return result

        @pipeline
        def training():
            pair(ratio=0.1)
            pair(ratio=0.2)
    """),
        id="tuple-annotation-without-tuple-return-is-one-unnamed-output",
    ),
    pytest.param(
        one("""
        from typing import Annotated
        from zenml import get_step_context, pipeline, step

        @step
        def transform(split: str) -> Annotated[dict, "transformed_data"]:
            get_step_context().add_output_metadata(
                metadata={"split": split}, output_name="transformed_data"
            )
            return {}

        @pipeline
        def training():
            transform(split="train")
            transform(split="val")
            transform(split="test")
    """),
        id="add-output-metadata-different-literals",
    ),
    pytest.param(
        one("""
        from typing import Annotated
        from zenml import get_step_context, pipeline, step

        @step
        def transform(split: str) -> Annotated[dict, "transformed_data"]:
            context = get_step_context()
            context.add_output_metadata(metadata={"split": split})
            return {}

        @pipeline
        def training():
            transform(split="train")
            transform(split="val")
    """),
        id="add-output-metadata-via-context-variable-single-output",
    ),
    pytest.param(
        one("""
        from typing import Annotated
        from zenml import log_metadata, pipeline, step

        @step
        def transform(split: str) -> Annotated[dict, "transformed_data"]:
            log_metadata(metadata={"split": split}, infer_artifact=True)
            return {}

        @pipeline
        def training():
            transform(split="train")
            transform(split="val")
    """),
        id="log-metadata-infer-artifact",
    ),
    pytest.param(
        one("""
        from typing import Annotated
        from zenml import log_metadata, pipeline, step

        @step
        def transform(split: str) -> Annotated[dict, "transformed_data"]:
            log_metadata(
                metadata={"split": split},
                infer_artifact=True,
                artifact_name="transformed_data",
            )
            return {}

        @pipeline
        def training():
            transform(split="train")
            transform(split="val")
    """),
        id="log-metadata-infer-artifact-with-artifact-name",
    ),
    pytest.param(
        one("""
        from typing import Annotated
        from zenml import log_artifact_metadata, pipeline, step

        @step
        def transform(split: str) -> Annotated[dict, "transformed_data"]:
            log_artifact_metadata(metadata={"split": split})
            return {}

        @pipeline
        def training():
            transform(split="train")
            transform(split="val")
    """),
        id="deprecated-log-artifact-metadata",
    ),
    pytest.param(
        one("""
        from typing import Annotated
        from zenml import get_step_context, pipeline, step

        @step
        def transform(split: str) -> Annotated[dict, "transformed_data"]:
            get_step_context().add_output_tags(tags=[split])
            return {}

        @pipeline
        def training():
            transform(split="train")
            transform(split="val")
    """),
        id="add-output-tags",
    ),
    pytest.param(
        one("""
        from typing import Annotated
        from zenml import log_metadata, pipeline, step

        @step
        def transform(split: str) -> Annotated[dict, "transformed_data"]:
            label = f"split-{split}"
            log_metadata(metadata={"label": label}, infer_artifact=True)
            return {}

        @pipeline
        def training():
            transform(split="train")
            transform(split="val")
    """),
        id="metadata-from-local-derived-from-parameter",
    ),
    pytest.param(
        one("""
        from typing import Annotated
        from zenml import log_metadata, pipeline, step

        @step
        def transform(data: dict, split: str) -> Annotated[dict, "transformed_data"]:
            log_metadata(metadata={"split": split}, infer_artifact=True)
            return data

        @step
        def load() -> dict:
            return {}

        @pipeline
        def training():
            data = load()
            for split in ["train", "val", "test"]:
                transform(data, split=split)
    """),
        id="metadata-parameter-from-loop-variable",
    ),
    pytest.param(
        one("""
        from typing import Annotated
        from zenml import log_metadata, pipeline, step

        @step
        def transform(split: str) -> Annotated[dict, "transformed_data"]:
            log_metadata(metadata={"split": split}, infer_artifact=True)
            return {}

        @pipeline
        def training():
            [transform(split=s) for s in ["train", "val"]]
    """),
        id="metadata-parameter-from-comprehension-variable",
    ),
    pytest.param(
        one("""
        from typing import Annotated
        from zenml import pipeline, step

        @step
        def transform(split: str) -> Annotated[dict, "{prefix}_data"]:
            return {}

        @pipeline
        def training():
            transform.with_options(substitutions={"prefix": "train"})(split="train")
            transform.with_options(substitutions={"prefix": "val"})(split="val")
    """),
        id="placeholder-with-differing-substitutions",
    ),
    pytest.param(
        one("""
        from typing import Annotated
        from zenml import ArtifactConfig, pipeline, step

        @step
        def transform(split: str) -> Annotated[dict, ArtifactConfig(name="{prefix}_data")]:
            return {}

        @pipeline
        def training():
            for split in ["train", "val"]:
                transform.with_options(substitutions={"prefix": split})(split=split)
    """),
        id="artifact-config-placeholder-substituted-from-loop-variable",
    ),
    pytest.param(
        one("""
        from typing import Annotated
        from zenml import pipeline, step

        @step
        def transform(split: str) -> Annotated[dict, "transformed_data"]:
            return {}

        @pipeline
        def training(full: bool = False):
            if full:
                transform(split="all")
            else:
                transform(split="train")
    """),
        id="if-else-branches",
    ),
    pytest.param(
        one("""
        from typing import Annotated
        from zenml import pipeline, step

        @step
        def transform(split: str) -> Annotated[dict, "transformed_data"]:
            return {}

        @pipeline
        def training(mode: str = "a"):
            if mode == "a":
                transform(split="a")
            elif mode == "b":
                transform(split="b")
            else:
                transform(split="c")
    """),
        id="if-elif-else-branches",
    ),
    pytest.param(
        one("""
        from typing import Annotated
        from zenml import pipeline, step

        @step
        def transform(split: str) -> Annotated[dict, "transformed_data"]:
            return {}

        @pipeline
        def training(mode: str = "a"):
            match mode:
                case "a":
                    transform(split="a")
                case "b":
                    transform(split="b")
                case _:
                    transform(split="c")
    """),
        id="match-cases",
    ),
    pytest.param(
        one("""
        from typing import Annotated
        from zenml import pipeline, step

        @step
        def transform(split: str) -> Annotated[dict, "transformed_data"]:
            return {}

        @pipeline
        def training(quick: bool = False):
            if quick:
                transform(split="sample")
                return
            transform(split="full")
    """),
        id="early-return-versus-rest",
    ),
    pytest.param(
        one("""
        from typing import Annotated
        from zenml import pipeline, step

        @step
        def transform(split: str) -> Annotated[dict, "transformed_data"]:
            return {}

        @pipeline
        def training():
            transform(split="train")

        @pipeline
        def evaluation():
            transform(split="test")
    """),
        id="one-call-in-each-of-two-pipelines",
    ),
    pytest.param(
        one("""
        from typing import Annotated
        from zenml import pipeline, step

        @step
        def transform(split: str) -> Annotated[dict, "transformed_data"]:
            return {}

        @pipeline
        def training():
            for split in ["train"]:
                transform(split=split)
    """),
        id="loop-over-a-single-literal-item",
    ),
    pytest.param(
        one("""
        from typing import Annotated
        from zenml import pipeline, step

        @step
        def train_part(n: int) -> Annotated[dict, "train_data"]:
            return {}

        @step
        def test_part(n: int) -> Annotated[dict, "test_data"]:
            return {}

        @pipeline
        def training():
            train_part(1)
            test_part(1)
    """),
        id="two-steps-two-names",
    ),
    pytest.param(
        one("""
        from typing import Annotated, Tuple
        from zenml import get_step_context, pipeline, step

        @step
        def pair(split: str) -> Tuple[Annotated[dict, "features"], Annotated[list, "labels"]]:
            get_step_context().add_output_metadata(metadata={"split": split}, output_name="features")
            get_step_context().add_output_metadata(metadata={"split": split}, output_name="labels")
            return {}, []

        @pipeline
        def training():
            pair(split="train")
            pair(split="val")
    """),
        id="multi-output-each-output-tagged",
    ),
    pytest.param(
        one("""
        from typing import Annotated
        from zenml import log_metadata, pipeline, step

        @step
        def transform(split: str) -> Annotated[dict, "transformed_data"]:
            log_metadata(metadata={"split": split}, infer_artifact=True)
            return {}

        def run_split(name):
            transform(split=name)

        @pipeline
        def training():
            run_split("train")
            run_split("val")
    """),
        id="helper-passes-differing-literals",
    ),
    pytest.param(
        one("""
        from typing import Annotated
        from zenml import log_metadata, pipeline, step

        @step
        def transform(split: str) -> Annotated[dict, "transformed_data"]:
            log_metadata(metadata={"split": split}, infer_artifact=True)
            return {}

        @pipeline
        def training():
            transform.with_options(parameters={"split": "train"})()
            transform.with_options(parameters={"split": "val"})()
    """),
        id="metadata-parameter-set-through-with-options-parameters",
    ),
    pytest.param(
        one("""
        from typing import Annotated
        from zenml import ArtifactConfig, pipeline, step

        @step
        def transform(split: str) -> Annotated[dict, ArtifactConfig(tags=["prep"])]:
            return {}

        @pipeline
        def training():
            transform(split="train")
            transform(split="val")
    """),
        id="artifact-config-without-name-is-unnamed",
    ),
    pytest.param(
        one("""
        from typing import Annotated
        from zenml import get_step_context, log_metadata, pipeline, step

        @step
        def transform(split: str) -> Annotated[dict, "transformed_data"]:
            get_step_context().add_output_metadata({"split": split}, "transformed_data")
            return {}

        @pipeline
        def training():
            transform("train")
            transform("val")
    """),
        id="positional-arguments-everywhere",
    ),
    pytest.param(
        one("""
        from typing import Annotated
        import zenml

        @zenml.step
        def transform(split: str) -> Annotated[dict, "transformed_data"]:
            zenml.log_metadata(metadata={"split": split}, infer_artifact=True)
            return {}

        @zenml.pipeline
        def training():
            transform(split="train")
            transform(split="val")
    """),
        id="log-metadata-through-zenml-module-attribute",
    ),
    pytest.param(
        one("""
        from typing import Annotated
        from zenml import get_step_context, pipeline
        from zenml.steps import BaseStep

        class Transform(BaseStep):
            def entrypoint(self, split: str) -> Annotated[dict, "transformed_data"]:
                get_step_context().add_output_metadata(metadata={"split": split})
                return {}

        transform = Transform()

        @pipeline
        def training():
            transform(split="train")
            transform(split="val")
    """),
        id="class-based-step-with-metadata",
    ),
    pytest.param(
        one("""
        from typing import Annotated
        from zenml import pipeline, step

        @step
        def transform(split: str) -> Annotated[dict, "transformed_data"]:
            return {}

        @pipeline
        def training():
            for split in []:
                transform(split=split)
    """),
        id="loop-over-empty-literal",
    ),
    pytest.param(
        one("""
        from typing import Annotated
        from zenml import pipeline, step

        @step
        def transform(split: str) -> Annotated[dict, "transformed_data"]:
            return {}

        @pipeline
        def training(quick: bool = False):
            if quick:
                transform(split="sample")
                raise SystemExit
            transform(split="full")
    """),
        id="if-body-ending-in-raise-versus-rest",
    ),
    pytest.param(
        one("""
        from typing import Annotated
        from zenml import pipeline, step

        @step
        def transform(split: str) -> Annotated[dict, "{prefix}_data"]:
            return {}

        train_transform = transform.with_options(substitutions={"prefix": "train"})
        val_transform = transform.with_options(substitutions={"prefix": "val"})

        @pipeline
        def training():
            train_transform(split="train")
            val_transform(split="val")
    """),
        id="module-level-aliases-with-differing-substitutions",
    ),
    pytest.param(
        one("""
        from typing import Annotated
        from zenml import log_metadata, pipeline, step

        @step
        def transform(split: str) -> Annotated[dict, "transformed_data"]:
            log_metadata(metadata={"split": split}, infer_artifact=True)
            return {}

        @pipeline
        def training():
            for index, split in enumerate(["train", "val"]):
                name = f"{index}-{split}"
                transform(split=name)
    """),
        id="metadata-parameter-derived-from-enumerate-loop-variable",
    ),
    pytest.param(
        one("""
        from typing import Annotated
        from zenml import log_metadata, pipeline, step

        @step
        def make_splits() -> list:
            return ["train", "val"]

        @step
        def transform(split: str) -> Annotated[dict, "transformed_data"]:
            log_metadata(metadata={"split": split}, infer_artifact=True)
            return {}

        @pipeline(dynamic=True)
        def training():
            splits = make_splits()
            transform.map(split=splits)
    """),
        id="dynamic-map-over-metadata-parameter",
    ),
    pytest.param(
        one("""
        from typing import Annotated
        from zenml import log_metadata, pipeline, step

        @step
        def transform(round: int) -> Annotated[dict, "transformed_data"]:
            log_metadata(metadata={"round": round}, infer_artifact=True)
            return {}

        @pipeline
        def training():
            n = 0
            while n < 3:
                transform(round=n)
                n += 1
    """),
        id="while-loop-counter-into-metadata",
    ),
    pytest.param(
        one("""
        from typing import Annotated
        from zenml import pipeline, step

        @step
        def transform(split: str) -> Annotated[dict, "transformed_data"]:
            return {}

        @pipeline
        def training(full: bool = False):
            data = transform(split="all") if full else transform(split="sample")
    """),
        id="conditional-expression-arms",
    ),
]


@pytest.mark.parametrize("sources", CLEAN)
def test_clean(check, sources: dict[str, str]) -> None:  # type: ignore[no-untyped-def]
    assert check(sources, select=["ZL001"]) == []


# --------------------------------------------------------------------------- findings

FINDINGS = [
    pytest.param(
        one("""
        from typing import Annotated
        from zenml import pipeline, step

        @step
        def transform(split: str) -> Annotated[dict, "transformed_data"]:
            return {}

        @pipeline
        def training():
            transform(split="train")
            transform(split="val")  # expect: ZL001
    """),
        id="annotated-string-twice",
    ),
    pytest.param(
        one("""
        from typing import Annotated
        from zenml import ArtifactConfig, pipeline, step

        @step
        def transform(split: str) -> Annotated[dict, ArtifactConfig(name="transformed_data")]:
            return {}

        @pipeline
        def training():
            transform(split="train")
            transform(split="val")  # expect: ZL001
            transform(split="test")  # expect: ZL001
    """),
        id="artifact-config-name-three-times",
    ),
    pytest.param(
        one("""
        from typing import Annotated
        from zenml import ArtifactConfig, pipeline, step

        @step
        def transform(split: str) -> Annotated[dict, "transformed_data", ArtifactConfig(tags=["x"])]:
            return {}

        @pipeline
        def training():
            transform(split="train")
            transform(split="val")  # expect: ZL001
    """),
        id="legacy-annotated-name-plus-artifact-config",
    ),
    pytest.param(
        one("""
        from typing import Annotated
        from zenml import pipeline, step

        OUTPUT = "transformed_data"

        @step
        def transform(split: str) -> Annotated[dict, OUTPUT]:
            return {}

        @pipeline
        def training():
            transform(split="train")
            transform(split="val")  # expect: ZL001
    """),
        id="name-from-module-constant",
    ),
    pytest.param(
        one("""
        from typing import Annotated
        from zenml import ArtifactConfig, pipeline, step

        class Names:
            TRANSFORMED = "transformed_data"

        @step
        def transform(split: str) -> Annotated[dict, ArtifactConfig(name=Names.TRANSFORMED)]:
            return {}

        @pipeline
        def training():
            transform(split="train")
            transform(split="val")  # expect: ZL001
    """),
        id="name-from-class-attribute",
    ),
    pytest.param(
        {
            "names.py": """
            TRANSFORMED = "transformed_data"
        """,
            "pipe.py": """
            from typing import Annotated
            from zenml import pipeline, step
            from names import TRANSFORMED

            @step
            def transform(split: str) -> Annotated[dict, TRANSFORMED]:
                return {}

            @pipeline
            def training():
                transform(split="train")
                transform(split="val")  # expect: ZL001
        """,
        },
        id="name-from-imported-constant",
    ),
    pytest.param(
        one("""
        from typing import Annotated
        from zenml import pipeline, step

        @step
        def transform(split: str) -> Annotated[dict, "transformed_data"]:
            return {}

        @pipeline
        def training():
            for split in ["train", "val", "test"]:
                transform(split=split)  # expect: ZL001
    """),
        id="for-loop",
    ),
    pytest.param(
        one("""
        from typing import Annotated
        from zenml import pipeline, step

        @step
        def transform(split: str) -> Annotated[dict, "transformed_data"]:
            return {}

        @pipeline
        def training(splits: list):
            for split in splits:
                transform(split=split)  # expect: ZL001
    """),
        id="for-loop-over-a-parameter",
    ),
    pytest.param(
        one("""
        from typing import Annotated
        from zenml import pipeline, step

        @step
        def transform(round: int) -> Annotated[dict, "transformed_data"]:
            return {}

        @pipeline
        def training():
            n = 0
            while n < 3:
                transform(round=n)  # expect: ZL001
                n += 1
    """),
        id="while-loop",
    ),
    pytest.param(
        one("""
        from typing import Annotated
        from zenml import pipeline, step

        @step
        def transform(split: str) -> Annotated[dict, "transformed_data"]:
            return {}

        @pipeline
        def training():
            outputs = [transform(split=s) for s in ["train", "val"]]  # expect: ZL001
    """),
        id="list-comprehension",
    ),
    pytest.param(
        one("""
        from typing import Annotated
        from zenml import pipeline, step

        @step
        def make_splits() -> list:
            return ["train", "val"]

        @step
        def transform(split: str) -> Annotated[dict, "transformed_data"]:
            return {}

        @pipeline(dynamic=True)
        def training():
            splits = make_splits()
            transform.map(split=splits)  # expect: ZL001
    """),
        id="dynamic-map",
    ),
    pytest.param(
        one("""
        from typing import Annotated
        from zenml import pipeline, step

        @step
        def transform(split: str, seed: int) -> Annotated[dict, "transformed_data"]:
            return {}

        @pipeline(dynamic=True)
        def training():
            transform.product(split=["train", "val"], seed=[1, 2])  # expect: ZL001
    """),
        id="dynamic-product",
    ),
    pytest.param(
        one("""
        from typing import Annotated
        from zenml import pipeline, step

        @step
        def transform(split: str) -> Annotated[dict, "transformed_data"]:
            return {}

        def run_split(name):
            transform(split=name)

        @pipeline
        def training():
            run_split("train")
            run_split("val")  # expect: ZL001
    """),
        id="helper-called-twice-reported-at-outer-call",
    ),
    pytest.param(
        one("""
        from typing import Annotated
        from zenml import pipeline, step

        @step
        def transform(split: str) -> Annotated[dict, "transformed_data"]:
            return {}

        def run_both():
            transform(split="train")
            transform(split="val")

        @pipeline
        def training():
            run_both()  # expect: ZL001
    """),
        id="helper-repeating-internally-reported-at-its-call",
    ),
    pytest.param(
        one("""
        from typing import Annotated
        from zenml import pipeline, step

        @step
        def transform(split: str) -> Annotated[dict, "transformed_data"]:
            return {}

        def run_split(name):
            transform(split=name)

        @pipeline
        def training():
            for name in ["train", "val"]:
                run_split(name)  # expect: ZL001
    """),
        id="helper-called-in-loop",
    ),
    pytest.param(
        one("""
        from typing import Annotated
        from zenml import pipeline, step

        @step
        def transform(split: str) -> Annotated[dict, "transformed_data"]:
            return {}

        @pipeline
        def preprocess(split: str):
            transform(split=split)

        @pipeline
        def training():
            preprocess(split="train")
            preprocess(split="val")  # expect: ZL001
    """),
        id="sub-pipeline-called-twice",
    ),
    pytest.param(
        one("""
        from typing import Annotated
        from zenml import get_step_context, pipeline, step

        @step
        def transform(split: str) -> Annotated[dict, "transformed_data"]:
            get_step_context().add_output_metadata(metadata={"split": "fixed"})
            return {}

        @pipeline
        def training():
            transform(split="train")
            transform(split="val")  # expect: ZL001
    """),
        id="constant-metadata-does-not-distinguish",
    ),
    pytest.param(
        one("""
        from typing import Annotated
        from zenml import ArtifactConfig, pipeline, step

        @step
        def transform(
            split: str,
        ) -> Annotated[dict, ArtifactConfig(name="transformed_data", run_metadata={"k": "v"})]:
            return {}

        @pipeline
        def training():
            transform(split="train")
            transform(split="val")  # expect: ZL001
    """),
        id="artifact-config-run-metadata-does-not-distinguish",
    ),
    pytest.param(
        one("""
        from typing import Annotated
        from zenml import ArtifactConfig, pipeline, step

        @step
        def transform(
            split: str,
        ) -> Annotated[dict, ArtifactConfig(name="transformed_data", tags=["split"])]:
            return {}

        @pipeline
        def training():
            transform(split="train")
            transform(split="val")  # expect: ZL001
    """),
        id="artifact-config-tags-do-not-distinguish",
    ),
    pytest.param(
        one("""
        from typing import Annotated
        from zenml import log_metadata, pipeline, step

        @step
        def transform(split: str) -> Annotated[dict, "transformed_data"]:
            log_metadata(metadata={"split": split})
            return {}

        @pipeline
        def training():
            transform(split="train")
            transform(split="val")  # expect: ZL001
    """),
        id="bare-log-metadata-goes-to-step-run",
    ),
    pytest.param(
        one("""
        from typing import Annotated
        from zenml import pipeline, step

        @step
        def transform(split: str) -> Annotated[dict, "transformed_data"]:
            return {}

        @pipeline
        def training():
            transform(split="train", id="transform_train")
            transform(split="val", id="transform_val")  # expect: ZL001
    """),
        id="distinct-ids-do-not-distinguish",
    ),
    pytest.param(
        one("""
        from typing import Annotated
        from zenml import log_metadata, pipeline, step

        @step
        def transform(split: str) -> Annotated[dict, "transformed_data"]:
            log_metadata(metadata={"split": split}, infer_artifact=True)
            return {}

        @pipeline
        def training(split: str = "train"):
            transform(split=split)
            transform(split=split)  # expect: ZL008
    """),
        id="same-pipeline-parameter-to-both-calls",
    ),
    pytest.param(
        one("""
        from typing import Annotated
        from zenml import log_metadata, pipeline, step

        @step
        def transform(split: str) -> Annotated[dict, "transformed_data"]:
            log_metadata(metadata={"split": split}, infer_artifact=True)
            return {}

        @pipeline
        def training():
            transform(split="train")
            transform(split="val")
            transform(split="train")  # expect: ZL008
    """),
        id="third-call-repeats-first-literal",
    ),
    pytest.param(
        one("""
        from typing import Annotated
        from zenml import log_metadata, pipeline, step

        @step
        def transform(split: str) -> Annotated[dict, "transformed_data"]:
            log_metadata(metadata={"split": split}, infer_artifact=True)
            return {}

        @pipeline
        def training():
            for _ in range(3):
                transform(split="train")  # expect: ZL008
    """),
        id="metadata-parameter-constant-inside-loop",
    ),
    pytest.param(
        one("""
        from typing import Annotated, Tuple
        from zenml import pipeline, step

        @step
        def pair(ratio: float) -> Tuple[Annotated[dict, "features"], Annotated[list, "labels"]]:
            return {}, []

        @pipeline
        def training():
            pair(ratio=0.1)
            pair(ratio=0.2)  # expect: ZL001
    """),
        id="tuple-of-named-outputs-with-tuple-return",
    ),
    pytest.param(
        one("""
        from typing import Annotated, Tuple
        from zenml import get_step_context, pipeline, step

        @step
        def pair(split: str) -> Tuple[Annotated[dict, "features"], Annotated[list, "labels"]]:
            get_step_context().add_output_metadata(metadata={"split": split}, output_name="features")
            return {}, []

        @pipeline
        def training():
            pair(split="train")
            pair(split="val")  # expect: ZL001
    """),
        id="metadata-on-one-output-leaves-the-other-colliding",
    ),
    pytest.param(
        one("""
        from typing import Annotated
        from zenml import pipeline, step

        @step
        def transform(split: str) -> Annotated[dict, "{prefix}_data"]:
            return {}

        @pipeline
        def training():
            transform.with_options(substitutions={"prefix": "train"})(split="train")
            transform.with_options(substitutions={"prefix": "train"})(split="val")  # expect: ZL001
    """),
        id="placeholder-with-equal-substitutions",
    ),
    pytest.param(
        one("""
        from typing import Annotated
        from zenml import pipeline, step

        @step(substitutions={"prefix": "decor"})
        def transform(split: str) -> Annotated[dict, "{prefix}_data"]:
            return {}

        @pipeline
        def training():
            transform(split="train")
            transform(split="val")  # expect: ZL001
    """),
        id="placeholder-filled-only-at-step-level",
    ),
    pytest.param(
        one("""
        from typing import Annotated
        from zenml import pipeline, step

        @step
        def transform(split: str) -> Annotated[dict, "{prefix}_data"]:
            return {}

        @pipeline
        def training():
            for split in ["train", "val"]:
                transform.with_options(substitutions={"prefix": "x"})(split=split)  # expect: ZL001
    """),
        id="placeholder-constant-substitution-in-loop",
    ),
    pytest.param(
        one("""
        from typing import Annotated
        from zenml import pipeline, step

        @step
        def transform(split: str) -> Annotated[dict, "transformed_data"]:
            return {}

        @pipeline
        def training(extra: bool = False):
            transform(split="train")
            if extra:
                transform(split="val")  # expect: ZL001
    """),
        id="if-without-else-is-not-exclusive",
    ),
    pytest.param(
        one("""
        from typing import Annotated
        from zenml import pipeline, step

        @step
        def transform(split: str) -> Annotated[dict, "transformed_data"]:
            return {}

        fast = transform.with_options(enable_cache=False)

        @pipeline
        def training():
            transform(split="train")
            fast(split="val")  # expect: ZL001
    """),
        id="module-level-with-options-alias-is-the-same-step",
    ),
    pytest.param(
        one("""
        from typing import Annotated
        from zenml import pipeline, step

        @step
        def transform(split: str) -> Annotated[dict, "transformed_data"]:
            return {}

        @pipeline
        def training():
            uncached = transform.with_options(enable_cache=False)
            uncached(split="train")
            uncached(split="val")  # expect: ZL001
    """),
        id="local-with-options-copy-called-twice",
    ),
    pytest.param(
        one("""
        from typing import Annotated
        from zenml import pipeline, step

        @step
        def transform(split: str) -> Annotated[dict, "transformed_data"]:
            return {}

        @pipeline
        def training():
            for split in ["train", "val"]:
                for seed in [1, 2]:
                    transform(split=split)  # expect: ZL001 ZL008
    """),
        id="nested-loops",
    ),
    pytest.param(
        one("""
        from typing import Annotated
        from zenml import log_metadata, pipeline, step

        @step
        def transform(split: str, seed: int) -> Annotated[dict, "transformed_data"]:
            log_metadata(metadata={"split": split}, infer_artifact=True)
            return {}

        @pipeline
        def training():
            for split in ["train", "val"]:
                for seed in [1, 2]:
                    transform(split=split, seed=seed)  # expect: ZL001
    """),
        id="metadata-varies-over-outer-loop-only",
    ),
    pytest.param(
        one("""
        from typing import Annotated
        from zenml import pipeline, step

        @step
        def transform(split: str) -> Annotated[dict, "transformed_data"]:
            return {}

        @pipeline
        def training(mode: str = "a"):
            match mode:
                case "a":
                    transform(split="a")
                    transform(split="b")  # expect: ZL001
                case _:
                    transform(split="c")
    """),
        id="repeat-within-one-match-case",
    ),
    pytest.param(
        one("""
        from typing import Annotated
        from zenml import pipeline, step

        @step
        def transform(split: str) -> Annotated[dict, "transformed_data"]:
            return {}

        @pipeline
        def training():
            transform(
                split="train",
            )
            transform(  # expect: ZL001
                split="val",
            )
    """),
        id="multi-line-call-reported-at-its-first-line",
    ),
    pytest.param(
        one("""
        from typing import Annotated
        from zenml import pipeline, step

        @step
        def transform(split: str) -> Annotated[dict, "transformed_data"]:
            return {}

        @pipeline
        def training(quick: bool = False):
            if quick:
                transform(split="sample")
                return
            transform(split="train")
            transform(split="val")  # expect: ZL001
    """),
        id="two-calls-after-an-early-return",
    ),
    pytest.param(
        one("""
        from typing import Annotated
        from zenml import log_metadata, pipeline, step

        @step
        def transform(split: str = "train") -> Annotated[dict, "transformed_data"]:
            log_metadata(metadata={"split": split}, infer_artifact=True)
            return {}

        @pipeline
        def training():
            transform()
            transform(split="train")  # expect: ZL008
    """),
        id="default-value-equal-to-explicit-literal",
    ),
    pytest.param(
        one("""
        from typing import Annotated
        from zenml import log_metadata, pipeline, step

        TRAIN = "train"

        @step
        def transform(split: str) -> Annotated[dict, "transformed_data"]:
            log_metadata(metadata={"split": split}, infer_artifact=True)
            return {}

        @pipeline
        def training():
            transform(split="train")
            transform(split=TRAIN)  # expect: ZL008
    """),
        id="constant-equal-to-literal-is-the-same-value",
    ),
    pytest.param(
        one("""
        from typing import Annotated
        from zenml import log_metadata, pipeline, step

        @step
        def transform(split: str) -> Annotated[dict, "transformed_data"]:
            log_metadata(metadata={"split": split}, infer_artifact=False)
            return {}

        @pipeline
        def training():
            transform(split="train")
            transform(split="val")  # expect: ZL001
    """),
        id="log-metadata-infer-artifact-false",
    ),
    pytest.param(
        one("""
        from typing import Annotated, Tuple
        from zenml import pipeline, step

        @step
        def mixed(ratio: float) -> Tuple[Annotated[dict, "mixed_named"], list]:
            return {}, []

        @pipeline
        def training():
            mixed(ratio=0.1)
            mixed(ratio=0.2)  # expect: ZL001
    """),
        id="tuple-with-one-named-member",
    ),
    pytest.param(
        one("""
        from typing import Annotated
        from zenml import log_metadata, pipeline, step

        @step
        def transform(split: str) -> Annotated[dict, "transformed_data"]:
            log_metadata(metadata={"split": split}, infer_artifact=True)
            return {}

        def run_split(name="train"):
            transform(split=name)

        @pipeline
        def training():
            run_split()
            run_split()  # expect: ZL008
    """),
        id="helper-default-argument-twice",
    ),
    pytest.param(
        one("""
        from typing import Annotated
        from zenml import pipeline, step

        @step
        def transform(split: str) -> Annotated[dict, "transformed_data"]:
            return {}

        @pipeline
        def training():
            def run_split(name):
                return transform(split=name)

            run_split("train")
            run_split("val")  # expect: ZL001
    """),
        id="helper-defined-inside-the-pipeline",
    ),
    pytest.param(
        one("""
        from typing import Annotated
        from zenml import pipeline, step

        @step
        def transform(split: str) -> Annotated[dict, "transformed_data"]:
            return {}

        def run_split(name, full):
            if full:
                transform(split=name)
            else:
                transform(split="sample")

        @pipeline
        def training():
            run_split("train", True)
            run_split("val", False)  # expect: ZL001
    """),
        id="helper-with-branches-called-twice",
    ),
    pytest.param(
        one("""
        from typing import Annotated
        from zenml import pipeline, step

        @step
        def transform(split: str) -> Annotated[dict, "transformed_data"]:
            return {}

        @pipeline
        def training():
            with open("x") as handle:
                transform(split="train")
            try:
                transform(split="val")  # expect: ZL001
            except Exception:
                pass
    """),
        id="calls-inside-with-and-try",
    ),
    pytest.param(
        one("""
        from typing import Annotated
        from zenml import pipeline, step

        @step
        def transform(split: str) -> Annotated[dict, "{prefix}_data"]:
            return {}

        @pipeline
        def training(prefix: str = "train"):
            transform.with_options(substitutions={"prefix": prefix})(split="a")
            transform.with_options(substitutions={"prefix": prefix})(split="b")  # expect: ZL001
    """),
        id="same-pipeline-parameter-as-substitution",
    ),
    pytest.param(
        one("""
        from typing import Annotated
        from zenml import log_metadata, pipeline, step, unmapped

        @step
        def make_items() -> list:
            return []

        @step
        def transform(item: int, split: str) -> Annotated[dict, "transformed_data"]:
            log_metadata(metadata={"split": split}, infer_artifact=True)
            return {}

        @pipeline(dynamic=True)
        def training():
            items = make_items()
            transform.map(item=items, split=unmapped("train"))  # expect: ZL001
    """),
        id="dynamic-map-with-unmapped-metadata-parameter",
    ),
    pytest.param(
        one("""
        from typing import Annotated
        from zenml import log_metadata, pipeline, step

        @step
        def transform(split: str, seed: int) -> Annotated[dict, "transformed_data"]:
            log_metadata(metadata={"split": split}, infer_artifact=True)
            return {}

        @pipeline(dynamic=True)
        def training():
            transform.product(split=["train", "val"], seed=[1, 2])  # expect: ZL001
    """),
        id="dynamic-product-metadata-over-one-axis-only",
    ),
]


@pytest.mark.parametrize("sources", FINDINGS)
def test_findings(check, sources: dict[str, str]) -> None:  # type: ignore[no-untyped-def]
    # Calls with provably identical inputs are cache-merged: ZL008 reports them instead.
    assert check(sources, select=["ZL001", "ZL008"]) == expected_markers(sources)
