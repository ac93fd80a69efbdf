"""A run checked in batches (``zlint.fastpath.batches``) finds exactly what the run in one go finds.

Batches of one wanted module each are the hardest case: every finding that depends on
another module must then come from the contributors the plan adds.
"""

from __future__ import annotations

import ast
import dataclasses
import textwrap
from pathlib import Path

import pytest
from conftest import load_settings

from zlint import config, engine
from zlint.fastpath import batches
from zlint.fixes import options as fix_options
from zlint.inputs import files
from zlint.model.module_index import ModuleIndex
from zlint.rules.base import RuleContext
from zlint.types import Diagnostic

FIXTURES = sorted(p for p in (Path(__file__).parent.parent / "fixtures").iterdir() if p.is_dir())
STRATEGIES = (fix_options.METADATA, fix_options.SUBSTITUTION, fix_options.FACTORY)
DEFAULT_SHARE = batches.MAX_SHARE


@pytest.fixture(autouse=True)
def _batches_always_pay(monkeypatch: pytest.MonkeyPatch) -> None:
    """Small projects: split them even where the batches overlap a lot."""
    monkeypatch.setattr(batches, "MAX_SHARE", 1.0)


def _run(root: Path, batch_size: int | None, strategy: str = fix_options.METADATA) -> object:
    """The findings (with their edits and fix texts) and what the cache keeps of a run."""
    settings = config.with_overrides(load_settings(root), select=["ALL"])
    options = dataclasses.replace(settings.fix_options, strategy=strategy)
    settings = dataclasses.replace(settings, fix_options=options)
    found = files.discover([root], settings)
    result = engine.check_project(settings, found.reported, found.project, batch_size=batch_size)
    return (
        [_finding(d) for d in result.diagnostics],
        [(e.path, e.where, e.message) for e in result.errors],
        result.inputs,
        result.syntax_only,
        result.scan_only,
        result.listed_yaml,
        result.searched,
    )


def _finding(d: Diagnostic) -> object:
    fix = None if d.fix is None else (d.fix.applicability, d.fix.message)
    return (d.code, d.path, d.span, d.message, d.edits, fix)


def _batched_run_count(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many batches each run was split into (1: not split)."""
    counts: list[int] = []
    plan = batches.plan

    def counting(*args: object, **kwargs: object) -> list[batches.Batch] | None:
        found = plan(*args, **kwargs)  # type: ignore[arg-type]
        counts.append(len(found) if found is not None else 1)
        return found

    monkeypatch.setattr(batches, "plan", counting)
    return counts


@pytest.mark.parametrize("fixture", FIXTURES, ids=[p.name for p in FIXTURES])
def test_a_fixture_checked_in_batches_of_one_module_is_the_same_run(
    fixture: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    counts = _batched_run_count(monkeypatch)
    whole = _run(fixture, None)
    assert _run(fixture, 1) == whole
    SPLIT[fixture.name] = counts[-1] if counts else 0


#: How many batches each fixture's run was split into.
SPLIT: dict[str, int] = {}


def test_most_fixtures_were_split() -> None:
    """The equality above means something only for runs that were split."""
    if len(SPLIT) < len(FIXTURES):
        pytest.skip("runs with the fixture tests")
    assert sum(count > 1 for count in SPLIT.values()) >= len(FIXTURES) // 2, SPLIT


@pytest.mark.parametrize("strategy", STRATEGIES[1:])
@pytest.mark.parametrize(
    "fixture",
    [p for p in FIXTURES if p.name.startswith(("fix_", "step_factories", "monorepo"))],
    ids=lambda p: p.name,
)
def test_whole_step_fixes_are_the_same_in_batches(fixture: Path, strategy: str) -> None:
    """The substitution and factory strategies build one fix from every pipeline's calls."""
    assert _run(fixture, 1, strategy) == _run(fixture, None, strategy)


STEPS = '''\
    """Steps of package {n}."""
    from typing import Annotated

    from zenml import step

    from . import names


    @step
    def load(path: str) -> Annotated[dict, names.RAW]:
        return {{"path": path}}


    @step
    def clean(data: dict, name: str = "") -> Annotated[dict, "clean_{n}"]:
        return data


    @step
    def export(data: dict) -> Annotated[dict, "{{part}}_export_{n}"]:
        """Called only by the next package's pipeline: its finding comes from there."""
        return data
'''
PIPELINE = '''\
    """Pipeline of package {n}: it also calls the steps of the package before it."""
    from zenml import pipeline

    {upstream}
    from .steps import clean, load


    @pipeline
    def training_{n}() -> None:
        raw = load("a.csv")
        clean(raw, name="train")  # zlint: ignore[ZL001] both splits kept apart elsewhere
        clean(raw, name="test")
        {upstream_call}
'''


def _chain_project(root: Path, packages: int) -> None:
    """Packages whose pipelines call the steps of the package before: a chain of imports
    that no batch can cut cleanly."""
    (root / "pyproject.toml").write_text('[project]\nname = "chain"\nversion = "0"\n')
    app = root / "app"
    app.mkdir()
    (app / "__init__.py").write_text("")
    for n in range(packages):
        folder = app / f"pkg{n}"
        folder.mkdir()
        (folder / "__init__.py").write_text("")
        (folder / "names.py").write_text(f'RAW = "raw_{n}"\n')
        steps = textwrap.dedent(STEPS.format(n=n))
        if n:
            steps += f"\n\nfrom lib.plain{n - 1} import tag\n\ntagged = step(tag)\n"
        (folder / "steps.py").write_text(steps)
        # No ZenML here, but a package makes a step of it (ZL010 reports here). Checked
        # last, in a batch with no wanted module of its own.
        lib = root / "lib"
        lib.mkdir(exist_ok=True)
        (lib / f"plain{n}.py").write_text(
            "def tag(data: dict, id: str) -> dict:\n    return data\n"
        )
        upstream = f"from app.pkg{n - 1} import steps as upstream" if n else ""
        call = 'upstream.clean(upstream.export(raw), name="upstream")' if n else "pass"
        text = PIPELINE.format(n=n, upstream=upstream, upstream_call=call)
        (folder / "pipeline.py").write_text(textwrap.dedent(text))


@pytest.mark.parametrize("strategy", STRATEGIES)
@pytest.mark.parametrize("size", [1, 3])
def test_a_chain_of_packages_is_split_and_gives_the_same_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, size: int, strategy: str
) -> None:
    _chain_project(tmp_path, 12)
    counts = _batched_run_count(monkeypatch)
    whole = _run(tmp_path, None, strategy)
    assert _run(tmp_path, size, strategy) == whole
    assert counts and counts[-1] > 1, "the chain is split into batches"
    codes = {finding[0] for finding in whole[0]}  # type: ignore[index]
    assert {"ZL001", "ZL005", "ZL010"} <= codes, "findings in other modules than the caller's"


def test_a_step_module_every_pipeline_reaches_makes_one_batch(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _chain_project(tmp_path, 6)
    (tmp_path / "app" / "shared.py").write_text(
        "from zenml import step\n\n\n@step\ndef report() -> None:\n    pass\n"
    )
    for pipeline in (tmp_path / "app").glob("pkg*/pipeline.py"):
        text = pipeline.read_text().replace(
            "from zenml", "from app.shared import report\nfrom zenml"
        )
        pipeline.write_text(text)
    monkeypatch.setattr(batches, "MAX_SHARE", DEFAULT_SHARE)
    counts = _batched_run_count(monkeypatch)
    assert _run(tmp_path, 1) == _run(tmp_path, None)
    assert counts == [1], "every batch would analyse every pipeline: one run does as well"


def _reach(root: Path, module: str) -> set[str]:
    paths = sorted(root.rglob("*.py"))
    index = ModuleIndex(root, [root], paths)
    reach = batches.Reach(index, lambda p: p.read_text() if p.is_file() else None)
    found = reach.of(root / module)
    assert found is not None
    return {p.relative_to(root).as_posix() for p in found if p.is_file()}


def _tree(root: Path, texts: dict[str, str]) -> None:
    for name, text in texts.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text))


@pytest.mark.parametrize(
    ("importer", "expected"),
    [
        # `from pkg import mod`: the submodule, not its siblings (`pkg` binds no `mod`).
        ("from pkg import mod\n", {"pkg/mod.py"}),
        # A package bound as a module object: everything under it resolves through it.
        ("import pkg\n", {"pkg/__init__.py", "pkg/mod.py", "pkg/other.py", "pkg/sub/deep.py"}),
        ("import pkg.mod\n", {"pkg/__init__.py", "pkg/mod.py", "pkg/other.py", "pkg/sub/deep.py"}),
        ("import pkg.mod as m\n", {"pkg/mod.py"}),
        ("from pkg import sub\n", {"pkg/sub/deep.py"}),
        ("from pkg.sub import *\n", {"pkg/sub/deep.py"}),
        # Imports inside functions and blocks count too; other packages do not.
        (
            "def f():\n    if x:\n        from pkg import other\n",
            {"pkg/other.py"},
        ),
        ("try:\n    import lone\nexcept ImportError:\n    pass\n", {"lone.py"}),
        ("import zenml\nfrom typing import Any\n", set()),
    ],
)
def test_reach_follows_every_import_a_name_can_resolve_through(
    tmp_path: Path, importer: str, expected: set[str]
) -> None:
    _tree(
        tmp_path,
        {
            "pkg/__init__.py": "",
            "pkg/mod.py": "",
            "pkg/other.py": "",
            "pkg/sub/deep.py": "",
            "lone.py": "",
            "main.py": importer,
        },
    )
    assert _reach(tmp_path, "main.py") - {"main.py"} == expected


def test_reach_is_transitive_and_follows_relative_imports(tmp_path: Path) -> None:
    _tree(
        tmp_path,
        {
            "app/__init__.py": "from .core import run\n",
            "app/core.py": "from ..lib import util\n",
            "lib/__init__.py": "",
            "lib/util.py": "from . import *\n",
            "main.py": "from app import run\n",
        },
    )
    # `app/__init__.py` only passes `run` on: it is read, but no code of it is reached.
    assert _reach(tmp_path, "main.py") == {
        "main.py",
        "app/core.py",
        "lib/__init__.py",
        "lib/util.py",
    }


def test_a_reach_past_the_limit_stops_the_plan(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _tree(tmp_path, {f"m{i}.py": f"import m{i + 1}\n" for i in range(10)} | {"m10.py": ""})
    monkeypatch.setattr(batches, "MAX_REACH", 5)
    paths = sorted(tmp_path.rglob("*.py"))
    reach = batches.Reach(ModuleIndex(tmp_path, [tmp_path], paths), lambda p: p.read_text())
    assert reach.of(tmp_path / "m0.py") is None
    assert batches.plan(paths, paths, reach, lambda p: True, 1) is None


IMPORT_TEXTS = [
    "import a\nfrom b import c\n",
    "from a import (\n    b,  # (a comment\n    c,\n)\nx = 1\n",
    "from a import \\\n    b\n",
    "x = 1; import a\n",
    "if x: import a\n",
    "def f():\n    import a\n    from .b import c as d\n",
    '"""Docs.\n\nfrom the start we import nothing\n"""\nimport a\n',
    "# import a\nimport b\n",
    "import a\r\nfrom b import c\r\n",
    "s = 'import a'\nfrom b import *\n",
    "class A:\n\timport a\n",
    "try:\n    import a\nexcept ImportError:\n    from b import a\nfinally:\n    pass\n",
    "match x:\n    case 1:\n        import a\n",
    "from . import (a, b)\nfrom .. import c\n",
    "import a.b.c as d, e\n",
    "x = (\n    1\n)\nimport a\n",
    "def broken(:\n",
]


def _dumps(nodes: list[ast.Import | ast.ImportFrom] | None) -> list[str]:
    return [ast.dump(n) for n in nodes or ()]


@pytest.mark.parametrize("text", IMPORT_TEXTS)
def test_import_statements_hold_every_import_of_the_parsed_text(text: str) -> None:
    """In order; a line in a string that reads as an import may count too (generous)."""
    found = _dumps(batches.import_statements(text))
    parsed = iter(found)
    assert all(node in parsed for node in _dumps(batches._parsed_imports(text)))


def test_import_statements_hold_the_imports_of_real_code() -> None:
    repo = Path(__file__).parent.parent
    paths = [*(repo / "zlint").rglob("*.py"), *(repo / "tests").rglob("*.py")]
    paths += [*(repo / "fixtures").rglob("*.py")]
    for path in paths:
        text = path.read_text(encoding="utf-8")
        found = iter(_dumps(batches.import_statements(text)))
        assert all(node in found for node in _dumps(batches._parsed_imports(text))), path


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("training.configure(enable_cache=False)\n", {"training"}),
        ("training . with_options (substitutions={})()\n", {"training"}),
        ("pipelines.training.configure()\n", {"training"}),
        ("x = [a.configure(), training.with_options()]\n", {"training"}),
        ("x_training.configure()\ntraining2.configure()\n", set()),
        ("training.configured = 1\ntraining.options()\n", set()),
        ("évaluation.configure()\ntraining.configure\n", {"évaluation"}),
    ],
)
def test_the_pipelines_a_text_reconfigures(tmp_path: Path, text: str, found: set[str]) -> None:
    """Read once per file for every batch of a run: any name before `.configure(`."""
    from zlint.model import run_config

    path = tmp_path / "run.py"
    path.write_text(text, encoding="utf-8")
    names = {"training", "évaluation", "other"}
    scan = run_config.ConfigScan()
    assert run_config.reconfigured(tmp_path, [path], names, scan=scan) == found
    path.unlink()  # the second search of the run reads nothing again
    assert run_config.reconfigured(tmp_path, [path], names, scan=scan) == found


@pytest.mark.parametrize("fixture", ["fix_two_pipelines", "monorepo", "demo"])
@pytest.mark.parametrize("output_format", ["full", "json", "sarif"])
def test_zlint_check_in_batches_prints_the_same_and_caches_it(
    fixture: str,
    output_format: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    from zlint.cli import main

    root = next(p for p in FIXTURES if p.name == fixture)
    argv = ["check", str(root), "--select", "ALL", "--output-format", output_format]
    argv += ["--cache-dir", str(tmp_path / "cache")]
    main([*argv, "--no-cache"])
    whole = capsys.readouterr().out
    counts = _batched_run_count(monkeypatch)
    monkeypatch.setattr(engine, "BATCH_SIZE", 1)
    main(argv)
    assert capsys.readouterr().out == whole
    assert counts and counts[-1] > 1
    main(argv)  # served from the cache the batched run stored
    assert capsys.readouterr().out == whole
    assert len(counts) == 1


def _hub_project(root: Path, count: int) -> None:
    """A steps package that re-exports every step; each pipeline imports one through it."""
    exported = "".join(f"from .s{i} import step{i}\n" for i in range(count))
    _tree(root, {"pyproject.toml": '[project]\nname = "hub"\nversion = "0"\n'})
    texts = {"app/__init__.py": "", "app/steps/__init__.py": exported, "app/pipes/__init__.py": ""}
    for i in range(count):
        texts[f"app/steps/s{i}.py"] = f"""\
            from typing import Annotated

            from zenml import step


            @step
            def step{i}(name: str) -> Annotated[str, "out_{i}"]:
                return name
            """
        texts[f"app/pipes/p{i}.py"] = f"""\
            from zenml import pipeline

            from app.steps import step{i}


            @pipeline
            def pipe{i}() -> None:
                step{i}(name="a")
                step{i}(name="b")
            """
    _tree(root, texts)


@pytest.mark.parametrize("strategy", STRATEGIES)
def test_a_package_that_re_exports_every_step_links_no_two_pipelines(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, strategy: str
) -> None:
    monkeypatch.setattr(batches, "MAX_SHARE", DEFAULT_SHARE)
    _hub_project(tmp_path, 10)
    counts = _batched_run_count(monkeypatch)
    whole = _run(tmp_path, None, strategy)
    assert _run(tmp_path, 2, strategy) == whole
    assert counts[-1] > 1
    assert len(whole[0]) >= 10  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("init", "reached"),
    [
        # Passed on by name: only the module that defines the name.
        ("from .a import f\nfrom .b import g\n", {"pkg/a.py"}),
        ("from . import a\nfrom .b import g\n", set()),  # `f` is unbound: resolves to nothing
        ("from .a import *\nfrom .b import *\n", {"pkg/a.py", "pkg/b.py"}),
        ("import pkg.b as f\n", {"pkg/b.py"}),
        # `import pkg.b` binds `pkg`: all of it (`from pkg import pkg` is odd, but works).
        ("import pkg.b\nfrom .a import f\n", {"pkg/a.py"}),
        # Bound otherwise too, or maybe out of sight: the package's every import.
        (
            "from .a import f\nfrom .b import g\nf = g\n",
            {"pkg/__init__.py", "pkg/a.py", "pkg/b.py"},
        ),
        ("from .b import g\ndef f():\n    pass\n", {"pkg/__init__.py", "pkg/b.py"}),
        (
            "from .a import f\nfrom .b import g\nglobals()['f'] = g\n",
            {"pkg/__init__.py", "pkg/a.py", "pkg/b.py"},
        ),
        ("def load():\n    from .b import f\n", {"pkg/__init__.py", "pkg/b.py"}),
    ],
)
def test_a_name_imported_through_a_package(tmp_path: Path, init: str, reached: set[str]) -> None:
    _tree(
        tmp_path,
        {
            "pkg/__init__.py": init,
            "pkg/a.py": "def f(): pass\n",
            "pkg/b.py": "def g(): pass\n",
            "main.py": "from pkg import f\n",
        },
    )
    assert _reach(tmp_path, "main.py") - {"main.py"} == reached


def test_an_internal_error_in_one_batch_silences_zl900_in_every_batch(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """As in a run in one go: stale-looking suppressions are not judged when a rule failed
    (its findings may be missing), whichever batch it failed in."""
    from zlint.rules.zl008_cache_merged_calls import CacheMergedCalls

    _chain_project(tmp_path, 4)
    first = tmp_path / "app" / "pkg0" / "pipeline.py"
    first.write_text(first.read_text() + "\nx = 1  # zlint: ignore[ZL003]\n")
    codes = {finding[0] for finding in _run(tmp_path, 1)[0]}  # type: ignore[index]
    assert "ZL900" in codes
    check = CacheMergedCalls.check

    def failing(self: CacheMergedCalls, ctx: RuleContext) -> None:
        if any(m.path.parent.name == "pkg3" for m in ctx.modules):
            raise RuntimeError("a bug in one batch")
        check(self, ctx)

    monkeypatch.setattr(CacheMergedCalls, "check", failing)
    found, errors, *_ = _run(tmp_path, 1)  # type: ignore[misc]
    assert errors and all(e[1] == "ZL008" for e in errors)
    assert "ZL900" not in {finding[0] for finding in found}
    assert "ZL900" not in {finding[0] for finding in _run(tmp_path, None)[0]}  # type: ignore[index]


def test_the_project_texts_zl003_searches_are_read_once_per_run(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from zlint.fixes import invocation_ids

    reads: list[object] = []
    read = invocation_ids._read_project_texts

    def counting(ctx: RuleContext) -> object:
        reads.append(ctx)
        return read(ctx)

    monkeypatch.setattr(invocation_ids, "_read_project_texts", counting)
    counts = _batched_run_count(monkeypatch)
    root = next(p for p in FIXTURES if p.name == "fix_two_pipelines")
    _run(root, 1)
    assert counts[-1] > 1 and len(reads) == 1


def test_a_package_bound_by_a_forwarding_init_brings_all_of_it(tmp_path: Path) -> None:
    _tree(
        tmp_path,
        {
            "pkg/__init__.py": "import lib.x\n",
            "lib/__init__.py": "",
            "lib/x.py": "",
            "lib/deep/y.py": "",
            "main.py": "from pkg import lib\n",
        },
    )
    assert _reach(tmp_path, "main.py") - {"main.py"} == {
        "lib/__init__.py",
        "lib/x.py",
        "lib/deep/y.py",
    }
