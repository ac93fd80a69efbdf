"""Output names as real code spells them: names built at module level with string
operations on constants (``"_".join([PREFIX, "features"])``, ``"{}_x".format(P)``, ...).

A step whose output name is built so, called twice, collides with itself (ZL001) exactly
when zlint worked the name out; a second step with the literal name it should get collides
with it (ZL002) only when the value is right. A name with an unknown part is never guessed.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import libcst as cst
import pytest
from conftest import expected_markers, write_project

from zlint.model.constants import const_string
from zlint.model.project import Project


def case(
    sources: dict[str, str],
    *,
    id: str,
    select: Sequence[str] = ("ZL001",),
    marks: pytest.MarkDecorator | Sequence[pytest.MarkDecorator] = (),
) -> object:
    return pytest.param(sources, list(select), id=id, marks=marks)


# --------------------------------------------------------------------------- built names

CONSTANTS = {
    "myproj/__init__.py": "from .names import FEATURES\n",
    "myproj/consts.py": """
PREFIX = "train"
LOUD = "TRAIN"
DASHED = "raw-train"
WIDTH = 3
""",
}


def built(expression: str, expected: str) -> dict[str, str]:
    """``expression`` as a module-level name (imported through a re-export) and in place;
    each step collides with itself, and with a step named ``expected`` literally."""
    names = f"from .consts import DASHED, LOUD, PREFIX, WIDTH\n\nFEATURES = {expression}\n"
    pipe = f"""
from typing import Annotated

from zenml import ArtifactConfig, pipeline, step

from myproj import FEATURES
from myproj.consts import DASHED, LOUD, PREFIX, WIDTH

@step
def imported(rows: list) -> Annotated[dict, FEATURES]:
    return {{}}

@step
def in_place(rows: list) -> Annotated[dict, ArtifactConfig(name={expression})]:
    return {{}}

@step
def literal(rows: list) -> Annotated[dict, "{expected}"]:
    return {{}}

@pipeline
def training():
    imported([1])
    imported([2])  # expect: ZL001
    in_place([1])  # expect: ZL002
    in_place([2])  # expect: ZL001 ZL002
    literal([1])  # expect: ZL002
"""
    return {**CONSTANTS, "myproj/names.py": names, "pipe.py": pipe}


BUILT = [
    case(built('"_".join([PREFIX, "features"])', "train_features"), id="join"),
    case(built('"-".join(("a", PREFIX))', "a-train"), id="join-a-tuple"),
    case(built('"{}_features".format(PREFIX)', "train_features"), id="format"),
    case(built('"{0}_{kind}".format(PREFIX, kind="x")', "train_x"), id="format-numbered-keyword"),
    case(built('"%s_features" % PREFIX', "train_features"), id="percent"),
    case(built('"%s_%s%%" % (PREFIX, "x")', "train_x%"), id="percent-tuple"),
    case(built('PREFIX + "_features"', "train_features"), id="concatenation"),
    case(built('f"{PREFIX}_features"', "train_features"), id="f-string"),
    case(built("PREFIX.upper()", "TRAIN"), id="upper"),
    case(built("LOUD.lower()", "train"), id="lower"),
    case(built('DASHED.replace("-", "_")', "raw_train"), id="replace"),
    case(built("PREFIX[:3]", "tra"), id="slice"),
    case(built("PREFIX[-WIDTH:]", "ain"), id="slice-with-a-constant"),
    case(built("PREFIX[0]", "t"), id="index"),
    case(built('"_".join([PREFIX, "x"]).upper()', "TRAIN_X"), id="chained"),
]


@pytest.mark.parametrize(("sources", "select"), BUILT)
def test_built_names(check, sources: dict[str, str], select: list[str]) -> None:  # type: ignore[no-untyped-def]
    assert check(sources, select=["ZL001", "ZL002"]) == expected_markers(sources)


def unknown(expression: str) -> dict[str, str]:
    """``expression`` has a part zlint cannot know: no name to compare, no finding."""
    sources = built(expression, "train_features")
    return {
        **sources,
        "myproj/names.py": "import os\n\n" + sources["myproj/names.py"],
        "pipe.py": "import os\n"
        + sources["pipe.py"].replace("  # expect: ZL001", "").replace("  # expect: ZL002", ""),
    }


UNKNOWN = [
    case(unknown('"_".join([PREFIX, os.environ["SUFFIX"]])'), id="join-of-an-unknown"),
    case(unknown('"_".join(PREFIX)'), id="join-of-a-string"),
    case(unknown('"{}_features".format(os.getcwd())'), id="format-of-an-unknown"),
    case(unknown('"{:>12}_features".format(PREFIX)'), id="format-spec"),
    case(unknown('"{0.real}_features".format(PREFIX)'), id="format-attribute"),
    case(unknown('"%d_features" % PREFIX'), id="percent-number"),
    case(unknown('"%s_%s" % (PREFIX,)'), id="percent-missing-value"),
    case(unknown('f"{PREFIX!r:>3}_features"'), id="f-string-spec"),
    case(unknown("os.getenv('PREFIX', 'train').upper()"), id="upper-of-an-unknown"),
    case(unknown('PREFIX.replace("a")'), id="replace-one-argument"),
    case(unknown("PREFIX[:len(PREFIX)]"), id="slice-of-an-unknown-bound"),
    case(unknown("PREFIX[10]"), id="index-out-of-range"),
    case(unknown("PREFIX.encode()"), id="other-method"),
]


@pytest.mark.parametrize(("sources", "select"), UNKNOWN)
def test_unknown_parts(check, sources: dict[str, str], select: list[str]) -> None:  # type: ignore[no-untyped-def]
    assert check(sources, select=["ZL001", "ZL002"]) == []


# --------------------------------------------------------------------------- string values

STRING_VALUES = [
    ('"_".join([PREFIX, "features"])', "train_features"),
    ('"".join([])', ""),
    ('"{}_{}".format(PREFIX, "x")', "train_x"),
    ('"{1}_{0}".format(PREFIX, "x")', "x_train"),
    ('"{{split}}_{}".format(PREFIX)', "{split}_train"),
    ('"{!r}".format(PREFIX)', "'train'"),
    ('"{}_{}".format(PREFIX)', None),
    ('"{:>9}".format(PREFIX)', None),
    ('"%s_x" % PREFIX', "train_x"),
    ('"100%% %s" % (PREFIX,)', "100% train"),
    ('"%(p)s" % {"p": PREFIX}', None),
    ('"%5s" % PREFIX', None),
    ('"x" + PREFIX.title()', "xTrain"),
    ("PREFIX.capitalize().swapcase()", "tRAIN"),
    ('"  a ".strip()', "a"),
    ('"xxax".strip("x")', "a"),
    ('PREFIX.removeprefix("tr")', "ain"),
    ('PREFIX.replace("a", "A", 1)', None),
    ("PREFIX.upper(1)", None),
    ("PREFIX[1:-1]", "rai"),
    ("PREFIX[::-1]", "niart"),
    ("PREFIX[::0]", None),
    ("PREFIX[-1]", "n"),
    ("PREFIX[5]", None),
    ("PREFIX[1, 2]", None),
    ("PREFIX[STOP:]", "ain"),
    ('f"{PREFIX.upper()}_x"', "TRAIN_x"),
    ("Names.TRAIN.upper()", "TRAIN"),
    ('"_".join(*[PREFIX])', None),
    ('"_".join([*PARTS])', None),
    ("unknown.upper()", None),
]


@pytest.mark.parametrize(("expression", "expected"), STRING_VALUES)
def test_string_values(tmp_path: Path, expression: str, expected: str | None) -> None:
    write_project(
        tmp_path,
        {
            "consts.py": """
PREFIX = "train"
STOP = -3
PARTS = ["a", "b"]

class Names:
    TRAIN = PREFIX
""",
        },
    )
    path = tmp_path / "consts.py"
    project = Project(tmp_path, [tmp_path], [path])
    module = project.module(path)
    assert module is not None
    assert const_string(project, module, cst.parse_expression(expression)) == expected
