"""ZL013 deprecated-metadata-api: the deprecated metadata helpers and their replacements."""

from __future__ import annotations

import os
import textwrap
from pathlib import Path

import pytest
from conftest import check_tree, expected_markers, findings, write_project

from zlint.cli import main
from zlint.types import Applicability


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


# -- the fix --------------------------------------------------------------------------------


def run_fix(root: Path, sources: dict[str, str], *flags: str) -> dict[str, str]:
    """Writes ``sources`` under ``root``, runs ``zlint fix`` there, returns the files' text."""
    write_project(root, sources)
    cwd = Path.cwd()
    os.chdir(root)
    try:
        main(["fix", "--select", "ZL013", "--fix-only", *flags, "."])
    finally:
        os.chdir(cwd)
    return {name: (root / name).read_text(encoding="utf-8") for name in sources}


def dedented(sources: dict[str, str]) -> dict[str, str]:
    return {name: textwrap.dedent(text).lstrip("\n") for name, text in sources.items()}


FIXES = [
    pytest.param(
        one("""
        from typing import Annotated

        from zenml import log_artifact_metadata, step


        @step
        def featurize(rows: list, split: str) -> Annotated[list, "features"]:
            log_artifact_metadata(metadata={"split": split})  # the split
            return rows
        """),
        one("""
        from typing import Annotated

        from zenml import log_metadata, log_artifact_metadata, step


        @step
        def featurize(rows: list, split: str) -> Annotated[list, "features"]:
            log_metadata(metadata={"split": split}, infer_artifact=True)  # the split
            return rows
        """),
        id="artifact-helper-in-a-single-output-step",
    ),
    pytest.param(
        one("""
        from typing import Annotated, Tuple
        from zenml import log_artifact_metadata, step

        FEATURES = "features"

        @step
        def split(rows: list) -> Tuple[Annotated[list, "features"], Annotated[list, "labels"]]:
            log_artifact_metadata({"rows": len(rows)}, FEATURES)
            log_artifact_metadata({"rows": len(rows)}, artifact_name="labels", artifact_version=None)
            return rows, rows
        """),
        one("""
        from typing import Annotated, Tuple
        from zenml import log_metadata, log_artifact_metadata, step

        FEATURES = "features"

        @step
        def split(rows: list) -> Tuple[Annotated[list, "features"], Annotated[list, "labels"]]:
            log_metadata(metadata={"rows": len(rows)}, artifact_name=FEATURES, infer_artifact=True)
            log_metadata(metadata={"rows": len(rows)}, artifact_name="labels", infer_artifact=True)
            return rows, rows
        """),
        id="artifact-helper-naming-an-output",
    ),
    pytest.param(
        one("""
        from zenml.model.utils import log_model_metadata as log_model

        log_model({"accuracy": 0.9}, model_name="churn", model_version="3")
        """),
        one("""
        from zenml.model.utils import log_model_metadata as log_model
        from zenml import log_metadata

        log_metadata(metadata={"accuracy": 0.9}, model_name="churn", model_version="3")
        """),
        id="model-helper-by-name-and-version-anywhere",
    ),
    pytest.param(
        one("""
        import zenml as zn

        @zn.step
        def train(rows: list) -> list:
            zn.log_model_metadata({"rows": len(rows)})
            zn.log_step_metadata({"rows": len(rows)}, run_id=None)
            return rows
        """),
        one("""
        import zenml as zn

        @zn.step
        def train(rows: list) -> list:
            zn.log_metadata(metadata={"rows": len(rows)}, infer_model=True)
            zn.log_metadata(metadata={"rows": len(rows)})
            return rows
        """),
        id="module-alias-is-kept",
    ),
    pytest.param(
        one("""
        from zenml import step

        @step
        def train(rows: list, run) -> list:
            from zenml.artifacts.utils import log_artifact_metadata
            from zenml.steps.utils import log_step_metadata

            log_artifact_metadata(
                {"rows": len(rows)},  # how many
            )
            log_step_metadata({"rows": len(rows)}, None, None, run.id)
            return rows
        """),
        one("""
        from zenml import log_metadata, step

        @step
        def train(rows: list, run) -> list:
            from zenml.artifacts.utils import log_artifact_metadata
            from zenml.steps.utils import log_step_metadata

            log_metadata(
                metadata={"rows": len(rows)},  # how many
                infer_artifact=True,
            )
            log_metadata(metadata={"rows": len(rows)})
            return rows
        """),
        id="import-inside-the-step-layout-kept-ignored-arguments-dropped",
    ),
    pytest.param(
        one("""
        from zenml.steps import BaseStep
        from zenml import log_model_metadata

        class Train(BaseStep):
            def entrypoint(self, rows: list) -> list:
                log_model_metadata(metadata={"rows": len(rows)})
                return rows
        """),
        one("""
        from zenml.steps import BaseStep
        from zenml import log_metadata, log_model_metadata

        class Train(BaseStep):
            def entrypoint(self, rows: list) -> list:
                log_metadata(metadata={"rows": len(rows)}, infer_model=True)
                return rows
        """),
        id="base-step-entrypoint",
    ),
]


@pytest.mark.parametrize(("before", "after"), FIXES)
def test_fix(tmp_path: Path, before: dict[str, str], after: dict[str, str]) -> None:
    fixed = run_fix(tmp_path, before)
    assert fixed == dedented(after)
    assert run_fix(tmp_path, fixed, "--unsafe-fixes") == fixed
    assert findings(check_tree(tmp_path, select=["ZL013"]), tmp_path) == []


NO_FIX = [
    pytest.param(OUTSIDE, 'log_artifact_metadata(M, "raw", "3")', id="artifact-name-and-version"),
    pytest.param(
        OUTSIDE, 'log_artifact_metadata(M, artifact_name="raw")', id="name-outside-a-step"
    ),
    pytest.param(OUTSIDE, "log_artifact_metadata(M)", id="no-name-outside-a-step"),
    pytest.param(
        STEP_WITH_OUTPUTS,
        'log_artifact_metadata(metadata={"a": 1}, artifact_name="other")',
        id="name-that-is-no-output",
    ),
    pytest.param(TWO_OUTPUTS, 'log_artifact_metadata({"a": 1})', id="no-name-two-outputs"),
    pytest.param(OUTSIDE, 'log_model_metadata(M, model_name="churn")', id="model-name-only"),
    pytest.param(OUTSIDE, "log_model_metadata(M)", id="inferred-model-outside-a-step"),
    pytest.param(OUTSIDE, "log_step_metadata(M)", id="inferred-step-outside-a-step"),
    pytest.param(
        STEP_WITH_OUTPUTS, 'log_step_metadata({"a": 1}, step_name="train")', id="step-name-only"
    ),
    pytest.param(OUTSIDE, 'log_step_metadata(M, "train", run_id=run_id)', id="step-and-run-id"),
    pytest.param(OUTSIDE, 'log_step_metadata(M, "train", "training")', id="step-and-pipeline"),
    pytest.param(OUTSIDE, "log_step_metadata(**M)", id="unpacked-arguments"),
    pytest.param(
        STEP_WITH_OUTPUTS,
        'log_step_metadata({"a": 1}, run_id=next_id())',
        id="dropping-an-argument-would-skip-a-call",
    ),
    pytest.param(
        STEP_WITH_OUTPUTS.replace(
            "import Annotated, Tuple", "import Annotated, Tuple\nfrom tracking import log_metadata"
        ),
        'log_step_metadata({"a": 1})',
        id="log-metadata-is-another-function-here",
    ),
    pytest.param(
        STEP_WITH_OUTPUTS,
        'log_metadata = print\n    log_step_metadata({"a": 1})',
        id="log-metadata-is-a-local-name",
    ),
]


@pytest.mark.parametrize(("template", "call"), NO_FIX)
def test_no_fix(tmp_path: Path, template: str, call: str) -> None:
    sources = {"steps.py": textwrap.dedent(template).replace("{call}", call)}
    write_project(tmp_path, sources)
    diagnostics = check_tree(tmp_path, select=["ZL013"]).diagnostics
    assert [d.code for d in diagnostics] == ["ZL013"]
    assert diagnostics[0].fix is None
    assert run_fix(tmp_path, sources, "--unsafe-fixes") == dedented(sources)


def test_every_fix_is_safe_and_imports_log_metadata(tmp_path: Path) -> None:
    write_project(
        tmp_path,
        {"steps.py": textwrap.dedent(STEP_WITH_OUTPUTS).replace("{call}", "log_step_metadata({})")},
    )
    [diagnostic] = check_tree(tmp_path, select=["ZL013"]).diagnostics
    assert diagnostic.fix is not None
    assert diagnostic.fix.applicability is Applicability.SAFE
    assert diagnostic.fix.message == "Replace `log_step_metadata` with `log_metadata`"
    assert [(i.module, i.name) for i in diagnostic.fix.imports] == [("zenml", "log_metadata")]
