"""Tests for zlint.inputs.files.discover: walking, exclusion patterns, .gitignore files, odd paths."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path

import pytest

from zlint.config import Settings
from zlint.inputs.files import NO_SUCH_PATH, Discovery, discover, is_force_excluded

#: A tree in every case: pyproject marks the root, one package, and the usual clutter.
BASE_TREE: Mapping[str, str] = {
    "pyproject.toml": "",
    "pkg/__init__.py": "",
    "pkg/steps.py": "",
    "pkg/README.md": "",
    "pkg/__pycache__/steps.cpython-311.py": "",
    ".venv/lib/site.py": "",
    ".venv/lib/__pycache__/site.py": "",
    "node_modules/tool/x.py": "",
    "dist/old.py": "",
}
BASE_REPORTED = ("pkg/__init__.py", "pkg/steps.py")


def _build(root: Path, tree: Mapping[str, str]) -> None:
    """Files from ``{relative path: text}``; a path ending in "/" is an empty folder."""
    for relative, text in tree.items():
        path = root / relative
        if relative.endswith("/"):
            path.mkdir(parents=True, exist_ok=True)
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def _settings(root: Path, **fields: tuple[str, ...]) -> Settings:
    return Settings(root=root.resolve(), config_file=None, select=None, **fields)  # type: ignore[arg-type]


def _relative(root: Path, paths: tuple[Path, ...]) -> tuple[str, ...]:
    return tuple(path.relative_to(root.resolve()).as_posix() for path in paths)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "proj"
    _build(root, BASE_TREE)
    return root


@pytest.mark.parametrize(
    ("extra_tree", "given", "fields", "reported"),
    [
        pytest.param({}, ["."], {}, BASE_REPORTED, id="default-excludes-pruned"),
        pytest.param(
            {".gitignore": "generated/\n*_pb2.py\n", "generated/g.py": "", "pkg/api_pb2.py": ""},
            ["."],
            {},
            BASE_REPORTED,
            id="root-gitignore",
        ),
        pytest.param(
            {"pkg/.gitignore": "/local.py\n", "pkg/local.py": "", "pkg/sub/local.py": ""},
            ["."],
            {},
            (*BASE_REPORTED, "pkg/sub/local.py"),
            id="nested-gitignore-is-relative-to-its-folder",
        ),
        pytest.param(
            {
                ".gitignore": "*_gen.py\n",
                "pkg/.gitignore": "!keep_gen.py\n",
                "pkg/keep_gen.py": "",
                "pkg/other_gen.py": "",
                "top_gen.py": "",
            },
            ["."],
            {},
            (*BASE_REPORTED, "pkg/keep_gen.py"),
            id="nested-gitignore-negation-overrides-parent",
        ),
        pytest.param(
            {"fixtures/f.py": "", "scripts/s.py": "", "pkg/scripts/s.py": ""},
            ["."],
            {"extend_exclude": ("fixtures", "/scripts/")},
            (*BASE_REPORTED, "pkg/scripts/s.py"),
            id="extend-exclude",
        ),
        pytest.param(
            {},
            ["."],
            {"exclude": ("pkg", "__pycache__")},
            ("dist/old.py", "node_modules/tool/x.py", ".venv/lib/site.py"),
            id="exclude-replaces-defaults",
        ),
        pytest.param(
            {".gitignore": "pkg/gen/\n", "pkg/gen/g.py": "", "lib/l.py": ""},
            ["pkg"],
            {},
            BASE_REPORTED,
            id="explicit-folder-walked-with-root-gitignore",
        ),
        pytest.param(
            {},
            [".venv/lib/site.py", "pkg/steps.py"],
            {},
            (".venv/lib/site.py", "pkg/steps.py"),
            id="explicit-file-in-excluded-folder",
        ),
        pytest.param(
            {},
            [".venv/lib"],
            {},
            (".venv/lib/site.py",),
            id="explicit-excluded-folder-still-prunes-inside",
        ),
        pytest.param(
            {"x.py/inner.py": "", "pkg/y.py/": ""},
            ["."],
            {},
            (*BASE_REPORTED, "x.py/inner.py"),
            id="py-named-folders-are-folders",
        ),
        pytest.param(
            {"x.py/inner.py": ""},
            ["x.py", "pkg/README.md"],
            {},
            ("x.py/inner.py",),
            id="explicit-py-folder-and-non-python-file",
        ),
        pytest.param({}, ["pkg", "pkg/steps.py", "."], {}, BASE_REPORTED, id="overlaps-merged"),
    ],
)
def test_discover(
    project: Path,
    monkeypatch: pytest.MonkeyPatch,
    extra_tree: Mapping[str, str],
    given: list[str],
    fields: dict[str, tuple[str, ...]],
    reported: tuple[str, ...],
) -> None:
    _build(project, extra_tree)
    monkeypatch.chdir(project)
    result = discover([Path(p) for p in given], _settings(project, **fields))
    assert result.problems == ()
    assert _relative(project, result.reported) == tuple(sorted(reported))
    assert set(result.reported) <= set(result.project)


def test_project_is_the_whole_root_plus_reported_files_outside(tmp_path: Path) -> None:
    root = tmp_path / "proj"
    _build(root, {**BASE_TREE, "lib/helpers.py": ""})
    _build(tmp_path, {"elsewhere/script.py": ""})
    outside = (tmp_path / "elsewhere" / "script.py").resolve()
    result = discover([root / "pkg", outside], _settings(root))
    assert result.reported[0] == outside  # "elsewhere" sorts before "proj"
    assert _relative(root, result.reported[1:]) == BASE_REPORTED
    assert result.project == (
        outside,
        *(root.resolve() / p for p in ("lib/helpers.py", *BASE_REPORTED)),
    )


def test_missing_path_is_a_problem_and_the_run_continues(project: Path) -> None:
    missing = project / "nope.py"
    result = discover([missing, project / "pkg" / "steps.py"], _settings(project))
    assert result.problems == ((missing, NO_SUCH_PATH),)
    assert _relative(project, result.reported) == ("pkg/steps.py",)


def test_unreadable_folder_is_a_problem(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # chmod cannot lock out root, which the test may run as, so make scandir refuse instead.
    locked = (project / "pkg").resolve()
    real_scandir = os.scandir

    def scandir(path: Path) -> Iterator[os.DirEntry[str]]:
        if Path(path) == locked:
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    result = discover([project], _settings(project))
    assert result.problems == ((locked, "Permission denied"),)
    assert result.reported == ()


def _discover_with_deadline(paths: list[Path], settings: Settings) -> Discovery:
    # A walk that follows a symlink loop never ends; fail the test instead of hanging the run.
    outcome: list[Discovery] = []
    worker = threading.Thread(target=lambda: outcome.append(discover(paths, settings)))
    worker.daemon = True
    worker.start()
    worker.join(timeout=20)
    assert outcome, "discover did not finish: symlink loop followed?"
    return outcome[0]


def test_symlink_loop_does_not_hang(project: Path) -> None:
    (project / "pkg" / "again").symlink_to(project / "pkg", target_is_directory=True)
    (project / "pkg" / "self").symlink_to(project / "pkg" / "self")
    result = _discover_with_deadline([project], _settings(project))
    assert _relative(project, result.reported) == BASE_REPORTED
    assert result.problems == ()


def test_symlinked_folders_are_not_followed_by_a_walk(tmp_path: Path) -> None:
    # Files outside the given paths are never reported; a link to a parent folder would
    # report the whole tree above (tests/test_reliability.py has more symlink cases).
    root = tmp_path / "proj"
    _build(root, BASE_TREE)
    _build(tmp_path, {"shared/common.py": ""})
    (root / "pkg" / "shared").symlink_to(tmp_path / "shared", target_is_directory=True)
    (root / "alias").symlink_to(tmp_path / "shared", target_is_directory=True)
    result = _discover_with_deadline([root], _settings(root))
    assert _relative(root, result.reported) == BASE_REPORTED
    assert result.project == result.reported


def test_broken_symlinks_are_skipped_silently(project: Path) -> None:
    (project / "pkg" / "gone.py").symlink_to(project / "missing.py")
    (project / "pkg" / "gone_dir").symlink_to(project / "missing", target_is_directory=True)
    result = discover([project], _settings(project))
    assert _relative(project, result.reported) == BASE_REPORTED
    assert result.problems == ()


def test_symlinked_file_is_reported_by_its_real_path(project: Path) -> None:
    (project / "pkg" / "alias.py").symlink_to(project / "pkg" / "steps.py")
    result = discover([project / "pkg" / "alias.py"], _settings(project))
    assert result.reported == ((project / "pkg" / "steps.py").resolve(),)


# --------------------------------------------------------------------------- stubs (.pyi)


@pytest.mark.parametrize(
    ("extra_tree", "given", "reported"),
    [
        pytest.param(
            {"pkg/steps.pyi": "", "typings/zenml.pyi": ""},
            ["."],
            (*BASE_REPORTED, "pkg/steps.pyi", "typings/zenml.pyi"),
            id="walk-takes-stubs",
        ),
        pytest.param({"pkg/steps.pyi": ""}, ["pkg/steps.pyi"], ("pkg/steps.pyi",), id="named"),
        pytest.param(
            {"pkg/x.pyc": "", "pkg/x.pyx": "", "pkg/x.pyi.txt": ""},
            ["."],
            BASE_REPORTED,
            id="other-suffixes-skipped",
        ),
    ],
)
def test_discover_stubs(
    project: Path,
    monkeypatch: pytest.MonkeyPatch,
    extra_tree: Mapping[str, str],
    given: list[str],
    reported: tuple[str, ...],
) -> None:
    _build(project, extra_tree)
    monkeypatch.chdir(project)
    result = discover([Path(p) for p in given], _settings(project))
    assert _relative(project, result.reported) == tuple(sorted(reported))


STUB_STEP = """
from typing import Annotated
from zenml import pipeline, step

@step
def make(id: int) -> Annotated[list, "made"]: ...

@pipeline
def stubbed() -> None:
    make(1)  # expect: ZL010
    make(2)  # expect: ZL001
"""

USES_MAKE = """
from zenml import pipeline
from lib.steps import make

@pipeline
def p():
    make(1)
    make(2)  # expect: ZL001
"""


@pytest.mark.parametrize(
    ("sources", "expected"),
    [
        pytest.param(
            {"lib/steps.pyi": STUB_STEP},
            [("lib/steps.pyi", 5, "ZL010"), ("lib/steps.pyi", 10, "ZL001")],
            id="stub-with-step-and-pipeline-is-reported",
        ),
        pytest.param(
            {"lib/steps.pyi": STUB_STEP, "pipe.py": USES_MAKE},
            [
                ("lib/steps.pyi", 5, "ZL010"),
                ("lib/steps.pyi", 10, "ZL001"),
                ("pipe.py", 7, "ZL001"),
            ],
            id="stub-alone-is-the-module",
        ),
        pytest.param(
            {
                "lib/steps.py": "def make(id): ...\n",  # not a step: the source wins
                "lib/steps.pyi": STUB_STEP,
                "pipe.py": USES_MAKE,
            },
            [("lib/steps.pyi", 5, "ZL010"), ("lib/steps.pyi", 10, "ZL001")],
            id="source-next-to-stub-wins",
        ),
        pytest.param(
            {"lib/__init__.pyi": STUB_STEP, "pipe.py": USES_MAKE.replace("lib.steps", "lib")},
            [
                ("lib/__init__.pyi", 5, "ZL010"),
                ("lib/__init__.pyi", 10, "ZL001"),
                ("pipe.py", 7, "ZL001"),
            ],
            id="package-stub",
        ),
    ],
)
def test_stubs_in_the_project_model(
    check: Callable[[Mapping[str, str]], list[tuple[str, int, str]]],
    sources: Mapping[str, str],
    expected: list[tuple[str, int, str]],
) -> None:
    assert check(sources) == expected


@pytest.mark.parametrize(
    ("path", "excluded"),
    [
        pytest.param("fixtures/absent.py", True, id="absent-file-in-excluded-folder"),
        pytest.param("pkg/absent.py", False, id="absent-file-elsewhere"),
        pytest.param("pkg/steps.py", False, id="existing-file"),
        pytest.param("../outside.py", False, id="outside-the-root"),
    ],
)
def test_is_force_excluded_needs_no_file(project: Path, path: str, excluded: bool) -> None:
    settings = _settings(project, extend_exclude=("fixtures",))
    assert is_force_excluded(project / path, settings) is excluded
