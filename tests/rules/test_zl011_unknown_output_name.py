"""ZL011 unknown-output-name: a step names one of its outputs with a key it does not have."""

from __future__ import annotations

import pytest
from conftest import expected_markers

IMPORTS = """
from typing import Annotated, Tuple
from zenml import ArtifactConfig, get_step_context, log_metadata, step
"""


def steps(body: str) -> dict[str, str]:
    return {"steps.py": IMPORTS + body}


CLEAN = [
    pytest.param(
        steps("""
@step
def load(rows: list) -> Annotated[list, "features"]:
    get_step_context().add_output_metadata({"n": 1}, output_name="features")
    log_metadata(metadata={"n": 1}, artifact_name="features", infer_artifact=True)
    get_step_context().add_output_tags(["a"], "features")
    return rows
"""),
        id="custom-name",
    ),
    pytest.param(
        steps("""
@step
def load(rows: list):
    log_metadata(metadata={"n": 1}, artifact_name="output", infer_artifact=True)
    return rows
"""),
        id="unnamed-output-is-called-output",
    ),
    pytest.param(
        steps("""
@step
def split(rows: list) -> Tuple[list, Annotated[list, "named"]]:
    get_step_context().add_output_metadata({"n": 1}, output_name="output_0")
    get_step_context().add_output_tags(["a"], output_name="named")
    return rows, rows
"""),
        id="tuple-members-by-position-and-by-name",
    ),
    pytest.param(
        steps("""
@step
def pair(rows: list) -> Tuple[list, list]:
    both = (rows, rows)
    get_step_context().add_output_metadata({"n": 1}, output_name="output")
    return both
"""),
        id="tuple-annotation-without-tuple-return-is-one-output",
    ),
    pytest.param(
        steps("""
@step
def featurize(rows: list, split: str) -> Annotated[list, "{split}_features"]:
    get_step_context().add_output_metadata({"n": 1}, output_name="train_features")
    log_metadata(metadata={"n": 1}, artifact_name=f"{split}_features", infer_artifact=True)
    return rows

@step
def stamp(rows: list) -> Annotated[list, ArtifactConfig(name="rows_{date}")]:
    get_step_context().add_output_tags(["a"], output_name="rows_2026_01_31")
    return rows
"""),
        id="could-be-a-substitution-result-or-is-computed",
    ),
    pytest.param(
        steps("""
def make(prefix: str):
    @step
    def load(rows: list) -> Annotated[list, f"{prefix}_rows"]:
        get_step_context().add_output_metadata({"n": 1}, output_name="anything")
        return rows
    return load
"""),
        id="name-computed-at-definition-time",
    ),
    pytest.param(
        steps("""
@step
def load(rows: list) -> "Annotated[list, 'rows']":
    get_step_context().add_output_metadata({"n": 1}, output_name="rows")
    return rows
"""),
        id="quoted-return-annotation",
    ),
    pytest.param(
        steps("""
@step
def load(rows: list, name: str) -> list:
    get_step_context().add_output_metadata({"n": 1}, output_name=name)
    log_metadata(metadata={"n": 1}, artifact_name="rows", artifact_version="3")
    log_metadata(metadata={"n": 1}, artifact_name="rows", step_id=name)
    return rows
"""),
        id="not-a-constant-or-not-about-this-step",
    ),
    pytest.param(
        {
            "steps.py": """
from zenml import step
from tracking import log_metadata

@step
def load(rows: list) -> list:
    log_metadata(metadata={"n": 1}, artifact_name="rows", infer_artifact=True)
    return rows
""",
            "tracking.py": """
def log_metadata(metadata, artifact_name=None, infer_artifact=False):
    pass
""",
        },
        id="not-zenmls-log-metadata",
    ),
    pytest.param(
        steps("""
@step
def load(rows: list) -> list:
    def later():
        get_step_context().add_output_metadata({"n": 1}, output_name="elsewhere")
    return rows
"""),
        id="nested-function",
    ),
    pytest.param(
        {
            "names.py": 'FEATURES = "features"\n',
            "steps.py": """
from typing import Annotated
import names
from zenml import get_step_context, step

@step
def load(rows: list) -> Annotated[list, names.FEATURES]:
    get_step_context().add_output_metadata({"n": 1}, output_name=names.FEATURES)
    return rows
""",
        },
        id="same-constant-from-another-module",
    ),
    pytest.param(
        steps("""
target = "not_an_output"

@step
def load(rows: list, target: str) -> Annotated[list, "rows"]:
    get_step_context().add_output_metadata({"n": 1}, output_name=target)
    for suffix in ["a"]:
        log_metadata(metadata={"n": 1}, artifact_name=f"{suffix}", infer_artifact=True)
    return rows

suffix = "x"
"""),
        id="parameters-and-locals-hide-module-constants",
    ),
    pytest.param(
        steps("""
@step
def record(rows: list) -> None:
    get_step_context().add_output_metadata({"n": 1}, output_name="output")
"""),
        id="step-without-outputs-is-zl009",
    ),
]

FINDINGS = [
    pytest.param(
        steps("""
@step
def load(rows: list) -> list:
    get_step_context().add_output_metadata(
        {"n": 1}, output_name="training::load::output"  # expect: ZL011
    )
    return rows
"""),
        id="full-artifact-name",
    ),
    pytest.param(
        steps("""
@step
def featurize(rows: list, split: str) -> Annotated[list, "{split}_features"]:
    log_metadata(metadata={"n": 1}, artifact_name="{split}_features", infer_artifact=True)  # expect: ZL011
    get_step_context().add_output_tags(["a"], output_name="features_train")  # expect: ZL011
    return rows
"""),
        id="template-text-and-impossible-substitution-result",
    ),
    pytest.param(
        steps("""
@step
def load(rows: list) -> Annotated[list, "rows"]:
    get_step_context().add_output_metadata({"n": 1}, output_name="output")  # expect: ZL011
    return rows

@step
def split(rows: list) -> Tuple[list, Annotated[list, "named"]]:
    get_step_context().add_output_metadata({"n": 1}, output_name="output_1")  # expect: ZL011
    return rows, rows
"""),
        id="default-key-of-a-custom-named-output",
    ),
    pytest.param(
        steps("""
@step
def pair(rows: list) -> Tuple[list, list]:
    both = (rows, rows)
    get_step_context().add_output_metadata({"n": 1}, output_name="output_0")  # expect: ZL011
    return both
"""),
        id="tuple-annotation-without-tuple-return",
    ),
    pytest.param(
        steps("""
@step
def load(rows: list) -> Annotated[list, "good"]:
    get_step_context().add_output_tags(["a"], "wrong")  # expect: ZL011
    get_step_context().remove_output_tags(["a"], output_name="wrong")  # expect: ZL011
    return rows
"""),
        id="positional-and-other-methods",
    ),
    pytest.param(
        {
            "steps.py": """
from typing import Annotated
import zenml as zn
from zenml import log_metadata as lm

@zn.step
def load(rows: list) -> Annotated[list, "rows"]:
    ctx = zn.get_step_context()
    ctx.add_output_metadata({"n": 1}, output_name="row")  # expect: ZL011
    lm(metadata={"n": 1}, artifact_name="row", infer_artifact=True)  # expect: ZL011
    return rows
"""
        },
        id="aliases-and-a-context-variable",
    ),
    pytest.param(
        {
            "steps.py": """
from typing import Annotated
from zenml import step

@step
def load(rows: list) -> Annotated[list, "rows"]:
    from zenml import get_step_context as gsc
    import zenml
    gsc().add_output_metadata({"n": 1}, output_name="row")  # expect: ZL011
    zenml.log_metadata(metadata={"n": 1}, artifact_name="row", infer_artifact=True)  # expect: ZL011
    return rows
"""
        },
        id="imports-inside-the-step",
    ),
    pytest.param(
        {
            "steps.py": """
from typing import Annotated, Tuple
from zenml import get_step_context
from zenml.steps import BaseStep

class Split(BaseStep):
    def entrypoint(self, rows: list) -> Tuple[Annotated[list, "a"], Annotated[list, "b"]]:
        get_step_context().add_output_metadata({"n": 1}, output_name="c")  # expect: ZL011
        return rows, rows
"""
        },
        id="base-step-subclass",
    ),
    pytest.param(
        {
            "names.py": """
TRAIN = "train_rows"
TEST = "test_rows"
""",
            "steps/split.py": """
from typing import Annotated
from zenml import get_step_context, step
from names import TEST, TRAIN

@step
def train_part(rows: list) -> Annotated[list, TRAIN]:
    get_step_context().add_output_metadata({"n": 1}, output_name=TEST)  # expect: ZL011
    return rows
""",
            "pipelines.py": """
from zenml import pipeline
from steps.split import train_part

@pipeline
def p():
    train_part([1, 2])
""",
        },
        id="step-in-another-module-with-constant-names",
    ),
]


@pytest.mark.parametrize("sources", CLEAN)
def test_clean(check, sources: dict[str, str]) -> None:  # type: ignore[no-untyped-def]
    assert check(sources, select=["ZL011"]) == []


@pytest.mark.parametrize("sources", FINDINGS)
def test_findings(check, sources: dict[str, str]) -> None:  # type: ignore[no-untyped-def]
    assert check(sources, select=["ZL011"]) == expected_markers(sources)
