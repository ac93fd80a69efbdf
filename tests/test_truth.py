"""Truth tests: run every fixture project with the real zenml and compare with truth.json.

Each ``fixtures/<name>/truth.json`` records what ZenML 0.98 really did when the
fixture's ``run.py`` ran: whether it failed (``fails_with``), which custom
artifact names got versions that can't be told apart (``collisions``) and,
if any, which steps were served from the cache (``cached``) and which texts its
output must contain (``output_contains``, optional). Re-record with
``python tests/truth/harness.py --write fixtures/<name>``.

The fixtures run concurrently (``ZLINT_TRUTH_WORKERS``, default 2) from one
module-scoped fixture; each test waits only for its own fixture.
"""

from __future__ import annotations

import importlib.util
import json
import os
import sys
import tempfile
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from truth.harness import (
    FAILURE_TEXTS,
    TruthResult,
    load_truth,
    make_store_template,
    run_dirs_of,
    run_fixture,
)

pytestmark = pytest.mark.truth

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "fixtures"
TRUTH_FIXTURES = sorted(path.parent for path in FIXTURES.glob("*/truth.json"))
EXPECT_MARKER = "# expect:"
DUPLICATE_ID = "Duplicate invocation ID"
#: Codes whose findings mean the run fails, with the text ZenML's failure shows.
FAILURE_CODES = FAILURE_TEXTS
#: Codes whose findings mean a warning in the output of a run that succeeds; a fixture
#: marking one lists the warning in its truth.json ``output_contains``.
WARNING_CODES: dict[str, str] = {
    "ZL013": "function is deprecated and will soon be removed",
}
#: Codes whose findings mean versions that cannot be told apart.
COLLISION_CODES = {"ZL001", "ZL002", "ZL006"}
KNOWN_CODES = {*COLLISION_CODES, *FAILURE_CODES, *WARNING_CODES, "ZL008"}
WORKERS = int(os.environ.get("ZLINT_TRUTH_WORKERS", "2"))


def expected_codes(fixture: Path) -> Counter[str]:
    """How often each code is marked with ``# expect:`` in the fixture's sources.

    Parsed like tests/test_fixtures.py does: everything after the marker is a
    list of codes separated by spaces or commas.
    """
    texts = [source.read_text(encoding="utf-8") for source in fixture.rglob("*.py")]
    for notebook in fixture.rglob("*.ipynb"):
        cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
        texts.extend("".join(c["source"]) for c in cells if c["cell_type"] == "code")
    codes: Counter[str] = Counter()
    for text in texts:
        for line in text.splitlines():
            if EXPECT_MARKER in line:
                codes.update(line.split(EXPECT_MARKER, 1)[1].replace(",", " ").split())
    return codes


def _require_zenml() -> None:
    if importlib.util.find_spec("zenml") is None:
        pytest.fail(
            f"the truth tests need the real zenml package, but {sys.executable} "
            "cannot import it. Install the test extra: pip install -e '.[test]' "
            "(zenml[local]==0.98.0), or deselect them with -m 'not truth'.",
            pytrace=False,
        )


def _selected_fixtures(session: pytest.Session) -> list[Path]:
    """Fixtures whose truth test is selected (e.g. with -k), longest runs first."""
    names = {
        str(getattr(item.callspec.params["fixture"], "name", ""))
        for item in session.items
        if isinstance(item, pytest.Function)
        and item.originalname == "test_fixture_matches_truth"
        and hasattr(item, "callspec")
    }
    chosen = [fixture for fixture in TRUTH_FIXTURES if fixture.name in names]
    # Most run folders first, so the workers tend to finish together.
    return sorted(chosen, key=lambda f: -len(run_dirs_of(load_truth(f))))


@pytest.fixture(scope="module")
def truth_runs(request: pytest.FixtureRequest) -> Iterator[dict[str, Future[TruthResult]]]:
    """Start every selected fixture run at once; tests then wait for their own result."""
    _require_zenml()
    with tempfile.TemporaryDirectory(prefix="zlint-truth-store-") as store_dir:
        template = make_store_template(Path(store_dir))
        with ThreadPoolExecutor(max_workers=WORKERS) as pool:
            yield {
                fixture.name: pool.submit(
                    run_fixture,
                    fixture,
                    run_dirs_of(load_truth(fixture)),
                    store_template=template,
                )
                for fixture in _selected_fixtures(request.session)
            }


def test_fixtures_exist() -> None:
    assert TRUTH_FIXTURES, f"no fixtures/*/truth.json under {FIXTURES}"


@pytest.mark.parametrize("fixture", TRUTH_FIXTURES, ids=lambda path: path.name)
def test_fixture_layout(fixture: Path) -> None:
    pyproject = (fixture / "pyproject.toml").read_text(encoding="utf-8")
    assert "[project]" in pyproject and "[tool.zlint]" in pyproject
    for run_dir in run_dirs_of(load_truth(fixture)):
        run_py = fixture / run_dir / "run.py"
        assert run_py.is_file(), f"{run_py} is missing"
        assert 'if __name__ == "__main__":' in run_py.read_text(encoding="utf-8")


@pytest.mark.parametrize("fixture", TRUTH_FIXTURES, ids=lambda path: path.name)
def test_fixture_matches_truth(fixture: Path, truth_runs: dict[str, Future[TruthResult]]) -> None:
    truth = load_truth(fixture)
    result = truth_runs[fixture.name].result()
    report = result.describe()

    if truth["fails_with"]:
        assert result.returncode != 0, f"expected a failure\n{report}"
        assert truth["fails_with"] in result.output, report
    else:
        assert result.returncode == 0, f"run.py failed\n{report}"
    assert result.collisions() == truth["collisions"], report
    assert result.cached_steps() == truth.get("cached", []), report
    for text in truth.get("output_contains", []):
        assert text in result.output, f"{text!r} is not in the output\n{report}"

    if truth["fails_with"] == DUPLICATE_ID:
        # Compilation stops at the first duplicate, so these fixtures hold one
        # ZL003 per pipeline and run.py runs every pipeline despite failures.
        assert result.output.count(DUPLICATE_ID) == expected_codes(fixture)["ZL003"], report


@pytest.mark.parametrize("fixture", TRUTH_FIXTURES, ids=lambda path: path.name)
def test_expect_comments_agree_with_truth(fixture: Path) -> None:
    truth = load_truth(fixture)
    codes = expected_codes(fixture)
    assert set(codes) <= KNOWN_CODES, f"unknown codes in # expect: comments: {set(codes)}"
    if any(codes[c] for c in COLLISION_CODES):
        assert truth["collisions"], "collisions are expected but ZenML saw none"
    else:
        assert not truth["collisions"], "ZenML saw collisions but no collision finding is expected"
    failures = {FAILURE_CODES[c] for c in FAILURE_CODES if codes[c]}
    if failures:
        assert truth["fails_with"] in failures, "the run must fail the way the findings say"
    else:
        assert truth["fails_with"] is None, "the run fails but no finding says it will"
    output = truth.get("output_contains", [])
    for code in (c for c in WARNING_CODES if codes[c]):
        warning = WARNING_CODES[code]
        assert any(warning in text for text in output), f"{code}: no {warning!r} in output_contains"
    # Every call reported as cache-merged really was served from the cache, and no other.
    cached = truth.get("cached", [])
    assert bool(cached) == bool(codes["ZL008"]), "ZL008 markers disagree with cached steps"
    assert len(cached) >= codes["ZL008"], "a call reported as cache-merged was not cached"
