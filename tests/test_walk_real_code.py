"""The pipeline walk on what real projects write: builtin ``map``, ``functools.partial``,
helper classes, step objects kept in containers and attributes, ``try``/``except`` arms,
conditions over module constants, and the cache facts that decide whether repeated calls
are merged (each verified under ZenML 0.98, see fixtures/real_calls and
fixtures/cache_facts).

Every case is a small project; ``# expect:`` marks each finding. A step with a fixed
custom output name is the probe: ZL001 fires when two calls really write two versions,
ZL008 when the cache merges them. Clean cases must stay silent: the walk never invents a
call that does not run, and stays quiet where it cannot tell.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import check_tree, expected_markers, write_project

STEPS = """
    from typing import Annotated
    from zenml import step

    @step
    def clean(split: str) -> Annotated[dict, "cleaned"]:
        return {}

    @step
    def prep(split: str) -> Annotated[dict, "prepared"]:
        return {}

    @step
    def load(source: str = "db") -> list:
        return [1, 2]

    @step
    def sample(rows: list, size: int = 1) -> Annotated[list, "sample"]:
        return rows[:size]
"""


def project(pipeline: str, **modules: str) -> dict[str, str]:
    """``steps.py`` above, ``pipe.py`` (importing every step) and any other modules."""
    header = "from zenml import pipeline\nfrom steps import clean, load, prep, sample\n"
    sources = {"steps.py": STEPS, "pipe.py": header + pipeline}
    sources.update({f"{name}.py": text for name, text in modules.items()})
    return sources


def run_check(check, sources: dict[str, str]) -> None:  # type: ignore[no-untyped-def]
    assert check(sources, select=["ZL001", "ZL008"]) == expected_markers(sources)


FLAGS = """
ENABLED = False
MODE = "full"
LIMIT = 3
"""

# --------------------------------------------------------------- conditions on constants

CONSTANTS = [
    pytest.param(
        project(
            """
import flags

@pipeline
def p():
    clean("a")
    if not flags.ENABLED:
        return
    clean("b")
""",
            flags=FLAGS,
        ),
        id="early-return-on-a-false-module-flag",
    ),
    pytest.param(
        project(
            """
from flags import ENABLED, LIMIT, MODE

@pipeline
def p():
    clean("a")
    if MODE == "full" and LIMIT > 2:
        return
    clean("b")
""",
            flags=FLAGS,
        ),
        id="early-return-on-comparisons-over-imported-constants",
    ),
    pytest.param(
        project(
            """
import flags

@pipeline
def p():
    clean("a")
    if flags.ENABLED and 0 < flags.LIMIT <= 5:
        clean("b")
    flags.ENABLED and clean("c")
""",
            flags=FLAGS,
        ),
        id="a-branch-and-a-short-circuit-that-never-run",
    ),
    pytest.param(
        project(
            """
import flags

@pipeline
def p():
    clean("a")
    if flags.ENABLED:
        return
    clean("b")  # expect: ZL001
""",
            flags=FLAGS,
        ),
        id="the-guard-is-false-so-the-body-goes-on",
    ),
    pytest.param(
        project(
            """
import flags

@pipeline
def p():
    clean("a")
    if not flags.ENABLED:
        return
    clean("b")  # expect: ZL001
""",
            flags="""
import os

ENABLED = False
if os.environ.get("FULL"):
    ENABLED = True
""",
        ),
        id="a-flag-rebound-in-a-branch-may-be-true",
    ),
    pytest.param(
        project(
            """
import flags

@pipeline
def p():
    clean("a")
    if flags.LIMIT >= 3:
        clean("b")  # expect: ZL001
""",
            flags=FLAGS,
        ),
        id="a-true-condition-runs-its-arm",
    ),
]


@pytest.mark.parametrize("sources", CONSTANTS)
def test_conditions_on_module_constants(check, sources: dict[str, str]) -> None:  # type: ignore[no-untyped-def]
    run_check(check, sources)


# ------------------------------------------------------------------------ try / except

TRY = [
    pytest.param(
        project("""
@pipeline
def p():
    try:
        import fast_backend
        clean("fast")
    except ImportError:
        clean("slow")
"""),
        id="try-arm-and-except-arm-are-exclusive",
    ),
    pytest.param(
        project("""
@pipeline
def p():
    try:
        import fast_backend
        clean("fast")
    except ImportError:
        clean("slow")
    except RuntimeError:
        clean("broken")
    else:
        clean("checked")  # expect: ZL001
"""),
        id="else-runs-with-the-try-arm-handlers-exclusive",
    ),
    pytest.param(
        project("""
@pipeline
def p():
    try:
        import fast_backend
    except ImportError:
        clean("slow")
        return
    clean("fast")
"""),
        id="a-handler-that-returns-leaves-the-rest-to-the-try-arm",
    ),
    pytest.param(
        project("""
@pipeline
def p():
    try:
        clean("a")
    except ImportError:
        prep("b")
    finally:
        clean("c")  # expect: ZL001
"""),
        id="finally-runs-with-the-try-arm",
    ),
    pytest.param(
        project("""
@pipeline
def p():
    try:
        import fast_backend
    except ImportError:
        clean("slow")
    finally:
        clean("always")  # expect: ZL001
"""),
        id="finally-runs-with-a-handler",
    ),
    pytest.param(
        project("""
@pipeline
def p():
    clean("first")
    try:
        import fast_backend
        clean("fast")  # expect: ZL001
    except ImportError:
        clean("slow")  # expect: ZL001
"""),
        id="each-arm-runs-after-the-call-before-the-try",
    ),
    pytest.param(
        project("""
@pipeline
def p():
    try:
        import fast_backend
        clean("fast")
        return
    except ImportError:
        clean("slow")
    clean("after")  # expect: ZL001
"""),
        id="the-rest-after-a-returning-try-arm-runs-with-the-handler",
    ),
    pytest.param(
        project("""
@pipeline
def p():
    try:
        clean("a")
        clean("b")  # expect: ZL001
    except ImportError:
        pass
"""),
        id="calls-within-one-try-arm-run-together",
    ),
]


@pytest.mark.parametrize("sources", TRY)
def test_try_except_arms(check, sources: dict[str, str]) -> None:  # type: ignore[no-untyped-def]
    run_check(check, sources)


# ------------------------------------------------------------------------- builtin map

MAP = [
    pytest.param(
        project("""
@pipeline
def p():
    load()
    map(clean, ["train", "val"])
"""),
        id="a-bare-map-is-never-iterated-and-runs-nothing",
    ),
    pytest.param(
        project("""
@pipeline
def p():
    outputs = map(clean, ["train", "val"])
    do_something_else = outputs
"""),
        id="a-map-kept-in-a-name-runs-nothing",
    ),
    pytest.param(
        project("""
@pipeline
def p():
    list(map(clean, ["train", "val"]))  # expect: ZL001
"""),
        id="list-of-map-calls-the-step-per-item",
    ),
    pytest.param(
        project("""
@pipeline
def p():
    list(map(clean, ["train"]))
"""),
        id="a-map-over-one-item-calls-once",
    ),
    pytest.param(
        project("""
@pipeline
def p():
    for out in map(clean, ["train", "val"]):  # expect: ZL001
        prep("x")  # expect: ZL008
"""),
        id="a-for-loop-over-a-map-interleaves-calls-and-body",
    ),
    pytest.param(
        project("""
@pipeline
def p():
    cleaned = map(clean, ["train", "val"])  # expect: ZL001
    list(cleaned)
    list(cleaned)
"""),
        id="a-map-is-exhausted-after-one-iteration",
    ),
    pytest.param(
        project("""
@pipeline
def p(splits: list):
    [out for out in map(clean, splits)]  # expect: ZL001
"""),
        id="a-comprehension-over-a-map-of-unknown-items-repeats",
    ),
    pytest.param(
        project("""
@pipeline
def p():
    train, val = map(clean, ["train", "val"])  # expect: ZL001
"""),
        id="unpacking-a-map-iterates-it",
    ),
    pytest.param(
        project("""
@pipeline
def p():
    rows = load()
    tuple(map(lambda size: sample(rows, size=size), [1, 2]))  # expect: ZL001
"""),
        id="a-lambda-mapped-over-sizes",
    ),
    pytest.param(
        project("""
@pipeline
def p():
    rows = load()
    sorted(map(lambda size: sample(rows), [1, 2]))  # expect: ZL008
"""),
        id="a-lambda-that-ignores-its-item-is-cache-merged",
    ),
]


@pytest.mark.parametrize("sources", MAP)
def test_builtin_map(check, sources: dict[str, str]) -> None:  # type: ignore[no-untyped-def]
    run_check(check, sources)


# ------------------------------------------------------------------------- functools.partial

PARTIAL = [
    pytest.param(
        project("""
import functools

@pipeline
def p():
    rows = load()
    small = functools.partial(sample, size=1)
    small(rows)
    small(rows, size=2)  # expect: ZL001
"""),
        id="the-call-keyword-wins-over-the-partial-one",
    ),
    pytest.param(
        project("""
from functools import partial

@pipeline
def p():
    rows = load()
    small = partial(sample, size=1)
    small(rows)
    sample(rows, size=1)  # expect: ZL008
"""),
        id="partial-keywords-merge-with-the-call",
    ),
    pytest.param(
        project("""
from functools import partial

@pipeline
def p():
    rows = load()
    partial(sample, rows)(size=1)
    partial(sample, rows)(size=2)  # expect: ZL001
"""),
        id="partial-positional-arguments-come-first",
    ),
    pytest.param(
        project("""
from functools import partial

@pipeline
def p():
    train = partial(clean, "train")
    train()
"""),
        id="a-partial-called-once",
    ),
    pytest.param(
        project("""
from functools import partial

@pipeline
def p():
    later = partial(clean, "train")
"""),
        id="a-partial-never-called-runs-nothing",
    ),
]


@pytest.mark.parametrize("sources", PARTIAL)
def test_functools_partial(check, sources: dict[str, str]) -> None:  # type: ignore[no-untyped-def]
    run_check(check, sources)


# ------------------------------------------------------------------- helper classes

ENCODERS = """
from dataclasses import dataclass

from steps import clean, prep


class Encoder:
    def __init__(self, column: str) -> None:
        self.column = column

    def build(self):
        return clean(self.column)

    @classmethod
    def default(cls):
        return cls("default").build()

    @staticmethod
    def prepare(split: str):
        return prep(split)


class Runner:
    def __init__(self, step) -> None:
        self.step = step

    def run(self, split: str):
        return self.step(split)


class TrainEncoder(Encoder):
    pass


@dataclass
class Stage:
    split: str
    runner: object = prep

    def run(self):
        return self.runner(self.split)
"""

CLASSES = [
    pytest.param(
        project(
            """
from encoders import Encoder

@pipeline
def p():
    Encoder("age").build()
    Encoder("income").build()  # expect: ZL001
""",
            encoders=ENCODERS,
        ),
        id="a-method-calling-a-step-through-two-objects",
    ),
    pytest.param(
        project(
            """
from encoders import Encoder

@pipeline
def p():
    encoder = Encoder("age")
    encoder.build()
""",
            encoders=ENCODERS,
        ),
        id="one-object-one-call",
    ),
    pytest.param(
        project(
            """
from encoders import Encoder

@pipeline
def p():
    Encoder("age")
""",
            encoders=ENCODERS,
        ),
        id="an-object-whose-method-is-never-called",
    ),
    pytest.param(
        project(
            """
from encoders import Encoder

@pipeline
def p():
    Encoder.default()
    clean("x")  # expect: ZL001
""",
            encoders=ENCODERS,
        ),
        id="a-classmethod-building-an-object",
    ),
    pytest.param(
        project(
            """
from encoders import Encoder

@pipeline
def p():
    Encoder.prepare("a")
    Encoder("age").prepare("b")  # expect: ZL001
""",
            encoders=ENCODERS,
        ),
        id="a-staticmethod-through-the-class-and-an-object",
    ),
    pytest.param(
        project(
            """
from encoders import Runner

@pipeline
def p():
    Runner(clean).run("train")
    Runner(prep).run("train")
""",
            encoders=ENCODERS,
        ),
        id="self-attributes-from-constructor-arguments-hold-different-steps",
    ),
    pytest.param(
        project(
            """
from encoders import Runner

@pipeline
def p():
    runner = Runner(clean)
    runner.run("train")
    runner.run("val")  # expect: ZL001
""",
            encoders=ENCODERS,
        ),
        id="a-step-kept-on-self-called-twice",
    ),
    pytest.param(
        project(
            """
from encoders import TrainEncoder

@pipeline
def p():
    TrainEncoder("a").build()
    TrainEncoder("b").build()  # expect: ZL001
""",
            encoders=ENCODERS,
        ),
        id="an-inherited-init-and-method",
    ),
    pytest.param(
        project(
            """
from encoders import Stage

@pipeline
def p():
    Stage("train").run()
    Stage("val", runner=clean).run()
""",
            encoders=ENCODERS,
        ),
        id="dataclass-fields-and-defaults",
    ),
    pytest.param(
        project(
            """
from encoders import Stage

@pipeline
def p():
    Stage("train").run()
    Stage("val").run()  # expect: ZL001
""",
            encoders=ENCODERS,
        ),
        id="dataclass-default-step-called-twice",
    ),
]


@pytest.mark.parametrize("sources", CLASSES)
def test_helper_classes(check, sources: dict[str, str]) -> None:  # type: ignore[no-untyped-def]
    run_check(check, sources)


# --------------------------------------------------------- step objects in containers

REGISTRY = """
from steps import clean, prep

STEPS = {"clean": clean, "prep": prep}
ORDER = [clean, prep]
"""

CONTAINERS = [
    pytest.param(
        project(
            """
from registry import STEPS

@pipeline
def p():
    STEPS["clean"]("train")
    STEPS["prep"]("train")
""",
            registry=REGISTRY,
        ),
        id="a-module-dict-of-steps-each-called-once",
    ),
    pytest.param(
        project(
            """
import registry

@pipeline
def p():
    registry.STEPS["clean"]("train")
    registry.ORDER[0]("val")  # expect: ZL001
""",
            registry=REGISTRY,
        ),
        id="one-step-reached-through-a-dict-and-a-list",
    ),
    pytest.param(
        project(
            """
@pipeline
def p():
    for step_fn in [clean, prep]:
        step_fn("train")
"""
        ),
        id="a-loop-over-different-steps",
    ),
    pytest.param(
        project(
            """
from registry import STEPS

@pipeline
def p():
    for name, step_fn in STEPS.items():
        step_fn(name)
    for step_fn in STEPS.values():
        step_fn("again")  # expect: ZL001
""",
            registry=REGISTRY,
        ),
        id="loops-over-a-module-dict",
    ),
    pytest.param(
        project(
            """
@pipeline
def p():
    steps = {"train": clean, "val": prep}
    steps["train"]("a")
    steps["val"]("a")
    steps["train"]("b")  # expect: ZL001
"""
        ),
        id="a-local-dict-of-steps",
    ),
    pytest.param(
        project(
            """
@pipeline
def p():
    stages = (clean, prep)
    for stage in stages:
        stage("x")
    first, second = stages
    first("y")  # expect: ZL001
"""
        ),
        id="a-local-tuple-iterated-and-unpacked",
    ),
    pytest.param(
        project(
            """
from registry import STEPS

@pipeline
def p(name: str):
    STEPS[name]("a")
    STEPS[name]("b")
""",
            registry=REGISTRY,
        ),
        id="an-unknown-key-stays-silent",
    ),
]


@pytest.mark.parametrize("sources", CONTAINERS)
def test_steps_in_containers(check, sources: dict[str, str]) -> None:  # type: ignore[no-untyped-def]
    run_check(check, sources)


# ------------------------------------------------------------------------- cache facts

POLICY_STEPS = """
from typing import Annotated
from zenml import step
from zenml.config import CachePolicy

NO_PARAMETERS = CachePolicy(include_step_parameters=False)

@step(cache_policy=CachePolicy(include_step_parameters=False))
def draw(rows: list, size: int = 1) -> Annotated[list, "drawn"]:
    return rows[:size]

@step(cache_policy=NO_PARAMETERS)
def pick(rows: list, size: int = 1) -> Annotated[list, "picked"]:
    return rows[:size]

@step(cache_policy=CachePolicy(include_step_parameters=False, cache_func="x.y"))
def custom(rows: list, size: int = 1) -> Annotated[list, "custom"]:
    return rows[:size]
"""


def policies(pipeline: str) -> dict[str, str]:
    header = (
        "from zenml import pipeline\nfrom zenml.config import CachePolicy\n"
        "from steps import load, sample\nfrom policy_steps import custom, draw, pick\n"
    )
    return {"steps.py": STEPS, "policy_steps.py": POLICY_STEPS, "pipe.py": header + pipeline}


CACHE = [
    pytest.param(
        project("""
@pipeline
def p():
    rows = load()
    sample.with_options(enable_cache=False)(rows)
    sample(rows)  # expect: ZL008
"""),
        id="cache-off-on-the-first-call-does-not-protect-the-next",
    ),
    pytest.param(
        project("""
@pipeline
def p():
    rows = load()
    sample(rows)
    sample.with_options(enable_cache=False)(rows)  # expect: ZL001
"""),
        id="cache-off-on-the-later-call-runs-it-again",
    ),
    pytest.param(
        project("""
@pipeline
def p():
    rows = load()
    sample.with_options(enable_cache=False)(rows, id="z_fresh")
    sample(rows, id="a_plain")  # expect: ZL001
"""),
        id="ids-decide-which-identical-call-runs-first",
    ),
    pytest.param(
        project("""
@pipeline
def p():
    rows = load()
    sample.with_options(enable_cache=False)(rows, after="load")
    sample(rows)
"""),
        id="after-changes-the-order-so-zlint-stays-quiet",
    ),
    pytest.param(
        policies("""
@pipeline
def p():
    rows = load()
    draw(rows, size=1)
    draw(rows, size=2)  # expect: ZL008
    pick(rows, size=1)
    pick(rows, size=3)  # expect: ZL008
"""),
        id="a-policy-without-parameters-merges-calls-differing-in-parameters",
    ),
    pytest.param(
        policies("""
@pipeline
def p():
    draw(load("a"), size=1)
    draw(load("b"), size=1)  # expect: ZL001
"""),
        id="a-policy-without-parameters-still-keys-inputs",
    ),
    pytest.param(
        policies("""
@pipeline
def p():
    rows = load()
    quick = CachePolicy(include_step_parameters=False)
    sample.with_options(cache_policy=CachePolicy(include_step_parameters=False))(rows, size=1)
    sample.with_options(cache_policy=CachePolicy(include_step_parameters=False))(rows, size=2)  # expect: ZL008
"""),
        id="a-policy-set-per-call",
    ),
    pytest.param(
        policies("""
@pipeline
def p():
    rows = load()
    sample(rows, size=1)
    sample.with_options(cache_policy=CachePolicy(include_step_parameters=False))(rows, size=2)
    custom(rows, size=1)
    custom(rows, size=2)
"""),
        id="different-or-unread-policies-stay-quiet",
    ),
    pytest.param(
        policies("""
@pipeline(cache_policy=CachePolicy(include_step_parameters=False))
def p():
    rows = load()
    sample(rows, size=1)
    sample(rows, size=2)  # expect: ZL001
"""),
        id="a-pipeline-policy-does-not-reach-the-steps",
    ),
    pytest.param(
        policies("""
@pipeline
def p():
    rows = load()
    for size in [1, 2, 3]:
        draw(rows, size=size)  # expect: ZL008
"""),
        id="a-loop-over-parameters-under-a-policy-without-them",
    ),
]


@pytest.mark.parametrize("sources", CACHE)
def test_cache_facts(check, sources: dict[str, str]) -> None:  # type: ignore[no-untyped-def]
    run_check(check, sources)


CONFIGURED_STEPS = (
    STEPS
    + """
    sample.configure(enable_cache=False)
"""
)

CONFIGURE = [
    pytest.param(
        {
            "steps.py": CONFIGURED_STEPS,
            "pipe.py": """
from zenml import pipeline
from steps import load, sample

@pipeline
def p():
    rows = load()
    sample(rows)
    sample(rows)  # expect: ZL001
""",
        },
        id="configure-at-import-in-the-steps-module-turns-caching-off",
    ),
    pytest.param(
        project(
            """
import settings

@pipeline
def p():
    rows = load()
    sample(rows)
    sample(rows)  # expect: ZL001
""",
            settings="from steps import sample\n\nsample.configure(enable_cache=False)\n",
        ),
        id="configure-in-a-module-the-pipeline-imports",
    ),
    pytest.param(
        project(
            """
@pipeline
def p():
    rows = load()
    sample(rows)
    sample(rows)
""",
            run="""
from steps import sample
from pipe import p

if __name__ == "__main__":
    sample.configure(enable_cache=False)
    p()
""",
        ),
        id="configure-in-a-script-the-pipeline-does-not-import-stays-quiet",
    ),
    pytest.param(
        project(
            """
import settings

@pipeline
def p():
    rows = load()
    sample(rows)
    sample(rows)
""",
            settings="""
from steps import sample

def setup():
    sample.configure(enable_cache=False)
""",
        ),
        id="configure-in-a-function-stays-quiet",
    ),
    pytest.param(
        {
            "steps.py": """
from zenml import step

@step(enable_cache=False)
def sample(rows: list) -> list:
    return rows

sample.configure(enable_cache=True)
""",
            "pipe.py": """
from zenml import pipeline
from steps import sample

@pipeline
def p(rows: list):
    sample(rows)
    sample(rows)  # expect: ZL008
""",
        },
        id="configure-wins-over-the-decorator",
    ),
    pytest.param(
        {
            "steps.py": CONFIGURED_STEPS.replace(
                "sample.configure", "fast = sample.with_options()\n    fast.configure"
            ),
            "pipe.py": """
from zenml import pipeline
from steps import load, sample

@pipeline
def p():
    rows = load()
    sample(rows)
    sample(rows)
""",
        },
        id="configure-on-a-copy-leaves-the-step-unknown",
    ),
]


@pytest.mark.parametrize("sources", CONFIGURE)
def test_configure_at_import(check, sources: dict[str, str]) -> None:  # type: ignore[no-untyped-def]
    run_check(check, sources)


@pytest.mark.parametrize(
    ("call", "through"),
    [
        pytest.param(
            'small = partial(sample, size=1)\n    small(load("a"))\n    small(load("b"))',
            "functools.partial",
            id="partial",
        ),
        pytest.param('list(map(sample, [load("a"), load("b")]))', "map", id="map"),
    ],
)
def test_calls_through_map_or_partial_get_no_fix_at_the_call(
    tmp_path: Path, call: str, through: str
) -> None:
    """The fix passes a value at each call; a call made by ``map`` or a partial has no
    call of its own to pass it at."""
    sources = project(f"from functools import partial\n\n@pipeline\ndef p():\n    {call}\n")
    write_project(tmp_path, sources)
    [finding] = check_tree(tmp_path, select=["ZL001"]).diagnostics
    assert finding.fix is None
    assert f"the step is called through `{through}`" in finding.message


def test_an_object_made_in_a_loop_is_a_new_object_each_time(check) -> None:  # type: ignore[no-untyped-def]
    sources = project(
        """
from encoders import Box

@pipeline
def p(splits: list):
    rows = load()
    for split in splits:
        sample(rows, size=Box(split))
""",
        encoders="class Box:\n    def __init__(self, value):\n        self.value = value\n",
    )
    # Each iteration passes another object: nothing says the calls are identical.
    assert check(sources, select=["ZL008"]) == []
