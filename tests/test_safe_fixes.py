"""Safe means safe: the value a safe ZL001 fix writes into the metadata is a step parameter
ZenML stores as metadata (never an input artifact, never a value of a type zlint cannot
see); what zlint cannot establish makes the fix unsafe or withdraws it, with the reason.
The proof by running is in tests/test_fix_truth.py."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest
from conftest import write_project

from zlint.cli import main

HEAD = """
from typing import Annotated, Literal, Optional

from zenml import pipeline, step
from zenml.steps import BaseStep


@step
def load(part: str) -> list:
    return [part]

"""


def findings(tmp_path: Path, capsys: pytest.CaptureFixture[str], source: str) -> list[dict]:  # type: ignore[type-arg]
    write_project(tmp_path, {"pipe.py": HEAD + textwrap.dedent(source)})
    capsys.readouterr()
    main(["check", str(tmp_path), "--select", "ZL001", "--output-format", "json", "--no-cache"])
    return [d for d in json.loads(capsys.readouterr().out) if d["code"] == "ZL001"]


def fix_of(found: list[dict]) -> dict | None:  # type: ignore[type-arg]
    fixes = [d["fix"] for d in found if d["fix"] is not None]
    return fixes[0] if fixes else None


CHOSEN = [
    # (step signature, the calls' extra arguments, the parameter the fix writes)
    pytest.param(
        "rows: list, split: str", ('split="train"', 'split="val"'), "split", id="str-parameter"
    ),
    pytest.param("rows: list, fold: int", ("fold=1", "fold=2"), "fold", id="int-parameter"),
    pytest.param(
        'rows: list, mode: Literal["a", "b"]', ('mode="a"', 'mode="b"'), "mode", id="literal"
    ),
    # Optional: another caller may leave it None, and ZenML fails the step on a None value.
    pytest.param(
        "rows: list, split: Optional[str] = None",
        ('split="a"', 'split="b"'),
        "prefix",
        id="optional",
    ),
    pytest.param(
        "rows: list, split: str | None = None",
        ('split="a"', 'split="b"'),
        "prefix",
        id="union-none",
    ),
    # Not chosen: the fix adds its own `prefix: str` parameter instead.
    pytest.param("rows: list, split", ('split="train"', 'split="val"'), "prefix", id="unannotated"),
    pytest.param(
        "rows: list, split: object", ('split="train"', 'split="val"'), "prefix", id="object"
    ),
    pytest.param(
        "rows: list, split: dict", ('split={"a": 1}', 'split={"b": 2}'), "prefix", id="dict-type"
    ),
]


@pytest.mark.parametrize(("signature", "extra", "written"), CHOSEN)
def test_the_value_written_is_a_parameter_zenml_stores(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    signature: str,
    extra: tuple[str, str],
    written: str,
) -> None:
    source = f"""
    @step
    def transform({signature}) -> Annotated[dict, "transformed"]:
        return {{}}


    @pipeline
    def training():
        transform(load("a"), {extra[0]})
        transform(load("b"), {extra[1]})
    """
    fix = fix_of(findings(tmp_path, capsys, source))
    assert fix is not None and fix["applicability"] == "safe"
    assert f"`{written}`" in fix["message"] or f"`{written}=`" in fix["message"]


def test_an_input_artifact_is_never_the_safe_value(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The calls differ only in their input artifacts (a DataFrame in real code): the fix
    passes a `prefix` of its own, and never writes the artifact."""
    source = """
    @step
    def transform(sessions: list) -> Annotated[dict, "transformed"]:
        return {}


    @pipeline
    def training():
        transform(load("a"))
        transform(load("b"))
    """
    fix = fix_of(findings(tmp_path, capsys, source))
    assert fix is not None and fix["applicability"] == "safe"
    assert "`prefix=`" in fix["message"] and "sessions" not in fix["message"]


def test_a_map_item_is_written_only_by_an_unsafe_fix(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = """
    @step
    def regions() -> list:
        return ["north", "south"]


    @step
    def score(region: str) -> Annotated[dict, "score"]:
        return {}


    @pipeline(dynamic=True)
    def fan():
        score.map(region=regions())
    """
    fix = fix_of(findings(tmp_path, capsys, source))
    assert fix is not None and fix["applicability"] == "unsafe"
    assert "`region` is an input artifact, whose values are not known to differ" in fix["message"]


@pytest.mark.parametrize(
    ("entrypoint", "fixable"),
    [
        pytest.param(
            "def entrypoint(self, rows: list) -> Annotated[dict, 'out']:", True, id="plain"
        ),
        pytest.param(
            "@noted\n        def entrypoint(self, rows: list) -> Annotated[dict, 'out']:",
            False,
            id="decorated",
        ),
    ],
)
def test_a_base_step_subclass_needs_a_plain_entrypoint(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], entrypoint: str, fixable: bool
) -> None:
    source = f"""
    def noted(function):
        return function


    class Transform(BaseStep):
        {entrypoint}
            return {{}}


    @pipeline
    def training():
        step = Transform()
        step(load("a"))
        step(load("b"))
    """
    found = findings(tmp_path, capsys, source)
    assert found, "the collision is reported either way"
    if fixable:
        assert fix_of(found) is not None
    else:
        assert fix_of(found) is None
        assert "whose `entrypoint` is not a plain method" in found[0]["message"]


ANNOTATED = "from typing import Annotated\n"
STEP_CELL = [
    "@step\n",
    'def prep(rows: list) -> Annotated[list, "prepared"]:\n',
    "    return rows\n",
]
PIPELINE_CELL = ["@pipeline\n", "def p():\n", "    prep([1])\n", "    prep([2])\n"]


def _notebook(cells: list[list[str]]) -> str:
    return json.dumps(
        {
            "cells": [
                {
                    "cell_type": "code",
                    "metadata": {},
                    "execution_count": None,
                    "outputs": [],
                    "source": c,
                }
                for c in cells
            ],
            "metadata": {"kernelspec": {"name": "python3", "language": "python"}},
            "nbformat": 4,
            "nbformat_minor": 5,
        },
        indent=1,
    )


@pytest.mark.parametrize(
    ("cells", "import_cell"),
    [
        pytest.param(
            [
                ["%pip install zenml pandas\n"],
                [ANNOTATED, "\n", "from zenml import pipeline, step\n"],
                STEP_CELL,
                PIPELINE_CELL,
            ],
            1,
            id="into-the-cell-that-imports-zenml",
        ),
        pytest.param(
            [
                ["%pip install zenml\n", ANNOTATED, "from zenml import pipeline, step\n"],
                ["x = 1\n"],
                STEP_CELL,
                PIPELINE_CELL,
            ],
            1,
            id="not-into-a-cell-starting-with-pip",
        ),
        pytest.param(
            [
                ["!pip install zenml\n"],
                ["import zenml\n", ANNOTATED, "from zenml import pipeline\n"],
                ["@zenml.step\n", *STEP_CELL[1:]],
                PIPELINE_CELL,
            ],
            1,
            id="after-import-zenml",
        ),
    ],
)
def test_a_notebook_fix_imports_where_zenml_is_imported(
    tmp_path: Path, cells: list[list[str]], import_cell: int
) -> None:
    write_project(tmp_path, {})
    (tmp_path / "nb.ipynb").write_text(_notebook(cells), encoding="utf-8")
    assert main(["fix", str(tmp_path / "nb.ipynb"), "--no-cache"]) in (0, 1)
    fixed = json.loads((tmp_path / "nb.ipynb").read_text(encoding="utf-8"))["cells"]
    sources = ["".join(c["source"]) for c in fixed]
    holding = [
        i
        for i, s in enumerate(sources)
        if "import get_step_context" in s or "get_step_context," in s
    ]
    assert holding == [import_cell], sources
    for source in sources:
        if source.lstrip().startswith(("%", "!")):
            assert "get_step_context" not in source, source  # never in a cell starting so
    assert main(["fix", str(tmp_path / "nb.ipynb"), "--no-cache"]) == 0
