"""Large inputs are checked in time linear in their size, and correctly.

Rules and the pipeline walker used to compare every call with every earlier one (ZL002,
ZL008, the cache merging in ``model/flow.py``, automatic invocation ids) and to resolve every
prefix of an attribute chain anew: a pipeline of 2,000 step calls took about a minute. These
tests run such inputs and check the findings; they take a second or two each now, and would
take minutes again if a comparison of all pairs came back. (No timing assertion: a slow
machine must not fail them.) ``python tests/test_large_inputs.py OUT`` writes the inputs at
benchmark size into ``OUT`` for measuring.
"""

from __future__ import annotations

import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import check_tree, findings, write_project

STEPS = 5


def many_calls(calls: int) -> str:
    """One pipeline calling a few steps ``calls`` times with different literals, then two
    steps that write one name (ZL002) and a call repeating the first one (ZL008)."""
    lines = ["from typing import Annotated", "", "from zenml import pipeline, step", ""]
    for k in range(STEPS):
        lines += ["", "@step", f"def s{k}(x: int) -> int:", "    return x", ""]
    for name in ("shared_a", "shared_b"):
        lines += ["", "@step", f'def {name}(x: int) -> Annotated[int, "shared"]:']
        lines += ["    return x", ""]
    lines += ["", "@pipeline", "def big():"]
    lines += [f"    s{i % STEPS}({i})" for i in range(calls)]
    lines += ["    shared_a(1)", "    shared_b(2)  # ZL002", "    s0(0)  # ZL008"]
    return "\n".join(lines) + "\n"


def deep_attribute(depth: int) -> str:
    """A pipeline using an attribute chain ``a.b0.b1...`` ``depth`` long."""
    chain = "a" + "".join(f".b{i}" for i in range(depth))
    return textwrap.dedent(
        f"""\
        from typing import Annotated

        from zenml import pipeline, step


        @step
        def clean(x: int) -> Annotated[int, "cleaned"]:
            return x


        @pipeline
        def deep():
            value = {chain}
            {chain}(value)
            clean(1)
            clean(2)  # ZL001
        """
    )


def many_steps(steps: int) -> str:
    """``steps`` steps in one module, each with its own output name, each called once by
    one pipeline."""
    lines = ["from typing import Annotated", "", "from zenml import pipeline, step", ""]
    for i in range(steps):
        lines += ["", "@step", f'def s{i}(x: int) -> Annotated[int, "out_{i}"]:']
        lines += ["    return x", ""]
    lines += ["", "@pipeline", "def wide():"] + [f"    s{i}({i})" for i in range(steps)]
    return "\n".join(lines) + "\n"


def _marked(text: str) -> list[tuple[str, int, str]]:
    return [
        ("big.py", number, line.rsplit("# ", 1)[1])
        for number, line in enumerate(text.splitlines(), 1)
        if line.rstrip().endswith(("# ZL001", "# ZL002", "# ZL008"))
    ]


@pytest.fixture(autouse=True)
def cli_recursion_limit() -> Iterator[None]:
    """What ``zlint.cli.main`` sets for LibCST's visitors on deep code."""
    previous = sys.getrecursionlimit()
    sys.setrecursionlimit(max(previous, 20_000))
    yield
    sys.setrecursionlimit(previous)


def test_a_pipeline_with_2000_calls(tmp_path: Path) -> None:
    text = many_calls(2_000)
    write_project(tmp_path, {"big.py": text})
    assert findings(check_tree(tmp_path), tmp_path) == _marked(text)
    assert len(_marked(text)) == 2


def test_a_500_deep_attribute_chain_in_a_pipeline(tmp_path: Path) -> None:
    text = deep_attribute(500)
    write_project(tmp_path, {"big.py": text})
    assert findings(check_tree(tmp_path), tmp_path) == _marked(text)


def test_2000_steps_in_one_module(tmp_path: Path) -> None:
    write_project(tmp_path, {"big.py": many_steps(2_000)})
    assert findings(check_tree(tmp_path), tmp_path) == []


if __name__ == "__main__":
    out = Path(sys.argv[1])
    for name, text in (
        ("calls_2000", many_calls(2_000)),
        ("deep_500", deep_attribute(500)),
        ("steps_2000", many_steps(2_000)),
    ):
        (out / name).mkdir(parents=True, exist_ok=True)
        (out / name / "pyproject.toml").write_text("[project]\nname = 'big'\n", "utf-8")
        (out / name / "big.py").write_text(text, "utf-8")
