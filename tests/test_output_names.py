"""Output names as real code spells them: names built at module level with string
operations on constants (``"_".join([PREFIX, "features"])``, ``"{}_x".format(P)``, ...).

A step whose output name is built so, called twice, collides with itself (ZL001) exactly
when zlint worked the name out; a second step with the literal name it should get collides
with it (ZL002) only when the value is right. A name with an unknown part is never guessed.
A PEP 695 ``type`` alias names nothing (verified with ZenML 0.98 on Python 3.12).
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

import libcst as cst
import pytest
from conftest import expected_markers, write_project

from zlint.inputs import source
from zlint.model.constants import const_string
from zlint.model.definitions import Definitions
from zlint.model.project import Project
from zlint.model.symbols import External


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


# --------------------------------------------------------------------------- the model

Outputs = dict[str, list[tuple[str, str | None]]]


def project_of(tmp_path: Path, sources: dict[str, str], *, libcst_only: bool = False) -> Project:
    """A project of ``sources``. ``libcst_only``: its modules are read with LibCST alone,
    for syntax newer than the Python running the tests."""
    write_project(tmp_path, sources)

    def parse(file: Path) -> source.ParsedSource:
        text = file.read_text(encoding="utf-8")
        return source.ParsedSource(text, cst.parse_module(text))

    loader = parse if libcst_only else source.load
    return Project(tmp_path, [tmp_path], [tmp_path / name for name in sources], loader=loader)


def step_outputs(tmp_path: Path, sources: dict[str, str], *, libcst_only: bool = False) -> Outputs:
    """Every step of ``steps.py``: its outputs' keys and custom names."""
    project = project_of(tmp_path, sources, libcst_only=libcst_only)
    module = project.module(tmp_path / "steps.py")
    assert module is not None
    steps = Definitions(project).steps_in(module)
    return {s.name: [(o.key, o.custom_name) for o in s.outputs] for s in steps}


PEP_695 = """
from typing import Annotated, Tuple

from zenml import step

type Features = Annotated[dict, "features"]
type Outs = Tuple[Annotated[dict, "a"], Annotated[list, "b"]]

@step
def featurize(rows: list) -> Features:
    return {}

@step
def pair(rows: list) -> Outs:
    return {}, []
"""


def test_a_pep_695_alias_gives_the_default_name(tmp_path: Path) -> None:
    """ZenML 0.98 does not look into a ``TypeAliasType`` (verified on Python 3.12, with and
    without the future import): an output annotated with one is called ``output`` and has
    no custom name. CPython 3.11 refuses the syntax (ZL000 there), so the modules are read
    with LibCST alone."""
    found = step_outputs(
        tmp_path,
        {"steps.py": PEP_695, "users.py": "from steps import Features, Outs\n"},
        libcst_only=True,
    )
    assert found == {
        "featurize": [("output", None)],
        "pair": [("output", None)],
    }


def test_a_type_statement_binds_a_type_alias_object(tmp_path: Path) -> None:
    """The ``type`` statement rebinds an imported name, and what it binds is a
    ``TypeAliasType`` wherever the name is imported, not the value it stands for."""
    project = project_of(
        tmp_path,
        {
            "steps.py": "from other import Features\ntype Features = dict\n",
            "users.py": "from steps import Features\n",
            "other.py": "Features = dict\n",
        },
        libcst_only=True,
    )
    users = project.module(tmp_path / "users.py")
    assert users is not None
    assert project.resolve_name(users, "Features") == External("typing.TypeAliasType()")


@pytest.mark.skipif(sys.version_info < (3, 12), reason="`type X = ...` needs Python 3.12")
def test_a_pep_695_alias_called_twice_is_clean(check) -> None:  # type: ignore[no-untyped-def]
    pipe = PEP_695.replace("from zenml import step", "from zenml import pipeline, step")
    pipe += """
@pipeline
def training():
    featurize([1])
    featurize([2])
    pair([1])
    pair([2])
"""
    assert check({"pipe.py": pipe}, select=["ZL001"]) == []


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
