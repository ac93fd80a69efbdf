"""User decorators that wrap ZenML's ``step`` (no configuration), and steps made inside
functions: which steps they make, what ZL001/ZL003/ZL008 see through them, and when ZL004
reports them.

Facts (ZenML 0.98, verified by running it): a decorator that hands ``step`` an inner
wrapper decorated with ``functools.wraps(fn)`` makes a step named after the decorated
function, with its parameters and its (``Annotated``) outputs, whose source is the
decorated function's module: it loads in a fresh process, and repeated calls collide.
Options given to ``step(...)`` in the decorator apply to every step it makes. Without
``wraps`` the step is the wrapper: named ``wrapper``, loaded from the decorator's module,
where it does not exist (AttributeError; ``*args``/``**kwargs`` are refused on import). A
step made inside a function fails only when a pipeline runs it.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import expected_markers, write_project

from zlint.cli import main

DECORATORS = """
import functools

import zenml
from zenml import step
from zenml.config.retry_config import StepRetryConfig


def traced(fn):
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        return fn(*args, **kwargs)

    return step(wrapper)


def zn_traced(fn):
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        return fn(*args, **kwargs)

    return zenml.step(wrapper)


def uncached(fn):
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        return fn(*args, **kwargs)

    return step(enable_cache=False)(wrapper)


partial_uncached = functools.partial(step, enable_cache=False)

retrying = step(retry=StepRetryConfig(max_retries=2))


def tracked(name):
    def decorate(fn):
        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            return fn(*args, **kwargs)

        return step(name=name)(wrapper)

    return decorate


def registered(fn):
    return step(fn)


def updated(fn):
    def wrapper(*args, **kwargs):
        return fn(*args, **kwargs)

    functools.update_wrapper(wrapper, fn)
    return step(wrapper)


def layered(fn):
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        return fn(*args, **kwargs)

    return traced(wrapper)
"""


def project(steps: str, pipeline: str) -> dict[str, str]:
    """The decorators in ``lib/deco.py``, steps in ``lib/steps.py``, pipelines in ``pipe.py``."""
    return {
        "lib/__init__.py": "",
        "lib/deco.py": DECORATORS,
        "lib/steps.py": "from typing import Annotated, Tuple\n\n" + steps,
        "pipe.py": "from zenml import pipeline\n\n" + pipeline,
    }


def twice(decorator: str, imported: str, marker: str = "# expect: ZL001") -> dict[str, str]:
    """A step made by ``decorator`` (from ``lib.deco``), called twice with other inputs."""
    return project(
        f"""
from lib.deco import {imported}

@{decorator}
def clean(rows: list) -> Annotated[list, "cleaned"]:
    return rows
""",
        f"""
from lib.steps import clean

@pipeline
def training():
    clean([1])
    clean([2])  {marker}
""",
    )


# ---------------------------------------------------------------- steps through wrappers

COLLISIONS = [
    pytest.param(twice("traced", "traced"), id="wraps-wrapper"),
    pytest.param(twice("zn_traced", "zn_traced"), id="return-zenml-step"),
    pytest.param(twice("uncached", "uncached"), id="step-with-options-of-wrapper"),
    pytest.param(twice("partial_uncached", "partial_uncached"), id="functools-partial"),
    pytest.param(twice("retrying", "retrying"), id="name-bound-to-step-call"),
    pytest.param(twice('tracked("clean_rows")', "tracked"), id="decorator-factory"),
    pytest.param(twice("registered", "registered"), id="step-of-the-function-itself"),
    pytest.param(twice("updated", "updated"), id="functools-update-wrapper"),
    pytest.param(twice("layered", "layered"), id="wrapper-of-a-wrapper-decorator"),
    pytest.param(twice("deco.traced", "deco\nfrom lib import deco"), id="module-attribute"),
    pytest.param(
        project(
            """
from lib.deco import traced

@traced
def split(rows: list) -> Tuple[Annotated[list, "train"], Annotated[list, "test"]]:
    return rows, rows
""",
            """
from lib.steps import split

@pipeline
def training():
    split([1])
    split([2])  # expect: ZL001
""",
        ),
        id="tuple-outputs-of-the-wrapped-function",
    ),
    pytest.param(
        project(
            """
from lib.deco import traced

def _clean(rows: list) -> Annotated[list, "cleaned"]:
    return rows

clean = traced(_clean)
""",
            """
from lib.steps import clean

@pipeline
def training():
    clean([1])
    clean([2])  # expect: ZL001
""",
        ),
        id="decorator-called-on-a-function",
    ),
]

NO_COLLISION = [
    pytest.param(
        {
            "deco.py": """
import functools

def step(fn):
    return fn

def traced(fn):
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        return fn(*args, **kwargs)

    return step(wrapper)
""",
            "pipe.py": """
from typing import Annotated
from zenml import pipeline
from deco import traced

@traced
def clean(rows: list) -> Annotated[list, "cleaned"]:
    return rows

@pipeline
def training():
    clean([1])
    clean([2])
""",
        },
        id="a-step-of-the-projects-own-is-not-zenml",
    ),
    pytest.param(
        {
            "deco.py": """
import functools

def logged(fn):
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        return fn(*args, **kwargs)

    return wrapper
""",
            "pipe.py": """
from typing import Annotated
from zenml import pipeline
from deco import logged

@logged
def clean(rows: list) -> Annotated[list, "cleaned"]:
    return rows

@pipeline
def training():
    clean([1])
    clean([2])
""",
        },
        id="a-decorator-that-makes-no-step",
    ),
]


@pytest.mark.parametrize("sources", COLLISIONS)
def test_repeated_calls_collide(check, sources: dict[str, str]) -> None:  # type: ignore[no-untyped-def]
    assert check(sources, select=["ZL001"]) == expected_markers(sources)


@pytest.mark.parametrize("sources", NO_COLLISION)
def test_not_a_step(check, sources: dict[str, str]) -> None:  # type: ignore[no-untyped-def]
    assert check(sources, select=["ZL001"]) == []


CACHE = [
    pytest.param(twice("traced", "traced", "# expect: ZL008"), id="cached-by-default"),
    pytest.param(twice("uncached", "uncached", ""), id="cache-off-in-the-wrapper"),
    pytest.param(twice("partial_uncached", "partial_uncached", ""), id="cache-off-in-the-partial"),
]


@pytest.mark.parametrize("sources", CACHE)
def test_options_of_the_wrapper_apply(check, sources: dict[str, str]) -> None:  # type: ignore[no-untyped-def]
    same_inputs = {path: text.replace("clean([2])", "clean([1])") for path, text in sources.items()}
    assert check(same_inputs, select=["ZL008"]) == expected_markers(same_inputs)


def test_a_decorator_factory_names_the_step(check) -> None:  # type: ignore[no-untyped-def]
    """``@tracked("clean_rows")`` names the step: its first call's id is ``clean_rows``."""
    sources = project(
        """
from lib.deco import tracked

@tracked("clean_rows")
def clean(rows: list) -> list:
    return rows
""",
        """
from lib.steps import clean

@pipeline
def training():
    clean([1])
    clean([2], id="clean_rows")  # expect: ZL003
""",
    )
    assert check(sources, select=["ZL003"]) == expected_markers(sources)


def test_configured_step_decorators_still_work(check) -> None:  # type: ignore[no-untyped-def]
    sources = {
        "pyproject.toml": """
[project]
name = "sample"

[tool.zlint]
step-decorators = ["tools.tracing.opaque_step"]
""",
        "tools/__init__.py": "",
        "tools/tracing.py": """
def opaque_step(fn):
    return _REGISTRY.make(fn)
""",
        "pipe.py": """
from typing import Annotated
from zenml import pipeline
from tools.tracing import opaque_step

@opaque_step
def clean(rows: list) -> Annotated[list, "cleaned"]:
    return rows

@pipeline
def training():
    clean([1])
    clean([2])  # expect: ZL001
""",
    }
    assert check(sources, select=["ZL001"]) == expected_markers(sources)


# ------------------------------------------------------------------------------ ZL004

WRAPPER_STEPS_LOAD = [
    pytest.param(twice(decorator, imported, ""), id=name)
    for name, decorator, imported in [
        ("wraps-wrapper", "traced", "traced"),
        ("return-zenml-step", "zn_traced", "zn_traced"),
        ("step-with-options", "uncached", "uncached"),
        ("decorator-factory", 'tracked("clean_rows")', "tracked"),
        ("step-of-the-function-itself", "registered", "registered"),
        ("update-wrapper", "updated", "updated"),
        ("wrapper-of-a-wrapper", "layered", "layered"),
    ]
]


@pytest.mark.parametrize("sources", WRAPPER_STEPS_LOAD)
def test_wrapper_made_steps_are_not_unloadable(check, sources: dict[str, str]) -> None:  # type: ignore[no-untyped-def]
    """``functools.wraps`` copies ``__module__`` and ``__name__``: ZenML loads the step
    from the decorated function's module (a fresh process loads it), not the wrapper's."""
    assert check(sources, select=["ZL004"]) == []


def unwrapped(body: str, *, factory: bool = False) -> dict[str, str]:
    """A decorator in ``deco.py`` that hands ``step`` a wrapper without ``wraps``."""
    if factory:
        decorator = f"""
from zenml import step

def tracked(name):
    def decorate(fn):
{body}
        return step(name=name)(wrapper)  # expect: ZL004

    return decorate
"""
    else:
        decorator = f"""
from zenml import step

def traced(fn):
{body}
    return step(wrapper)  # expect: ZL004
"""
    return {"deco.py": decorator}


NOT_LOADABLE = [
    pytest.param(
        unwrapped("    def wrapper(rows: list) -> list:\n        return fn(rows)\n"),
        id="wrapper-without-wraps",
    ),
    pytest.param(
        unwrapped("    def wrapper(*args, **kwargs):\n        return fn(*args, **kwargs)\n"),
        id="star-args-wrapper-without-wraps",
    ),
    pytest.param(
        unwrapped(
            "        def wrapper(*args, **kwargs):\n            return fn(*args, **kwargs)\n",
            factory=True,
        ),
        id="decorator-factory-without-wraps",
    ),
]


@pytest.mark.parametrize("sources", NOT_LOADABLE)
def test_wrapper_without_wraps_is_unloadable(check, sources: dict[str, str]) -> None:  # type: ignore[no-untyped-def]
    assert check(sources, select=["ZL004"]) == expected_markers(sources)


def test_the_message_says_why(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_project(
        tmp_path,
        unwrapped("    def wrapper(rows: list) -> list:\n        return fn(rows)\n"),
    )
    main(["check", str(tmp_path), "--select", "ZL004", "--output-format", "concise", "--no-cache"])
    out = capsys.readouterr().out
    assert "without `functools.wraps(fn)`" in out
    assert "named `wrapper`" in out and "`deco.wrapper`" in out


# Steps made inside functions: reported only when a pipeline may run them.

HEADER = """
import functools
from typing import Annotated

import pytest
from zenml import pipeline, step
from zenml.steps import BaseStep


def traced(fn):
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        return fn(*args, **kwargs)

    return step(wrapper)
"""


def in_tests(body: str) -> dict[str, str]:
    return {"tests/test_steps.py": HEADER + body}


INSPECTED_ONLY = [
    pytest.param(
        in_tests("""
def test_name():
    @step
    def inner(x: int) -> int:
        return x

    assert inner.name == "inner"
    assert isinstance(inner, BaseStep)
"""),
        id="name-and-type",
    ),
    pytest.param(
        in_tests("""
def test_options():
    @step(enable_cache=False)
    def inner(x: int) -> int:
        return x

    copy = inner.with_options(enable_cache=True)
    assert copy.configuration.enable_cache
    inner.configure(enable_cache=True)
"""),
        id="configured-copies",
    ),
    pytest.param(
        in_tests("""
def test_direct_calls():
    @step
    def inner(x: int) -> int:
        return x + 1

    assert inner(1) == 2
    assert inner.entrypoint(2) == 3
"""),
        id="called-outside-any-pipeline",
    ),
    pytest.param(
        in_tests("""
def test_refused():
    with pytest.raises(RuntimeError):

        @step
        def inner(id: int) -> None:
            pass
"""),
        id="defined-under-pytest-raises",
    ),
    pytest.param(
        in_tests("""
def test_wrapped():
    @traced
    def inner(x: int) -> Annotated[int, "out"]:
        return x

    assert inner.name == "inner"
"""),
        id="made-by-a-wrapper-decorator",
    ),
    pytest.param(
        in_tests("""
def test_prepared():
    @step
    def inner() -> int:
        return 1

    @pipeline
    def local():
        inner()

    local.prepare()
    assert len(local.invocations) == 1
"""),
        id="pipeline-compiled-not-run",
    ),
    pytest.param(
        in_tests("""
def test_list():
    made = []
    for n in range(2):
        made.append(step(lambda: n))
    steps = [step(print)]
    assert len(made) == 2 and steps
"""),
        id="kept-in-a-local-list",
    ),
    pytest.param(
        in_tests("""
def helper(x: int) -> int:
    @step
    def inner(x: int) -> int:
        return x

    return inner.entrypoint(x)
"""),
        id="helper-no-pipeline-calls",
    ),
]

RUN_OR_ESCAPE = [
    pytest.param(
        in_tests("""
def test_run():
    @step
    def inner() -> int:  # expect: ZL004
        return 1

    @pipeline
    def local():
        inner()

    local()
"""),
        id="run-by-a-pipeline-defined-there",
    ),
    pytest.param(
        in_tests("""
def test_run_wrapped():
    @traced
    def inner() -> int:  # expect: ZL004
        return 1

    @pipeline
    def local():
        inner()

    local.with_options(enable_cache=False)()
"""),
        id="wrapper-made-and-run-by-a-copy-of-the-pipeline",
    ),
    pytest.param(
        in_tests("""
@pytest.fixture
def made():
    @step
    def inner(x: int) -> int:  # expect: ZL004
        return x

    return inner
"""),
        id="returned-by-a-fixture",
    ),
    pytest.param(
        in_tests("""
def made():
    @step
    def inner(x: int) -> int:  # expect: ZL004
        return x

    yield inner
"""),
        id="yielded",
    ),
    pytest.param(
        in_tests("""
REGISTRY = []

def register():
    @step
    def inner(x: int) -> int:  # expect: ZL004
        return x

    REGISTRY.append(inner)
"""),
        id="stored-in-a-global-list",
    ),
    pytest.param(
        in_tests("""
class Holder:
    def make(self):
        @step
        def inner(x: int) -> int:  # expect: ZL004
            return x

        self.inner = inner
"""),
        id="stored-in-an-attribute",
    ),
    pytest.param(
        in_tests("""
made = None

def make():
    global made

    @step
    def inner(x: int) -> int:  # expect: ZL004
        return x

    made = inner
"""),
        id="bound-to-a-global",
    ),
    pytest.param(
        in_tests("""
def make(run):
    @step
    def inner(x: int) -> int:  # expect: ZL004
        return x

    run(inner)
"""),
        id="passed-to-another-function",
    ),
    pytest.param(
        in_tests("""
def make():
    @step
    def inner(x: int) -> int:  # expect: ZL004
        return x

    steps = {"inner": inner}
    return steps
"""),
        id="returned-in-a-local-container",
    ),
    pytest.param(
        in_tests("""
@pipeline
def body_defines():
    @step
    def inner() -> int:  # expect: ZL004
        return 1

    inner()
"""),
        id="made-and-called-in-a-pipeline-body",
    ),
    pytest.param(
        in_tests("""
def helper():
    @step
    def inner() -> int:  # expect: ZL004
        return 1

    inner()

@pipeline
def uses_helper():
    helper()  # expect: ZL004
"""),
        id="made-and-called-in-a-helper-a-pipeline-calls",
    ),
]


@pytest.mark.parametrize("sources", INSPECTED_ONLY)
def test_steps_no_pipeline_runs_are_not_reported(check, sources: dict[str, str]) -> None:  # type: ignore[no-untyped-def]
    assert check(sources, select=["ZL004"]) == []


@pytest.mark.parametrize("sources", RUN_OR_ESCAPE)
def test_steps_that_run_or_escape_are_reported(check, sources: dict[str, str]) -> None:  # type: ignore[no-untyped-def]
    assert check(sources, select=["ZL004"]) == expected_markers(sources)


def test_reserved_parameters_through_a_wrapper(check) -> None:  # type: ignore[no-untyped-def]
    """ZenML reads the wrapped signature (``__wrapped__``): ``id`` is refused on import."""
    sources = project(
        """
from lib.deco import traced

@traced
def load(id: int) -> list:  # expect: ZL010
    return [id]

def _plain(after: int) -> list:  # expect: ZL010
    return [after]

plain = traced(_plain)
""",
        "",
    )
    # Names with no "step" in them, defined in another module: found by following imports.
    sources["lib/more.py"] = """
from lib.deco import partial_uncached, retrying, tracked

@retrying
def fetch(after: int) -> list:  # expect: ZL010
    return [after]

@tracked("scored")
def score(id: int) -> float:  # expect: ZL010
    return 1.0

@partial_uncached
def sample(id: int) -> list:  # expect: ZL010
    return [id]
"""
    assert check(sources, select=["ZL010"]) == expected_markers(sources)


def test_inner_steps_made_with_an_imported_decorator(check) -> None:  # type: ignore[no-untyped-def]
    """``@retrying`` (no "step" in its name, bound in another module) inside test functions:
    reported when it leaves the function, silent when it is only inspected."""
    sources = project(
        """
from lib.deco import retrying

def test_inspects():
    @retrying
    def inner(x: int) -> int:
        return x

    assert inner.name == "inner"

def made():
    @retrying
    def inner(x: int) -> int:  # expect: ZL004
        return x

    return inner
""",
        "",
    )
    assert check(sources, select=["ZL004"]) == expected_markers(sources)


def test_a_step_of_a_top_level_function_made_in_a_function(check) -> None:  # type: ignore[no-untyped-def]
    """``step(fn)`` inside a function, where ``fn`` is defined at the top level of its
    module: ZenML loads it from there, as it would a ``@step`` function."""
    sources = in_tests("""
def plain(x: int) -> int:
    return x

def make():
    def unrelated():
        return 1

    return step(plain)
""")
    assert check(sources, select=["ZL004"]) == []
