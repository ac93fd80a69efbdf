"""The second, syntax-aware look at files whose text matched a hint (zlint/code_facts.py).

It may only drop what no rule can find anything in: prose, comments, docstrings, and
calls on receivers no rule can resolve. The last test checks exactly that on every
fixture project: the findings are the same with and without it.
"""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest

from zlint import cli
from zlint.fastpath import code_facts, prefilter
from zlint.fastpath.prefilter import POSITIONAL_METHOD, ZENML_SYNTAX, Prefilter, calls

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
ZL014 = (f"{POSITIONAL_METHOD}list_artifact_versions",)


def wants(text: str, hints: tuple[str, ...]) -> bool:
    return Prefilter().wants(textwrap.dedent(text), hints)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            '''\
            def run(p):
                """Use it like this:

                    @pipeline
                    def my_pipeline(): ...
                """
            ''',
            False,
            id="decorator-in-docstring",
        ),
        pytest.param(
            '''\
            """Compiles the
            Kubeflow pipeline (with the SDK) and submits it."""
            ''',
            False,
            id="call-like-prose-in-docstring",
        ),
        pytest.param("def run(s: BaseStep) -> None: ...\n", False, id="base-step-annotation"),
        pytest.param("class Runner:\n    def run(self):\n        self._step = step\n", False),
        pytest.param("class S(BaseStep):\n    pass\n", True, id="base-step-subclass"),
        pytest.param("class S(steps.BaseStep):\n    pass\n", True, id="dotted-base-step"),
        pytest.param("class S(Base):\n    def entrypoint(self): ...\n", True, id="entrypoint"),
        pytest.param("@step\ndef f(): ...\n", True, id="decorator"),
        pytest.param("@dsl.pipeline(name='x')\ndef f(): ...\n", True, id="other-libraries-too"),
        pytest.param("def make():\n    return step(f)\n", True, id="call"),
        pytest.param("import zenml as zn\nf = zn.step(g)\n", True, id="module-alias-call"),
        pytest.param("make = zenml.step\n", True, id="module-level-alias"),
        pytest.param("from zenml import (\n    step as make,\n)\n", True, id="import-alias"),
        pytest.param("@registry['step']\ndef f(): ...\n", True, id="odd-decorator-kept"),
        pytest.param("@step\ndef f(:\n", True, id="syntax-error-trusts-text"),
        pytest.param("@step\n\n# note\ndef f(): ...\n", True, id="decorator-lines-above-def"),
        pytest.param("x = 1\r\n\r\n@step\rdef f(): ...\r\n", True, id="mixed-line-ends"),
        pytest.param(
            "class S(\n    Base,\n    BaseStep,\n):\n    pass\n", True, id="bases-over-lines"
        ),
        pytest.param('s = """\n@step\n"""\n', False, id="decorator-in-string"),
    ],
)
def test_zenml_syntax_is_code_not_prose(text: str, expected: bool) -> None:
    assert wants(text, (ZENML_SYNTAX,)) is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("Client().list_artifact_versions('x')\n", True, id="client-call"),
        pytest.param("c = Client()\ndef f():\n    c.list_artifact_versions('x')\n", True),
        pytest.param("def f(c: Client):\n    c.list_artifact_versions('x')\n", True),
        pytest.param(
            "def f(c: zenml.client.Client):\n    c.list_artifact_versions('x')\n",
            True,
            id="dotted-annotation",
        ),
        pytest.param(
            "def f(self):\n    def g():\n        self.list_artifact_versions('x')\n",
            True,
            id="enclosing-functions-parameter-kept",
        ),
        pytest.param(
            "def f(self, c=self.list_artifact_versions('x')): ...\n",
            True,
            id="default-runs-outside",
        ),
        pytest.param(
            "def f(c):\n    return [c.list_artifact_versions('x') for c in clients]\n",
            True,
            id="comprehension-rebinds",
        ),
        pytest.param(
            "class C:\n    def f(self):\n        return self.list_artifact_versions('x')\n",
            False,
            id="self",
        ),
        pytest.param(
            "class C:\n    def f(self):\n        self.store.list_artifact_versions('x')\n",
            False,
            id="attribute-of-self",
        ),
        pytest.param("def f(c):\n    c.list_artifact_versions('x')\n", False, id="unannotated"),
        pytest.param(
            "def f(c: 'Client'):\n    c.list_artifact_versions('x')\n",
            False,
            id="string-annotation",
        ),
        pytest.param("f = lambda c: c.list_artifact_versions('x')\n", False, id="lambda"),
        pytest.param("clients[0].list_artifact_versions('x')\n", False, id="subscript"),
        pytest.param('"""c.list_artifact_versions("x")"""\n', False, id="docstring"),
    ],
)
def test_positional_method_receivers(text: str, expected: bool) -> None:
    assert wants(text, ZL014) is expected


def test_call_hints_need_a_real_call() -> None:
    hints = calls("log_artifact_metadata")
    assert wants("log_artifact_metadata(metadata={})\n", hints)
    assert wants("zenml.log_artifact_metadata(metadata={})\n", hints)
    assert wants("from zenml import log_artifact_metadata as log\nlog({})\n", hints)
    assert not wants('"""Replaces\nlog_artifact_metadata(...) calls."""\n', hints)


def test_ast_parse_of_deep_nesting_does_not_crash() -> None:
    # CPython's compiler recurses on the C stack: under zlint's high recursion limit an
    # unguarded parse of this crashes the interpreter.
    text = "@step\ndef f():\n    return " + "1 + " * 100_000 + "1\n"
    assert code_facts.code_facts(text, ("step",), ("zenml",), ("step",)) is None
    assert Prefilter().wants(text, (ZENML_SYNTAX,))


def _report(project: Path, capsys: pytest.CaptureFixture[str]) -> object:
    argv = ["check", str(project), "--select", "ALL", "--output-format", "json"]
    argv += ["--exit-zero", "--no-cache"]
    assert cli.main(argv) == 0
    return json.loads(capsys.readouterr().out)


@pytest.mark.parametrize("project", sorted(p.name for p in FIXTURES.iterdir() if p.is_dir()))
def test_fixture_findings_do_not_depend_on_the_second_look(
    project: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    with_facts = _report(FIXTURES / project, capsys)
    monkeypatch.setattr(prefilter, "code_facts", lambda *args: None)
    assert _report(FIXTURES / project, capsys) == with_facts
