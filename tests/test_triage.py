"""Sorting reported files in worker processes gives what sorting them here gives."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any
from unittest.mock import Mock

import pytest
from conftest import check_tree, findings, load_settings, write_project

from zlint import config, engine
from zlint.fastpath import triage
from zlint.inputs import files, source

SOURCES = {
    "steps.py": """
        from typing import Annotated
        from zenml import step

        @step
        def load(split: str) -> Annotated[list, "rows"]:
            return []
    """,
    "pipeline.py": """
        from zenml import pipeline
        from steps import load

        @pipeline
        def training():
            load("train")
            load("test")
    """,
    "factories.py": """
        from zenml import step

        def make(name):
            @step
            def inner() -> int:
                return 1
            return inner
    """,
    "uses_factory.py": "from factories import make\nx = make('a')\n",
    "broken.py": "def f(:\n",
    "latin.py": b"# coding: latin-1\nNAME = '\xe9'\n".decode("latin-1"),
    **{f"plain_{i}.py": f"VALUE_{i} = {i}\n" for i in range(20)},
}


@pytest.mark.parametrize("parallel", [False, True], ids=["here", "workers"])
def test_workers_and_this_process_agree(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, parallel: bool
) -> None:
    write_project(tmp_path, SOURCES)
    serial = findings(check_tree(tmp_path, select=["ALL"]), tmp_path)
    monkeypatch.setattr(triage, "PARALLEL_MIN_FILES", 1 if parallel else 10**9)
    monkeypatch.setattr(triage, "_CHUNK", 3)
    assert findings(check_tree(tmp_path, select=["ALL"]), tmp_path) == serial
    assert [code for _, _, code in serial].count("ZL000") == 1


def test_a_crash_while_sorting_one_file_spares_the_others(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_project(tmp_path, SOURCES)
    real = triage.Sorter._verdict

    def picky(self: triage.Sorter, path: Path) -> triage.Verdict:
        if path.name == "plain_3.py":
            raise RuntimeError("boom")
        return real(self, path)

    monkeypatch.setattr(triage.Sorter, "_verdict", picky)
    monkeypatch.setattr(triage, "PARALLEL_MIN_FILES", 1)
    result = check_tree(tmp_path)
    assert [(e.path.name if e.path else None, e.message) for e in result.errors] == [
        ("plain_3.py", "RuntimeError: boom")
    ]
    found = [(d.path.name, d.code) for d in result.diagnostics]
    assert ("pipeline.py", "ZL001") in found


def test_zlint_workers_1_keeps_sorting_in_this_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_project(tmp_path, SOURCES)

    started: list[int] = []

    def counting(
        sorter: triage.Sorter, paths: list[Path], workers: int
    ) -> tuple[Any, Iterator[list[triage.Verdict]]]:
        started.append(workers)  # (a failure here would fall back quietly: record instead)
        return Mock(), iter([[sorter.verdict(path) for path in paths]])

    monkeypatch.setattr(triage, "_start_workers", counting)
    monkeypatch.setattr(triage, "PARALLEL_MIN_FILES", 1)
    monkeypatch.setenv("ZLINT_WORKERS", "1")
    assert check_tree(tmp_path).files_checked == len(SOURCES)
    assert started == []
    monkeypatch.setenv("ZLINT_WORKERS", "3")
    check_tree(tmp_path)
    assert started == [3]


def test_workers_start_before_the_verdicts_are_asked_for(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The CLI starts the sorting, then imports LibCST: the workers must run meanwhile."""
    write_project(tmp_path, SOURCES)
    started: list[int] = []
    real = triage._start_workers

    def recording(
        sorter: triage.Sorter, paths: list[Path], workers: int
    ) -> tuple[Any, Iterator[list[triage.Verdict]]]:
        started.append(len(paths))
        return real(sorter, paths, workers)

    monkeypatch.setattr(triage, "_start_workers", recording)
    monkeypatch.setattr(triage, "PARALLEL_MIN_FILES", 1)
    monkeypatch.setenv("ZLINT_WORKERS", "2")
    paths = sorted(tmp_path.rglob("*.py"))
    settings = load_settings(tmp_path)
    sorting = triage.start(settings, paths, paths, source.read_text, parallel=True)
    assert started == [len(paths)]  # before a single verdict was taken
    verdicts = list(sorting.verdicts)
    assert [v.path for v in verdicts] == paths
    assert {v.path.name for v in verdicts if v.wanted} >= {"steps.py", "pipeline.py"}


FIXTURES = sorted(p for p in (Path(__file__).parent.parent / "fixtures").iterdir() if p.is_dir())


def _everything(root: Path) -> tuple[object, ...]:
    """The findings (with their edits) and what the cache keeps of a run."""
    settings = config.with_overrides(load_settings(root), select=["ALL"])
    found = files.discover([root], settings)
    result = engine.check_project(settings, found.reported, found.project)
    return (
        [(d.code, d.path, d.span, d.message, d.edits) for d in result.diagnostics],
        [(e.path, e.message) for e in result.errors],
        result.inputs,
        result.syntax_only,
        result.scan_only,
        result.listed_yaml,
        result.searched,
    )


@pytest.mark.parametrize("fixture", FIXTURES, ids=[p.name for p in FIXTURES])
def test_a_fixture_sorted_by_workers_is_the_same_run(
    fixture: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Workers hand over code facts, factory answers and compiled-text hashes: the run,
    cache inputs included, must not depend on whether they did."""
    monkeypatch.setenv("ZLINT_WORKERS", "1")
    here = _everything(fixture)
    monkeypatch.setenv("ZLINT_WORKERS", "2")
    monkeypatch.setattr(triage, "PARALLEL_MIN_FILES", 1)
    assert _everything(fixture) == here
