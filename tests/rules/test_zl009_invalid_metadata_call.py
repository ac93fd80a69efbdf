"""ZL009 invalid-metadata-call: metadata calls in a step that ZenML rejects when it runs."""

from __future__ import annotations

import pytest
from conftest import expected_markers

IMPORTS = """
from typing import Annotated, Tuple
from zenml import get_step_context, log_metadata, step
"""


def steps(body: str) -> dict[str, str]:
    return {"steps.py": IMPORTS + body}


CLEAN = [
    pytest.param(
        steps("""
@step
def split(rows: list) -> Tuple[Annotated[list, "train"], Annotated[list, "test"]]:
    log_metadata(metadata={"n": len(rows)}, artifact_name="train", infer_artifact=True)
    return rows, rows
"""),
        id="infer-artifact-with-a-name-on-several-outputs",
    ),
    pytest.param(
        steps("""
@step
def load(rows: list) -> Annotated[list, "rows"]:
    log_metadata(metadata={"n": 1}, infer_artifact=True)
    return rows
"""),
        id="infer-artifact-on-one-output",
    ),
    pytest.param(
        steps("""
@step
def load(rows: list) -> list:
    log_metadata(metadata={"n": 1}, artifact_name="rows", artifact_version="3")
    return rows
"""),
        id="existing-artifact-version",
    ),
    pytest.param(
        steps("""
@step
def load(rows: list) -> list:
    log_metadata(metadata={"n": 1})
    log_metadata({"n": 1}, artifact_name=None)
    return rows
"""),
        id="bare-call-logs-on-the-step-run",
    ),
    pytest.param(
        steps("""
@step
def load(rows: list, run: str) -> list:
    log_metadata(metadata={"n": 1}, step_name="other", run_id_name_or_prefix=run)
    log_metadata(metadata={"n": 1}, model_name="m", model_version="1")
    log_metadata(metadata={"n": 1}, infer_model=True)
    log_metadata(metadata={"n": 1}, step_id=run, artifact_name="ignored")
    return rows
"""),
        id="other-supported-combinations",
    ),
    pytest.param(
        steps("""
@step
def pair(rows: list) -> Tuple[list, list]:
    both = (rows, rows)
    get_step_context().add_output_metadata({"n": 1})
    log_metadata(metadata={"n": 1}, infer_artifact=True)
    return both
"""),
        id="tuple-annotation-without-tuple-return-is-one-output",
    ),
    pytest.param(
        steps("""
@step
def split(rows: list) -> Tuple[list, list]:
    ctx = get_step_context()
    ctx.add_output_metadata({"n": 1}, output_name="output_0")
    ctx.add_output_tags(["a"], "output_1")
    return rows, rows
"""),
        id="context-methods-with-a-name",
    ),
    pytest.param(
        steps("""
@step
def load(rows: list) -> list:
    get_step_context().add_output_tags(tags=["raw"])
    get_step_context().add_output_metadata(metadata={"n": 1}, output_name="")
    return rows
"""),
        id="context-methods-on-one-output",
    ),
    pytest.param(
        {
            "steps.py": """
from typing import Tuple
from zenml import step
from tracking import log_metadata

@step
def split(rows: list) -> Tuple[list, list]:
    log_metadata(metadata={"n": 1}, artifact_name="x")
    return rows, rows
""",
            "tracking.py": """
def log_metadata(metadata, artifact_name=None):
    pass
""",
        },
        id="not-zenmls-log-metadata",
    ),
    pytest.param(
        steps("""
class Tracker:
    def add_output_metadata(self, metadata):
        pass

@step
def split(rows: list) -> Tuple[list, list]:
    tracker = Tracker()
    tracker.add_output_metadata({"n": 1})
    log_metadata = print
    log_metadata(metadata={"n": 1}, artifact_name="x")
    return rows, rows
"""),
        id="other-receivers-and-shadowed-names",
    ),
    pytest.param(
        steps("""
def report(rows):
    log_metadata(metadata={"n": 1}, artifact_name="rows")

@step
def split(rows: list) -> Tuple[list, list]:
    def later():
        get_step_context().add_output_metadata({"n": 1})
    return rows, rows
"""),
        id="outside-a-step-and-nested-functions",
    ),
    pytest.param(
        steps("""
@step
def split(rows: list, infer: bool, extra: dict) -> Tuple[list, list]:
    log_metadata(metadata={"n": 1}, artifact_name="a", infer_artifact=infer)
    log_metadata(metadata={"n": 1}, **extra)
    get_step_context().add_output_metadata({"n": 1}, **extra)
    return rows, rows
"""),
        id="arguments-known-only-at-run-time",
    ),
]

FINDINGS = [
    pytest.param(
        steps("""
@step
def load(rows: list) -> Annotated[list, "rows"]:
    log_metadata(metadata={"n": 1}, artifact_name="rows")  # expect: ZL009
    return rows
"""),
        id="artifact-name-without-infer-artifact",
    ),
    pytest.param(
        steps("""
@step
def load(rows: list) -> Annotated[list, "rows"]:
    log_metadata(  # expect: ZL009
        metadata={"n": 1}, artifact_name="rows", infer_artifact=False
    )
    return rows
"""),
        id="infer-artifact-false",
    ),
    pytest.param(
        {
            "steps.py": """
import zenml as zn
from zenml import log_metadata as lm

@zn.step
def load(rows: list) -> list:
    zn.log_metadata(metadata={"n": 1}, artifact_name="output")  # expect: ZL009
    lm(metadata={"n": 1}, artifact_name="output")  # expect: ZL009
    return rows
"""
        },
        id="module-alias-and-function-alias",
    ),
    pytest.param(
        {
            "steps.py": """
from zenml import step

@step
def load(rows: list) -> list:
    import zenml
    from zenml.utils.metadata_utils import log_metadata as log
    zenml.log_metadata(metadata={"n": 1}, artifact_name="output")  # expect: ZL009
    log(metadata={"n": 1}, artifact_name="output")  # expect: ZL009
    return rows
"""
        },
        id="imports-inside-the-step",
    ),
    pytest.param(
        steps("""
@step
def load(rows: list) -> list:
    log_metadata(metadata={"n": 1}, step_name="load")  # expect: ZL009
    log_metadata(metadata={"n": 1}, artifact_version="2")  # expect: ZL009
    log_metadata(metadata={"n": 1}, model_name="m")  # expect: ZL009
    return rows
"""),
        id="keyword-without-its-partner",
    ),
    pytest.param(
        steps("""
@step
def split(rows: list) -> Tuple[Annotated[list, "train"], Annotated[list, "test"]]:
    log_metadata(metadata={"n": 1}, infer_artifact=True)  # expect: ZL009
    return rows, rows
"""),
        id="infer-artifact-without-a-name-on-several-outputs",
    ),
    pytest.param(
        steps("""
@step
def split(rows: list) -> Tuple[list, list]:
    ctx = get_step_context()
    ctx.add_output_metadata({"n": 1})  # expect: ZL009
    ctx.add_output_tags(tags=["a"], output_name=None)  # expect: ZL009
    get_step_context().get_output_metadata()  # expect: ZL009
    return (rows, rows)
"""),
        id="context-methods-without-a-name-on-several-outputs",
    ),
    pytest.param(
        {
            "steps.py": """
from typing import Annotated, Tuple
import zenml as zn
from zenml.steps import BaseStep

class Split(BaseStep):
    def entrypoint(self, rows: list) -> Tuple[Annotated[list, "a"], Annotated[list, "b"]]:
        zn.log_metadata(metadata={"n": 1}, infer_artifact=True)  # expect: ZL009
        return rows, rows
"""
        },
        id="base-step-subclass",
    ),
    pytest.param(
        steps("""
@step
def record(rows: list) -> None:
    log_metadata(metadata={"n": 1}, infer_artifact=True)  # expect: ZL009

@step
def audit(rows: list):
    get_step_context().add_output_metadata({"n": 1}, output_name="output")  # expect: ZL009
    if not rows:
        return
"""),
        id="step-without-outputs",
    ),
    pytest.param(
        {
            "names.py": """
TRAIN = "train_rows"
TEST = "test_rows"
""",
            "steps/split.py": """
from typing import Annotated, Tuple
from zenml import get_step_context, step
from names import TEST, TRAIN

@step
def split(rows: list) -> Tuple[Annotated[list, TRAIN], Annotated[list, TEST]]:
    get_step_context().add_output_metadata({"n": 1})  # expect: ZL009
    return rows[:1], rows[1:]
""",
            "pipelines.py": """
from zenml import pipeline
from steps.split import split

@pipeline
def p():
    split([1, 2])
""",
        },
        id="step-in-another-module-with-constant-names",
    ),
    pytest.param(
        {
            "steps.py": """
from typing import Tuple
from zenml import get_step_context, pipeline, step

def split(rows: list) -> Tuple[list, list]:
    get_step_context().add_output_metadata({"n": 1})  # expect: ZL009
    return rows, rows

split_step = step(split)

@pipeline
def p():
    split_step([1])
"""
        },
        id="step-made-by-calling-the-decorator",
    ),
]


@pytest.mark.parametrize("sources", CLEAN)
def test_clean(check, sources: dict[str, str]) -> None:  # type: ignore[no-untyped-def]
    assert check(sources, select=["ZL009"]) == []


@pytest.mark.parametrize("sources", FINDINGS)
def test_findings(check, sources: dict[str, str]) -> None:  # type: ignore[no-untyped-def]
    assert check(sources, select=["ZL009"]) == expected_markers(sources)
