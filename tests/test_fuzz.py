"""Fuzzing ``zlint check``: generated and mutated programs never crash it, and its output is
the same on every run.

Programs come from hypothesmith (grammar-generated Python, placed as a module, in a pipeline
body and in a step body) and from the fixture projects with lines deleted, duplicated,
swapped and re-indented, step calls repeated, and files cut short. Each goes through
``zlint check`` in-process, twice: exit code 0 or 1, no internal error, identical output.
A last test checks the output does not depend on the hash seed.

The same kinds of programs (generated ones placed in a pipeline whose calls ZL001 fixes, and
mutations of the fixture projects that have fixable findings) also go through ``zlint fix
--unsafe-fixes --select ALL`` with each ZL001 strategy, on a copy: exit code 0 or 1, no
internal error, every file it changed still parses (CPython and LibCST), and a second fix
changes nothing.

The normal run is a fast, derandomized profile of a few seconds. ``ZLINT_FUZZ_LONG=1`` tries
thousands of random programs and prints how many it tried and how long it took.
"""

from __future__ import annotations

import contextlib
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import textwrap
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import hypothesmith
import libcst as cst
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from zlint.cli import main
from zlint.inputs import source

# What zlint.cli.main sets for LibCST's visitors, set up front: Hypothesis warns when an
# example changes it.
sys.setrecursionlimit(max(sys.getrecursionlimit(), 20_000))

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
LONG = os.environ.get("ZLINT_FUZZ_LONG") == "1"
PROFILE = settings(
    max_examples=2000 if LONG else 12,
    deadline=None,
    derandomize=not LONG,  # the normal run tries the same programs every time
    database=None,
    suppress_health_check=list(HealthCheck),
)

#: A line that calls something, alone or assigned: in a pipeline body, a step call.
CALL = re.compile(r"^\s+(?:[\w, ]+=\s*)?[\w.]+\(.*\)\s*(?:#.*)?$")
MUTATIONS = ("delete", "duplicate", "swap", "call-twice", "truncate", "indent", "dedent")
Mutation = tuple[str, int, int]

SEED_FILES = sorted(path.relative_to(FIXTURES) for path in FIXTURES.glob("*/**/*.py"))
#: Fixture projects with fixable findings: ``[*]`` in their expected output, or a fix case.
FIX_PROJECTS = sorted(
    {
        p.parent.relative_to(FIXTURES)
        for p in FIXTURES.glob("*/expected.txt")
        if "[*]" in p.read_text()
    }
    | {p.relative_to(FIXTURES) for p in FIXTURES.glob("fix_*/before")}
)
FIX_SEEDS = sorted(seed for seed in SEED_FILES if any(seed.is_relative_to(p) for p in FIX_PROJECTS))
STRATEGIES = ("metadata", "substitution", "factory")
#: Fixing runs zlint three to five times per program: fewer examples in the normal run.
FIX_PROFILE = settings(PROFILE, max_examples=1000 if LONG else 6)

PIPELINE_HOST = textwrap.dedent(
    """\
    from typing import Annotated
    from zenml import pipeline, step

    @step
    def clean(x: int) -> Annotated[int, "cleaned"]:
    {step_body}
        return x

    @pipeline
    def training():
        clean(1)
    {pipeline_body}
        clean(2)
    """
)


@dataclass
class Tally:
    """How many programs a test tried, for the long run's report."""

    name: str
    programs: int = 0
    exit_codes: dict[int, int] = field(default_factory=dict)
    started: float = field(default_factory=time.monotonic)
    #: ``zlint fix`` only: programs it changed, files it changed, fixes it had to revert.
    fixed_programs: int = 0
    fixed_files: int = 0
    reverted: int = 0

    def add(self, code: int) -> None:
        self.programs += 1
        self.exit_codes[code] = self.exit_codes.get(code, 0) + 1

    def report(self) -> None:
        seconds = time.monotonic() - self.started
        line = f"{self.name}: {self.programs} programs in {seconds:.1f} s, exit codes "
        line += ", ".join(f"{code}: {n}" for code, n in sorted(self.exit_codes.items()))
        if self.fixed_programs or self.reverted:
            line += f"; {self.fixed_programs} programs fixed ({self.fixed_files} files)"
            line += f", {self.reverted} reverted fixes"
        if LONG:
            print(f"\n{line}", file=sys.__stderr__)


@pytest.fixture(scope="module")
def fixture_copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture projects, copied once; each example edits one file and puts it back."""
    copy = tmp_path_factory.mktemp("fuzz") / "fixtures"
    shutil.copytree(FIXTURES, copy, ignore=shutil.ignore_patterns("__pycache__"))
    return copy


@contextlib.contextmanager
def _replaced(path: Path, text: str) -> Iterator[None]:
    original = path.read_bytes() if path.exists() else None
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    try:
        yield
    finally:
        if original is None:
            path.unlink()
        else:
            path.write_bytes(original)


def _check_twice(project: Path, capsys: pytest.CaptureFixture[str]) -> int:
    """``zlint check`` on the project, twice; the exit code, once both runs agree."""
    runs = []
    for _ in range(2):
        code = main(["check", str(project), "--output-format", "json"])
        out, err = capsys.readouterr()
        assert code in (0, 1), err
        assert "internal error" not in err and "Traceback" not in err, err
        json.loads(out)  # one whole JSON document
        runs.append((code, out))
    assert runs[0] == runs[1], "two runs printed different findings"
    return runs[0][0]


def _snapshot(project: Path) -> dict[Path, bytes]:
    return {p.relative_to(project): p.read_bytes() for p in project.rglob("*") if p.is_file()}


def _fix_twice(
    project: Path, strategy: str, capsys: pytest.CaptureFixture[str], tally: Tally
) -> None:
    """``zlint fix`` on the project, then again: the second run must change nothing."""
    command = ["fix", str(project), "--unsafe-fixes", "--select", "ALL", "--strategy", strategy]
    command += ["--output-format", "concise"]
    before = _snapshot(project)
    code = main(command)
    _, err = capsys.readouterr()
    assert code in (0, 1), err
    assert "internal error" not in err and "Traceback" not in err, err
    after = _snapshot(project)
    assert after.keys() == before.keys()
    changed = sorted(path for path in after if after[path] != before[path])
    for path in changed:
        text = source.decode(after[path])
        assert isinstance(text, str), (path, text)
        parsed = source.parse(text)  # CPython's compiler, then LibCST
        assert isinstance(parsed, cst.Module), (path, parsed, text)
    again = main(command)
    _, err_again = capsys.readouterr()
    assert again in (0, 1) and "internal error" not in err_again, err_again
    assert _snapshot(project) == after, f"a second fix changed files again: {err_again}"
    tally.add(code)
    tally.fixed_programs += bool(changed)
    tally.fixed_files += len(changed)
    tally.reverted += err.count("a fix would break the file")


@pytest.fixture(scope="module")
def scratch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("fix-fuzz")


@contextlib.contextmanager
def _project_copy(scratch: Path, fixture: Path) -> Iterator[Path]:
    """A fresh copy of a fixture project for one example (fixing edits several files)."""
    folder = Path(tempfile.mkdtemp(dir=scratch))
    copy = folder / fixture.name
    shutil.copytree(FIXTURES / fixture, copy, ignore=shutil.ignore_patterns("__pycache__"))
    try:
        yield copy
    finally:
        shutil.rmtree(folder, ignore_errors=True)


# --------------------------------------------------------------------------- mutations


def mutate(text: str, mutations: list[Mutation]) -> str:
    for kind, a, b in mutations:
        lines = text.splitlines(keepends=True)
        if not lines:
            return text
        i, j = a % len(lines), b % len(lines)
        if kind == "delete":
            del lines[i]
        elif kind == "duplicate":
            lines.insert(i, lines[i])
        elif kind == "swap":
            lines[i], lines[j] = lines[j], lines[i]
        elif kind == "call-twice":
            calls = [n for n, line in enumerate(lines) if CALL.match(line)]
            if calls:
                n = calls[a % len(calls)]
                lines.insert(n + 1 + b % 3, lines[n])  # again, right after or a little later
        elif kind == "truncate":
            return text[: a % (len(text) + 1)]
        elif kind == "indent":
            lines[i] = "    " + lines[i]
        elif kind == "dedent":
            lines[i] = lines[i].removeprefix("    ")
        text = "".join(lines)
    return text


MUTATION_LISTS = st.lists(
    st.tuples(st.sampled_from(MUTATIONS), st.integers(0, 10**6), st.integers(0, 10**6)),
    min_size=1,
    max_size=4,
)


def test_mutate_does_what_it_says() -> None:
    text = "a\n    step(1)\nb\n"
    assert mutate(text, [("delete", 0, 0)]) == "    step(1)\nb\n"
    assert mutate(text, [("swap", 0, 2)]) == "b\n    step(1)\na\n"
    assert mutate(text, [("call-twice", 0, 0)]) == "a\n    step(1)\n    step(1)\nb\n"
    assert mutate(text, [("truncate", 3, 0)]) == "a\n "
    assert mutate(text, [("dedent", 1, 0), ("indent", 0, 0)]) == "    a\nstep(1)\nb\n"


@pytest.fixture  # set up once per test, not per example
def mutated_tally() -> Iterator[Tally]:
    tally = Tally("mutated fixtures")
    yield tally
    tally.report()


@PROFILE
@given(seed=st.sampled_from(SEED_FILES), mutations=MUTATION_LISTS)
def test_mutated_fixtures_never_crash_zlint(
    fixture_copy: Path,
    capsys: pytest.CaptureFixture[str],
    mutated_tally: Tally,
    seed: Path,
    mutations: list[Mutation],
) -> None:
    target = fixture_copy / seed
    text = mutate((FIXTURES / seed).read_text(encoding="utf-8"), mutations)
    with _replaced(target, text):
        mutated_tally.add(_check_twice(fixture_copy / seed.parts[0], capsys))


@pytest.fixture  # set up once per test, not per example
def mutated_fix_tally() -> Iterator[Tally]:
    tally = Tally("mutated fixtures, fixed")
    yield tally
    tally.report()


@FIX_PROFILE
@given(
    seed=st.sampled_from(FIX_SEEDS),
    mutations=MUTATION_LISTS,
    strategy=st.sampled_from(STRATEGIES),
)
def test_mutated_fixtures_are_fixed_cleanly(
    scratch: Path,
    capsys: pytest.CaptureFixture[str],
    mutated_fix_tally: Tally,
    seed: Path,
    mutations: list[Mutation],
    strategy: str,
) -> None:
    fixture = next(p for p in FIX_PROJECTS if seed.is_relative_to(p))
    with _project_copy(scratch, fixture) as project:
        target = project / seed.relative_to(fixture)
        target.write_text(mutate((FIXTURES / seed).read_text(encoding="utf-8"), mutations))
        _fix_twice(project, strategy, capsys, mutated_fix_tally)


# --------------------------------------------------------------------------- generated programs


@pytest.fixture  # set up once per test, not per example
def generated_tally() -> Iterator[Tally]:
    tally = Tally("hypothesmith programs")
    yield tally
    tally.report()


def _placed(program: str, place: str) -> tuple[str, str]:
    """The file name and text that put a generated program somewhere zlint looks."""
    if place == "module":
        return "generated.py", "from zenml import pipeline, step\n" + program
    body = textwrap.indent(program, "    ") or "    pass\n"
    if place == "pipeline":
        return "generated.py", PIPELINE_HOST.format(step_body="", pipeline_body=body)
    return "generated.py", PIPELINE_HOST.format(step_body=body, pipeline_body="")


PROGRAMS = hypothesmith.from_grammar()
if LONG:
    PROGRAMS = PROGRAMS | hypothesmith.from_node()


@PROFILE
@given(program=PROGRAMS, place=st.sampled_from(["module", "pipeline", "step"]))
def test_generated_programs_never_crash_zlint(
    fixture_copy: Path,
    capsys: pytest.CaptureFixture[str],
    generated_tally: Tally,
    program: str,
    place: str,
) -> None:
    project = fixture_copy / "demo"
    name, text = _placed(program, place)
    with _replaced(project / name, text):
        generated_tally.add(_check_twice(project, capsys))


@pytest.fixture  # set up once per test, not per example
def generated_fix_tally() -> Iterator[Tally]:
    tally = Tally("hypothesmith programs, fixed")
    yield tally
    tally.report()


@FIX_PROFILE
@given(
    program=PROGRAMS,
    place=st.sampled_from(["module", "pipeline", "step"]),
    strategy=st.sampled_from(STRATEGIES),
)
def test_generated_programs_are_fixed_cleanly(
    scratch: Path,
    capsys: pytest.CaptureFixture[str],
    generated_fix_tally: Tally,
    program: str,
    place: str,
    strategy: str,
) -> None:
    # The host pipeline calls `clean` twice: ZL001 fixes the file around the program.
    with _project_copy(scratch, Path("demo")) as project:
        name, text = _placed(program, place)
        (project / name).write_text(text, encoding="utf-8", errors="surrogatepass")
        _fix_twice(project, strategy, capsys, generated_fix_tally)


# --------------------------------------------------------------------------- hash seeds


def test_output_does_not_depend_on_the_hash_seed(tmp_path: Path) -> None:
    """Every fixture project, each file mutated a little, checked by two fresh processes."""
    tree = tmp_path / "fixtures"
    shutil.copytree(FIXTURES, tree, ignore=shutil.ignore_patterns("__pycache__"))
    rng = random.Random(20_26)
    for seed in SEED_FILES:
        mutations = [(rng.choice(MUTATIONS), rng.randrange(10**6), rng.randrange(10**6))]
        if rng.random() < 0.5:
            (tree / seed).write_text(mutate((FIXTURES / seed).read_text("utf-8"), mutations))
    outputs = []
    for hash_seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": hash_seed}
        safe_path = ["-P"] if sys.version_info >= (3, 11) else []  # no imports from cwd
        command = [sys.executable, *safe_path, "-m", "zlint", "check", ".", "--output-format"]
        command.append("json")
        done = subprocess.run(
            command, cwd=tree, env=env, capture_output=True, text=True, timeout=300
        )
        assert done.returncode in (0, 1), done.stderr
        assert "internal error" not in done.stderr
        outputs.append(done.stdout)
    assert outputs[0] == outputs[1]
    assert json.loads(outputs[0])  # the fixtures have findings
