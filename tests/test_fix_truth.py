"""Proof under real ZenML that `zlint fix` makes repeated steps distinguishable, and that
a safe fix never breaks a pipeline.

Every fixture project with a truth.json whose safe fixes (`zlint fix`, as the pre-commit
hook runs it) change something is copied, fixed, fixed again (nothing may change), and run
with the real `zenml` package. No run may fail that did not fail before, and every artifact
name ZenML still shows colliding must still be reported by zlint: "All checks passed!" never
stands over a collision.

The ``after/`` project of every before/after case (``fixtures/fix_<case>``, which
``tests/test_fix_fixtures.py`` proves is what ``zlint fix`` writes) runs too. Its
``versions.json`` says how many versions each fixed artifact name must get (the original
name, or names ending in ``_<name>`` for the substitution and factory strategies): all of
them, each told apart from the others of its run by its name or a metadata value, so no
call was merged by the cache. ``loadable`` lists step sources a fresh process must be able
to load, as a remote orchestrator does.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import tempfile
from collections import defaultdict
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from truth.harness import (
    ArtifactVersion,
    TruthResult,
    load_truth,
    make_store_template,
    run_dirs_of,
    run_fixture,
    zenml_env,
)

from zlint.cli import main

pytestmark = pytest.mark.truth

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def _safely_fixed() -> list[str]:
    """The truth fixtures whose safe fixes change some file (found without ZenML)."""
    from conftest import load_settings

    from zlint.fixing.loop import fix_project
    from zlint.inputs import files

    names = []
    for truth in sorted(FIXTURES.glob("*/truth.json")):
        root = truth.parent
        settings = load_settings(root)
        found = files.discover([root], settings)
        result = fix_project(settings, found.reported, found.project, dry_run=True)
        if result.changed:
            names.append(root.name)
    return names


FIXED = _safely_fixed()
CASES = sorted(p.name for p in FIXTURES.glob("fix_*") if (p / "versions.json").is_file())
LOAD_TIMEOUT = 300.0


def _snapshot(root: Path) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): p.read_text(encoding="utf-8")
        for p in sorted(root.rglob("*.py"))
    }


def _reported_names(root: Path, capsys: pytest.CaptureFixture[str], codes: str) -> set[str]:
    capsys.readouterr()
    main(["check", str(root), "--select", codes, "--output-format", "json"])
    found = json.loads(capsys.readouterr().out)
    return {
        name
        for d in found
        for name in re.findall(r"artifacts? ((?:`[^`]+`(?:, )?)+)", d["message"])
        for name in re.findall(r"`([^`]+)`", name)
    }


@pytest.fixture(scope="module")
def workdir() -> Iterator[Path]:
    with tempfile.TemporaryDirectory(prefix="zlint-fix-truth-") as folder:
        yield Path(folder)


@pytest.fixture(scope="module")
def fixed_copies(workdir: Path) -> dict[str, Path]:
    copies = {}
    for name in FIXED:
        copies[name] = workdir / name
        shutil.copytree(FIXTURES / name, copies[name])
    return copies


@pytest.fixture(scope="module")
def runs(workdir: Path, fixed_copies: dict[str, Path]) -> Iterator[dict[str, Future[TruthResult]]]:
    for copy in fixed_copies.values():
        main(["fix", str(copy)])
    (workdir / "store").mkdir()
    template = make_store_template(workdir / "store")
    with ThreadPoolExecutor(max_workers=2) as pool:
        futures = {
            name: pool.submit(
                run_fixture, copy, run_dirs_of(load_truth(copy)), store_template=template
            )
            for name, copy in fixed_copies.items()
        }
        for case in CASES:
            after = FIXTURES / case / "after"
            futures[f"fix:{case}"] = pool.submit(run_fixture, after, ".", store_template=template)
        yield futures


@pytest.mark.parametrize("name", FIXED)
def test_fixed_project_runs_with_distinct_artifacts(
    name: str,
    fixed_copies: dict[str, Path],
    runs: dict[str, Future[TruthResult]],
    capsys: pytest.CaptureFixture[str],
) -> None:
    copy = fixed_copies[name]
    truth = load_truth(FIXTURES / name)
    still_reported = _reported_names(copy, capsys, "ZL001,ZL002,ZL006")
    result = runs[name].result()
    report = result.describe()
    if truth["fails_with"]:
        # It failed before the fix: it may not fail in another way now.
        assert result.returncode == 0 or truth["fails_with"] in result.output, report
    else:
        assert result.returncode == 0, f"the fixed project fails where it ran before\n{report}"
    left = set(result.collisions())
    assert left <= still_reported, f"ZenML still collides on {left - still_reported}\n{report}"


@pytest.mark.parametrize("name", FIXED)
def test_fix_is_idempotent(
    name: str, fixed_copies: dict[str, Path], runs: dict[str, Future[TruthResult]]
) -> None:
    copy = fixed_copies[name]
    runs[name].result()  # the run may write caches; compare sources only
    before = _snapshot(copy)
    main(["fix", str(copy)])
    assert _snapshot(copy) == before


def _related(result: TruthResult, name: str) -> list[ArtifactVersion]:
    return [v for v in result.versions if v.name == name or v.name.endswith(f"_{name}")]


@pytest.mark.parametrize("case", CASES)
def test_fixed_case_runs_with_every_call_told_apart(
    case: str, runs: dict[str, Future[TruthResult]]
) -> None:
    expected = json.loads((FIXTURES / case / "versions.json").read_text(encoding="utf-8"))
    result = runs[f"fix:{case}"].result()
    report = result.describe()
    assert result.returncode == 0, report
    assert result.collisions() == {}, report
    for name, count in expected["versions"].items():
        versions = _related(result, name)
        # A call served from the cache writes no version: every call must have written one.
        assert len(versions) == count, f"{name}: {len(versions)} versions, not {count}\n{report}"
        by_run: dict[str | None, list[ArtifactVersion]] = defaultdict(list)
        for version in versions:
            by_run[version.run_id].append(version)
        for members in by_run.values():
            told = {(v.name, json.dumps(v.metadata, sort_keys=True)) for v in members}
            assert len(told) == len(members), f"{name}: versions not told apart\n{report}"
            if len({v.name for v in members}) < len(members):
                assert all(v.metadata for v in members), report  # told apart by metadata


@pytest.mark.parametrize(
    "case",
    [c for c in CASES if "loadable" in json.loads((FIXTURES / c / "versions.json").read_text())],
)
def test_generated_steps_load_in_a_fresh_process(case: str, tmp_path: Path) -> None:
    """What a remote orchestrator or step operator does: import the step's module by name,
    alone, and read the step from it (``BaseStep.load_from_source``)."""
    sources = json.loads((FIXTURES / case / "versions.json").read_text())["loadable"]
    project = tmp_path / case
    shutil.copytree(FIXTURES / case / "after", project)
    code = (
        "import sys\n"
        "from zenml.steps import BaseStep\n"
        "for source in sys.argv[1:]:\n"
        "    step = BaseStep.load_from_source(source)\n"
        "    print('LOADED', source, step.name)\n"
    )
    (project / "load_steps.py").write_text(code, encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, "load_steps.py", *sources],
        cwd=project,
        env=zenml_env(tmp_path / ".zenconfig", project),
        capture_output=True,
        text=True,
        timeout=LOAD_TIMEOUT,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert proc.stdout.count("LOADED") == len(sources), proc.stdout
