"""Proof under real ZenML that `zlint fix` makes repeated steps distinguishable.

Each fixture with ZL001 findings is copied, fixed, fixed again (nothing may change), and
run with the real `zenml` package: the run must still succeed, and every artifact name
whose collision zlint fixed must now carry a metadata value that differs per call.
"""

from __future__ import annotations

import json
import re
import shutil
import sys
import tempfile
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from truth.harness import TruthResult, load_truth, make_store_template, run_dirs_of, run_fixture

from zlint.cli import main

pytestmark = pytest.mark.truth

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
FIXED = ["demo", "loops", "aliases", "monorepo", "src_layout"]


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
        yield {
            name: pool.submit(
                run_fixture, copy, run_dirs_of(load_truth(copy)), store_template=template
            )
            for name, copy in fixed_copies.items()
        }


@pytest.mark.parametrize("name", FIXED)
def test_fixed_project_runs_with_distinct_artifacts(
    name: str,
    fixed_copies: dict[str, Path],
    runs: dict[str, Future[TruthResult]],
    capsys: pytest.CaptureFixture[str],
) -> None:
    copy = fixed_copies[name]
    before = load_truth(FIXTURES / name)["collisions"]
    still_reported = _reported_names(copy, capsys, "ZL001,ZL002")
    assert set(before) - still_reported, "the fix resolved none of the collisions"
    result = runs[name].result()
    report = result.describe()
    assert result.returncode == 0, report
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
