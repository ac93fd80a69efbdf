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

import pytest
from conftest import expected_markers

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
