"""ZL013 deprecated-metadata-api: the deprecated metadata helpers and their replacements."""

from __future__ import annotations

import textwrap

import pytest
from conftest import check_tree, expected_markers, write_project


def one(text: str) -> dict[str, str]:
    return {"steps.py": text}


CLEAN = [
    pytest.param(
        one("""
        from zenml import log_metadata, step

        @step
        def train(rows: list) -> list:
            log_metadata(metadata={"rows": len(rows)}, infer_artifact=True)
            log_metadata(metadata={"stage": "train"})
            return rows
    """),
        id="log-metadata",
    ),
    pytest.param(
        one("""
        def log_artifact_metadata(metadata, artifact_name=None):
            print(metadata, artifact_name)

        log_artifact_metadata({"a": 1}, "x")
    """),
        id="a-local-function-of-the-same-name",
    ),
    pytest.param(
        one("""
        from mlflow_helpers import log_model_metadata
        from tracking import tracker

        log_model_metadata({"a": 1})
        tracker.log_step_metadata({"a": 1})
    """),
        id="another-librarys-helpers",
    ),
    pytest.param(
        one("""
        from zenml import log_step_metadata

        def report(log_step_metadata):
            log_step_metadata({"a": 1})
    """),
        id="parameter-shadows-the-import",
    ),
]

FINDINGS = [
    pytest.param(
        one("""
        from typing import Annotated
        from zenml import log_artifact_metadata, step

        @step
        def train(rows: list) -> Annotated[list, "features"]:
            log_artifact_metadata(metadata={"rows": len(rows)})  # expect: ZL013
            return rows
    """),
        id="artifact-helper-in-a-step",
    ),
    pytest.param(
        one("""
        import zenml as zn

        @zn.step
        def train(rows: list) -> list:
            zn.log_step_metadata({"rows": len(rows)})  # expect: ZL013
            return rows
    """),
        id="step-helper-through-a-module-alias",
    ),
    pytest.param(
        one("""
        from zenml.model.utils import log_model_metadata as log_model

        log_model({"accuracy": 0.9}, model_name="churn", model_version="3")  # expect: ZL013
    """),
        id="model-helper-from-its-module-outside-a-step",
    ),
    pytest.param(
        one("""
        from zenml import step

        @step
        def train(rows: list) -> list:
            from zenml.artifacts.utils import log_artifact_metadata

            log_artifact_metadata(  # expect: ZL013
                {"rows": len(rows)},
            )
            return rows
    """),
        id="import-inside-the-step",
    ),
    pytest.param(
        {
            "tracking.py": """
            from zenml import log_step_metadata

            __all__ = ["log_step_metadata"]
            """,
            "steps.py": """
            from zenml import step
            from tracking import log_step_metadata

            def note(value):
                log_step_metadata({"value": value})  # expect: ZL013

            @step
            def train(rows: list) -> list:
                note(len(rows))
                return rows
            """,
        },
        id="re-exported-by-a-project-module-used-in-a-helper",
    ),
    pytest.param(
        one("""
        from zenml.steps import BaseStep
        from zenml import log_model_metadata

        class Train(BaseStep):
            def entrypoint(self, rows: list) -> list:
                log_model_metadata(metadata={"rows": len(rows)})  # expect: ZL013
                return rows
    """),
        id="base-step-entrypoint",
    ),
]


@pytest.mark.parametrize("sources", CLEAN)
def test_clean(check, sources: dict[str, str]) -> None:  # type: ignore[no-untyped-def]
    assert check(sources, select=["ZL013"]) == []


@pytest.mark.parametrize("sources", FINDINGS)
def test_findings(check, sources: dict[str, str]) -> None:  # type: ignore[no-untyped-def]
    assert check(sources, select=["ZL013"]) == expected_markers(sources)


STEP_WITH_OUTPUTS = """
from typing import Annotated, Tuple
from zenml import log_artifact_metadata, log_model_metadata, log_step_metadata, step

@step
def one_output(rows: list) -> Annotated[list, "features"]:
    {call}
    return rows

@step
def two_outputs(rows: list) -> Tuple[Annotated[list, "features"], Annotated[list, "labels"]]:
    return rows, rows
"""

OUTSIDE = """
from zenml import log_artifact_metadata, log_model_metadata, log_step_metadata

def helper(M, run_id):
    {call}
"""

TWO_OUTPUTS = """
from typing import Annotated, Tuple
from zenml import log_artifact_metadata, step

@step
def two_outputs(rows: list) -> Tuple[Annotated[list, "features"], Annotated[list, "labels"]]:
    {call}
    return rows, rows
"""

MESSAGES = [
    pytest.param(
        STEP_WITH_OUTPUTS,
        'log_artifact_metadata({"a": 1})',
        '`log_metadata(metadata={"a": 1}, infer_artifact=True)` does exactly the same',
        id="artifact-no-name",
    ),
    pytest.param(
        STEP_WITH_OUTPUTS,
        'log_artifact_metadata({"a": 1}, "features")',
        '`log_metadata(metadata={"a": 1}, artifact_name="features", infer_artifact=True)` '
        "does exactly the same",
        id="artifact-name-of-an-output",
    ),
    pytest.param(
        STEP_WITH_OUTPUTS,
        'log_artifact_metadata(metadata={"a": 1}, artifact_name="other")',
        '"other" is not an output of this step, so the call logs to the step\'s only output; '
        '`log_metadata(metadata={"a": 1}, infer_artifact=True)` does exactly the same',
        id="artifact-name-not-an-output-of-a-single-output-step",
    ),
    pytest.param(
        TWO_OUTPUTS,
        'log_artifact_metadata({"a": 1}, artifact_name="other")',
        'this call logs to the latest version of "other"; `log_metadata(metadata={"a": 1}, '
        'artifact_version_id=Client().get_artifact_version("other").id)` does exactly the same',
        id="artifact-name-not-an-output-of-a-two-output-step",
    ),
    pytest.param(
        OUTSIDE,
        'log_artifact_metadata(M, artifact_name="raw")',
        'in a step with an output "raw", `log_metadata(metadata=M, artifact_name="raw", '
        "infer_artifact=True)` does exactly the same; elsewhere the call logs to the latest "
        'version of "raw", exactly like `log_metadata(metadata=M, '
        'artifact_version_id=Client().get_artifact_version("raw").id)`',
        id="artifact-name-where-the-context-is-unknown",
    ),
    pytest.param(
        OUTSIDE,
        'log_artifact_metadata(M, "raw", "3")',
        "there is no exact `log_metadata` equivalent, because besides the given version this "
        "call also logs to the latest version of that artifact (outside a step) or to the "
        'step\'s output (inside one); `log_metadata(metadata=M, artifact_name="raw", '
        'artifact_version="3")` logs to the given version only',
        id="artifact-name-and-version",
    ),
    pytest.param(
        OUTSIDE,
        "log_model_metadata(M)",
        "`log_metadata(metadata=M, infer_model=True)` does exactly the same",
        id="model-inferred",
    ),
    pytest.param(
        OUTSIDE,
        'log_model_metadata(M, "churn", model_version="3")',
        '`log_metadata(metadata=M, model_name="churn", model_version="3")` does exactly the same',
        id="model-by-name-and-version",
    ),
    pytest.param(
        OUTSIDE,
        'log_model_metadata(M, model_name="churn")',
        "given only one of `model_name` and `model_version` it always raises `ValueError`",
        id="model-name-only-raises",
    ),
    pytest.param(
        OUTSIDE,
        "log_step_metadata(M)",
        "inside a step, `log_metadata(metadata=M)` does exactly the same",
        id="step-inferred",
    ),
    pytest.param(
        OUTSIDE,
        'log_step_metadata(M, "train", run_id=run_id)',
        "this call ignores `step_name` and reads `run_id` as the integer form of a step run's "
        "UUID, so a run's id or name raises `ValueError`; `log_metadata(metadata=M, "
        'step_name="train", run_id_name_or_prefix=run_id)` logs to that step of that run '
        "(`log_metadata(metadata=M, step_id=UUID(int=int(run_id)))` would be the exact "
        "equivalent)",
        id="step-with-run-id",
    ),
    pytest.param(
        OUTSIDE,
        'log_step_metadata(M, "train", "training")',
        'but `log_metadata(metadata=M, step_id=Client().get_pipeline("training")'
        '.last_run.steps["train"].id)` does exactly the same',
        id="step-with-pipeline",
    ),
    pytest.param(
        OUTSIDE,
        'log_step_metadata(M, step_name="train")',
        "it always raises `ValueError`, even inside a step",
        id="step-name-only-raises",
    ),
    pytest.param(
        OUTSIDE,
        "log_step_metadata(**M)",
        "zlint cannot say which form replaces this call exactly, because its arguments are "
        "unpacked",
        id="unpacked-arguments",
    ),
    pytest.param(
        OUTSIDE,
        "log_model_metadata({" + ", ".join(f'"key_{i}": {i}' for i in range(8)) + "})",
        "`log_metadata(metadata=..., infer_model=True)` does exactly the same",
        id="long-metadata-is-elided",
    ),
]


@pytest.mark.parametrize(("template", "call", "expected"), MESSAGES)
def test_message(tmp_path, template: str, call: str, expected: str) -> None:  # type: ignore[no-untyped-def]
    source = textwrap.dedent(template).replace("{call}", call)
    write_project(tmp_path, {"steps.py": source})
    [diagnostic] = check_tree(tmp_path, select=["ZL013"]).diagnostics
    assert expected in diagnostic.message
