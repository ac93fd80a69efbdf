"""Before/after fixture projects for ``zlint fix`` (``fixtures/fix_<case>/before`` and
``after``): fixing a copy of ``before/`` gives ``after/`` byte for byte, a second fix changes
nothing, ``--diff`` shows exactly the change ``fix`` writes, and ``after/`` checks clean for
the codes ``before/`` was marked with. Each project's ``pyproject.toml`` holds its options
(``fix-strategy``, ``unsafe-fixes``, ...). ``tests/test_fix_truth.py`` runs the ``after/``
projects with the real ``zenml`` package.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from zlint.cli import main
from zlint.formats import output

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
CASES = sorted(p for p in FIXTURES.glob("fix_*") if (p / "before").is_dir())
_IGNORED = {"__pycache__", ".zen", ".zenconfig"}


def files_of(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and not _IGNORED & set(p.relative_to(root).parts)
    }


def markers(root: Path) -> list[tuple[str, int, str]]:
    found = []
    for path in sorted(root.rglob("*.py")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if "# expect:" in line:
                for code in line.split("# expect:", 1)[1].replace(",", " ").split():
                    found.append((path.relative_to(root).as_posix(), number, code))
    return sorted(found)


def _copy(case: Path, tmp_path: Path) -> Path:
    copy = tmp_path / case.name
    shutil.copytree(case / "before", copy, ignore=shutil.ignore_patterns(*_IGNORED))
    return copy


def _findings(
    root: Path, capsys: pytest.CaptureFixture[str], *args: str
) -> list[tuple[str, int, str]]:
    capsys.readouterr()
    main(["check", str(root), "--output-format", "json", *args])
    return sorted(
        (
            Path(d["filename"]).relative_to(root.resolve()).as_posix(),
            d["location"]["row"],
            d["code"],
        )
        for d in json.loads(capsys.readouterr().out)
    )


def test_there_are_cases() -> None:
    assert len(CASES) >= 8


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.name)
def test_before_findings_match_markers(case: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = case / "before"
    assert _findings(before, capsys) == markers(before)


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.name)
def test_fix_gives_after_and_is_idempotent(
    case: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    copy = _copy(case, tmp_path)
    main(["fix", str(copy)])
    assert files_of(copy) == files_of(case / "after")
    assert main(["fix", str(copy)]) in (0, 1)
    assert files_of(copy) == files_of(case / "after"), "a second fix changed something"


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.name)
def test_diff_is_the_change_fix_writes(
    case: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    copy = _copy(case, tmp_path)
    monkeypatch.chdir(copy)
    capsys.readouterr()
    main(["fix", "--diff", "."])
    shown = capsys.readouterr().out
    before, after = files_of(case / "before"), files_of(case / "after")
    changed = sorted(name for name in after if before.get(name) != after[name])
    expected = output.unified_diff(
        {copy / n: before[n].decode("utf-8") for n in changed},
        {copy / n: after[n].decode("utf-8") for n in changed},
    )
    assert changed and shown == expected
    assert files_of(copy) == before, "--diff wrote something"


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.name)
def test_after_checks_clean_for_the_fixed_codes(
    case: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    codes = sorted({code for _, _, code in markers(case / "before")})
    assert codes
    assert _findings(case / "after", capsys, "--select", ",".join(codes)) == []
