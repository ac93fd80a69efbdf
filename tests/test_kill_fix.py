"""``zlint fix`` killed with SIGKILL at any moment never leaves a file half-written.

A project of 30 modules, each with one ZL001 finding whose (safe) fix rewrites that module,
is fixed by the real console script in a subprocess, which is killed at seeded random
moments: some anywhere in the run, most while it writes files (found by watching the files
change). After every kill each file holds exactly its original text or its fully fixed
text (that of an uninterrupted run on a copy), and nothing is missing. Some rounds start
from the original project, the others from what the killed run left. A last, normal run
then finishes the job and leaves no temporary file behind.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import textwrap
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from conftest import leftover_temp_files

from zlint.cli import main
from zlint.fixing.write import TEMP_SUFFIX

ZLINT = Path(sys.executable).with_name("zlint")
FOLDERS = ("ingest", "training", "serving")
MODULES_PER_FOLDER = 10
KILLS_ANYWHERE = 3
KILLS_WHILE_WRITING = 7
SEED = 20_260_127

pytestmark = [
    pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs POSIX signals"),
    pytest.mark.skipif(not ZLINT.exists(), reason="needs the installed zlint console script"),
]

MODULE = textwrap.dedent(
    """\
    from typing import Annotated

    from zenml import pipeline, step


    @step
    def clean_{n}(rows: list) -> Annotated[list, "cleaned_{n}"]:
        return rows


    @pipeline
    def training_{n}():
        train_rows = [1, 2]
        val_rows = [3, 4]
        clean_{n}(train_rows)
        clean_{n}(val_rows)
    """
)


def _write_project(root: Path) -> dict[Path, bytes]:
    """The project's modules (relative path -> original bytes), written under ``root``."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "pyproject.toml").write_text("[project]\nname = 'killed'\n", encoding="utf-8")
    originals: dict[Path, bytes] = {}
    for number in range(len(FOLDERS) * MODULES_PER_FOLDER):
        relative = Path(FOLDERS[number % len(FOLDERS)], f"module_{number}.py")
        (root / relative).parent.mkdir(exist_ok=True)
        originals[relative] = MODULE.format(n=number).encode()
        (root / relative).write_bytes(originals[relative])
    return originals


def _start(root: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [str(ZLINT), "fix", "."], cwd=root, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )


def _identities(root: Path) -> dict[str, int]:
    """Inode of every file in the project's folders (an ``os.replace`` changes it); from
    the folder listing, so a temporary file removed meanwhile does not count."""
    return {entry.path: entry.inode() for folder in FOLDERS for entry in os.scandir(root / folder)}


def _wait_until_writing(root: Path, process: subprocess.Popen[bytes]) -> bool:
    """Polls until a file is replaced or a temporary file appears or goes; False if the run
    ended first."""
    before = _identities(root)
    while process.poll() is None:
        if _identities(root) != before:
            return True
        time.sleep(0.0005)
    return False


def _time_to_write_all(root: Path, process: subprocess.Popen[bytes]) -> float:
    """From the first change in the folders until every module has been replaced."""
    before = {path: inode for path, inode in _identities(root).items() if path.endswith(".py")}
    assert _wait_until_writing(root, process)
    started = time.monotonic()
    while any(_identities(root).get(path) == inode for path, inode in before.items()):
        assert process.poll() is None, "the run ended before it wrote every file"
        time.sleep(0.0005)
    return time.monotonic() - started


@dataclass
class Tally:
    kills: int = 0
    #: Kills after which some files were fixed and others not: the kill hit the writes.
    partial: int = 0
    finished_first: int = 0
    #: The most temporary files killed runs had left behind at once.
    temp_files_left: int = 0
    fixed_counts: list[int] = field(default_factory=list)


def _check_state(
    root: Path, originals: dict[Path, bytes], fixed: dict[Path, bytes], tally: Tally
) -> None:
    """Every file is its original or its fixed text; only temporary files were added."""
    fixed_now = 0
    for relative, original in originals.items():
        content = (root / relative).read_bytes()  # FileNotFoundError: a file went missing
        assert content in (original, fixed[relative]), f"{relative} is neither: {content!r}"
        fixed_now += content == fixed[relative] != original
    extra = {
        path.relative_to(root)
        for path in root.rglob("*")
        if path.is_file() and path.relative_to(root) not in originals
    }
    temps = {path for path in extra if path.name.endswith(TEMP_SUFFIX)}
    assert extra - temps == {Path("pyproject.toml")}
    tally.temp_files_left = max(tally.temp_files_left, len(temps))
    tally.fixed_counts.append(fixed_now)
    tally.partial += 0 < fixed_now < len(originals)


def test_sigkill_during_fix_leaves_every_file_whole(tmp_path: Path) -> None:
    rng = random.Random(SEED)
    reference = tmp_path / "reference"
    originals = _write_project(reference)
    started = time.monotonic()
    process = _start(reference)
    write_window = _time_to_write_all(reference, process)
    _, err = process.communicate(timeout=120)
    duration = time.monotonic() - started
    assert process.returncode == 0, err.decode()
    fixed = {relative: (reference / relative).read_bytes() for relative in originals}
    assert all(fixed[relative] != originals[relative] for relative in originals)

    root = tmp_path / "project"
    _write_project(root)
    tally = Tally()
    rounds = ["anywhere"] * KILLS_ANYWHERE + ["writing"] * KILLS_WHILE_WRITING
    rng.shuffle(rounds)
    for kind in rounds:
        all_fixed = all((root / r).read_bytes() == fixed[r] for r in originals)
        if all_fixed or rng.random() < 0.5:  # else go on from what the last kill left
            for relative, original in originals.items():
                (root / relative).write_bytes(original)
        process = _start(root)
        if kind == "anywhere":
            time.sleep(rng.uniform(0, duration))
        elif _wait_until_writing(root, process):
            time.sleep(rng.uniform(0, write_window))
        process.send_signal(signal.SIGKILL)
        process.communicate(timeout=120)
        tally.kills += process.returncode == -signal.SIGKILL
        tally.finished_first += process.returncode == 0
        _check_state(root, originals, fixed, tally)

    assert tally.kills + tally.finished_first == len(rounds)
    assert tally.partial >= 1, f"no kill landed while files were written: {tally}"
    done = subprocess.run(
        [str(ZLINT), "fix", "."], cwd=root, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert {relative: (root / relative).read_bytes() for relative in originals} == fixed
    assert leftover_temp_files(root) == []
    print(f"\n{tally}", file=sys.__stderr__)


def test_a_killed_runs_temporary_files_are_removed_where_zlint_writes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _write_project(tmp_path)
    for folder in FOLDERS[1:]:  # the other folders have nothing left to fix
        for path in (tmp_path / folder).glob("*.py"):
            path.write_text("x = 1\n", encoding="utf-8")
    ingest, training = tmp_path / "ingest", tmp_path / "training"
    stale = [ingest / ".module_0.py.k3_x9a0b.zlint-tmp", ingest / ".gone.py.abcdefgh.zlint-tmp"]
    kept = [
        ingest / ".module_0.py.zlint-tmp",  # no random part: not a name zlint makes
        ingest / ".module_0.py.abcdefghi.zlint-tmp",  # 9 random characters
        ingest / "module_0.py.abcdefgh.zlint-tmp",  # no leading dot
        ingest / ".module_0.py.ABCDEFGH.zlint-tmp",  # mkstemp uses lower case only
        training / ".module_1.py.abcdefgh.zlint-tmp",  # zlint writes nothing there
    ]
    for path in [*stale, *kept]:
        path.write_bytes(b"half a file")
    folder_like_temp = ingest / ".dir.py.abcdefgh.zlint-tmp"
    folder_like_temp.mkdir()
    monkeypatch.chdir(tmp_path)
    assert main(["fix", "."]) == 0
    assert [path for path in stale if path.exists()] == []
    assert [path for path in kept if not path.exists()] == []
    assert folder_like_temp.is_dir()
