#!/usr/bin/env python3
"""Run zlint over a corpus of public ZenML projects and tabulate what it reports.

    python bench/corpus.py                          # every repository of bench/corpus.toml
    python bench/corpus.py --mirror /data/mirror    # where the bare git directories are
    python bench/corpus.py --only zenml-io/template-nlp --only owner/name
    python bench/corpus.py --json corpus-findings.json   # also dump every finding
    python bench/corpus.py --zlint-root /path/to/zlint   # check with another zlint tree
    python bench/corpus.py --labels bench/corpus_labels.json   # score against the labels

The corpus is *pinned*, not vendored: ``bench/corpus.toml`` lists one ``[[repo]]`` table per
repository (``name = "owner/name"``, ``commit = "<40 hex>"``, ``zenml = "<its zenml
requirement>"``, ``note = "..."``). No public code is copied into this repository. The script
looks for each repository's git directory under the mirror folder (``--mirror``, else the
environment variable ``ZLINT_CORPUS_MIRROR``, else ``/work/.mirror``), where the snapshot
tool names them ``<owner>+<name>/repo`` (a bare directory, or a clone with ``repo/.git``);
``<owner>+<name>.git``, ``<owner>+<name>`` and ``<owner>/<name>`` are accepted too. It
extracts the pinned commit with ``git archive`` into a temporary folder (blobs a snapshot
lacks, such as files of 4 MiB and more, are left out and counted), runs

    <python> -P -m zlint check --select ALL --output-format json --no-cache --exit-zero <dir>

in that folder, one repository at a time, and prints a table: repository, Python files
(``.py``, ``.pyi``; notebooks in brackets), findings per rule code, internal errors and
crashes, seconds. A repository that is not in the mirror, or whose pinned commit is not
there, is skipped with a line saying so. Nothing touches the network.

``--json OUT`` writes every finding (code, message, file, position, the repository and commit)
and per-repository counts; fix edits are left out, since they quote the checked code. Keep
that file outside this repository's tracked tree.

``--labels FILE`` scores the run against hand-made labels (``bench/corpus_labels.json``): one
entry per group of repeated step calls found in the corpus (repository, file, line of the
repeated call, whether ZenML writes versions there that nothing tells apart, and why, in
our own words). A collision counts as found when zlint reports ZL001, ZL002 or ZL006 on that
line; a non-colliding group counts as a false flag when it does.

Exit status: 0 when every repository present was checked without a crash or internal error,
1 otherwise, 2 for a usage error.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEFAULT_MANIFEST = HERE / "corpus.toml"
DEFAULT_MIRROR = "/work/.mirror"
INTERNAL_ERROR = re.compile(r"^zlint: internal error", re.MULTILINE)


@dataclass
class Repo:
    name: str
    commit: str
    zenml: str = ""
    note: str = ""


@dataclass
class Result:
    repo: Repo
    status: str  # "ok", "skipped: ...", "crash"
    py_files: int = 0
    notebooks: int = 0
    missing_blobs: int = 0
    counts: Counter = field(default_factory=Counter)
    internal_errors: int = 0
    crash: str = ""
    seconds: float = 0.0
    findings: list = field(default_factory=list)
    stderr: str = ""


# --- manifest ---------------------------------------------------------------------------


def load_manifest(path: Path) -> list[Repo]:
    text = path.read_text(encoding="utf-8")
    try:
        import tomllib  # Python 3.11+
    except ModuleNotFoundError:  # pragma: no cover - 3.10
        tables = _parse_simple_toml(text)
    else:
        tables = tomllib.loads(text).get("repo", [])
    repos = []
    for table in tables:
        repos.append(
            Repo(
                name=str(table["name"]),
                commit=str(table["commit"]),
                zenml=str(table.get("zenml", "")),
                note=str(table.get("note", "")),
            )
        )
    return repos


def _parse_simple_toml(text: str) -> list[dict[str, str]]:
    """Just enough TOML for this manifest: ``[[repo]]`` tables of ``key = "string"`` lines."""
    tables: list[dict[str, str]] = []
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line == "[[repo]]":
            tables.append({})
            continue
        match = re.match(r'^([A-Za-z_][\w-]*)\s*=\s*"((?:[^"\\]|\\.)*)"\s*(#.*)?$', line)
        if match and tables:
            tables[-1][match.group(1)] = json.loads(f'"{match.group(2)}"')
    return tables


# --- mirror -----------------------------------------------------------------------------


def find_git_dir(mirror: Path, name: str) -> Path | None:
    owner, _, repo = name.partition("/")
    flat = f"{owner}+{repo}"
    candidates = [
        mirror / flat / "repo" / ".git",
        mirror / flat / "repo",
        mirror / f"{flat}.git",
        mirror / flat / ".git",
        mirror / flat,
        mirror / owner / f"{repo}.git",
        mirror / owner / repo / ".git",
        mirror / owner / repo,
    ]
    for candidate in candidates:
        if (candidate / "HEAD").is_file() and (candidate / "objects").is_dir():
            return candidate
    return None


def git(git_dir: Path, *args: str, **kwargs) -> subprocess.CompletedProcess:
    env = dict(os.environ, GIT_TERMINAL_PROMPT="0", GIT_CONFIG_NOSYSTEM="1")
    return subprocess.run(
        ["git", f"--git-dir={git_dir}", *args], env=env, capture_output=True, **kwargs
    )


def tree_blobs(git_dir: Path, commit: str) -> tuple[list[str], list[str]]:
    """The commit's file paths, split into those the snapshot holds and those it lacks."""
    listing = git(git_dir, "ls-tree", "-r", "-z", commit)
    entries = []
    for item in listing.stdout.split(b"\0"):
        if not item:
            continue
        meta, _, path = item.partition(b"\t")
        parts = meta.split()
        if len(parts) == 3 and parts[1] == b"blob":
            entries.append((parts[2], path.decode("utf-8", "surrogateescape")))
    if not entries:
        return [], []
    check = git(
        git_dir,
        "cat-file",
        "--batch-check=%(objectname) %(objecttype)",
        input=b"".join(sha + b"\n" for sha, _ in entries),
    )
    present = {
        line.split()[0] for line in check.stdout.splitlines() if not line.endswith(b"missing")
    }
    held = [path for sha, path in entries if sha in present]
    lacking = [path for sha, path in entries if sha not in present]
    return held, lacking


def _archive(git_dir: Path, commit: str, dest: Path, paths: list[str] | None) -> None:
    cmd = ["git", f"--git-dir={git_dir}", "archive", "--format=tar", commit]
    if paths is not None:
        cmd += ["--", *(f":(literal){path}" for path in paths)]
    archive = subprocess.Popen(
        cmd,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=dict(os.environ, GIT_TERMINAL_PROMPT="0"),
    )
    assert archive.stdout is not None and archive.stderr is not None
    untar = subprocess.run(
        ["tar", "-x", "-C", str(dest)], stdin=archive.stdout, capture_output=True
    )
    archive.stdout.close()
    err = archive.stderr.read().decode(errors="replace")
    if archive.wait() != 0 or untar.returncode != 0:
        raise RuntimeError(f"git archive failed: {err.strip() or untar.stderr.decode().strip()}")


def extract(git_dir: Path, commit: str, dest: Path, chunk: int = 500) -> int:
    """Write the commit's tree into ``dest`` with ``git archive``; return how many files
    had to be left out because the snapshot lacks their blobs."""
    held, lacking = tree_blobs(git_dir, commit)
    if not lacking:
        _archive(git_dir, commit, dest, None)
        return 0
    # git archive reads every blob its pathspec matches (exclude pathspecs do not stop
    # it), so name the files it can read, a chunk at a time.
    for start in range(0, len(held), chunk):
        _archive(git_dir, commit, dest, held[start : start + chunk])
    return len(lacking)


# --- running zlint ----------------------------------------------------------------------

SKIP_DIRS = {
    ".git",
    ".venv",
    "venv",
    ".tox",
    ".nox",
    "node_modules",
    "site-packages",
    "__pycache__",
}


def count_files(root: Path) -> tuple[int, int]:
    py = nb = 0
    for _folder, dirs, files in os.walk(root):
        dirs[:] = [d for d in dirs if d not in SKIP_DIRS]
        for name in files:
            if name.endswith((".py", ".pyi")):
                py += 1
            elif name.endswith(".ipynb"):
                nb += 1
    return py, nb


def run_zlint(
    python: str, zlint_root: Path | None, folder: Path, select: str, timeout: float
) -> tuple[int | None, str, str, float]:
    env = dict(os.environ, ZLINT_NO_CACHE="1")
    env.pop("ZLINT_OUTPUT_FORMAT", None)
    if zlint_root is not None:
        env["PYTHONPATH"] = str(zlint_root) + (
            os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else ""
        )
    cmd = [
        python,
        "-P",
        "-m",
        "zlint",
        "check",
        "--select",
        select,
        "--output-format",
        "json",
        "--no-cache",
        "--exit-zero",
        ".",
    ]
    start = time.perf_counter()
    try:
        proc = subprocess.run(
            cmd, cwd=folder, env=env, capture_output=True, text=True, timeout=timeout
        )
    except subprocess.TimeoutExpired as exc:
        out = exc.stdout.decode() if isinstance(exc.stdout, bytes) else (exc.stdout or "")
        return None, out, f"timeout after {timeout:.0f} s", time.perf_counter() - start
    return proc.returncode, proc.stdout, proc.stderr, time.perf_counter() - start


def check_repo(repo: Repo, args: argparse.Namespace) -> Result:
    git_dir = find_git_dir(args.mirror, repo.name)
    if git_dir is None:
        return Result(repo, f"skipped: not in the mirror {args.mirror}")
    if git(git_dir, "cat-file", "-e", f"{repo.commit}^{{commit}}").returncode != 0:
        return Result(repo, f"skipped: commit {repo.commit[:12]} is not in {git_dir}")
    with tempfile.TemporaryDirectory(prefix="zlint-corpus-") as tmp:
        folder = Path(tmp) / repo.name.replace("/", "+")
        folder.mkdir()
        try:
            missing = extract(git_dir, repo.commit, folder)
        except RuntimeError as exc:
            return Result(repo, f"skipped: {exc}")
        if not (folder / ".git").exists():
            # Pin zlint's project root here, whatever folder the temporary one sits in.
            (folder / ".git").mkdir()
        py, nb = count_files(folder)
        rc, out, err, seconds = run_zlint(
            args.python, args.zlint_root, folder, args.select, args.timeout
        )
        result = Result(repo, "ok", py, nb, missing, seconds=seconds, stderr=err)
        result.internal_errors = len(INTERNAL_ERROR.findall(err))
        try:
            findings = json.loads(out) if out.strip() else []
        except json.JSONDecodeError:
            findings = []
            result.crash = f"unreadable output (exit {rc})"
        if rc is None:
            result.crash = err
        elif rc not in (0, 1) and not result.internal_errors:
            last = [line for line in err.strip().splitlines() if line.strip()]
            result.crash = f"exit {rc}: {last[-1] if last else 'no message'}"
        if result.crash:
            result.status = "crash"
        prefix = str(folder) + os.sep
        for finding in findings:
            filename = finding.get("filename", "")
            if filename.startswith(prefix):
                finding["filename"] = filename[len(prefix) :]
            finding["repo"] = repo.name
            finding["commit"] = repo.commit
            if isinstance(finding.get("fix"), dict):
                # A fix's edits quote the checked project's code: keep only what it does.
                finding["fix"].pop("edits", None)
            result.counts[finding.get("code", "?")] += 1
        result.findings = findings
        return result


# --- report -----------------------------------------------------------------------------


def print_table(results: list[Result], out=sys.stdout) -> None:
    checked = [r for r in results if not r.status.startswith("skipped")]
    codes = sorted({code for r in checked for code in r.counts})
    headers = ["repository", "py [nb]", *codes, "int.err", "crash", "sec"]
    rows = []
    for r in checked:
        rows.append(
            [
                r.repo.name,
                f"{r.py_files} [{r.notebooks}]" if r.notebooks else str(r.py_files),
                *[str(r.counts.get(c, "")) or "." for c in codes],
                str(r.internal_errors or "."),
                "yes" if r.crash else ".",
                f"{r.seconds:.1f}",
            ]
        )
    total = Counter()
    for r in checked:
        total.update(r.counts)
    rows.append(
        [
            f"TOTAL ({len(checked)} repos)",
            f"{sum(r.py_files for r in checked)} [{sum(r.notebooks for r in checked)}]",
            *[str(total.get(c, 0)) for c in codes],
            str(sum(r.internal_errors for r in checked)),
            str(sum(1 for r in checked if r.crash)),
            f"{sum(r.seconds for r in checked):.1f}",
        ]
    )
    widths = [max(len(h), *(len(row[i]) for row in rows)) for i, h in enumerate(headers)]

    def line(cells: list[str]) -> str:
        first = cells[0].ljust(widths[0])
        rest = [c.rjust(w) for c, w in zip(cells[1:], widths[1:], strict=True)]
        return "  ".join([first, *rest])

    print(line(headers), file=out)
    print("  ".join("-" * w for w in widths), file=out)
    for row in rows[:-1]:
        print(line(row), file=out)
    print("  ".join("-" * w for w in widths), file=out)
    print(line(rows[-1]), file=out)
    for r in results:
        if r.status.startswith("skipped"):
            print(f"{r.repo.name}: {r.status}", file=out)
    for r in checked:
        if r.missing_blobs:
            print(f"{r.repo.name}: {r.missing_blobs} file(s) absent from the snapshot", file=out)
        if r.crash:
            print(f"{r.repo.name}: CRASH {r.crash}", file=out)
        if r.internal_errors:
            for msg in INTERNAL_ERROR.finditer(r.stderr):
                end = r.stderr.find("\n", msg.start())
                print(
                    f"{r.repo.name}: {r.stderr[msg.start() : end if end >= 0 else None]}", file=out
                )


COLLISION_CODES = frozenset({"ZL001", "ZL002", "ZL006"})


def score_labels(results: list[Result], labels_path: Path, out=sys.stdout) -> None:
    """Found, missed and falsely flagged repeated-call groups of the labelled corpus."""
    labels = json.loads(labels_path.read_text(encoding="utf-8"))
    flagged: dict[tuple[str, str, int | None], list[str]] = {}
    for r in results:
        for f in r.findings:
            if f.get("code") in COLLISION_CODES:
                place = (f["repo"], f["filename"], (f.get("location") or {}).get("row"))
                flagged.setdefault(place, []).append(f.get("message", ""))
    checked = {r.repo.name for r in results if not r.status.startswith("skipped")}
    found = missed = false_flags = clean = 0
    for label in labels:
        if label["repo"] not in checked:
            continue
        # Several steps may be called on one line (a sub-pipeline): the message names it.
        step = label.get("step", "").split(" ")[0].rpartition(".")[2]
        messages = flagged.get((label["repo"], label["file"], label["line"]), [])
        hit = any(f"`{step}`" in message for message in messages)
        if label["collides"]:
            found += hit
            missed += not hit
            if not hit:
                print(
                    f"missed: {label['repo']} {label['file']}:{label['line']} "
                    f"({label.get('form', '')})",
                    file=out,
                )
        else:
            false_flags += hit
            clean += not hit
            if hit:
                print(f"false flag: {label['repo']} {label['file']}:{label['line']}", file=out)
    print(
        f"labelled collisions found: {found} of {found + missed}; "
        f"false flags: {false_flags} of {false_flags + clean} groups that do not collide",
        file=out,
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--manifest", type=Path, default=DEFAULT_MANIFEST)
    parser.add_argument(
        "--mirror",
        type=Path,
        default=Path(os.environ.get("ZLINT_CORPUS_MIRROR") or DEFAULT_MIRROR),
        help="folder holding the repositories' git directories "
        "(default: $ZLINT_CORPUS_MIRROR or %(default)s)",
    )
    parser.add_argument("--only", action="append", default=[], help="check only this owner/name")
    parser.add_argument("--json", type=Path, help="write every finding (with repo, commit) here")
    parser.add_argument("--select", default="ALL", help="rules to run (default: ALL)")
    parser.add_argument("--python", default=sys.executable, help="interpreter that runs zlint")
    parser.add_argument(
        "--zlint-root",
        type=Path,
        default=HERE.parent if (HERE.parent / "zlint" / "__init__.py").is_file() else None,
        help="folder put first on PYTHONPATH so that `-m zlint` finds it "
        "(default: this script's repository)",
    )
    parser.add_argument("--timeout", type=float, default=600.0, help="seconds per repository")
    parser.add_argument("--labels", type=Path, help="score the run against these labels")
    args = parser.parse_args(argv)

    repos = load_manifest(args.manifest)
    if args.only:
        wanted = set(args.only)
        unknown = wanted - {r.name for r in repos}
        if unknown:
            parser.error(f"not in the manifest: {', '.join(sorted(unknown))}")
        repos = [r for r in repos if r.name in wanted]

    results = []
    for repo in repos:
        print(f"... {repo.name}", file=sys.stderr, flush=True)
        results.append(check_repo(repo, args))
    print_table(results)
    if args.labels:
        score_labels(results, args.labels)

    if args.json:
        dump = {
            "repos": [
                {
                    "name": r.repo.name,
                    "commit": r.repo.commit,
                    "zenml": r.repo.zenml,
                    "status": r.status,
                    "py_files": r.py_files,
                    "notebooks": r.notebooks,
                    "missing_blobs": r.missing_blobs,
                    "counts": dict(sorted(r.counts.items())),
                    "internal_errors": r.internal_errors,
                    "crash": r.crash,
                    "seconds": round(r.seconds, 2),
                    "stderr": r.stderr[-4000:],
                }
                for r in results
            ],
            "findings": [f for r in results for f in r.findings],
        }
        args.json.write_text(json.dumps(dump, indent=1), encoding="utf-8")
    bad = any(r.crash or r.internal_errors for r in results)
    return 1 if bad else 0


if __name__ == "__main__":
    raise SystemExit(main())
