"""Run a fixture project with the real ``zenml`` package and observe what it stores.

``run_fixture()`` copies a fixture project to a temporary directory, gives it a
fresh local ZenML store (no ``zenml init``: without a ``.zen`` directory ZenML
uses the folder of ``run.py`` as its source root, exactly as for a user who
just runs ``python run.py``), runs ``python run.py`` in the fixture's run
folder and then dumps the store with ``dump_store.py``.

Creating a store costs about 2.5 s (ZenML syncs every stack-component flavor
into the new database), so ``make_store_template()`` creates one store that
``run_fixture()`` then copies. A copy is self-contained: the database path is
the only absolute path in ``config.yaml``, and the local artifact store lives
under the config directory (its path is derived from it, not stored).

Command line, to (re)record what a fixture really does::

    python tests/truth/harness.py fixtures/demo            # print the observation
    python tests/truth/harness.py --write fixtures/*/      # rewrite truth.json files
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
DUMP_SCRIPT = HERE / "dump_store.py"
TRUTH_FILE = "truth.json"
CONFIG_DIR_NAME = ".zenconfig"
DEFAULT_TIMEOUT = 300.0
TAIL_LINES = 40
# Known ways for a fixture run to fail on purpose (recorded as `fails_with`).
#: What a failing run prints, per zlint code whose findings predict that failure. The one
#: table for recording truth.json here and for checking it in tests/test_truth.py.
FAILURE_TEXTS: dict[str, str] = {
    "ZL003": "Duplicate invocation ID",
    "ZL004": "Pipeline run has failed due to failure in step(s)",
    "ZL005": "Could not format the name template",
    "ZL007": "An artifact with the same name and version already exists",
    "ZL009": "Unsupported way to call the `log_metadata`",
    "ZL010": "Reserved argument name",
    "ZL011": "does not have an output with the given name",
    "ZL014": "You can only sort by valid fields of this resource",
}
# More specific texts first: a failing step also prints the generic run failure.
FAILURE_MARKERS = tuple(sorted(FAILURE_TEXTS.values(), key=lambda t: t.startswith("Pipeline run")))

# Metadata ZenML attaches to every artifact version by itself (base and
# built-in materializers, plus the keys of the optional pandas/numpy ones).
# Whatever is left is what the user's step code logged.
AUTOMATIC_METADATA_KEYS = frozenset(
    {
        "storage_size",
        "length",
        "string_representation",
        "shape",
        "dtype",
        "mean",
        "min",
        "max",
        "std",
        "unique_values",
    }
)

# Keeps ZenML offline, quiet and non-interactive, and the output plain text.
QUIET_ENV = {
    "ZENML_ANALYTICS_OPT_IN": "false",
    "ZENML_LOGGING_VERBOSITY": "WARN",
    "ZENML_LOGGING_COLORS_DISABLED": "true",
    "ZENML_ENABLE_RICH_TRACEBACK": "false",
    "ZENML_ENABLE_REPO_INIT_WARNINGS": "false",
    "ZENML_DISABLE_INTERACTIVE_INPUT": "true",
    "ZENML_AUTO_OPEN_DASHBOARD": "false",
    "PYTHONUNBUFFERED": "1",
    "PYTHONDONTWRITEBYTECODE": "1",
}

#: The environment of this process, copied once, when this module is imported (in the main
#: thread, while pytest collects, before any test runs). ``run_fixture()`` runs in worker
#: threads (tests/test_truth.py, tests/test_fix_truth.py) while the main thread goes on
#: setting up and tearing down tests, and every test sets and then deletes a variable
#: (``ZLINT_CACHE_DIR``, tests/conftest.py). Iterating ``os.environ`` in a worker is not
#: atomic: it lists the keys, then reads each value, so a key deleted in between raises
#: ``KeyError``, and what it does read depends on which test the main thread is in. The
#: fixture runs get this copy instead: the same environment whatever runs meanwhile.
_BASE_ENV: dict[str, str] = dict(os.environ)


@dataclass(frozen=True)
class ArtifactVersion:
    """One artifact version as the store records it."""

    name: str
    version: str
    has_custom_name: bool
    metadata: dict[str, Any]  # user metadata only (automatic keys dropped)
    tags: tuple[str, ...]
    invocation_id: str | None  # the producing step run's name
    pipeline: str | None
    run_id: str | None

    def signature(self) -> str:
        """What tells this version apart from others of the same name."""
        return json.dumps([self.metadata, list(self.tags)], sort_keys=True)


@dataclass(frozen=True)
class StepRun:
    invocation_id: str
    pipeline: str | None
    status: str


@dataclass
class TruthResult:
    """What one fixture run did, as observed in its ZenML store."""

    fixture: str
    returncode: int
    stdout: str
    stderr: str
    versions: list[ArtifactVersion]
    steps: list[StepRun] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def output(self) -> str:
        return self.stdout + self.stderr

    @property
    def stderr_tail(self) -> str:
        return "\n".join(self.stderr.splitlines()[-TAIL_LINES:])

    def collisions(self) -> dict[str, int]:
        """Custom-named artifacts whose versions can't be told apart.

        Versions are grouped by the pipeline run that produced them and by
        name. Within a group, a version collides when another version has the
        same user metadata and tags. The result maps a name to the number of
        colliding versions, summed over runs. Default-named artifacts
        (``pipeline::invocation::output``) are distinct by construction.
        """
        groups: dict[tuple[str | None, str], list[ArtifactVersion]] = defaultdict(list)
        for av in self.versions:
            if av.has_custom_name:
                groups[(av.run_id, av.name)].append(av)
        found: Counter[str] = Counter()
        for (_, name), members in groups.items():
            counts = Counter(av.signature() for av in members)
            found[_stable_name(name)] += sum(n for n in counts.values() if n > 1)
        return dict(sorted((name, n) for name, n in found.items() if n))

    def cached_steps(self) -> list[str]:
        """``pipeline:invocation_id`` of every step run served from the cache."""
        return sorted(f"{s.pipeline}:{s.invocation_id}" for s in self.steps if s.status == "cached")

    def describe(self) -> str:
        """A readable listing for assertion messages."""
        lines = [f"returncode={self.returncode}", "artifact versions:"]
        for av in sorted(self.versions, key=lambda v: (v.pipeline or "", v.name, v.version)):
            lines.append(
                f"  {av.pipeline}: {av.name} v{av.version} by {av.invocation_id}"
                f" metadata={av.metadata} tags={list(av.tags)}"
            )
        lines.append("stderr tail:")
        lines.append(self.stderr_tail)
        return "\n".join(lines)


def run_dirs_of(truth: dict[str, Any]) -> list[str]:
    """``run_dir`` of a truth.json: one folder, or a list of them run in order."""
    value = truth.get("run_dir", ".")
    return [value] if isinstance(value, str) else list(value)


def load_truth(fixture: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((fixture / TRUTH_FILE).read_text(encoding="utf-8"))
    return data


def zenml_env(config_dir: Path, run_dir: Path) -> dict[str, str]:
    """The environment for ``run.py`` and the dump: isolated from the caller's ZenML.

    Built from ``_BASE_ENV``, never from ``os.environ``: this runs in worker threads.
    """
    env = {
        key: value
        for key, value in _BASE_ENV.items()
        if not key.startswith("ZENML_") and key not in {"PYTHONPATH", "PYTHONSTARTUP"}
    }
    env.update(QUIET_ENV)
    env["ZENML_CONFIG_PATH"] = str(config_dir)
    # An explicit repository path stops ZenML from searching parent folders for
    # a stray `.zen`; there is none here, so the source root is run.py's folder.
    env["ZENML_REPOSITORY_PATH"] = str(run_dir)
    return env


def make_store_template(workdir: Path, timeout: float = DEFAULT_TIMEOUT) -> Path:
    """Create an empty, initialised ZenML store in ``workdir``; return its config dir."""
    config_dir = workdir / CONFIG_DIR_NAME
    code = "from zenml.client import Client; Client().active_stack_model"
    proc = subprocess.run(
        [sys.executable, "-c", code],
        cwd=workdir,
        env=zenml_env(config_dir, workdir),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if proc.returncode != 0 or not (config_dir / "config.yaml").is_file():
        raise RuntimeError(f"could not create a ZenML store in {workdir}:\n{proc.stderr[-3000:]}")
    return config_dir


def copy_store(template: Path, config_dir: Path) -> None:
    """Copy a template store, pointing its config at the copied database."""
    shutil.copytree(template, config_dir)
    config = config_dir / "config.yaml"
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace(str(template), str(config_dir)), encoding="utf-8")


def _copy_project(fixture: Path, dest: Path) -> None:
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", ".zen", CONFIG_DIR_NAME)
    shutil.copytree(fixture, dest, ignore=ignore)


def _parse_dump(data: dict[str, Any]) -> tuple[list[ArtifactVersion], list[StepRun]]:
    pipeline_of_run = {run["id"]: run["pipeline"] for run in data["runs"]}
    step_by_id = {step["id"]: step for step in data["steps"]}
    steps = [
        StepRun(step["invocation_id"], pipeline_of_run.get(step["run_id"]), step["status"])
        for step in data["steps"]
    ]
    versions = []
    for raw in data["versions"]:
        producer = step_by_id.get(raw["producer_step_run_id"] or "")
        run_id = raw["producer_run_id"] or (producer["run_id"] if producer else None)
        metadata = {
            key: value
            for key, value in raw["run_metadata"].items()
            if key not in AUTOMATIC_METADATA_KEYS
        }
        versions.append(
            ArtifactVersion(
                name=raw["name"],
                version=raw["version"],
                has_custom_name=raw["has_custom_name"],
                metadata=metadata,
                tags=tuple(raw["tags"]),
                invocation_id=producer["invocation_id"] if producer else None,
                pipeline=pipeline_of_run.get(run_id) if run_id else None,
                run_id=run_id,
            )
        )
    return versions, steps


def run_fixture(
    fixture: Path,
    run_dir: str | Sequence[str] = ".",
    *,
    store_template: Path | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    keep: bool = False,
) -> TruthResult:
    """Run ``python run.py`` of a fixture (in each run folder, in order) and dump the store.

    ``returncode`` is the first non-zero exit code of the ``run.py`` scripts.
    With ``keep=True`` (or ``ZLINT_TRUTH_KEEP=1``) the temporary copy is kept
    and its path is printed.
    """
    fixture = Path(fixture).resolve()
    run_dirs = [run_dir] if isinstance(run_dir, str) else list(run_dir)
    keep = keep or os.environ.get("ZLINT_TRUTH_KEEP") == "1"
    tmp = Path(tempfile.mkdtemp(prefix=f"zlint-truth-{fixture.name}-"))
    timings: dict[str, float] = {}
    try:
        project = tmp / fixture.name
        _copy_project(fixture, project)
        config_dir = tmp / CONFIG_DIR_NAME
        if store_template is not None:
            started = time.perf_counter()
            copy_store(store_template, config_dir)
            timings["store_copy"] = time.perf_counter() - started

        returncode, stdout, stderr = 0, [], []
        for rel in run_dirs:
            cwd = project / rel
            started = time.perf_counter()
            proc = subprocess.run(
                [sys.executable, "run.py"],
                cwd=cwd,
                env=zenml_env(config_dir, cwd),
                capture_output=True,
                text=True,
                timeout=timeout,
                check=False,
            )
            timings[f"run:{rel}"] = time.perf_counter() - started
            stdout.append(proc.stdout)
            stderr.append(proc.stderr)
            if proc.returncode and not returncode:
                returncode = proc.returncode

        started = time.perf_counter()
        dump_file = tmp / "dump.json"
        dump = subprocess.run(
            [sys.executable, str(DUMP_SCRIPT), str(dump_file)],
            cwd=tmp,
            env=zenml_env(config_dir, tmp),
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        timings["dump"] = time.perf_counter() - started
        if dump.returncode != 0:
            raise RuntimeError(
                f"dumping the store of {fixture.name} failed:\n{dump.stderr[-3000:]}"
            )
        versions, steps = _parse_dump(json.loads(dump_file.read_text(encoding="utf-8")))
        return TruthResult(
            fixture=fixture.name,
            returncode=returncode,
            stdout="".join(stdout),
            stderr="".join(stderr),
            versions=versions,
            steps=steps,
            timings=timings,
        )
    finally:
        if keep:
            print(f"kept {tmp}", file=sys.stderr)
        else:
            shutil.rmtree(tmp, ignore_errors=True)


def observed_truth(result: TruthResult, run_dir: str | list[str]) -> dict[str, Any]:
    """A truth.json document describing what ``result`` observed."""
    fails_with = None
    if result.returncode != 0:
        fails_with = next((m for m in FAILURE_MARKERS if m in result.output), "?")
    truth: dict[str, Any] = {
        "run_dir": run_dir,
        "fails_with": fails_with,
        "collisions": result.collisions(),
    }
    if result.cached_steps():
        truth["cached"] = result.cached_steps()
    return truth


def merged_truth(observed: dict[str, Any], previous: dict[str, Any] | None) -> dict[str, Any]:
    """Keys only a person can write (``output_contains``) survive a re-recording."""
    if previous and "output_contains" in previous:
        observed["output_contains"] = previous["output_contains"]
    return observed


def main(argv: Iterable[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("fixtures", nargs="+", type=Path)
    parser.add_argument("--write", action="store_true", help="rewrite each fixture's truth.json")
    parser.add_argument("--verbose", "-v", action="store_true", help="list every artifact version")
    args = parser.parse_args(list(argv) if argv is not None else None)
    with tempfile.TemporaryDirectory(prefix="zlint-truth-store-") as store_dir:
        template = make_store_template(Path(store_dir))
        for fixture in args.fixtures:
            existing = load_truth(fixture) if (fixture / TRUTH_FILE).is_file() else {}
            run_dir = existing.get("run_dir", ".")
            result = run_fixture(
                fixture, run_dirs_of({"run_dir": run_dir}), store_template=template
            )
            truth = merged_truth(observed_truth(result, run_dir), existing)
            text = json.dumps(truth, indent=2) + "\n"
            print(f"== {fixture} ({', '.join(f'{k} {v:.1f}s' for k, v in result.timings.items())})")
            print(text, end="")
            if args.verbose or result.returncode != 0:
                print(result.describe())
            if args.write:
                (fixture / TRUTH_FILE).write_text(text, encoding="utf-8")
    return 0


_RUN_DATE = re.compile(r"\d{4}_\d{2}_\d{2}")
_RUN_TIME = re.compile(r"\d{2}_\d{2}_\d{2}_\d{6}")


def _stable_name(name: str) -> str:
    """Names built from ``{date}``/``{time}`` differ per run; truth.json keeps the template
    (ZenML formats them as ``%Y_%m_%d`` and ``%H_%M_%S_%f``)."""
    return _RUN_DATE.sub("{date}", _RUN_TIME.sub("{time}", name))


if __name__ == "__main__":
    raise SystemExit(main())
