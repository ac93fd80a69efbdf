"""Output names as real code spells them: type aliases, module-level ``ArtifactConfig``
objects, and names built at module level with string operations on constants.

Each case is a small project. A step whose output name is spelled one of these ways and
that one pipeline calls twice is the probe: ZL001 fires at the second call exactly when
zlint read the name. A second step with the literal name the first one should get, each
called once, checks the value itself: ZL002 fires when the two names are equal. The no-op
cases are forms ZenML 0.98 gives the default name (verified by running it: ``Optional``,
``| None``, a PEP 695 ``type`` alias, forward references), and names zlint cannot know.
"""

from __future__ import annotations

import sys
import textwrap
from collections.abc import Sequence
from pathlib import Path

import libcst as cst
import pytest
from conftest import expected_markers, write_project

from zlint.inputs import source
from zlint.model.constants import const_string
from zlint.model.definitions import Definitions
from zlint.model.output_names import DYNAMIC
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


#: A pipeline calling ``featurize`` twice; the second call collides when the name is read.
TWICE = """
@pipeline
def training():
    featurize([1], split="train")
    featurize([2], split="val")  # expect: ZL001
"""

#: The same calls, for the no-op cases.
TWICE_CLEAN = TWICE.replace("  # expect: ZL001", "")


def single(step: str, pipeline: str = TWICE) -> dict[str, str]:
    """One module: ``step`` (imports and definitions) followed by ``pipeline``."""
    return {"pipe.py": textwrap.dedent(step).strip("\n") + "\n\n" + pipeline.lstrip("\n")}


#: A package holding the aliases, for the cases that import them.
TYPES = {
    "myproj/__init__.py": "from .types import Features, Outs\n",
    "myproj/types.py": """
from typing import Annotated, Tuple

from typing_extensions import TypeAlias
from zenml import ArtifactConfig

Features = Annotated[dict, "features"]
Labels: TypeAlias = Annotated[list, "labels"]
Outs = Tuple[Features, Labels]
CFG = ArtifactConfig(name="configured")
""",
}


def with_types(pipe: str) -> dict[str, str]:
    return {**TYPES, "pipe.py": pipe}


# --------------------------------------------------------------------------- aliases

ALIASES = [
    case(
        single("""
from typing import Annotated

from zenml import pipeline, step

Features = Annotated[dict, "features"]

@step
def featurize(rows: list, split: str) -> Features:
    return {}
"""),
        id="alias-in-the-same-module",
    ),
    case(
        single("""
from typing import Annotated, TypeAlias

from zenml import pipeline, step

Features: TypeAlias = Annotated[dict, "features"]

@step
def featurize(rows: list, split: str) -> Features:
    return {}
"""),
        id="type-alias-annotation",
    ),
    case(
        single("""
import typing

from zenml import pipeline, step

Base = typing.Annotated[dict, "features"]
Features = Base

@step
def featurize(rows: list, split: str) -> Features:
    return {}
"""),
        id="alias-of-an-alias",
    ),
    case(
        with_types(
            """
from zenml import pipeline, step

from myproj.types import Features

@step
def featurize(rows: list, split: str) -> Features:
    return {}
"""
            + TWICE
        ),
        id="alias-imported-from-another-module",
    ),
    case(
        with_types(
            """
from zenml import pipeline, step

from myproj import Features

@step
def featurize(rows: list, split: str) -> Features:
    return {}
"""
            + TWICE
        ),
        id="alias-through-a-package-re-export",
    ),
    case(
        with_types(
            """
from zenml import pipeline, step

import myproj.types as types_mod
from myproj.types import Features as Feats

@step
def featurize(rows: list, split: str) -> types_mod.Features:
    return {}

@step
def label(rows: list, split: str) -> Feats:
    return {}

@pipeline
def training():
    featurize([1], split="train")
    featurize([2], split="val")  # expect: ZL001
    label([1], split="train")
    label([2], split="val")  # expect: ZL001
"""
        ),
        id="module-alias-attribute-and-import-as",
    ),
    case(
        with_types(
            """
from __future__ import annotations

from zenml import pipeline, step

from myproj.types import Features

@step
def featurize(rows: list, split: str) -> Features:
    return {}
"""
            + TWICE
        ),
        id="future-annotations",
    ),
    case(
        with_types(
            """
from zenml import pipeline, step

from myproj.types import Features

@step
def featurize(rows: list, split: str) -> "Features":
    return {}
"""
            + TWICE
        ),
        id="string-annotation",
    ),
    case(
        with_types(
            """
from zenml import pipeline, step

from myproj import Outs

@step
def featurize(rows: list, split: str) -> Outs:
    return {}, []
"""
            + TWICE
        ),
        id="tuple-alias-with-a-tuple-return",
    ),
    case(
        with_types(
            """
from __future__ import annotations

from typing import Tuple

from zenml import pipeline, step

from myproj.types import Features, Labels

@step
def featurize(rows: list, split: str) -> Tuple["Features", "Labels"]:
    return {}, []
"""
            + TWICE
        ),
        id="quoted-tuple-members-under-future-annotations",
    ),
    case(
        single("""
from typing import Annotated, Optional

from zenml import pipeline, step

Features = Annotated[dict, "features"]
MaybeFeatures = Optional[Features]

@step
def featurize(rows: list, split: str) -> Features:
    return {}

@step
def maybe(rows: list, split: str) -> MaybeFeatures:
    return {}

@pipeline
def training():
    featurize([1], split="train")
    featurize([2], split="val")  # expect: ZL001
    maybe([1], split="train")
    maybe([2], split="val")
"""),
        id="optional-around-an-alias-is-unnamed",
    ),
]


@pytest.mark.parametrize(("sources", "select"), ALIASES)
def test_aliases(check, sources: dict[str, str], select: list[str]) -> None:  # type: ignore[no-untyped-def]
    assert check(sources, select=select) == expected_markers(sources)


# --------------------------------------------------------------------------- default names

DEFAULT_NAMES = [
    case(
        single(
            """
from typing import Annotated, Optional

from zenml import pipeline, step

@step
def featurize(rows: list, split: str) -> Optional[Annotated[dict, "features"]]:
    return {}
""",
            TWICE_CLEAN,
        ),
        id="optional-annotated",
    ),
    case(
        single(
            """
from typing import Annotated

from zenml import pipeline, step

@step
def featurize(rows: list, split: str) -> Annotated[dict, "features"] | None:
    return {}
""",
            TWICE_CLEAN,
        ),
        id="pep-604-union-with-none",
    ),
    case(
        single(
            """
from typing import Annotated, Optional

from zenml import pipeline, step

Features = Optional[Annotated[dict, "features"]]

@step
def featurize(rows: list, split: str) -> Features:
    return {}
""",
            TWICE_CLEAN,
        ),
        id="alias-of-an-optional",
    ),
    case(
        with_types(
            """
from zenml import pipeline, step

from myproj import Outs

@step
def featurize(rows: list, split: str) -> Outs:
    result = ({}, [])
    return result
"""
            + TWICE_CLEAN
        ),
        id="tuple-alias-without-a-tuple-return-is-one-unnamed-output",
    ),
    case(
        with_types(
            """
from typing import Tuple

from zenml import pipeline, step

from myproj.types import Features, Labels

@step
def featurize(rows: list, split: str) -> Tuple["Features", "Labels"]:
    return {}, []
"""
            + TWICE_CLEAN
        ),
        id="quoted-tuple-members-are-forward-references",
    ),
    case(
        with_types(
            """
from typing import Annotated

from zenml import pipeline
from zenml.steps import BaseStep

from myproj.types import Features

class Featurize(BaseStep):
    Features = dict

    def entrypoint(self, rows: list, split: str) -> Features:
        return {}

featurize = Featurize()
"""
            + TWICE_CLEAN
        ),
        id="class-attribute-shadows-the-module-alias",
    ),
]


@pytest.mark.parametrize(("sources", "select"), DEFAULT_NAMES)
def test_default_names(check, sources: dict[str, str], select: list[str]) -> None:  # type: ignore[no-untyped-def]
    assert check(sources, select=["ZL001", "ZL002"]) == []


# --------------------------------------------------------------------------- config objects

CONFIGS = [
    case(
        single("""
from typing import Annotated

from zenml import ArtifactConfig, pipeline, step

CFG = ArtifactConfig(name="features", tags=["v1"])

@step
def featurize(rows: list, split: str) -> Annotated[dict, CFG]:
    return {}
"""),
        id="module-level-config",
    ),
    case(
        with_types(
            """
from typing import Annotated

from zenml import pipeline, step

from myproj.types import CFG

@step
def featurize(rows: list, split: str) -> Annotated[dict, CFG]:
    return {}
"""
            + TWICE
        ),
        id="imported-config",
    ),
    case(
        single("""
from typing import Annotated

import zenml as zn

CFG = zn.ArtifactConfig(name="features")
Features = Annotated[dict, CFG]

pipeline, step = zn.pipeline, zn.step

@step
def featurize(rows: list, split: str) -> Features:
    return {}
"""),
        id="config-inside-an-alias",
    ),
]


@pytest.mark.parametrize(("sources", "select"), CONFIGS)
def test_config_objects(check, sources: dict[str, str], select: list[str]) -> None:  # type: ignore[no-untyped-def]
    assert check(sources, select=select) == expected_markers(sources)


OWN_CONFIG_CLASS = {
    "myproj/__init__.py": "",
    "myproj/config.py": """
class ArtifactConfig:
    def __init__(self, name: str) -> None:
        self.name = name
""",
    "pipe.py": """
from typing import Annotated

from zenml import pipeline, step

from myproj.config import ArtifactConfig

CFG = ArtifactConfig(name="features")

@step
def featurize(rows: list, split: str) -> Annotated[dict, CFG]:
    return {}

@step
def label(rows: list, split: str) -> Annotated[dict, ArtifactConfig(name="labels")]:
    return {}

@pipeline
def training():
    featurize([1], split="train")
    featurize([2], split="val")
    label([1], split="train")
    label([2], split="val")
""",
}


def test_a_config_class_of_the_project_names_nothing(check) -> None:  # type: ignore[no-untyped-def]
    assert check(OWN_CONFIG_CLASS, select=["ZL001", "ZL002"]) == []


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


# --------------------------------------------------------------------------- other rules

OTHER_RULES = [
    case(
        with_types("""
from zenml import pipeline, step

from myproj import Features

@step
def featurize(rows: list) -> Features:
    return {}

@step
def describe(rows: list) -> Features:
    return {}

@pipeline
def training():
    featurize([1])
    describe([1])  # expect: ZL002
"""),
        id="zl002-two-steps-one-alias",
        select=["ZL002"],
    ),
    case(
        {
            "myproj/__init__.py": "",
            "myproj/types.py": """
from typing import Annotated

Features = Annotated[dict, "{split}_features"]
""",
            "pipe.py": """
from zenml import pipeline, step

from myproj.types import Features

@step
def featurize(rows: list) -> Features:  # expect: ZL005
    return {}

@pipeline
def training():
    featurize([1])
""",
        },
        id="zl005-placeholder-in-an-imported-alias",
        select=["ZL005"],
    ),
    case(
        single(
            """
from typing import Annotated, Tuple

from zenml import pipeline, step

Outs = Tuple[Annotated[dict, "{split}_a"], Annotated[list, "{split}_b"]]

@step
def featurize(rows: list) -> Outs:  # expect: ZL005
    return {}, []
""",
            """
@pipeline
def training():
    featurize([1])
""",
        ),
        id="zl005-in-a-tuple-alias",
        select=["ZL005"],
    ),
    case(
        single(
            """
from typing import Annotated

from zenml import pipeline, step

Stamped = Annotated[dict, "data_{date}"]

@step
def featurize(rows: list, split: str) -> Stamped:
    return {}
""",
            TWICE.replace("ZL001", "ZL006"),
        ),
        id="zl006-run-scoped-name-in-an-alias",
        select=["ZL006"],
    ),
    case(
        with_types("""
from zenml import get_step_context, pipeline, step

from myproj import Features

@step
def featurize(rows: list) -> Features:
    get_step_context().add_output_metadata({"n": 1}, output_name="features")
    get_step_context().add_output_metadata({"n": 1}, output_name="output")  # expect: ZL011
    return {}
"""),
        id="zl011-keys-of-an-aliased-output",
        select=["ZL011"],
    ),
    case(
        {
            "pipe.py": """
from zenml import ArtifactConfig

VERSION = "_".join(["v", "1"])
CFG = ArtifactConfig(name="model", version=VERSION)  # expect: ZL007
""",
        },
        id="zl007-version-built-from-constants",
        select=["ZL007"],
    ),
]


@pytest.mark.parametrize(("sources", "select"), OTHER_RULES)
def test_other_rules(check, sources: dict[str, str], select: list[str]) -> None:  # type: ignore[no-untyped-def]
    assert check(sources, select=select) == expected_markers(sources)


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


FACTORY = """
from typing import Annotated

from zenml import step

PREFIX = "train"
Features = Annotated[dict, "features"]

def make(suffix: str):
    @step
    def joined(rows: list) -> Annotated[dict, "_".join([PREFIX, "x"])]:
        return {}

    Features = dict

    @step
    def aliased(rows: list) -> Features:
        return {}

    return joined, aliased
"""

NESTED_STEPS = [
    pytest.param(FACTORY, {"joined": "train_x", "aliased": DYNAMIC}, id="module-constant"),
    pytest.param(
        FACTORY.replace("suffix: str", "PREFIX: str"),
        {"joined": DYNAMIC, "aliased": DYNAMIC},
        id="factory-parameter-shadows-the-constant",
    ),
    pytest.param(
        "from __future__ import annotations\n" + FACTORY.replace("suffix: str", "PREFIX: str"),
        {"joined": "train_x", "aliased": "features"},
        id="future-annotations-read-the-module-globals",
    ),
]


@pytest.mark.parametrize(("text", "expected"), NESTED_STEPS)
def test_steps_defined_in_a_function(tmp_path: Path, text: str, expected: dict[str, str]) -> None:
    """A step defined in a function sees that function's names in its annotation, unless
    the future import makes the annotation a string, which ZenML evaluates in the module's
    globals (verified with ZenML 0.98). zlint does not evaluate the function: such names
    are unknown."""
    found = step_outputs(tmp_path, {"steps.py": text})
    assert {name: outputs[0][1] for name, outputs in found.items()} == expected


PEP_695 = """
from typing import Annotated, Tuple

from zenml import step

type Features = Annotated[dict, "features"]
type Outs = Tuple[Annotated[dict, "a"], Annotated[list, "b"]]
Plain = Annotated[dict, "plain"]

@step
def featurize(rows: list) -> Features:
    return {}

@step
def pair(rows: list) -> Outs:
    return {}, []

@step
def plain(rows: list) -> Plain:
    return {}
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
        "plain": [("plain", "plain")],
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


def test_names_zlint_cannot_tell_are_dynamic(tmp_path: Path) -> None:
    """A string alias in another module (ZenML evaluates it in the step's module), an
    annotation naming an output twice (ZenML refuses it), a name with an unknown part."""
    found = step_outputs(
        tmp_path,
        {
            "quoted.py": "Features = \"Annotated[dict, 'x']\"\n",
            "steps.py": """
from typing import Annotated

from zenml import step

from quoted import Features

Named = Annotated[dict, "inner"]

@step
def quoted_elsewhere(rows: list) -> Features:
    return {}

@step
def named_twice(rows: list) -> Annotated[Named, "outer"]:
    return {}

@step
def made(rows: list) -> Annotated[dict, "-".join(["a", make()])]:
    return {}
""",
        },
    )
    assert found == {
        "quoted_elsewhere": [("output", DYNAMIC)],
        "named_twice": [("output", DYNAMIC)],
        "made": [("output", DYNAMIC)],
    }


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
