"""The result cache: a re-check reuses findings exactly when no input changed.

"Served from the cache" is observed by making the analysis fail: a run that reaches
``engine.check_project`` then exits 2 instead of printing the stored findings.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import write_project

from zlint import engine
from zlint.cli import main
from zlint.fastpath import cache

STEPS = """
from typing import Annotated
from zenml import step

@step
def load(split: str) -> Annotated[list, "rows"]:
    return []
"""
STEPS_WITH_METADATA = """
from typing import Annotated
from zenml import log_metadata, step

@step
def load(split: str) -> Annotated[list, "rows"]:
    log_metadata(metadata={"split": split}, infer_artifact=True)
    return []
"""
PIPELINE = """
from zenml import pipeline
from steps import load

@pipeline
def training():
    load("train")
    load("test")
"""
PROJECT = {"steps.py": STEPS, "pipeline.py": PIPELINE, "unrelated.py": "VALUE = 1\n"}


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    write_project(tmp_path, PROJECT)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    code = main(["check", "--output-format", "json", *argv])
    return code, capsys.readouterr().out


def _codes(out: str) -> list[str]:
    return [item["code"] for item in json.loads(out)]


def _analysis_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> engine.CheckResult:
        raise AssertionError("the analysis ran: the cache was not used")

    monkeypatch.setattr(engine, "check_project", refuse)


def test_a_second_run_is_served_from_the_cache(
    project: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    first = _run(capsys)
    assert _codes(first[1]) == ["ZL001"]
    _analysis_fails(monkeypatch)
    assert _run(capsys) == first


def _edit(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8")
    stat = path.stat()  # a later mtime even on coarse clocks: the fast path must not hide it
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 2_000_000_000))


Change = Callable[[Path], None]

#: (change, paths to check, whether the cached run may be reused, codes after the change)
CASES: list[tuple[str, Change, tuple[str, ...], bool, list[str]]] = [
    ("nothing", lambda root: None, (), True, ["ZL001"]),
    (
        "touch-without-change",
        lambda root: os.utime(root / "steps.py", ns=(0, 10**18)),
        (),
        True,
        ["ZL001"],
    ),
    (
        # Checking the steps alone reads no other module. (With a pipeline in the run, every
        # project file is read: any of them may reconfigure it with `with_options`.)
        "edit-unread-module",
        lambda root: _edit(root / "unrelated.py", "VALUE = 2\n"),
        ("steps.py",),
        True,
        [],
    ),
    (
        # Every file is searched for the pipeline's name (`training.with_options(...)` may
        # reconfigure it); an edit that does not add the name keeps the findings.
        "edit-module-searched-for-the-pipeline-name",
        lambda root: _edit(root / "unrelated.py", "VALUE = 2\n"),
        ("pipeline.py",),
        True,
        ["ZL001"],
    ),
    (
        "edit-reported-plain-module",
        lambda root: _edit(root / "unrelated.py", "VALUE = 2\n"),
        (),
        True,
        ["ZL001"],
    ),
    (
        "plain-module-mentions-the-pipeline",
        lambda root: _edit(root / "unrelated.py", "from pipeline import training\n"),
        (),
        False,
        ["ZL001"],
    ),
    (
        # Every file is also searched for `.configure(` (a step's caching set at import).
        "plain-module-configures-a-step",
        lambda root: _edit(
            root / "unrelated.py", "from steps import load\nload.configure(enable_cache=False)\n"
        ),
        ("pipeline.py",),
        False,
        ["ZL001"],
    ),
    (
        "plain-module-gets-a-syntax-error",
        lambda root: _edit(root / "unrelated.py", "VALUE = (\n"),
        (),
        False,
        ["ZL001", "ZL000"],
    ),
    (
        "plain-module-gets-a-step",
        lambda root: _edit(root / "unrelated.py", STEPS.replace("load", "other")),
        (),
        False,
        ["ZL001"],
    ),
    (
        "plain-module-gets-a-suppression-comment",
        lambda root: _edit(root / "unrelated.py", "VALUE = 2  # noqa: ZL001\n"),
        (),
        False,
        ["ZL001"],
    ),
    (
        "yaml-run-configuration-added",
        lambda root: _edit(root / "run.yaml", "enable_cache: false\n"),
        ("pipeline.py",),
        False,
        ["ZL001"],
    ),
    (
        "edit-reported-file",
        lambda root: _edit(root / "pipeline.py", PIPELINE.replace('load("test")\n', "")),
        (),
        False,
        [],
    ),
    (
        # pre-commit on the pipeline alone: the step module is not reported but was read
        "edit-step-module-of-a-reported-pipeline",
        lambda root: _edit(root / "steps.py", STEPS_WITH_METADATA),
        ("pipeline.py",),
        False,
        [],
    ),
    (
        "delete-step-module",
        lambda root: (root / "steps.py").unlink(),
        ("pipeline.py",),
        False,
        [],
    ),
    (
        "rename-file",
        lambda root: (root / "unrelated.py").rename(root / "other.py"),
        ("pipeline.py",),
        False,
        ["ZL001"],
    ),
    (
        "add-file",
        lambda root: _edit(root / "new.py", "X = 1\n"),
        ("pipeline.py",),
        False,
        ["ZL001"],
    ),
    (
        "change-config",
        lambda root: _edit(
            root / "pyproject.toml",
            "[project]\nname = 'sample'\n[tool.zlint]\nignore = ['ZL001']\n",
        ),
        (),
        False,
        [],
    ),
]


@pytest.mark.parametrize(
    ("change", "paths", "reused", "codes"),
    [pytest.param(c, p, r, codes, id=name) for name, c, p, r, codes in CASES],
)
def test_changes_invalidate_exactly_what_they_should(
    project: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    change: Change,
    paths: tuple[str, ...],
    reused: bool,
    codes: list[str],
) -> None:
    assert _codes(_run(capsys, *paths)[1]) == ([] if paths == ("steps.py",) else ["ZL001"])
    change(project)
    real = engine.check_project
    calls: list[object] = []

    def counting(*args: object, **kwargs: object) -> engine.CheckResult:
        calls.append(args)
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(engine, "check_project", counting)
    after = _run(capsys, *paths)[1]
    assert _codes(after) == codes
    assert (not calls) == reused
    # ... and what a run without the cache says.
    assert _run(capsys, "--no-cache", *paths)[1] == after


def test_a_new_zlint_version_does_not_reuse_results(
    project: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    _run(capsys)
    monkeypatch.setattr(cache, "__version__", "99.0.0")
    _analysis_fails(monkeypatch)
    with pytest.raises(AssertionError, match="cache was not used"):
        _run(capsys)


def test_other_settings_and_other_selections_have_their_own_entries(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _codes(_run(capsys)[1]) == ["ZL001"]
    assert _codes(_run(capsys, "--select", "ZL002")[1]) == []
    assert _codes(_run(capsys)[1]) == ["ZL001"]


def test_the_cache_folder_is_tagged_and_ignored(
    project: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(cache.ENV_VAR)
    _run(capsys)
    folder = project / ".zlint_cache"
    assert (
        (folder / "CACHEDIR.TAG")
        .read_text()
        .startswith("Signature: 8a477f597d28d172789f06886806bc55")
    )
    assert (folder / ".gitignore").read_text().splitlines()[-1] == "*"
    assert list((folder / "runs").glob("*.json"))
    assert main(["clean"]) == 0
    assert not folder.exists()


def test_no_cache_writes_nothing_and_cache_dir_moves_it(
    project: Path, tmp_path_factory: pytest.TempPathFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    elsewhere = tmp_path_factory.mktemp("elsewhere") / "c"
    os.environ.pop(cache.ENV_VAR)
    _run(capsys, "--no-cache")
    assert not (project / ".zlint_cache").exists()
    _run(capsys, "--cache-dir", str(elsewhere))
    assert (elsewhere / "CACHEDIR.TAG").is_file()
    assert not (project / ".zlint_cache").exists()
    assert main(["clean", "--cache-dir", str(elsewhere)]) == 0
    assert not elsewhere.exists()


def test_clean_never_removes_a_folder_zlint_did_not_make(tmp_path: Path) -> None:
    (tmp_path / "keep.txt").write_text("mine")
    assert main(["clean", "--cache-dir", str(tmp_path)]) == 0
    assert (tmp_path / "keep.txt").read_text() == "mine"


def test_a_corrupt_entry_is_a_miss_not_an_error(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first = _run(capsys)
    for entry in Path(os.environ[cache.ENV_VAR]).glob("runs/*.json"):
        entry.write_text("{not json", encoding="utf-8")
    assert _run(capsys) == first


FIXTURES = sorted(p for p in (Path(__file__).parent.parent / "fixtures").iterdir() if p.is_dir())


@pytest.mark.parametrize("fixture", FIXTURES, ids=[p.name for p in FIXTURES])
def test_cached_and_uncached_output_are_identical_on_every_fixture(
    fixture: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(fixture)
    for output_format in ("json", "full"):
        argv = ["check", "--output-format", output_format, "--select", "ALL"]
        uncached = (main([*argv, "--no-cache"]), capsys.readouterr().out)
        assert (main(argv), capsys.readouterr().out) == uncached  # stores
        assert (main(argv), capsys.readouterr().out) == uncached  # reads


def test_a_cached_re_check_does_not_import_libcst(project: Path) -> None:
    script = (
        "import sys\n"
        "from zlint.cli import main\n"
        "code = main(['check', '--output-format', 'full'])\n"
        "print(code, 'libcst' in sys.modules)\n"
    )
    runs = [
        subprocess.run(
            [sys.executable, "-c", script], capture_output=True, text=True, check=True
        ).stdout.split()[-2:]
        for _ in range(2)
    ]
    assert runs == [["1", "True"], ["1", "False"]]


def test_a_run_that_hit_a_time_limit_is_not_stored(
    project: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from zlint.inputs import source

    monkeypatch.setattr(source, "PARSE_TIMEOUT_SECONDS", 1e-9)
    first = _run(capsys)[1]
    assert "skipped: parsing took longer" in first
    _analysis_fails(monkeypatch)
    with pytest.raises(AssertionError, match="cache was not used"):
        _run(capsys)


def test_another_python_does_not_reuse_results(
    project: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    _run(capsys)
    monkeypatch.setattr(sys, "version", "3.99.0 (elsewhere)")
    _analysis_fails(monkeypatch)
    with pytest.raises(AssertionError, match="cache was not used"):
        _run(capsys)


# A random walk of edits: after every step, the cached answer is the uncached one.

EDITS: list[tuple[str, Callable[[Path, random.Random], None]]] = [
    ("comment", lambda f, rng: f.write_text(f.read_text() + f"# note {rng.random()}\n")),
    ("plain-line", lambda f, rng: f.write_text(f.read_text() + f"X_{rng.randrange(99)} = 1\n")),
    ("syntax-error", lambda f, rng: f.write_text(f.read_text() + "def broken(:\n")),
    ("repair", lambda f, rng: f.write_text(f.read_text().replace("def broken(:\n", ""))),
    (
        "new-step",
        lambda f, rng: f.write_text(f.read_text() + STEPS.replace("load", f"s{rng.randrange(9)}")),
    ),
    ("touch", lambda f, rng: os.utime(f, ns=(0, rng.randrange(10**18)))),
    ("delete", lambda f, rng: f.unlink()),
    ("rename", lambda f, rng: f.rename(f.with_name(f"moved_{rng.randrange(99)}.py"))),
    ("drop-last-line", lambda f, rng: f.write_text("".join(f.read_text().splitlines(True)[:-1]))),
]


@pytest.mark.parametrize("fixture", ["helpers", "step_factories", "monorepo"])
def test_a_random_walk_of_edits_never_sees_a_stale_answer(
    fixture: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    root = tmp_path / fixture
    shutil.copytree(Path(__file__).parent.parent / "fixtures" / fixture, root)
    monkeypatch.chdir(root)
    rng = random.Random(f"zlint-cache-{fixture}")
    argv = ["check", "--output-format", "json", "--select", "ALL"]
    for step in range(30):
        sources = sorted(root.rglob("*.py"))
        name, edit = rng.choice(EDITS)
        target = rng.choice(sources)
        edit(target, rng)
        # Half the runs check one file (pre-commit), half the whole project.
        paths = [str(rng.choice(sorted(root.rglob("*.py"))))] if step % 2 else []
        cached = (main([*argv, *paths]), capsys.readouterr().out)
        uncached = (main([*argv, *paths, "--no-cache"]), capsys.readouterr().out)
        assert cached == uncached, f"step {step}: {name} on {target.relative_to(root)}"
        again = (main([*argv, *paths]), capsys.readouterr().out)
        assert again == uncached


def test_the_cache_is_exact_when_workers_sort_the_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from zlint.fastpath import triage

    monkeypatch.setattr(triage, "PARALLEL_MIN_FILES", 20)
    plain = {f"pkg/plain_{i}.py": f"VALUE_{i} = {i}\n" for i in range(40)}
    factory = "from zenml import step\n\ndef make(name):\n    @step\n    def inner() -> int:\n        return 1\n    return inner\n"
    write_project(
        tmp_path,
        {
            **PROJECT,
            **plain,
            "factories.py": factory,
            "use.py": "from factories import make\nx = make('a')\n",
        },
    )
    monkeypatch.chdir(tmp_path)
    argv = ["check", "--output-format", "json", "--select", "ALL"]
    edits = [
        ("pkg/plain_3.py", "VALUE_3 = 4\n"),  # stays plain: redone alone
        ("factories.py", factory.replace("make", "build")),  # followed by the import check
        ("pkg/plain_4.py", "from factories import make\ny = make('b')\n"),  # now imports one
        ("steps.py", STEPS_WITH_METADATA),
    ]
    assert main(argv) == main([*argv, "--no-cache"])
    capsys.readouterr()
    for name, text in edits:
        _edit(tmp_path / name, text)
        cached = (main(argv), capsys.readouterr().out)
        assert cached == (main([*argv, "--no-cache"]), capsys.readouterr().out), name
