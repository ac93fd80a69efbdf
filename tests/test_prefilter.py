"""The text tests that decide which files get a LibCST tree (zlint/prefilter.py).

They must be necessary conditions: every file a rule can find something in passes them.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import check_tree, findings, write_project

from zlint.fastpath.prefilter import POSITIONAL_METHOD, ZENML_SYNTAX, Prefilter, calls, may_call

SYNTAX = [
    pytest.param("@step\ndef f(): ...\n", True, id="decorator"),
    pytest.param("@zenml.pipeline(enable_cache=False)\ndef p(): ...\n", True, id="dotted-call"),
    pytest.param("@ step\ndef f(): ...\n", True, id="spaced-decorator"),
    pytest.param("@tracked_step\ndef f(): ...\n", True, id="name-containing-step"),
    pytest.param("f = step(g)\n", True, id="call"),
    pytest.param("from zenml import step as make\n", True, id="alias"),
    pytest.param("make = zenml.step\n", True, id="assignment"),
    pytest.param("class S(BaseStep):\n    pass\n", True, id="base-step"),
    pytest.param("class S(Tracked):\n    def entrypoint(self): ...\n", True, id="entrypoint"),
    pytest.param("@step\r\ndef f(): ...\r\n", True, id="crlf"),
    pytest.param("x = 1\r@step\rdef f(): ...\r", True, id="cr-only"),
    pytest.param("from zenml import step\n", False, id="import-alone"),
    pytest.param("# @step\nx = 1\n", False, id="commented-decorator"),
    pytest.param("x = get_step(1)\n", False, id="other-name-call"),
    pytest.param("steps = 1\n", False, id="longer-word"),
    pytest.param('"""Run the step and the pipeline."""\n', False, id="prose"),
    pytest.param("x = 1  # step(\n", False, id="call-in-comment"),
    pytest.param("import zenml as zn\nf = zn.step(g)\n", True, id="module-alias-call"),
    pytest.param("    def step(self) -> int: ...\n", False, id="method-named-step"),
    pytest.param("pipe = client.pipeline(transaction=False)\n", False, id="other-objects-method"),
    pytest.param("def f(step):\n    self._step = step\n", False, id="local-assignment"),
    pytest.param('log("the failed step(s)")\n', False, id="call-in-string"),
    pytest.param('"""Deploy a pipeline as a container."""\n', False, id="alias-in-prose"),
    pytest.param("@runs_pipeline_router.post('/')\ndef f(): ...\n", False, id="other-decorator"),
    pytest.param("from zenml import (\n    step as make,\n)\n", True, id="parenthesized-alias"),
]


@pytest.mark.parametrize(("text", "expected"), SYNTAX)
def test_step_syntax(text: str, expected: bool) -> None:
    assert Prefilter().wants(text, (ZENML_SYNTAX,)) is expected


def test_configured_decorators_count_as_step_syntax() -> None:
    assert not Prefilter().wants("@track\ndef f(): ...\n", (ZENML_SYNTAX,))
    assert Prefilter(["mylib.track"]).wants("@track\ndef f(): ...\n", (ZENML_SYNTAX,))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("def make():\n    @step\n    def f(): ...\n", True, id="nested-decorator"),
        pytest.param("def make():\n    return step(f)\n", True, id="nested-call"),
        pytest.param("@step\ndef f(): ...\n", False, id="top-level-step"),
    ],
)
def test_steps_made_inside_functions(text: str, expected: bool) -> None:
    assert Prefilter().makes_steps_in_functions(text) is expected


FACTORY = """
from typing import Annotated
from zenml import step

def make_loader(
    name: str,
):
    @step
    def load() -> Annotated[int, "rows"]:
        return 1
    return load
"""


@pytest.mark.parametrize(
    "sources",
    [
        pytest.param(
            {
                "factories.py": FACTORY,
                "use.py": "from factories import make_loader\nx = make_loader('a')\n",
            },
            id="direct",
        ),
        pytest.param(
            {
                "pkg/__init__.py": "from .factories import make_loader\n",
                "pkg/factories.py": FACTORY,
                "use.py": "from pkg import make_loader\nx = make_loader('a')\n",
            },
            id="through-a-package-re-export",
        ),
        pytest.param(
            {
                "pkg/__init__.py": "from .factories import make_loader as build\n",
                "pkg/factories.py": FACTORY,
                "use.py": "from pkg import build\nx = build('a')\n",
            },
            id="re-exported-under-another-name",
        ),
        pytest.param(
            {
                "factories.py": FACTORY,
                "use.py": "import factories\nx = factories.make_loader('a')\n",
            },
            id="module-import",
        ),
    ],
)
def test_a_factory_call_in_a_file_without_step_syntax_is_still_found(
    tmp_path: Path, sources: dict[str, str]
) -> None:
    write_project(tmp_path, sources)
    found = findings(check_tree(tmp_path, ["use.py"], select=["ZL004"]), tmp_path)
    assert [(path, code) for path, _, code in found] == [("use.py", "ZL004")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("x = log_step_metadata({})\n", True, id="call"),
        pytest.param("x = zenml.log_step_metadata (\n  {})\n", True, id="spaced-call"),
        pytest.param("from zenml import log_step_metadata as lsm\n", True, id="import-alias"),
        pytest.param("f = zenml.log_step_metadata\n", True, id="assigned-alias"),
        pytest.param("def log_step_metadata(x):\n    pass\n", False, id="definition"),
        pytest.param("from zenml import log_step_metadata\n", False, id="plain-import"),
        pytest.param('"""Call `log_step_metadata` no more."""\n', False, id="prose"),
        pytest.param("x = log_step_metadata_v2()\n", False, id="longer-name"),
    ],
)
def test_may_call(text: str, expected: bool) -> None:
    assert may_call(text, ["log_step_metadata"]) is expected


def test_call_hints_skip_definitions_and_prose() -> None:
    hints = calls("list_artifact_versions")
    chooser = Prefilter()
    assert chooser.wants("versions = client.list_artifact_versions('x')\n", hints)
    assert not chooser.wants("def list_artifact_versions(self): ...\n", hints)
    assert not chooser.wants('"""See `list_artifact_versions`."""\n', hints)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("Client().list_artifact_versions('x')\n", True, id="positional"),
        pytest.param("c.list_artifact_versions(\n    name,\n)\n", True, id="positional-next-line"),
        # ZL014 never reports an unpacked first argument (its `_first_positional`).
        pytest.param("c.list_artifact_versions(*args)\n", False, id="star-args"),
        pytest.param("c.list_artifact_versions(name='x')\n", False, id="keyword"),
        pytest.param("c.list_artifact_versions()\n", False, id="no-arguments"),
        pytest.param("c.list_artifact_versions(**kwargs)\n", False, id="keyword-unpacking"),
        pytest.param("list_artifact_versions('x')\n", False, id="plain-function"),
        pytest.param("lav = c.list_artifact_versions\nlav('x')\n", False, id="alias"),
    ],
)
def test_positional_method_hint(text: str, expected: bool) -> None:
    hints = (f"{POSITIONAL_METHOD}list_artifact_versions",)
    assert Prefilter().wants(text, hints) is expected
