"""What zlint lets go of during a run must not change what it reports.

The rules' context keeps LibCST's position maps of only the last few modules (``POSITION_MAPS``),
and plain literals are read without ``ast.literal_eval`` (see ``cst_utils.literal_string``).
"""

from __future__ import annotations

import ast
import os
from pathlib import Path

import libcst as cst
import pytest

from zlint.cli import main
from zlint.model import cst_utils
from zlint.model.modules import build_module_info
from zlint.rules import base

FIXTURES = Path(__file__).parent.parent / "fixtures"
PROJECTS = sorted(p for p in FIXTURES.iterdir() if (p / "pyproject.toml").is_file())


def _json_output(project: Path, capsys: pytest.CaptureFixture[str]) -> str:
    cwd = Path.cwd()
    os.chdir(project)
    try:
        main(["check", "--output-format", "json", "--exit-zero", "--no-cache"])
    finally:
        os.chdir(cwd)
    return capsys.readouterr().out


@pytest.mark.parametrize("project", PROJECTS, ids=lambda p: p.name)
def test_output_is_the_same_when_every_position_map_is_dropped_at_once(
    project: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(base, "POSITION_MAPS", 10_000)
    kept = _json_output(project, capsys)
    monkeypatch.setattr(base, "POSITION_MAPS", 1)
    assert _json_output(project, capsys) == kept


def test_spans_outlive_the_position_maps(tmp_path: Path) -> None:
    """A span asked again after its module's map was dropped is the same span."""
    trees = {tmp_path / f"m{i}.py": cst.parse_module(f"x = {i}\n\ny = f({i})\n") for i in range(3)}
    modules = [build_module_info(path, path.stem, tree.code, tree) for path, tree in trees.items()]
    ctx = base.RuleContext(None, None, None, modules, [], None)  # type: ignore[arg-type]
    calls = [_only_call(m.tree) for m in modules]
    first = [ctx.span(m, call) for m, call in zip(modules, calls, strict=True)]
    again = [ctx.span(m, call) for m, call in zip(modules, calls, strict=True)]
    assert first == again
    assert [s.start.line for s in first] == [3, 3, 3]
    assert len(ctx._positions) <= base.POSITION_MAPS


def _only_call(tree: cst.Module | None) -> cst.Call:
    assert tree is not None
    statement = tree.body[-1]
    assert isinstance(statement, cst.SimpleStatementLine)
    expr = statement.body[0]
    assert isinstance(expr, cst.Assign) and isinstance(expr.value, cst.Call)
    return expr.value


@pytest.mark.parametrize(
    "literal",
    [
        '""',
        "''",
        '""""""',
        "''''''",
        '"plain"',
        "'single'",
        '"it\'s"',
        "'say \"hi\"'",
        '"""a "quoted" word"""',
        "'''it's'''",
        '""""starts with a quote"""',
        '"""two\nlines"""',
        '"""two\r\nlines"""',
        '"caf\u00e9 \u2603"',
        '"tab\\there"',
        '"\\\\"',
        '"{split}_data"',
        'r"raw\\d"',
        'u"unicode"',
        'R"RAW"',
    ],
)
def test_literal_string_reads_literals_as_python_does(literal: str) -> None:
    node = cst.parse_expression(literal)
    assert isinstance(node, cst.SimpleString)
    assert cst_utils.literal_string(node) == ast.literal_eval(literal)


@pytest.mark.parametrize("literal", ['b"bytes"', 'rb"raw"'])
def test_literal_string_is_none_for_bytes(literal: str) -> None:
    assert cst_utils.literal_string(cst.parse_expression(literal)) is None


@pytest.mark.parametrize(
    "literal", ["0", "00", "7", "1_000", "0x1F", "0o17", "0b101", "1.5", "2e3"]
)
def test_number_is_the_evaluated_value(literal: str) -> None:
    node = cst.parse_expression(literal)
    assert isinstance(node, (cst.Integer, cst.Float))
    value = cst_utils.number(node)
    assert value == ast.literal_eval(literal)
    assert type(value) is type(ast.literal_eval(literal))
