"""The rule reference in rules/ is generated from the rules' docstrings and must not drift;
each page's examples must behave as the page says."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import check_tree, write_project

from zlint import docs
from zlint.rules import registry
from zlint.rules.base import Rule

RULES_DIR = Path(__file__).parent.parent / "rules"
TESTS_DIR = Path(__file__).parent / "rules"


def test_rule_pages_are_up_to_date() -> None:
    expected = docs.expected_files()
    actual = {p.name: p.read_text(encoding="utf-8") for p in RULES_DIR.glob("*.md")}
    stale = sorted(
        name for name in expected.keys() | actual.keys() if expected.get(name) != actual.get(name)
    )
    assert not stale, f"rules/ is stale ({', '.join(stale)}): run `python -m zlint.docs`"


@pytest.mark.parametrize("rule", registry.RULES, ids=lambda r: r.code)
def test_docstring_has_every_section(rule: type[Rule]) -> None:
    body = docs.body(rule)
    for section in docs.REQUIRED_SECTIONS:
        assert f"## {section}\n" in body, f"{rule.code} lacks '## {section}'"


@pytest.mark.parametrize("rule", registry.RULES, ids=lambda r: r.code)
def test_rule_has_a_test_module(rule: type[Rule]) -> None:
    slug = rule.name.replace("-", "_")
    assert (TESTS_DIR / f"test_{rule.code.lower()}_{slug}.py").is_file()


def _codes_for(tmp_path: Path, source: str, rule: type[Rule]) -> list[str]:
    write_project(tmp_path, {"example.py": source})
    result = check_tree(tmp_path, select=[rule.code])
    assert not result.errors
    return [d.code for d in result.diagnostics]


@pytest.mark.parametrize("rule", registry.RULES, ids=lambda r: r.code)
def test_example_triggers_the_rule(rule: type[Rule], tmp_path: Path) -> None:
    examples = code_blocks(rule, "Example")
    assert examples, f"{rule.code} has no python example"
    for source in examples:
        assert rule.code in _codes_for(tmp_path, source, rule)


@pytest.mark.parametrize("rule", registry.RULES, ids=lambda r: r.code)
def test_use_instead_is_clean(rule: type[Rule], tmp_path: Path) -> None:
    examples = code_blocks(rule, "Use instead")
    assert examples, f"{rule.code} has no python 'Use instead' block"
    for source in examples:
        assert _codes_for(tmp_path, source, rule) == []


def test_readme_lists_every_rule() -> None:
    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    for rule in registry.RULES:
        assert rule.code in readme, f"README.md does not mention {rule.code}"


def test_rule_catalog_is_up_to_date() -> None:
    # Settings and output read rules from the catalog, so that a cached re-check never
    # imports the rule classes (and LibCST with them).
    assert docs.CATALOG.read_text(encoding="utf-8") == docs.render_catalog(), (
        "zlint/_catalog.py is stale: run `python -m zlint.docs`"
    )


def code_blocks(rule: type[Rule], section: str) -> list[str]:
    """The fenced ``python`` blocks of one docstring section."""
    text = docs.body(rule)
    start = text.find(f"## {section}\n")
    if start < 0:
        return []
    end = text.find("\n## ", start + 1)
    part = text[start : end if end >= 0 else len(text)]
    blocks: list[str] = []
    for chunk in part.split("```python\n")[1:]:
        blocks.append(chunk.split("```", 1)[0])
    return blocks
