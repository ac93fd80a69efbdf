"""ZL001's fix strategies (``metadata``, ``substitution``, ``factory``), their options, the
values each call gets, and the reasons given when no fix is offered."""

from __future__ import annotations

import json
import textwrap
from collections.abc import Mapping
from pathlib import Path

import pytest
from conftest import load_settings, write_project

from zlint import config
from zlint.cli import main
from zlint.fixes import options as _fix_options

STEP = """
from typing import Annotated

from zenml import pipeline, step


@step
def transform(rows: list) -> Annotated[dict, "transformed_data"]:
    return {"rows": rows}


@step
def load(part: str) -> list:
    return [part]


@pipeline
def training():
    train_rows = load("a")
    val_rows = load("b")
    transform(train_rows)
    transform(val_rows)
"""


def fixed(tmp_path: Path, sources: Mapping[str, str], *args: str, toml: str = "") -> dict[str, str]:
    """The project's files after ``zlint fix`` with ``args``."""
    write_project(
        tmp_path, {**sources, "pyproject.toml": f"[project]\nname = 'x'\n\n[tool.zlint]\n{toml}"}
    )
    main(["fix", str(tmp_path), *args])
    return {
        name: (tmp_path / name).read_text(encoding="utf-8")
        for name in sources
        if name != "pyproject.toml"
    }


def messages(tmp_path: Path, capsys: pytest.CaptureFixture[str], *args: str) -> list[str]:
    capsys.readouterr()
    main(["check", str(tmp_path), "--output-format", "json", *args])
    return [d["message"] for d in json.loads(capsys.readouterr().out)]


def fixes(tmp_path: Path, capsys: pytest.CaptureFixture[str], *args: str) -> list[object]:
    capsys.readouterr()
    main(["check", str(tmp_path), "--output-format", "json", *args])
    return [d["fix"] for d in json.loads(capsys.readouterr().out)]


# --------------------------------------------------------------------------- options


def test_options_from_the_table() -> None:
    options = _fix_options.from_table(
        {
            "fix-strategy": "substitution",
            "metadata-api": "log_metadata",
            "fix-parameter": "split",
            "metadata-key": "split_name",
        }
    )
    assert options == _fix_options.FixOptions("substitution", "log_metadata", "split", "split_name")
    assert _fix_options.from_table({}) == _fix_options.DEFAULT


@pytest.mark.parametrize(
    ("table", "complaint"),
    [
        ({"fix-strategy": "rename"}, "fix-strategy must be one of"),
        ({"metadata-api": "tags"}, "metadata-api must be one of"),
        ({"fix-parameter": "id"}, "cannot be a step parameter name"),
        ({"fix-parameter": "class"}, "cannot be a step parameter name"),
        ({"fix-parameter": 3}, "fix-parameter must be a string"),
        ({"metadata-key": ""}, "metadata-key must not be empty"),
    ],
)
def test_bad_options_name_the_key(tmp_path: Path, table: dict[str, object], complaint: str) -> None:
    (key, value) = next(iter(table.items()))
    text = json.dumps(value) if not isinstance(value, str) else f'"{value}"'
    (tmp_path / "pyproject.toml").write_text(f"[tool.zlint]\n{key} = {text}\n", encoding="utf-8")
    with pytest.raises(config.ConfigError, match=complaint):
        load_settings(tmp_path)


def test_options_are_shown_with_the_settings(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[tool.zlint]\nfix-strategy = "factory"\n', encoding="utf-8"
    )
    described = config.describe(load_settings(tmp_path))
    assert "fix-strategy: factory" in described
    assert "metadata-key: custom_prefix" in described


def test_strategy_flag_overrides_the_file(tmp_path: Path) -> None:
    files = fixed(
        tmp_path,
        {"pipe.py": STEP},
        "--strategy",
        "substitution",
        "--unsafe-fixes",
        toml='fix-strategy = "factory"\n',
    )
    assert '"{prefix}_transformed_data"' in files["pipe.py"]


# --------------------------------------------------------------------------- metadata


def test_metadata_default(tmp_path: Path) -> None:
    text = fixed(tmp_path, {"pipe.py": STEP})["pipe.py"]
    assert 'def transform(rows: list, prefix: str = "default")' in text
    assert (
        'get_step_context().add_output_metadata(output_name="transformed_data", '
        'metadata={"custom_prefix": prefix})' in text
    )
    assert 'transform(train_rows, prefix="train")' in text
    assert 'transform(val_rows, prefix="val")' in text


def test_metadata_with_log_metadata_and_own_names(tmp_path: Path) -> None:
    toml = 'metadata-api = "log_metadata"\nfix-parameter = "part"\nmetadata-key = "part_name"\n'
    text = fixed(tmp_path, {"pipe.py": STEP}, toml=toml)["pipe.py"]
    assert "from zenml import log_metadata, pipeline, step" in text
    assert 'def transform(rows: list, part: str = "default")' in text
    assert (
        'log_metadata(metadata={"part_name": part}, infer_artifact=True, '
        'artifact_name="transformed_data")' in text
    )
    assert 'transform(val_rows, part="val")' in text


def test_existing_fix_parameter_is_written_under_the_metadata_key(tmp_path: Path) -> None:
    source = STEP.replace("rows: list)", "rows: list, prefix: str)").replace(
        "transform(train_rows)", 'transform(train_rows, prefix="a")'
    )
    source = source.replace("transform(val_rows)", 'transform(val_rows, prefix="b")')
    text = fixed(tmp_path, {"pipe.py": source})["pipe.py"]
    assert 'metadata={"custom_prefix": prefix}' in text


def test_other_existing_parameter_is_written_under_its_own_name(tmp_path: Path) -> None:
    source = STEP.replace("rows: list)", "rows: list, split: str)").replace(
        "transform(train_rows)", 'transform(train_rows, split="a")'
    )
    source = source.replace("transform(val_rows)", 'transform(val_rows, split="b")')
    text = fixed(tmp_path, {"pipe.py": source})["pipe.py"]
    assert 'metadata={"split": split}' in text
    assert "prefix" not in text


def test_equal_values_are_numbered_in_call_order(tmp_path: Path) -> None:
    source = STEP.replace("val_rows = load(", "train_rows_2 = load(").replace(
        "transform(val_rows)", "transform(train_rows_2)"
    )
    text = fixed(tmp_path, {"pipe.py": source})["pipe.py"]
    assert 'transform(train_rows, prefix="train")' in text
    assert 'transform(train_rows_2, prefix="train_2")' in text


def test_metadata_fix_reaches_a_second_pipeline_in_a_later_pass(tmp_path: Path) -> None:
    second = textwrap.dedent("""
        @pipeline
        def evaluation():
            test_rows = load("c")
            holdout_rows = load("d")
            transform(test_rows)
            transform(holdout_rows)
    """)
    text = fixed(tmp_path, {"pipe.py": STEP + second})["pipe.py"]
    assert 'transform(test_rows, prefix="test")' in text
    assert 'transform(holdout_rows, prefix="holdout")' in text
    assert text.count("add_output_metadata") == 1


# --------------------------------------------------------------------------- no fix


NESTED = STEP.replace(
    "    transform(train_rows)\n    transform(val_rows)\n",
    "    for split in ['a', 'b']:\n        for seed in [1, 2]:\n"
    "            transform(load(f'{split}{seed}'))\n",
)
OVER_ARTIFACTS = STEP.replace(
    "    transform(train_rows)\n    transform(val_rows)\n",
    "    for rows in (train_rows, val_rows):\n        transform(rows)\n",
)
MIXED = STEP.replace(
    "    transform(val_rows)\n", "    for split in ['a', 'b']:\n        transform(val_rows)\n"
)
KWARGS_CALL = STEP.replace("transform(val_rows)", "transform(val_rows, **extra)").replace(
    "def training():", "def training(extra: dict):"
)
KWARGS_STEP = STEP.replace("(rows: list)", "(rows: list, **options)")
TAKEN = STEP.replace("(rows: list)", "(rows: list, prefix: str = 'x')")
WHILE = STEP.replace(
    "    transform(train_rows)\n    transform(val_rows)\n",
    "    n = 0\n    while n < 3:\n        transform(train_rows)\n        n += 1\n",
)


@pytest.mark.parametrize(
    ("source", "reason"),
    [
        pytest.param(NESTED, "nested loops", id="nested-loops"),
        pytest.param(OVER_ARTIFACTS, "not written out as plain values", id="loop-over-artifacts"),
        pytest.param(MIXED, "a call inside a loop and other calls", id="loop-and-call"),
        pytest.param(KWARGS_CALL, "passes `**kwargs`", id="kwargs-call"),
        pytest.param(KWARGS_STEP, "takes `**kwargs`", id="kwargs-step"),
        pytest.param(TAKEN, "already has a parameter `prefix`", id="parameter-taken"),
    ],
)
def test_no_fix_says_why(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], source: str, reason: str
) -> None:
    write_project(tmp_path, {"pipe.py": source})
    found = messages(tmp_path, capsys, "--select", "ZL001")
    assert found and all("no automatic fix (metadata strategy)" in m for m in found)
    assert all(reason in m for m in found), found
    assert fixes(tmp_path, capsys, "--select", "ZL001") == [None] * len(found)


def test_helper_called_twice_says_why(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = STEP.replace(
        "@pipeline\ndef training():",
        "def helper(rows):\n    transform(rows)\n\n\n@pipeline\ndef training():",
    ).replace(
        "    transform(train_rows)\n    transform(val_rows)\n",
        "    helper(train_rows)\n    helper(val_rows)\n",
    )
    write_project(tmp_path, {"pipe.py": source})
    (found,) = messages(tmp_path, capsys, "--select", "ZL001")
    assert "the calls sit in `helper`" in found


def test_other_strategy_points_at_metadata_when_it_can(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = STEP.replace("(rows: list)", "(rows: list, split: str)").replace(
        "    transform(train_rows)\n    transform(val_rows)\n",
        "    for split in ['a', 'b']:\n        transform(train_rows, split=split)\n",
    )
    write_project(
        tmp_path,
        {
            "pipe.py": source.replace(
                "@step\ndef transform", "@step(substitutions=dict(a='b'))\ndef transform"
            )
        },
    )
    (found,) = messages(tmp_path, capsys, "--select", "ZL001", "--strategy", "substitution")
    assert "not a literal dict" in found and "`--strategy metadata`" in found


# --------------------------------------------------------------------------- substitution


def test_substitution_default_and_per_call_values(tmp_path: Path) -> None:
    text = fixed(tmp_path, {"pipe.py": STEP}, "--strategy", "substitution", "--unsafe-fixes")[
        "pipe.py"
    ]
    assert '@step(substitutions={"prefix": "default"})' in text
    assert (
        'def transform(rows: list, prefix: str = "default") -> Annotated[dict, "{prefix}_transformed_data"]'
        in text
    )
    assert 'transform.with_options(substitutions={"prefix": "val"})(val_rows, prefix="val")' in text


def test_substitution_is_unsafe(tmp_path: Path) -> None:
    text = fixed(tmp_path, {"pipe.py": STEP}, "--strategy", "substitution")["pipe.py"]
    assert text == textwrap.dedent(STEP).lstrip("\n")


def test_substitution_merges_with_existing_options(tmp_path: Path) -> None:
    source = STEP.replace(
        "@step\ndef transform",
        '@step(enable_cache=True, substitutions={"env": "dev"})\ndef transform',
    )
    source = source.replace(
        "transform(val_rows)", "transform.with_options(enable_cache=True)(val_rows)"
    ).replace(
        "transform(train_rows)",
        'transform.with_options(substitutions={"env": "prod"})(train_rows)',
    )
    text = fixed(tmp_path, {"pipe.py": source}, "--strategy", "substitution", "--unsafe-fixes")[
        "pipe.py"
    ]
    assert '@step(enable_cache=True, substitutions={"env": "dev", "prefix": "default"})' in text
    assert (
        'transform.with_options(substitutions={"env": "prod", "prefix": "train"})'
        '(train_rows, prefix="train")' in text
    )
    assert (
        'transform.with_options(enable_cache=True, substitutions={"prefix": "val"})'
        '(val_rows, prefix="val")' in text
    )


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        pytest.param(('"transformed_data"]', "NAME]"), "not a string literal", id="constant-name"),
        pytest.param(
            ('return {"rows": rows}', 'print("transformed_data")\n    return {}'),
            "refers to output",
            id="body-names-output",
        ),
        pytest.param(
            ("@step\ndef transform", "@step(substitutions=SUBS)\ndef transform"),
            "not a literal dict",
            id="opaque-substitutions",
        ),
    ],
)
def test_substitution_refusals(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], change: tuple[str, str], reason: str
) -> None:
    source = "NAME = 'transformed_data'\nSUBS = {}\n" + STEP.replace(*change)
    write_project(tmp_path, {"pipe.py": source})
    found = messages(tmp_path, capsys, "--select", "ZL001", "--strategy", "substitution")
    assert found and all(reason in m for m in found), found


def test_substitution_refuses_class_based_steps(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = """
    from typing import Annotated

    from zenml import pipeline
    from zenml.steps import BaseStep


    class Transform(BaseStep):
        def entrypoint(self, rows: list) -> Annotated[dict, "transformed_data"]:
            return {}


    transform = Transform()


    @pipeline
    def training():
        transform([1], id="a")
        transform([2], id="b")
    """
    write_project(tmp_path, {"pipe.py": source})
    (found,) = messages(tmp_path, capsys, "--select", "ZL001", "--strategy", "substitution")
    assert "class-based step" in found


def test_substitution_result_is_clean(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    fixed(tmp_path, {"pipe.py": STEP}, "--strategy", "substitution", "--unsafe-fixes")
    assert messages(tmp_path, capsys) == []


# --------------------------------------------------------------------------- factory


def test_factory_result(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    files = fixed(
        tmp_path,
        {
            "steps.py": STEP.split("@pipeline")[0],
            "pipe.py": "from steps import load, transform\nfrom zenml import pipeline\n\n\n@pipeline"
            + STEP.split("@pipeline")[1],
        },
        "--strategy",
        "factory",
        "--unsafe-fixes",
    )
    assert 'def make_transform(prefix: str = ""):' in files["steps.py"]
    assert "globals()[transform.__name__] = step(transform)" in files["steps.py"]
    assert 'transform_val = make_transform("val")' in files["steps.py"]
    assert "transform = make_transform()\n" in files["steps.py"]
    assert "from steps import transform_train, transform_val, load, transform" in files["pipe.py"]
    assert "transform_val(val_rows)" in files["pipe.py"]
    assert messages(tmp_path, capsys, "--select", "ZL001,ZL004") == []


@pytest.mark.parametrize(
    ("source", "reason"),
    [
        pytest.param(
            "from __future__ import annotations\n" + STEP, "__future__", id="future-annotations"
        ),
        pytest.param(
            STEP.replace(
                "    transform(train_rows)\n    transform(val_rows)\n",
                "    for split in ['a', 'b']:\n        transform(load(split))\n",
            ),
            "one step per iteration",
            id="loop",
        ),
        pytest.param(
            "transform_train = 1\n" + STEP, "`transform_train` is already a name", id="name-taken"
        ),
    ],
)
def test_factory_refusals(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], source: str, reason: str
) -> None:
    write_project(tmp_path, {"pipe.py": source})
    found = messages(tmp_path, capsys, "--select", "ZL001", "--strategy", "factory")
    assert found and all(reason in m for m in found), found
