"""Rendering a fix visits only the statements it touches; the text must be exactly what a
visit of the whole module and LibCST's import codemod on the whole module give."""

from __future__ import annotations

import random
from pathlib import Path

import libcst as cst
import pytest
from conftest import load_settings

from zlint import config, engine
from zlint.fixing import apply, cell_imports
from zlint.inputs import files
from zlint.inputs.embedded import is_embedded
from zlint.types import ImportEdit, NodeReplacement, TextEdit

FIXTURES = sorted(p for p in (Path(__file__).parent.parent / "fixtures").iterdir() if p.is_dir())


def _whole_module_rewrite(
    tree: cst.Module, replacements: list[NodeReplacement], imports: list[ImportEdit]
) -> str:
    mapping = {id(r.old): r.new for r in replacements}
    new_tree = tree.visit(apply._Replace(mapping)) if mapping else tree
    if imports and is_embedded(imports[0].path):
        # A notebook's imports go into the right cell (tests/test_safe_fixes.py).
        new_tree = cell_imports.add_imports(new_tree, imports, apply.add_imports_codemod)
    elif imports:
        new_tree = apply.add_imports_codemod(new_tree, imports)
    return new_tree.code


@pytest.mark.parametrize("fixture", FIXTURES, ids=[p.name for p in FIXTURES])
def test_every_fix_of_every_fixture_renders_as_a_whole_module_rewrite(fixture: Path) -> None:
    settings = config.with_overrides(load_settings(fixture), select=["ALL"])
    found = files.discover([fixture], settings)
    result = engine.check_project(settings, found.reported, found.project)
    assert result.project is not None
    for diagnostic in result.diagnostics:
        if diagnostic.fix is None:
            continue
        for path in diagnostic.fix.paths:
            module = result.project.module(path)
            assert module is not None and module.tree is not None
            mine = [r for r in diagnostic.fix.replacements if r.path == path]
            imports = [i for i in diagnostic.fix.imports if i.path == path]
            expected = _whole_module_rewrite(module.tree, mine, imports)
            assert apply.rewrite(module.tree, mine, imports) == expected
            with apply.remembering_rewrites():  # the layout and shared-head paths too
                apply.rewrite(module.tree, [], imports)
                assert apply.rewrite(module.tree, mine, imports) == expected
                assert apply.rewrite(module.tree, mine, imports) == expected


@pytest.mark.parametrize(
    "text",
    [
        pytest.param('"""Doc."""\nimport os\n\nX = 1\n\ndef f():\n    return X\n', id="head"),
        pytest.param("X = 1\n", id="no-imports"),
        pytest.param(
            "import os\n\ndef f():\n    import sys\n    return sys\n", id="nested-import-later"
        ),
        pytest.param("import os\nX = 1\nfrom zenml import step\nY = 2\n", id="two-blocks"),
        pytest.param("from zenml import log_metadata\nX = 1\n", id="already-imported"),
        pytest.param("from __future__ import annotations\n\nX = 1\n", id="future"),
    ],
)
def test_adding_an_import_matches_the_whole_module_codemod(text: str) -> None:
    tree = cst.parse_module(text)
    imports = [ImportEdit(Path("m.py"), "zenml", "log_metadata")]
    assert apply.rewrite(tree, [], imports) == _whole_module_rewrite(tree, [], imports)


def test_a_replacement_that_adds_an_import_below_the_head_moves_the_head() -> None:
    tree = cst.parse_module("import os\n\nX = 1\n\n\ndef f():\n    pass\n")
    function = tree.body[-1]
    assert isinstance(function, cst.FunctionDef)
    old = function.body.body[0]
    new = cst.parse_statement("import sys\n")
    replacements = [NodeReplacement(Path("m.py"), old, new)]
    imports = [ImportEdit(Path("m.py"), "zenml", "log_metadata")]
    expected = _whole_module_rewrite(tree, replacements, imports)
    with apply.remembering_rewrites():
        apply.rewrite(tree, [], imports)  # the original tree's head is remembered first
        assert apply.rewrite(tree, replacements, imports) == expected


def _applied(before: str, edits: tuple[TextEdit, ...]) -> str:
    lines = before.splitlines(keepends=True)
    for edit in reversed(edits):
        lines[edit.start.line - 1 : edit.end.line - 1] = [edit.content]
    return "".join(lines)


def test_text_edits_remake_the_new_text_and_stay_between_the_changes() -> None:
    """Seeded random edits of texts full of repeated lines (where alignments are many)."""
    rng = random.Random(7)
    vocab = ["a\n", "b\n", "\n", "    x\n", "c"]
    for _ in range(2000):
        old = [rng.choice(vocab[:4]) for _ in range(rng.randint(0, 30))]
        new = list(old)
        for _ in range(rng.randint(1, 4)):
            at = rng.randint(0, len(new))
            roll = rng.random()
            if roll < 0.4:
                new.insert(at, rng.choice(vocab[:4]))
            elif new:
                new[min(at, len(new) - 1) : min(at, len(new) - 1) + (roll < 0.7)] = (
                    [] if roll < 0.7 else [rng.choice(vocab[:4])]
                )
        if rng.random() < 0.2:
            new.append(vocab[4])  # no newline at the end
        before, after = "".join(old), "".join(new)
        edits = apply.text_edits(before, after)
        assert _applied(before, edits) == after
        first_change = next(
            (i for i, (a, b) in enumerate(zip(old, new, strict=False)) if a != b),
            min(len(old), len(new)),
        )
        assert all(edit.start.line > first_change for edit in edits)
