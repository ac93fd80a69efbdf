"""Metadata judged by its values (zlint.model.flows): a per-call value tells versions apart
only if it differs between the calls. The parameter itself and forms that keep it apart
(``str(p)``, f-strings, ``format``, ``join``, containers) do; comparisons and conditionals
are evaluated per call; anything computed (arithmetic, ``len``, other calls, an item of an
input artifact) does not. Each case is checked in both directions: reported where ZenML
would write versions nothing tells apart, and clean where the values differ."""

from __future__ import annotations

import textwrap

import libcst as cst
import pytest
from conftest import expected_markers

from zlint.model.flows import UNKNOWN, fold

HEADER = """
from typing import Annotated
from zenml import get_step_context, log_metadata, pipeline, step
"""

#: train, val, test: the comparison `split == "train"` is True, False, False.
THREE = """
@pipeline
def training():
    transform(split="train", n=1)
    transform(split="val", n=2)
    transform(split="test", n=3)  # expect: ZL001
"""
ALL_REPORTED = """
@pipeline
def training():
    transform(split="train", n=1)
    transform(split="val", n=2)  # expect: ZL001
    transform(split="test", n=3)  # expect: ZL001
"""
NONE_REPORTED = """
@pipeline
def training():
    transform(split="train", n=1)
    transform(split="val", n=2)
    transform(split="test", n=3)
"""


def step_writing(value: str, setup: str = "") -> str:
    body = textwrap.indent(textwrap.dedent(setup).strip(), "    ") + "\n" if setup else ""
    return (
        "@step\n"
        'def transform(split: str, n: int) -> Annotated[dict, "transformed"]:\n'
        f"{body}"
        f'    log_metadata(metadata={{"value": {value}}}, infer_artifact=True)\n'
        "    return {}\n"
    )


CASES = [
    # The parameter's own value, however it is wrapped, tells every call apart.
    pytest.param(step_writing("split"), NONE_REPORTED, id="the-parameter"),
    pytest.param(step_writing("str(split)"), NONE_REPORTED, id="str-of-it"),
    pytest.param(step_writing('f"part-{split}"'), NONE_REPORTED, id="f-string"),
    pytest.param(step_writing('"{}-x".format(split)'), NONE_REPORTED, id="format"),
    pytest.param(step_writing('"_".join([split, "x"])'), NONE_REPORTED, id="join"),
    pytest.param(step_writing('split + "_x"'), NONE_REPORTED, id="concatenated"),
    pytest.param(step_writing('"%s_x" % split'), NONE_REPORTED, id="percent-format"),
    pytest.param(step_writing('{"inner": [split]}'), NONE_REPORTED, id="in-a-container"),
    pytest.param(step_writing("label", "label = split"), NONE_REPORTED, id="a-local-copy"),
    # Evaluated per call: True, False, False -> val and test collide.
    pytest.param(step_writing('split == "train"'), THREE, id="comparison"),
    pytest.param(step_writing('split != "train"'), THREE, id="inequality"),
    pytest.param(step_writing('"a" if split == "train" else "b"'), THREE, id="conditional"),
    pytest.param(step_writing('not split == "train"'), THREE, id="negation"),
    pytest.param(
        step_writing("resampled", 'resampled = split == "train"'), THREE, id="comparison-in-a-local"
    ),
    pytest.param(step_writing('split in ("val", "test")'), THREE, id="membership"),
    # Distinct per call once evaluated: nothing collides.
    pytest.param(
        step_writing('"first" if split == "train" else split'),
        NONE_REPORTED,
        id="conditional-distinct",
    ),
    pytest.param(step_writing("n > 1 and split"), NONE_REPORTED, id="boolean-keeps-the-split"),
    # Computed from the parameters: not known to differ.
    pytest.param(step_writing("n + 1"), ALL_REPORTED, id="arithmetic"),
    pytest.param(step_writing("len(split)"), ALL_REPORTED, id="len"),
    pytest.param(step_writing("float(n)"), ALL_REPORTED, id="float-of-it"),
    pytest.param(step_writing("split.upper()"), ALL_REPORTED, id="a-method-call"),
    pytest.param(step_writing("split[0]"), ALL_REPORTED, id="an-item"),
    pytest.param(step_writing("score", "score = n * 0.5"), ALL_REPORTED, id="score-in-a-local"),
    pytest.param(
        step_writing("total", "total = 0\nfor c in split:\n    total += 1"),
        ALL_REPORTED,
        id="accumulated",
    ),
]


@pytest.mark.parametrize(("step_code", "calls"), CASES)
def test_metadata_value(check, step_code: str, calls: str) -> None:  # type: ignore[no-untyped-def]
    sources = {"pipe.py": HEADER + step_code + calls}
    assert check(sources, select=["ZL001"]) == expected_markers(sources)


INPUT_ARTIFACT = """
from typing import Annotated
from zenml import get_step_context, pipeline, step

@step
def load(week: int) -> list:
    return [week]

@step
def summarize(weekly: list) -> Annotated[dict, "summary"]:
    get_step_context().add_output_metadata(metadata={"weeks_seen": len(weekly)})
    return {}

@pipeline
def report():
    summarize(load(1))
    summarize(load(2))  # expect: ZL001
"""


def test_metadata_computed_from_an_input_artifact_tells_nothing_apart(check) -> None:  # type: ignore[no-untyped-def]
    sources = {"pipe.py": INPUT_ARTIFACT}
    assert check(sources, select=["ZL001"]) == expected_markers(sources)


def test_the_message_names_the_value_that_fails(tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    from conftest import write_project

    from zlint.cli import main

    write_project(tmp_path, {"pipe.py": HEADER + step_writing('split == "train"') + THREE})
    main(["check", str(tmp_path), "--select", "ZL001", "--output-format", "concise", "--no-cache"])
    out = capsys.readouterr().out
    assert 'the metadata value `"value": split == "train"` is `False` for both calls' in out

    write_project(tmp_path, {"pipe.py": INPUT_ARTIFACT})
    main(["check", str(tmp_path), "--select", "ZL001", "--output-format", "concise", "--no-cache"])
    out = capsys.readouterr().out
    assert '`"weeks_seen": len(weekly)` is computed from `weekly`' in out


@pytest.mark.parametrize(
    ("expression", "env", "expected"),
    [
        ('split == "train"', {"split": "val"}, False),
        ('split in ("a", "b")', {"split": "b"}, True),
        ('"x" if n > 2 else "y"', {"n": 3}, "x"),
        ("n > 1 and n < 5", {"n": 3}, True),
        ("not flag", {"flag": False}, True),
        ("[n, 2]", {"n": 1}, (1, 2)),
        ("n < 1 < m", {"n": 0, "m": 5}, True),
        ("unknown_name == 1", {}, UNKNOWN),
        ("n < 'a'", {"n": 1}, UNKNOWN),  # a TypeError is not a value
        ("f(n)", {"n": 1}, UNKNOWN),
    ],
)
def test_fold(expression: str, env: dict[str, object], expected: object) -> None:
    assert fold(cst.parse_expression(expression), env) == expected
