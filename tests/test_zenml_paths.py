"""ZenML's module paths across releases: the generated zlint/model/_zenml_paths.py, the script
that writes it (scripts/zenml_api_table.py), and what zlint/model/zenml_api.py makes of it."""

from __future__ import annotations

import importlib.util
import os
import sys
from pathlib import Path
from types import ModuleType

import pytest

from zlint.model import _zenml_paths, releases, zenml_api
from zlint.model.releases import KNOWN_RELEASES, Release, Target

ROOT = Path(__file__).parent.parent
SCRIPT = ROOT / "scripts" / "zenml_api_table.py"
#: The table the script wrote from all 89 wheels (6.8 MB, not in the repository).
TABLE = Path(os.environ.get("ZLINT_API_TABLE", "/work/versions/api_table.json"))


def _script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("zenml_api_table", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def _target(*versions: str) -> Target:
    return Target(tuple(Release.parse(v) for v in versions), "test", "test")


def test_the_data_covers_every_known_release() -> None:
    assert [Release.parse(v) for v in _zenml_paths.RELEASES] == list(KNOWN_RELEASES)


@pytest.mark.skipif(not TABLE.is_file(), reason="the wheels' api_table.json is not here")
def test_the_committed_module_is_what_the_script_writes() -> None:
    script = _script()
    versions, table = script.read_table(TABLE)
    written = (ROOT / script.PATHS_MODULE).read_text(encoding="utf-8")
    assert written == script.render_paths_module(versions, table), (
        "zlint/model/_zenml_paths.py is stale: run "
        f"`python scripts/zenml_api_table.py --from-table {TABLE}`"
    )


def test_the_script_renders_spans_per_object() -> None:
    table = {
        "step": {
            "0.1.0": {
                "path_origin": {"zenml.step": "zenml.a.step", "zenml.a.step": "zenml.a.step"}
            },
            "0.2.0": {"path_origin": {"zenml.step": "zenml.b.step"}},
            "0.3.0": {"path_origin": {"zenml.step": "zenml.b.step"}},
        }
    }
    text = _script().render_paths_module(["0.1.0", "0.2.0", "0.3.0"], table)
    namespace: dict[str, object] = {}
    exec(compile(text, "<paths>", "exec"), namespace)
    assert namespace["PATHS"] == {
        "step": {
            "zenml.a.step": (("0.1.0", "0.2.0", "zenml.a.step"),),
            "zenml.step": (("0.1.0", "0.2.0", "zenml.a.step"), ("0.2.0", None, "zenml.b.step")),
        }
    }


@pytest.mark.parametrize(
    ("path", "fact"),
    [
        ("zenml.log_metadata", releases.LOG_METADATA),
        ("zenml.add_tags", releases.ADD_TAGS),
        ("zenml.config.CachePolicy", releases.CACHE_POLICY),
        ("zenml.unmapped", releases.UNMAPPED),
        ("zenml.ArtifactConfig", releases.ARTIFACT_CONFIG),
    ],
)
def test_a_name_appears_when_its_fact_starts(path: str, fact: releases.Fact) -> None:
    absent = zenml_api.absent_on(path, KNOWN_RELEASES)
    assert fact.since is not None and absent and max(absent) < fact.since
    assert zenml_api.origin_on(path, fact.since) is not None


@pytest.mark.parametrize(
    ("path", "fact"),
    [
        ("zenml.new.steps.step_decorator.step", releases.NEW_MODULE_PATHS),
        ("zenml.steps.BaseParameters", releases.LEGACY_CLASS_API),
        ("zenml.pipelines.BasePipeline", releases.LEGACY_CLASS_API),
    ],
)
def test_a_name_goes_when_its_fact_ends(path: str, fact: releases.Fact) -> None:
    assert fact.until is not None
    assert zenml_api.absent_on(path, KNOWN_RELEASES) == tuple(
        r for r in KNOWN_RELEASES if r >= fact.until
    )


def test_every_path_of_the_decorators_in_any_release() -> None:
    assert "zenml.new.steps.step_decorator.step" in zenml_api.STEP_DECORATORS
    assert "zenml.new.pipelines.pipeline_decorator.pipeline" in zenml_api.PIPELINE_DECORATORS
    assert {"zenml.step", "zenml.steps.step"} <= zenml_api.STEP_DECORATORS
    # 0.45.x's zenml.model.ArtifactConfig is another class: it names no outputs.
    assert "zenml.model.ArtifactConfig" not in zenml_api.ARTIFACT_CONFIG


def test_zenml_steps_step_is_the_legacy_decorator_before_0_68() -> None:
    since = releases.STEPS_STEP_IS_STEP.since
    assert since is not None
    legacy = zenml_api.other_object_on("zenml.steps.step", "zenml.step", KNOWN_RELEASES)
    assert legacy == tuple(r for r in KNOWN_RELEASES if r < since)
    old, new, both = _target("0.55.5"), _target("0.70.0"), _target("0.65.0", "0.70.0")
    assert "zenml.steps.step" not in zenml_api.step_decorators_on(old)
    assert "zenml.new.steps.step_decorator.step" in zenml_api.step_decorators_on(old)
    assert "zenml.steps.step" in zenml_api.step_decorators_on(new)
    assert "zenml.new.steps.step_decorator.step" not in zenml_api.step_decorators_on(new)
    assert "zenml.steps.step" in zenml_api.step_decorators_on(both)
    assert "zenml.pipelines.pipeline" not in zenml_api.pipeline_decorators_on(old)


def test_artifact_config_names_outputs_from_0_50() -> None:
    assert zenml_api.artifact_config_on(_target("0.45.6")) == frozenset()
    assert "zenml.ArtifactConfig" in zenml_api.artifact_config_on(_target("0.50.0"))
