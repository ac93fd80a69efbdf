"""The package's shape: no import circles, stages that depend only downstream, and
ARCHITECTURE.md naming every package and top-level module.

The import graph is built with ``ast`` from every ``import`` in zlint's sources: at module
level, inside functions and under ``if TYPE_CHECKING:`` alike. Importing ``a.b.c`` runs the
``__init__`` of ``a`` and ``a.b`` too, so those count as edges.
"""

from __future__ import annotations

import ast
import functools
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "zlint"

#: Circles of two modules kept on purpose, with the reason. Any other circle fails.
ALLOWED_PAIRS: dict[frozenset[str], str] = {}

#: What each stage may import (besides the shared top-level modules in ``SHARED``).
#: Read: modules under the key import nothing from the stages that are not listed.
STAGE_IMPORTS: dict[str, frozenset[str]] = {
    "zlint.inputs": frozenset(),
    "zlint.fastpath": frozenset({"zlint.inputs", "zlint.model"}),
    "zlint.model": frozenset({"zlint.inputs"}),
    "zlint.fixes": frozenset({"zlint.inputs", "zlint.model", "zlint.fastpath", "zlint.rules"}),
    "zlint.suppress": frozenset({"zlint.inputs", "zlint.model", "zlint.fastpath", "zlint.rules"}),
    # SARIF carries every rule's documentation (imported only when SARIF is written).
    "zlint.formats": frozenset({"zlint.inputs", "zlint.docs", "zlint.rules"}),
}
#: The few modules at the top level that every stage may use.
SHARED = frozenset({"zlint", "zlint.types", "zlint.catalog", "zlint._catalog", "zlint.config"})
SHARED_BY_STAGES = SHARED | {"zlint.results"}


def module_names() -> dict[str, Path]:
    names: dict[str, Path] = {}
    for path in PACKAGE.rglob("*.py"):
        parts = list(path.relative_to(ROOT).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        names[".".join(parts)] = path
    return names


def _imported(name: str, path: Path) -> Iterator[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                module = ".".join([*base, *([node.module] if node.module else [])])
            else:
                module = node.module or ""
            yield module
            yield from (f"{module}.{alias.name}" for alias in node.names)


@functools.cache
def import_graph() -> dict[str, set[str]]:
    names = module_names()

    def resolve(target: str) -> str | None:
        while target and target not in names:
            target = target.rpartition(".")[0]
        return target or None

    graph: dict[str, set[str]] = {name: set() for name in names}
    for name, path in names.items():
        for target in _imported(name, path):
            if not target.startswith("zlint"):
                continue
            found = resolve(target)
            if found is None:
                continue
            parts = found.split(".")
            # The module itself and the __init__ of every package above it run.
            for end in range(2, len(parts) + 1):
                edge = ".".join(parts[:end])
                if edge in names and edge != name:
                    graph[name].add(edge)
    return graph


def strongly_connected(graph: dict[str, set[str]]) -> list[list[str]]:
    """Tarjan's algorithm, iteratively (no recursion limit to worry about)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = 0
    for start in sorted(graph):
        if start in index:
            continue
        work: list[tuple[str, Iterator[str]]] = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, edges = work[-1]
            advanced = False
            for target in edges:
                if target not in index:
                    index[target] = low[target] = counter
                    counter += 1
                    stack.append(target)
                    on_stack.add(target)
                    work.append((target, iter(sorted(graph[target]))))
                    advanced = True
                    break
                if target in on_stack:
                    low[node] = min(low[node], index[target])
            if advanced:
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                found.append(sorted(component))
    return found


def test_the_graph_sees_imports_everywhere(tmp_path: Path) -> None:
    """The graph builder itself: function-level and TYPE_CHECKING imports count."""
    graph = import_graph()
    assert "zlint.engine" in graph["zlint.cli"]  # imported inside a function
    assert "zlint.rules.base" in graph["zlint.suppress.apply"]  # under TYPE_CHECKING
    assert "zlint.model" in graph["zlint.engine"]  # a package __init__ runs


def test_strongly_connected_finds_a_circle() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert [c for c in strongly_connected(graph) if len(c) > 1] == [["a", "b", "c"]]


def test_no_import_circle() -> None:
    circles = [c for c in strongly_connected(import_graph()) if len(c) > 1]
    unexpected = [c for c in circles if not (len(c) == 2 and frozenset(c) in ALLOWED_PAIRS)]
    assert not unexpected, "import circles: " + "; ".join(" <-> ".join(c) for c in unexpected)


def _stage(name: str) -> str:
    """The package a module belongs to (``zlint.model`` for ``zlint.model.walk.calls``), or
    the module itself at the top level."""
    return ".".join(name.split(".")[:2])


@pytest.mark.parametrize("stage", sorted(STAGE_IMPORTS))
def test_a_stage_imports_only_what_it_builds_on(stage: str) -> None:
    allowed = STAGE_IMPORTS[stage] | {stage}
    wrong = []
    for name, targets in import_graph().items():
        if _stage(name) != stage:
            continue
        for target in sorted(targets):
            if target in SHARED_BY_STAGES:
                continue
            if _stage(target) not in allowed:
                wrong.append(f"{name} -> {target}")
    assert not wrong, "\n".join(wrong)


def test_package_inits_import_nothing() -> None:
    """Importing one module of a package must not run the rest of it."""
    for name, path in module_names().items():
        if path.name == "__init__.py" and name != "zlint":
            assert not import_graph()[name], name


def test_no_rule_module_imports_another_rule() -> None:
    graph = import_graph()
    rules = {n for n in graph if n.startswith("zlint.rules.zl")}
    for name in sorted(rules):
        assert not graph[name] & rules, f"{name} imports {sorted(graph[name] & rules)}"


def test_the_model_knows_nothing_of_rules_fixes_or_the_run() -> None:
    graph = import_graph()
    later = ("zlint.rules", "zlint.fixes", "zlint.fixing", "zlint.engine", "zlint.suppress")
    for name, targets in graph.items():
        if name.startswith("zlint.model"):
            assert not [t for t in targets if t.startswith(later)], name


def test_architecture_md_names_every_package_and_top_level_module() -> None:
    text = (ROOT / "ARCHITECTURE.md").read_text(encoding="utf-8")
    for path in sorted(PACKAGE.iterdir()):
        if path.name.startswith("_") or path.name == "py.typed":
            continue
        if path.is_dir() and (path / "__init__.py").exists():
            assert f"zlint/{path.name}/" in text, f"ARCHITECTURE.md does not name {path.name}/"
        elif path.suffix == ".py":
            assert f"{path.name}" in text, f"ARCHITECTURE.md does not name {path.name}"
