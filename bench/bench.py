#!/usr/bin/env python3
"""How fast zlint checks a large codebase, next to Ruff, Fixit and plain parsing.

    python bench/bench.py                  # ZenML 0.98.0's own source (1,432 files), 3 repeats
    python bench/bench.py --repeat 5       # more repeats; every figure is a median
    python bench/bench.py --scaling        # generated ZenML projects of 100 ... 20,000 files
    python bench/bench.py --scaling --sizes 100,1000,5000
    python bench/bench.py --profile        # where one cold zlint run on the corpus spends time
    python bench/bench.py --rev HEAD       # measure zlint as committed, not the work tree

Run it with the project's interpreter (``.venv/bin/python bench/bench.py``): zlint, LibCST and
Ruff are taken from there. Everything downloaded or generated goes to ``bench/.cache/``
(ignored by git); the table is printed and written to ``bench/results.md``, whose other
sections (``--scaling``, ``--profile``) are kept.

Every timed command runs in a fresh process ("cold": nothing is cached between runs, zlint
has no cache). The repeats are interleaved (first run of every command, then the second, ...)
so that load from other processes on the machine falls on all of them alike. Byte-code is
cached (in ``bench/.cache/pycache``) as it is for an installed package, even when the
environment sets ``PYTHONDONTWRITEBYTECODE``. CPU time and peak memory come from ``wait4``:
they include the command's child processes (Fixit's workers); Ruff uses threads.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import pstats
import re
import shutil
import statistics
import subprocess
import sys
import time
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
CACHE = BENCH / ".cache"
CORPUS = CACHE / "corpus"
LOGS = CACHE / "logs"
RESULTS = BENCH / "results.md"

ZENML_VERSION = "0.98.0"
RUFF_RULES = "E9,F63,F7,F82"
DEFAULT_SIZES = (100, 1_000, 5_000, 20_000)
#: Bump when the generator changes, so that cached synthetic projects are made anew.
GENERATOR_VERSION = "1"
#: The small multi-module project of the pre-commit style run, and its larger sibling.
ONEFILE_SIZE = 60
ONEFILE_LARGE_SIZE = 1_000

AST_PARSE = """
import ast, os, sys
count = 0
for folder, _, names in os.walk(sys.argv[1]):
    for name in names:
        if name.endswith(".py"):
            with open(os.path.join(folder, name), "rb") as f:
                ast.parse(f.read())
            count += 1
print(count, "files")
"""

CST_PARSE = AST_PARSE.replace("import ast,", "import libcst,").replace(
    "ast.parse(", "libcst.parse_module("
)

COUNT_ZLINT_FILES = """
import sys
from pathlib import Path
from zlint import config
from zlint.inputs import files
targets = [Path(p).absolute() for p in sys.argv[1:]]
settings = config.resolve_settings(targets)
found = files.discover(targets, settings)
print(len(found.reported), len(found.project))
"""

#: One zlint run in-process without a profiler, timing phases by wrapping zlint's functions.
#: CPU time (the run is single-threaded), so that other load on the machine does not count.
#: Times are exclusive: a parse that a rule triggers (modules load lazily) counts as parsing.
#: Names that a zlint version lacks are skipped; reading files counts as "everything else".
#: Prints JSON: the total, {phase: seconds}, and the time spent in the cyclic GC.
TIMED_RUN = """
import gc, json, os, sys, time
if os.environ.get("BENCH_GC_OFF"):
    gc.disable()
gc_time, gc_began = [0.0], [0.0]
def on_gc(phase, info):
    if phase == "start":
        gc_began[0] = time.process_time()
    else:
        gc_time[0] += time.process_time() - gc_began[0]
gc.callbacks.append(on_gc)
start = time.process_time()
from zlint import cli, engine
from zlint.inputs import files
from zlint.inputs import source
from zlint.rules import registry
imported = time.process_time()
spent, stack = {}, []
def timed(name, owner, attr):
    function = getattr(owner, attr, None)
    if function is None:
        return
    def wrapper(*args, **kwargs):
        stack.append(0.0)
        began = time.process_time()
        try:
            return function(*args, **kwargs)
        finally:
            elapsed = time.process_time() - began
            nested = stack.pop()
            spent[name] = spent.get(name, 0.0) + elapsed - nested
            if stack:
                stack[-1] += elapsed
    setattr(owner, attr, wrapper)
timed("finding files (files.discover)", files, "discover")
timed("LibCST parsing (source.parse)", source, "parse")
timed("syntax check, CPython compile (source.check_syntax)", source, "check_syntax")
timed("pipeline analysis (engine._analyse_pipelines)", engine, "_analyse_pipelines")
for rule in registry.RULES:
    timed(f"rule {rule.code} {rule.name}", rule, "check")
try:
    from zlint.fastpath import triage
    # Per file: the sorting is a generator consumed as the run goes (and, since it starts
    # before LibCST is imported, `sort_files` returns at once).
    sorter = getattr(triage, "Sorter", None)
    if sorter is not None:
        timed("sorting reported files: reading, text and ast tests (triage)", sorter, "verdict")
    else:
        timed("sorting reported files: reading, prefilter, compile (triage)", triage, "sort_files")
except ImportError:
    pass
sys.argv = ["zlint", "check", *sys.argv[1:], "--output-format", "concise", "--exit-zero"]
sys.stdout = open(os.devnull, "w")
try:
    cli.main()
except SystemExit:
    pass
total = time.process_time() - start
spent["importing zlint and LibCST"] = imported - start
spent["everything else"] = total - sum(spent.values())
sys.stdout = sys.__stdout__
print(json.dumps({"total": total, "phases": spent, "gc": gc_time[0]}))
"""


# --------------------------------------------------------------------------- running


@dataclass(frozen=True)
class Sample:
    wall: float  # seconds
    cpu: float  # user + system seconds, children included
    rss_mib: float  # peak resident set size
    returncode: int


@dataclass
class Bench:
    key: str
    label: str
    argv: list[str]
    ok_codes: tuple[int, ...] = (0,)
    optional: bool = False  # a failure drops this command instead of ending the benchmark
    samples: list[Sample] = field(default_factory=list)
    failure: str | None = None

    def median(self, attr: str) -> float:
        return float(statistics.median(getattr(s, attr) for s in self.samples))

    @property
    def peak_rss(self) -> float:
        return max(s.rss_mib for s in self.samples)


#: Where the measured ``zlint`` package lives: the work tree, or a commit's snapshot (--rev).
ZLINT_SRC = REPO
ZLINT_REV: str | None = None


def use_revision(rev: str) -> None:
    """Measure zlint as committed at ``rev``: ``git archive`` into bench/.cache (read-only git).

    Handy while the work tree is being edited: the numbers then belong to one known commit.
    """
    global ZLINT_SRC, ZLINT_REV
    commit = subprocess.run(
        ["git", "-C", str(REPO), "rev-parse", "--short", rev],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    target = CACHE / f"zlint-{commit}"
    if not (target / "zlint" / "__init__.py").exists():
        target.mkdir(parents=True, exist_ok=True)
        archive = subprocess.run(
            ["git", "-C", str(REPO), "archive", commit, "zlint"], capture_output=True, check=True
        ).stdout
        subprocess.run(["tar", "-x", "-C", str(target)], input=archive, check=True)
    ZLINT_SRC, ZLINT_REV = target, commit


def child_env() -> dict[str, str]:
    env = dict(os.environ)
    if ZLINT_SRC != REPO:  # ahead of the editable install's path entry
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ZLINT_SRC), env.get("PYTHONPATH")]))
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(CACHE / "pycache")
    env["NO_COLOR"] = "1"
    return env


def run_once(bench: Bench, log_name: str) -> Sample:
    """Run ``bench.argv`` in a fresh process; its output goes to ``bench/.cache/logs``."""
    LOGS.mkdir(parents=True, exist_ok=True)
    out_path = LOGS / f"{log_name}.out"
    err_path = LOGS / f"{log_name}.err"
    with out_path.open("wb") as out, err_path.open("wb") as err:
        start = time.perf_counter()
        proc = subprocess.Popen(bench.argv, stdout=out, stderr=err, cwd=CACHE, env=child_env())
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)  # wait4 reaped it; tell Popen
    if proc.returncode not in bench.ok_codes:
        tail = err_path.read_text(errors="replace")[-2000:]
        raise RuntimeError(
            f"{bench.label}: exit code {proc.returncode}\n  {' '.join(bench.argv)}\n{tail}"
        )
    return Sample(
        wall=wall,
        cpu=usage.ru_utime + usage.ru_stime,
        rss_mib=usage.ru_maxrss / 1024,  # KiB on Linux
        returncode=proc.returncode,
    )


def run_interleaved(benches: Sequence[Bench], repeat: int) -> None:
    for rep in range(1, repeat + 1):
        for bench in benches:
            if bench.failure:
                continue
            try:
                sample = run_once(bench, f"{bench.key}-{rep}")
            except RuntimeError as exc:
                if not bench.optional:
                    raise
                bench.failure = str(exc).splitlines()[0]
                print(f"  {bench.label}: failed, skipped: {bench.failure}", flush=True)
                continue
            bench.samples.append(sample)
            print(
                f"  [{rep}/{repeat}] {bench.label:<58} {sample.wall:8.2f} s wall"
                f" {sample.cpu:8.2f} s cpu {sample.rss_mib:7.0f} MiB",
                flush=True,
            )


def output_of(argv: Sequence[str], **kwargs: object) -> str:
    kwargs.setdefault("env", child_env())
    try:
        run: Callable[..., subprocess.CompletedProcess[str]] = subprocess.run
        done = run(argv, capture_output=True, text=True, check=False, **kwargs)
    except OSError as exc:
        return f"unavailable ({exc})"
    lines = (done.stdout.strip() or done.stderr.strip()).splitlines()
    return lines[0] if lines else ""


# --------------------------------------------------------------------------- tools


def project_python() -> str:
    """An interpreter that imports zlint: this one, or the project's venv."""
    candidates = [sys.executable, str(REPO / ".venv" / "bin" / "python")]
    for python in candidates:
        probe = [python, "-c", "import zlint, libcst"]
        if (
            Path(python).exists()
            and not subprocess.run(probe, capture_output=True, env=child_env()).returncode
        ):
            return python
    sys.exit("bench: zlint is not importable; run with the project's venv python")


def ruff_binary(python: str) -> str | None:
    beside = Path(python).parent / "ruff"
    if beside.exists():
        return str(beside)
    return shutil.which("ruff")


def fixit_command(python: str) -> tuple[list[str] | None, str]:
    """``fixit``'s command line, installing it into a venv of its own when needed."""
    probe = [python, "-c", "import fixit"]
    if subprocess.run(probe, capture_output=True).returncode == 0:
        return [python, "-m", "fixit"], "from the project's environment"
    venv = CACHE / "fixit-venv"
    venv_python = venv / "bin" / "python"
    if (
        not venv_python.exists()
        or subprocess.run([str(venv_python), "-c", "import fixit"], capture_output=True).returncode
    ):
        print("installing fixit into bench/.cache/fixit-venv ...", flush=True)
        try:
            subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
            subprocess.run(
                [str(venv_python), "-m", "pip", "install", "-q", "fixit"],
                check=True,
                timeout=600,
            )
        except (subprocess.SubprocessError, OSError) as exc:
            return None, f"could not be installed ({exc})"
    return [str(venv_python), "-m", "fixit"], "in bench/.cache/fixit-venv"


def package_version(python: str, name: str) -> str:
    code = f"import importlib.metadata as m; print(m.version({name!r}))"
    return output_of([python, "-c", code])


# --------------------------------------------------------------------------- corpus


def prepare_corpus(python: str) -> tuple[int, int]:
    """Unpack ZenML's own source into bench/.cache/corpus; the number of files and lines."""
    marker = CORPUS / ".complete"
    if not marker.exists():
        wheel = _download_wheel(python)
        if CORPUS.exists():
            shutil.rmtree(CORPUS)
        CORPUS.mkdir(parents=True)
        with zipfile.ZipFile(wheel) as archive:
            for name in archive.namelist():
                if name.startswith("zenml/"):
                    archive.extract(name, CORPUS)
        # A project root of its own, so that neither zlint nor Ruff reads this repo's settings.
        (CORPUS / "pyproject.toml").write_text(
            '[project]\nname = "zenml-corpus"\nversion = "0"\n\n[tool.ruff]\n\n[tool.zlint]\n'
        )
        marker.write_text(ZENML_VERSION)
    files = sorted(CORPUS.rglob("*.py"))
    lines = sum(path.read_bytes().count(b"\n") for path in files)
    return len(files), lines


def _download_wheel(python: str) -> Path:
    pattern = f"zenml-{ZENML_VERSION}-*.whl"
    found = sorted(CACHE.glob(pattern))
    if not found:
        print(f"downloading the zenml=={ZENML_VERSION} wheel ...", flush=True)
        command = [python, "-m", "pip", "download", "--no-deps", "--only-binary=:all:"]
        subprocess.run([*command, "-d", str(CACHE), f"zenml=={ZENML_VERSION}"], check=True)
        found = sorted(CACHE.glob(pattern))
    return found[0]


# --------------------------------------------------------------------------- synthetic projects

#: What each position of a 50-file package holds; position 0 is its ``__init__.py``.
#: Then every block of ten positions repeats the same mix of kinds.
KINDS = (
    "plain",
    "steps",
    "constants",
    "steps",
    "plain",
    "pipeline",
    "steps",
    "plain",
    "pipeline",
    "plain",
)
PACKAGE_SIZE = 50


def _kind(position: int) -> str:
    return "init" if position == 0 else KINDS[position % len(KINDS)]


def _module_name(position: int) -> str:
    return f"{_kind(position)}_{position:02d}"


def synthetic_project(size: int) -> Path:
    """A generated ZenML project of exactly ``size`` Python files under ``bench/.cache``.

    Packages of 50 files mix step modules, pipelines that call steps from their own package
    and from the package before (relative, absolute and module-attribute imports), constants
    modules that name the artifacts, and plain modules without ZenML.
    """
    root = CACHE / "synthetic" / str(size)
    marker = root / ".complete"
    if marker.exists() and marker.read_text() == GENERATOR_VERSION:
        return root
    if root.exists():
        shutil.rmtree(root)
    app = root / "app"
    app.mkdir(parents=True)
    (root / "pyproject.toml").write_text(f'[project]\nname = "synthetic-{size}"\nversion = "0"\n')
    (app / "__init__.py").write_text('"""A generated ZenML project for bench/bench.py."""\n')
    written = 1
    package = 0
    while written < size:
        count = min(PACKAGE_SIZE, size - written)
        folder = app / f"pkg{package:04d}"
        folder.mkdir()
        for position in range(count):
            name = "__init__" if position == 0 else _module_name(position)
            text = _module_text(package, position, count)
            (folder / f"{name}.py").write_text(text)
        written += count
        package += 1
    marker.write_text(GENERATOR_VERSION)
    return root


def _positions(kind: str, count: int) -> list[int]:
    return [p for p in range(1, count) if _kind(p) == kind]


def _module_text(package: int, position: int, count: int) -> str:
    kind = _kind(position)
    steps = _positions("steps", count)
    constants = _positions("constants", count)
    if kind == "init":
        exported = [f"{_module_name(p)}" for p in steps[:2]]
        return f'"""Package {package}."""\n\n' + "".join(
            f"from . import {name}\n" for name in exported
        )
    if kind == "constants":
        names = "".join(f'FEATURES_{p:02d} = "features_{package}_{p}"\n' for p in steps)
        return (
            f'"""Artifact names and settings of package {package}."""\n\n{names}'
            'SPLITS = ("train", "val", "test")\nEPOCHS = 5\nLEARNING_RATE = 0.01\n'
        )
    if kind == "steps":
        return _steps_module(package, position, constants[0] if constants else None)
    if kind == "pipeline":
        return _pipeline_module(package, position, steps, constants[0] if constants else None)
    return _plain_module(package, position)


def _steps_module(package: int, position: int, constants: int | None) -> str:
    p = f"{position:02d}"
    if constants is not None:
        imports = f"from .{_module_name(constants)} import FEATURES_{p}\n"
        features = f"FEATURES_{p}"
    else:
        imports, features = "", f'"features_{package}_{p}"'
    return f'''"""Steps of package {package}, module {position}."""

from typing import Annotated

from zenml import ArtifactConfig, step

{imports}

@step
def load_{p}(path: str) -> Annotated[dict, "raw_{package}_{p}"]:
    rows = {{"path": path, "rows": list(range(10))}}
    return rows


@step
def clean_{p}(data: dict, prefix: str = "") -> Annotated[dict, "clean_{package}_{p}"]:
    return {{key: value for key, value in data.items() if value is not None}}


@step(enable_cache=False)
def featurize_{p}(data: dict) -> Annotated[dict, ArtifactConfig(name={features})]:
    return {{"features": sorted(data)}}


@step
def train_{p}(features: dict, epochs: int = 5) -> Annotated[float, "score_{package}_{p}"]:
    total = 0.0
    for epoch in range(epochs):
        total += epoch * 0.1
    return total
'''


def _pipeline_module(package: int, position: int, steps: list[int], constants: int | None) -> str:
    own = [s for s in steps if s < position] or steps[:1]
    first = f"{own[0]:02d}"
    last = f"{own[-1]:02d}"
    lines = [
        f'"""Pipeline of package {package}, module {position}."""',
        "",
        "from zenml import pipeline",
        "",
    ]
    if package > 0:
        lines.append(f"from app.pkg{package - 1:04d} import {_module_name(steps[0])} as upstream")
    if constants is not None:
        lines.append(f"from .{_module_name(constants)} import EPOCHS, SPLITS")
    if own[-1] != own[0]:
        lines.append(f"from .{_module_name(own[0])} import clean_{first}, load_{first}")
        lines.append(f"from .{_module_name(own[-1])} import featurize_{last}, train_{last}")
    else:
        names = f"clean_{first}, featurize_{first}, load_{first}, train_{first}"
        lines.append(f"from .{_module_name(own[0])} import {names}")
    body = [
        "",
        "",
        "@pipeline(enable_cache=True)",
        f'def training_{position:02d}(path: str = "data.csv") -> None:',
        f"    raw = load_{first}(path)",
    ]
    if package > 0:
        body.append(f'    extra = upstream.load_{steps[0]:02d}(path, id="upstream_load")')
    body.append(f'    train = clean_{first}(raw, prefix="train")')
    if position % 2:  # half the pipelines clean two splits with the same step
        body.append(f'    test = clean_{first}(raw, prefix="test")')
    body.append(f"    features = featurize_{last}(train)")
    epochs = "EPOCHS" if constants is not None else "5"
    body.append(f"    train_{last}(features, epochs={epochs})")
    if constants is not None:
        body += [
            "    for split in SPLITS:",
            f'        clean_{first}(raw, prefix=split, id=f"clean_{{split}}")',
        ]
    body += ["", "", 'if __name__ == "__main__":', f"    training_{position:02d}()", ""]
    return "\n".join(lines + body)


def _plain_module(package: int, position: int) -> str:
    p = f"{position:02d}"
    return f'''"""Helpers of package {package}, module {position}: no ZenML here."""

import math
from dataclasses import dataclass


@dataclass
class Record{p}:
    name: str
    value: float

    def scaled(self, factor: float) -> float:
        return self.value * factor


def summarize_{p}(values: list[float]) -> dict[str, float]:
    if not values:
        return {{"count": 0, "mean": 0.0}}
    mean = sum(values) / len(values)
    spread = sum((value - mean) ** 2 for value in values) / len(values)
    return {{"count": len(values), "mean": mean, "std": math.sqrt(spread)}}


def chunks_{p}(items: list[int], size: int) -> list[list[int]]:
    return [items[i : i + size] for i in range(0, len(items), size)]
'''


def pipeline_file(root: Path) -> Path:
    """A pipeline file of the project's last full package: it imports steps from two packages."""
    packages = sorted((root / "app").glob("pkg*"))
    for folder in reversed(packages):
        found = sorted(folder.glob("pipeline_*.py"))
        if found and folder.name != "pkg0000":
            return found[-1]
    raise RuntimeError(f"no pipeline file in {root}")


def plain_file(root: Path) -> Path:
    """A module of the project with no step, pipeline or ZenML call: a commit that touches
    only such files is checked without LibCST."""
    return sorted((root / "app").glob("pkg*/plain_*.py"))[-1]


# --------------------------------------------------------------------------- modes


def zlint_check(python: str, *paths: Path, cached: bool = False) -> list[str]:
    """Cold runs pass --no-cache; cached runs share one cache folder in bench/.cache."""
    cache = ["--cache-dir", str(CACHE / "zlint-cache")] if cached else ["--no-cache"]
    return [
        python,
        "-m",
        "zlint",
        "check",
        *map(str, paths),
        "--output-format",
        "concise",
        "--exit-zero",
        *cache,
    ]


def edit_then(path: Path, argv: list[str]) -> list[str]:
    """``argv`` right after appending a comment to ``path`` (an edit the cache must see)."""
    edit = f'printf "# edited %s\\n" "$(date +%s%N)" >> "{path}"'
    return ["sh", "-c", f'{edit} && exec "$@"', "sh", *argv]


def ruff_check(ruff: str, path: Path, cached: bool) -> list[str]:
    cache = ["--cache-dir", str(CACHE / "ruff-cache")] if cached else ["--no-cache"]
    return [ruff, "check", "--select", RUFF_RULES, *cache, "--exit-zero", str(path)]


def corpus_mode(python: str, repeat: int, extra_onefile: bool) -> str:
    files, lines = prepare_corpus(python)
    print(f"corpus: bench/.cache/corpus, {files:,} files, {lines:,} lines", flush=True)
    small = synthetic_project(ONEFILE_SIZE)
    target = pipeline_file(small)
    ruff = ruff_binary(python)
    fixit, fixit_note = fixit_command(python)

    benches = [
        Bench("zlint", "zlint check, corpus (cold)", zlint_check(python, CORPUS)),
        Bench(
            "zlint-warm",
            "zlint check, corpus (warm cache, nothing changed)",
            zlint_check(python, CORPUS, cached=True),
        ),
        Bench(
            "zlint-onefile",
            f"zlint check, one pipeline file ({ONEFILE_SIZE}-file project, no cache)",
            zlint_check(python, target),
        ),
        Bench(
            "zlint-onefile-edited",
            f"zlint check, one pipeline file just edited ({ONEFILE_SIZE}-file project, warm cache)",
            edit_then(target, zlint_check(python, target, cached=True)),
        ),
        Bench(
            "zlint-onefile-plain",
            f"zlint check, one plain module ({ONEFILE_SIZE}-file project, no cache)",
            zlint_check(python, plain_file(small)),
        ),
    ]
    if extra_onefile:
        large = synthetic_project(ONEFILE_LARGE_SIZE)
        benches.append(
            Bench(
                "zlint-onefile-large",
                f"zlint check, one pipeline file ({ONEFILE_LARGE_SIZE:,}-file project)",
                zlint_check(python, pipeline_file(large)),
            )
        )
    if ruff:
        benches += [
            Bench("ruff", f"Ruff {RUFF_RULES}, --no-cache", ruff_check(ruff, CORPUS, False)),
            Bench("ruff-cached", f"Ruff {RUFF_RULES}, warm cache", ruff_check(ruff, CORPUS, True)),
        ]
    if fixit:
        config = ["--config-file", str(BENCH / "fixit.toml")]
        # Fixit exits 1 when its rule reports something.
        benches.append(
            Bench(
                "fixit",
                "Fixit lint, one trivial rule",
                [*fixit, *config, "lint", str(CORPUS)],
                ok_codes=(0, 1),
                optional=True,
            )
        )
    benches += [
        Bench("cst", "LibCST parse_module, every file", [python, "-c", CST_PARSE, str(CORPUS)]),
        Bench("ast", "stdlib ast.parse, every file", [python, "-c", AST_PARSE, str(CORPUS)]),
        Bench("import-libcst", 'python -c "import libcst"', [python, "-c", "import libcst"]),
        Bench("pass", "python -c pass", [python, "-c", "pass"]),
    ]

    print("warming up (byte-code, page cache, Ruff's cache) ...", flush=True)
    for path in CORPUS.rglob("*.py"):
        path.read_bytes()
    warmups = [
        [python, "-m", "zlint", "rules"],
        [python, "-c", "import libcst"],
        zlint_check(python, CORPUS, cached=True),
        zlint_check(python, target, cached=True),
    ]
    if ruff:
        warmups.append(ruff_check(ruff, CORPUS, True))
    if fixit:
        warmups.append([*fixit, "--help"])
    for argv in warmups:
        subprocess.run(argv, capture_output=True, cwd=CACHE, env=child_env(), check=False)

    counts = _file_counts(python, ruff, target)
    load_before = os.getloadavg()
    print(f"timing {len(benches)} commands, {repeat} runs each (interleaved) ...", flush=True)
    run_interleaved(benches, repeat)
    load_after = os.getloadavg()

    failed = [b for b in benches if b.failure]
    benches = [b for b in benches if not b.failure]
    by_key = {b.key: b for b in benches}
    zlint = by_key["zlint"]
    rows = []
    for bench in benches:
        ratio = zlint.median("wall") / bench.median("wall")
        rows.append(
            f"| {bench.label} | {bench.median('wall'):.2f} | {bench.median('cpu'):.2f} "
            f"| {bench.peak_rss:.0f} | {ratio:.2f}x |"
        )
    ratios = []
    for key, name in (
        ("ruff", "Ruff (no cache)"),
        ("ruff-cached", "Ruff (warm cache)"),
        ("fixit", "Fixit (one trivial rule)"),
        ("cst", "LibCST parsing alone"),
        ("ast", "stdlib ast parsing alone"),
    ):
        if key in by_key:
            other = by_key[key]
            wall = zlint.median("wall") / other.median("wall")
            cpu = zlint.median("cpu") / other.median("cpu")
            # Below 1x, say it the other way round: "Fixit takes 19.7x as long".
            ratios.append(
                f"- zlint vs {name}: {wall:.1f}x the wall time, {cpu:.1f}x the CPU time"
                if wall >= 1
                else f"- zlint vs {name}: it takes {1 / wall:.1f}x zlint's wall time,"
                f" {1 / cpu:.1f}x its CPU time"
            )
    if not fixit:
        ratios.append(f"- Fixit: skipped, {fixit_note}")
    ratios += [f"- {b.label}: skipped, it failed here ({b.failure})" for b in failed]
    per_1k = zlint.median("wall") / files * 1000
    cpu_per_1k = zlint.median("cpu") / files * 1000
    versions = _versions(python, ruff, fixit)
    text = [
        f"Corpus: the `zenml/` package of the zenml=={ZENML_VERSION} wheel: {files:,} files,"
        f" {lines:,} lines. {counts}",
        "",
        f"Medians of {repeat} interleaved runs, each a fresh process. `zlint ÷ this`: zlint's"
        " median wall time divided by this row's.",
        "",
        "| command | wall s | CPU s | peak RSS MiB | zlint ÷ this |",
        "| --- | ---: | ---: | ---: | ---: |",
        *rows,
        "",
        *ratios,
        f"- zlint: {per_1k:.2f} s wall ({cpu_per_1k:.2f} s CPU) per 1,000 files, peak memory"
        f" {zlint.peak_rss:.0f} MiB.",
        "",
        "Commands: `python -m zlint check bench/.cache/corpus --output-format concise"
        f" --exit-zero`; the one-file rows pass one pipeline file of a generated project (such as"
        f" `{target.relative_to(small)}`), as pre-commit does; its steps, step modules and constants"
        " live in other modules and packages;"
        f" `ruff check --select {RUFF_RULES} --no-cache` (or `--cache-dir`, after one warm-up"
        " run); `fixit --config-file bench/fixit.toml lint` with only the rule in"
        " `bench/fixit_trivial_rule.py`"
        f" (Fixit {fixit_note}, which lints files in parallel worker processes); the parse rows"
        " read and parse every `.py` file in one process.",
        "",
        _machine(python, versions, load_before, load_after),
    ]
    return "\n".join(text)


def _file_counts(python: str, ruff: str | None, target: Path) -> str:
    zlint = output_of([python, "-c", COUNT_ZLINT_FILES, str(CORPUS)], cwd=CACHE).split()
    onefile = output_of([python, "-c", COUNT_ZLINT_FILES, str(target)], cwd=CACHE).split()
    parts = []
    if len(zlint) == 2:
        parts.append(f"zlint reports on {zlint[0]} files")
    if len(onefile) == 2:
        parts.append(f"the one-file run reports on {onefile[0]} of {onefile[1]} project files")
    if ruff:
        listed = subprocess.run(
            [ruff, "check", "--select", RUFF_RULES, "--no-cache", "--show-files", str(CORPUS)],
            capture_output=True,
            text=True,
            check=False,
        )
        count = sum(1 for line in listed.stdout.splitlines() if line.strip().endswith(".py"))
        parts.append(f"Ruff checks {count}")
    return ("Sanity: " + ", ".join(parts) + ".") if parts else ""


def scaling_mode(python: str, repeat: int, sizes: Sequence[int]) -> str:
    ruff = ruff_binary(python)
    projects = {size: synthetic_project(size) for size in sizes}
    benches: list[Bench] = []
    for size, root in projects.items():
        benches.append(Bench(f"zlint-{size}", f"zlint, {size:,} files", zlint_check(python, root)))
        if ruff:
            benches.append(
                Bench(f"ruff-{size}", f"Ruff, {size:,} files", ruff_check(ruff, root, False))
            )
    subprocess.run(
        [python, "-m", "zlint", "rules"],
        capture_output=True,
        cwd=CACHE,
        env=child_env(),
        check=False,
    )
    load_before = os.getloadavg()
    print(f"timing {len(benches)} commands, {repeat} runs each (interleaved) ...", flush=True)
    run_interleaved(benches, repeat)
    load_after = os.getloadavg()
    by_key = {b.key: b for b in benches}
    rows = []
    for size, root in projects.items():
        zlint = by_key[f"zlint-{size}"]
        lines = sum(p.read_bytes().count(b"\n") for p in root.rglob("*.py"))
        ruff_cell = "n/a"
        if f"ruff-{size}" in by_key:
            ruff_cell = f"{by_key[f'ruff-{size}'].median('wall'):.2f}"
        rows.append(
            f"| {size:,} | {lines:,} | {zlint.median('wall'):.2f} | {zlint.median('cpu'):.2f} "
            f"| {zlint.median('wall') / size * 1000:.2f} | {zlint.median('cpu') / size * 1000:.2f}"
            f" | {zlint.peak_rss:.0f} | {ruff_cell} |"
        )
    text = [
        "Generated ZenML projects (`bench/.cache/synthetic/N`): packages of 50 files mixing step"
        " modules, pipelines that call steps of their own and of the previous package, constants"
        " modules and plain modules; `zlint check <project>` in a fresh process, medians of"
        f" {repeat} interleaved runs.",
        "",
        "| files | lines | zlint wall s | zlint CPU s | wall s per 1,000 files"
        f" | CPU s per 1,000 files | peak RSS MiB | Ruff {RUFF_RULES} wall s |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
        *rows,
        "",
        _machine(python, _versions(python, ruff, None), load_before, load_after),
    ]
    return "\n".join(text)


def _one_cold_process() -> dict[str, str]:
    """No result cache (a cold run) and no worker processes (profilers and CPU clocks see
    only this one)."""
    return {**child_env(), "ZLINT_NO_CACHE": "1", "ZLINT_WORKERS": "1"}


def profile_mode(python: str, top: int) -> str:
    prepare_corpus(python)
    out = CACHE / "zlint.prof"
    argv = [
        python,
        "-m",
        "cProfile",
        "-o",
        str(out),
        "-m",
        "zlint",
        "check",
        str(CORPUS),
        "--output-format",
        "concise",
        "--exit-zero",
    ]
    subprocess.run(argv, capture_output=True, cwd=CACHE, env=_one_cold_process(), check=True)
    stats = pstats.Stats(str(out))
    raw: dict[tuple[str, int, str], tuple[int, int, float, float, object]] = stats.stats  # type: ignore[attr-defined]
    total = max(ct for (_, _, _, ct, _) in raw.values())
    zlint_dir = str(ZLINT_SRC / "zlint")
    rows = []
    entries = [(key, value) for key, value in raw.items() if key[0].startswith(zlint_dir)]
    entries.sort(key=lambda item: item[1][3], reverse=True)
    for (filename, line, function), (_, calls, tottime, cumtime, _) in entries[:top]:
        where = f"{Path(filename).relative_to(ZLINT_SRC)}:{line}"
        rows.append(f"| `{function}` | `{where}` | {calls:,} | {tottime:.2f} | {cumtime:.2f} |")
    parse = sum(v[3] for k, v in raw.items() if k[2] == "parse_module" and "libcst" in k[0])
    rules = [
        (function, filename, cumtime)
        for (filename, _, function), (_, _, _, cumtime, _) in raw.items()
        if function == "check" and re.search(r"/rules/zl\d{3}_", filename) and cumtime >= 0.005
    ]
    rules.sort(key=lambda item: item[2], reverse=True)
    timed_run = [python, "-c", TIMED_RUN, str(CORPUS)]
    timed = json.loads(output_of(timed_run, cwd=CACHE, env=_one_cold_process()))
    gc_off = json.loads(
        output_of(timed_run, cwd=CACHE, env={**_one_cold_process(), "BENCH_GC_OFF": "1"})
    )
    phases = sorted(timed["phases"].items(), key=lambda item: item[1], reverse=True)
    text = [
        f"One cold `zlint check` of the corpus in-process, no profiler: {timed['total']:.1f} s"
        " of CPU time. Exclusive CPU time per phase (a module parsed lazily while a rule resolves an import"
        " counts as parsing, not as the rule):",
        "",
        "| phase | s | share |",
        "| --- | ---: | ---: |",
        *(
            f"| {name} | {seconds:.2f} | {seconds / timed['total']:.0%} |"
            for name, seconds in phases
            if seconds >= 0.005
        ),
        "",
        f"Python's cyclic garbage collector took {timed['gc']:.2f} s of that run (inside the"
        " phases above: zlint keeps every parsed tree, so each full collection walks them all)."
        f" The same run with `gc.disable()`: {gc_off['total']:.1f} s, LibCST parsing"
        f" {gc_off['phases'].get('LibCST parsing (source.parse)', 0.0):.2f} s.",
        "",
        f"One cold `zlint check` of the corpus under cProfile: {total:.1f} s in all (cProfile"
        f" slows Python code down), {parse:.1f} s of it in `libcst.parse_module`. The"
        f" {top} zlint functions with the most cumulative time:",
        "",
        "| function | where | calls | own s | cumulative s |",
        "| --- | --- | ---: | ---: | ---: |",
        *rows,
        "",
        "Rules under cProfile, cumulative (parsing they trigger included): "
        + ", ".join(f"`{Path(f).name.split('_')[0].upper()}` {t:.2f} s" for _, f, t in rules)
        + ".",
        "",
        "The profile is kept in `bench/.cache/zlint.prof` (`python -m pstats <file>`).",
    ]
    return "\n".join(text)


# --------------------------------------------------------------------------- report


def _versions(python: str, ruff: str | None, fixit: list[str] | None) -> str:
    parts = [
        f"zlint {package_version(python, 'zlint')} ({_git_revision()})",
        f"libcst {package_version(python, 'libcst')}",
    ]
    if ruff:
        parts.append(output_of([ruff, "--version"]))
    if fixit:
        fixit_python = fixit[0]
        parts.append(
            f"fixit {package_version(fixit_python, 'fixit')} (libcst"
            f" {package_version(fixit_python, 'libcst')})"
        )
    return ", ".join(parts)


def _git_revision() -> str:
    # Read-only git calls: which commit was measured, and whether the tree had edits.
    if ZLINT_REV is not None:
        return f"commit {ZLINT_REV}, measured as committed with --rev"
    head = output_of(["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"])
    dirty = subprocess.run(
        ["git", "-C", str(REPO), "status", "--porcelain", "--untracked-files=no", "zlint"],
        capture_output=True,
        text=True,
        check=False,
    ).stdout.strip()
    return f"commit {head}{', with uncommitted edits to zlint/' if dirty else ''}"


def _machine(
    python: str, versions: str, before: tuple[float, ...], after: tuple[float, ...]
) -> str:
    cpu = "unknown CPU"
    try:
        match = re.search(r"^model name\s*:\s*(.+)$", Path("/proc/cpuinfo").read_text(), re.M)
        cpu = match.group(1) if match else cpu
    except OSError:
        pass
    py = output_of([python, "-c", "import platform; print(platform.python_version())"])
    now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    return (
        f"{now}; {os.cpu_count()} CPUs (nproc {len(os.sched_getaffinity(0))}), {cpu};"
        f" {platform.system()} {platform.release()}; Python {py}; {versions}."
        f" Load average (1 min) {before[0]:.1f} before, {after[0]:.1f} after."
    )


SECTIONS = {
    "corpus": "## Large codebase: ZenML's own source",
    "scaling": "## Scaling: generated ZenML projects",
    "profile": "## Where zlint spends its time",
}


def write_results(mode: str, body: str) -> None:
    """Replace this mode's section of bench/results.md, keeping the others."""
    existing = RESULTS.read_text() if RESULTS.exists() else ""
    parts: dict[str, str] = {}
    for name in SECTIONS:
        match = re.search(rf"<!-- {name} -->\n(.*?)<!-- /{name} -->\n", existing, re.S)
        if match:
            parts[name] = match.group(1)
    parts[mode] = f"{SECTIONS[mode]}\n\n{body}\n\n"
    text = [
        "# zlint benchmark\n\n",
        "Written by `python bench/bench.py` (corpus), `--scaling` and `--profile`; each run"
        " replaces its own section.\n\n",
    ]
    for name in SECTIONS:
        if name in parts:
            text.append(f"<!-- {name} -->\n{parts[name]}<!-- /{name} -->\n")
    RESULTS.write_text("".join(text))


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=3, help="runs of each command (median)")
    parser.add_argument("--scaling", action="store_true", help="time generated projects")
    parser.add_argument(
        "--sizes",
        default=",".join(map(str, DEFAULT_SIZES)),
        help="project sizes for --scaling, comma-separated",
    )
    parser.add_argument("--profile", action="store_true", help="cProfile one cold zlint run")
    parser.add_argument("--top", type=int, default=20, help="functions listed by --profile")
    parser.add_argument(
        "--no-large-onefile",
        action="store_true",
        help=f"skip the one-file run in a {ONEFILE_LARGE_SIZE:,}-file project",
    )
    parser.add_argument("--rev", help="measure zlint as committed at this git revision")
    parser.add_argument("--no-write", action="store_true", help="print only; keep results.md")
    args = parser.parse_args(argv)
    CACHE.mkdir(parents=True, exist_ok=True)
    if args.rev:
        use_revision(args.rev)
    python = project_python()
    mode: str
    run: Callable[[], str]
    if args.profile:
        mode, run = "profile", lambda: profile_mode(python, args.top)
    elif args.scaling:
        sizes = [int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()]
        mode, run = "scaling", lambda: scaling_mode(python, args.repeat, sizes)
    else:
        mode, run = "corpus", lambda: corpus_mode(python, args.repeat, not args.no_large_onefile)
    body = run()
    print()
    print(SECTIONS[mode])
    print()
    print(body)
    if not args.no_write:
        write_results(mode, body)
        print(f"\nwritten to {RESULTS.relative_to(REPO)}")
    (CACHE / f"last-{mode}.json").write_text(json.dumps({"mode": mode, "body": body}))


if __name__ == "__main__":
    main()
