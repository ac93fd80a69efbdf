"""Rules per ZenML release: a finding only where its failure or collision happens on some
release the project admits (the message names which when not all do), a fix only where it
works on all of them (facts: zlint/model/releases.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import Finding, check_tree, findings, target, write_project

from zlint.model.releases import Target

NAMED = """
from typing import Annotated
from {module} import {step}
from zenml import pipeline

@{step}
def scale(values: list, factor: float) -> Annotated[list, "scaled"]:
    return values

@pipeline
def scaling():
    scale([1], factor=2.0)
    scale([2], factor=3.0)
"""


def _run(tmp_path: Path, source: str, pin: Target, select: list[str]) -> list[Finding]:
    write_project(tmp_path, {"pipe.py": source})
    return findings(check_tree(tmp_path, select=select, target=pin), tmp_path)


def _messages(tmp_path: Path, source: str, pin: Target, select: list[str]) -> list[str]:
    write_project(tmp_path, {"pipe.py": source})
    result = check_tree(tmp_path, select=select, target=pin)
    assert not result.errors
    return [d.message for d in result.diagnostics]


# -- the legacy class-based decorators (before 0.68.0) -------------------------------------


@pytest.mark.parametrize(
    ("module", "step", "pin", "found"),
    [
        pytest.param("zenml", "step", target("0.55.5"), True, id="zenml.step-0.55"),
        # Before 0.68.0 zenml.steps.step is the legacy decorator: its "steps" are classes
        # that a legacy pipeline instantiates, which zlint does not model.
        pytest.param("zenml.steps", "step", target("0.55.5"), False, id="legacy-0.55"),
        pytest.param("zenml.steps", "step", target("0.70.0"), True, id="zenml.steps.step-0.70"),
        pytest.param("zenml.steps", "step", target("0.65.0", "0.70.0"), True, id="range"),
        pytest.param(
            "zenml.new.steps.step_decorator", "step", target("0.55.5"), True, id="zenml.new-0.55"
        ),
    ],
)
def test_which_step_decorator_the_target_has(
    tmp_path: Path, module: str, step: str, pin: Target, found: bool
) -> None:
    source = NAMED.format(module=module, step=step)
    assert bool(_run(tmp_path, source, pin, ["ZL001"])) == found


def test_a_legacy_pipeline_decorator_is_not_a_pipeline_before_0_68(tmp_path: Path) -> None:
    source = NAMED.format(module="zenml", step="step").replace(
        "from zenml import pipeline", "from zenml.pipelines import pipeline"
    )
    assert _run(tmp_path, source, target("0.60.0"), ["ZL001"]) == []
    assert _run(tmp_path, source, target("0.68.0"), ["ZL001"]) != []


def _found(
    tmp_path: Path, source: str, pin: Target, select: list[str]
) -> list[tuple[str, str, bool]]:
    """(code, message, has a fix) of every finding."""
    write_project(tmp_path, {"pipe.py": source})
    result = check_tree(tmp_path, select=select, target=pin)
    assert not result.errors
    return [(d.code, d.message, d.fix is not None) for d in result.diagnostics]


# -- placeholders: filled from 0.71.0, kept as written before ------------------------------

TEMPLATED = """
from typing import Annotated
from zenml import pipeline, step

@step
def split_rows(rows: list) -> Annotated[list, "{NAME}"]:
    return rows

@pipeline
def splitting():
    split_rows([1])
    split_rows([2])
"""


@pytest.mark.parametrize(
    ("name", "pin", "codes"),
    [
        pytest.param("{part}_rows", target("0.98.0"), ["ZL005"], id="missing-filled"),
        # 0.70.0 keeps "{part}_rows" as written: both calls write that one fixed name.
        pytest.param("{part}_rows", target("0.70.0"), ["ZL001"], id="missing-literal"),
        pytest.param("{part}_rows", target("0.70.0", "0.75.1"), ["ZL005"], id="missing-range"),
        pytest.param("rows_{date}", target("0.98.0"), ["ZL006"], id="run-scoped-filled"),
        pytest.param("rows_{date}", target("0.65.0"), ["ZL001"], id="run-scoped-literal"),
    ],
)
def test_placeholders_per_release(tmp_path: Path, name: str, pin: Target, codes: list[str]) -> None:
    source = TEMPLATED.replace("{NAME}", name)
    found = _found(tmp_path, source, pin, ["ZL001", "ZL005", "ZL006"])
    assert [code for code, _, _ in found] == codes


def test_a_literal_placeholder_is_explained(tmp_path: Path) -> None:
    source = TEMPLATED.replace("{NAME}", "{part}_rows")
    [(_, message, _)] = _found(tmp_path, source, target("0.70.0"), ["ZL001"])
    assert "writes artifact `{part}_rows` again (ZenML 0.70.0 keeps `{...}`" in message
    assert "(it fills them from 0.71.0 on)" in message
    # No `with_options(substitutions=...)` advice: 0.70.0 has no substitutions.
    assert "substitutions" not in message.split("; nothing tells")[1]


def test_a_missing_substitution_on_a_range(tmp_path: Path) -> None:
    source = TEMPLATED.replace("{NAME}", "{part}_rows")
    [(_, message, _)] = _found(tmp_path, source, target("0.70.0", "0.75.1"), ["ZL005"])
    assert (
        "with KeyError when it stores the output on ZenML 0.71.0 and later, which this" in message
    )
    assert (
        "name the output without placeholders (`substitutions=` is not in ZenML 0.70.0" in message
    )


# -- ZL001 before 0.50.0 and its fixes -------------------------------------------------------


def test_before_0_50_the_calls_get_no_versions(tmp_path: Path) -> None:
    source = NAMED.format(module="zenml", step="step")
    [(code, message, fixed)] = _found(tmp_path, source, target("0.45.6"), ["ZL001"])
    assert code == "ZL001" and not fixed
    assert "on ZenML 0.45.6, which this project admits, these are not even versions" in message
    assert message.endswith(
        "no automatic fix (metadata strategy): `get_step_context().add_output_metadata("
        "metadata=..., output_name=...)` is not in ZenML 0.45.6, which this project admits "
        "(the factory strategy works on every release: `--strategy factory`)"
    )


@pytest.mark.parametrize(
    ("settings", "pin", "fixed", "lacking"),
    [
        pytest.param("", target("0.50.0"), True, None, id="add-output-metadata-0.50"),
        pytest.param(
            'metadata-api = "log_metadata"',
            target("0.70.0", "0.75.1"),
            False,
            "`log_metadata(infer_artifact=...)` is not in ZenML 0.70.0, which this project admits",
            id="log-metadata-0.70",
        ),
        pytest.param('metadata-api = "log_metadata"', target("0.71.0"), True, None, id="0.71"),
        pytest.param(
            'fix-strategy = "substitution"\nunsafe-fixes = true',
            target("0.65.0"),
            False,
            "`substitutions=` is not in ZenML 0.65.0, which this project admits",
            id="substitution-0.65",
        ),
        pytest.param(
            'fix-strategy = "factory"\nunsafe-fixes = true',
            target("0.45.6"),
            True,
            None,
            id="factory",
        ),
    ],
)
def test_a_fix_uses_only_what_every_release_has(
    tmp_path: Path, settings: str, pin: Target, fixed: bool, lacking: str | None
) -> None:
    (tmp_path / "pyproject.toml").write_text(f"[tool.zlint]\n{settings}\n", encoding="utf-8")
    source = NAMED.format(module="zenml", step="step")
    (tmp_path / "pipe.py").write_text(source.lstrip(), encoding="utf-8")
    result = check_tree(tmp_path, select=["ZL001"], target=pin)
    [finding] = result.diagnostics
    assert (finding.fix is not None) == fixed
    if lacking is not None:
        assert lacking in finding.message


# -- the APIs dynamic pipelines use -----------------------------------------------------------

DYNAMIC = """
from typing import Annotated
from zenml import pipeline, step

@step
def proc(x: int) -> Annotated[int, "proc_out"]:
    return x

@pipeline(dynamic=True)
def fanning():
    {BODY}
"""


@pytest.mark.parametrize(
    ("body", "pin", "codes"),
    [
        pytest.param("proc.map([1, 2, 3])", target("0.92.0"), ["ZL001"], id="map-0.92"),
        # `.map()` is first in 0.92.0: on 0.91.1 the pipeline fails before any step runs.
        pytest.param("proc.map([1, 2, 3])", target("0.91.1"), [], id="map-0.91"),
        pytest.param("proc.map([1, 2, 3])", target("0.91.1", "0.92.0"), ["ZL001"], id="map-range"),
        pytest.param("for i in range(3):\n        proc(i)", target("0.91.1"), ["ZL001"], id="loop"),
        # `dynamic=` is first in 0.91.1: the decorator raises TypeError on 0.85.0.
        pytest.param("for i in range(3):\n        proc(i)", target("0.85.0"), [], id="loop-0.85"),
        pytest.param(
            "proc.submit(1)\n    proc.submit(2)", target("0.91.1"), ["ZL001"], id="submit"
        ),
        pytest.param(
            "proc(1, start_after=None)\n    proc(2)", target("0.96.1"), [], id="start-after"
        ),
    ],
)
def test_code_that_cannot_run_collides_with_nothing(
    tmp_path: Path, body: str, pin: Target, codes: list[str]
) -> None:
    source = DYNAMIC.replace("{BODY}", body)
    assert [code for code, _, _ in _found(tmp_path, source, pin, ["ZL001"])] == codes


# -- metadata calls -------------------------------------------------------------------------

METADATA_STEP = """
from typing import Annotated
from zenml import log_metadata, step

@step
def featurize(rows: list) -> Annotated[list, "features"]:
    {CALL}
    return rows
"""


@pytest.mark.parametrize(
    ("call", "pin", "codes"),
    [
        # 0.70.0 attaches `artifact_name=` alone to the step's output; 0.71.0 raises.
        pytest.param(
            'log_metadata(metadata={"a": 1}, artifact_name="features")',
            target("0.70.0"),
            [],
            id="0.70",
        ),
        pytest.param(
            'log_metadata(metadata={"a": 1}, artifact_name="features")',
            target("0.71.0"),
            ["ZL009"],
            id="0.71",
        ),
        pytest.param(
            'log_metadata(metadata={"a": 1}, artifact_name="nope", infer_artifact=True)',
            target("0.70.0"),
            [],
            id="unknown-name-0.70",
        ),
        pytest.param(
            'log_metadata(metadata={"a": 1}, artifact_name="nope", infer_artifact=True)',
            target("0.71.0"),
            ["ZL011"],
            id="unknown-name-0.71",
        ),
        pytest.param(
            'get_step_context().add_output_tags(tags=["a"], output_name="nope")',
            target("0.55.0"),
            [],
            id="tags-0.55.0",
        ),
        pytest.param(
            'get_step_context().add_output_tags(tags=["a"], output_name="nope")',
            target("0.55.2"),
            ["ZL011"],
            id="tags-0.55.2",
        ),
    ],
)
def test_metadata_calls_per_release(
    tmp_path: Path, call: str, pin: Target, codes: list[str]
) -> None:
    source = METADATA_STEP.replace("{CALL}", call).replace(
        "import log_metadata,", "import get_step_context, log_metadata,"
    )
    assert [code for code, _, _ in _found(tmp_path, source, pin, ["ZL009", "ZL011"])] == codes


def test_an_unsupported_call_on_a_range(tmp_path: Path) -> None:
    source = METADATA_STEP.replace(
        "{CALL}", 'log_metadata(metadata={"a": 1}, artifact_name="features")'
    )
    [(_, message, _)] = _found(tmp_path, source, target("0.70.0", "0.75.1"), ["ZL009"])
    assert "when the step runs on ZenML 0.71.0 and later, which this project admits:" in message
    assert "`get_step_context().add_output_metadata(metadata=..., output_name=...)`" in message
    assert "`infer_artifact=` is not in ZenML 0.70.0, which this project admits" in message


DEPRECATED = """
from typing import Annotated
from zenml import log_artifact_metadata, log_step_metadata, step

@step
def featurize(rows: list) -> Annotated[list, "features"]:
    log_artifact_metadata(metadata={"a": 1})
    log_step_metadata(metadata={"b": 2})
    return rows
"""


@pytest.mark.parametrize(
    ("pin", "expected"),
    [
        pytest.param(target("0.65.0"), [], id="no-notice-0.65"),
        # log_metadata exists from 0.70.0, its infer_artifact= from 0.71.0.
        pytest.param(target("0.70.0"), [False, True], id="0.70"),
        pytest.param(target("0.65.0", "0.75.1"), [False, False], id="range"),
        pytest.param(target("0.71.0"), [True, True], id="0.71"),
    ],
)
def test_deprecated_helpers_per_release(tmp_path: Path, pin: Target, expected: list[bool]) -> None:
    found = _found(tmp_path, DEPRECATED, pin, ["ZL013"])
    assert [fixed for _, _, fixed in found] == expected


def test_why_a_deprecated_helper_has_no_fix(tmp_path: Path) -> None:
    first, _ = _found(tmp_path, DEPRECATED, target("0.65.0", "0.75.1"), ["ZL013"])
    assert "(ZenML 0.70.0 and later logs a warning on every call)" in first[1]
    assert first[1].endswith(
        "no automatic fix: `log_metadata` is not in ZenML 0.65.0 to 0.68.1, which this project admits"
    )
    only_070 = _found(tmp_path, DEPRECATED, target("0.70.0"), ["ZL013"])[0][1]
    assert only_070.endswith(
        "no automatic fix: `log_metadata(infer_artifact=...)` is not in ZenML 0.70.0, which "
        "this project admits"
    )


# -- what exists only from some release -----------------------------------------------------

QUERY = """
from zenml.client import Client

Client().list_artifact_versions("features")
"""


def test_list_artifact_versions_from_0_51(tmp_path: Path) -> None:
    assert _found(tmp_path, QUERY, target("0.50.0"), ["ZL014"]) == []
    [(_, message, _)] = _found(tmp_path, QUERY, target("0.50.0", "0.55.5"), ["ZL014"])
    assert "of this resource` on ZenML 0.51.0 and later, which this project admits;" in message


UNNAMED = """
from zenml import pipeline, step

@step
def clean(rows: list) -> list:
    return rows

@pipeline
def cleaning():
    clean([1])
    clean([2])
"""


def test_default_names_depend_on_ids_from_0_50(tmp_path: Path) -> None:
    assert _found(tmp_path, UNNAMED, target("0.45.6"), ["ZL012"]) == []
    assert [c for c, _, _ in _found(tmp_path, UNNAMED, target("0.50.0"), ["ZL012"])] == ["ZL012"]


VERSIONED = """
from typing import Annotated
from zenml import ArtifactConfig, step

@step
def export(rows: list) -> Annotated[list, ArtifactConfig(name="rows", version="v1")]:
    return rows
"""


def test_an_artifact_config_the_target_lacks_names_nothing_known(tmp_path: Path) -> None:
    # zenml.ArtifactConfig is first in 0.50.0: on 0.45.6 the import fails (ZL015), and the
    # output's name is unknown rather than the default `output` (no ZL011 about it).
    source = """
from typing import Annotated
from zenml import ArtifactConfig, get_step_context, step

@step
def export(rows: list) -> Annotated[list, ArtifactConfig(name="rows")]:
    get_step_context().add_output_metadata(metadata={"a": 1}, output_name="rows")
    return rows
"""
    assert _found(tmp_path, source, target("0.45.6"), ["ZL011"]) == []


def test_fixed_versions_from_0_50(tmp_path: Path) -> None:
    assert _found(tmp_path, VERSIONED, target("0.45.6"), ["ZL007"]) == []
    assert [c for c, _, _ in _found(tmp_path, VERSIONED, target("0.50.0"), ["ZL007"])] == ["ZL007"]
