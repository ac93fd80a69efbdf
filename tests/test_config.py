"""Tests for zlint.config: reading [tool.zlint], CLI overrides, rule selection, project root."""

from __future__ import annotations

import os
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import load_settings

from zlint import catalog
from zlint.catalog import RuleInfo
from zlint.config import (
    DEFAULT_EXCLUDE,
    ConfigError,
    Settings,
    exclusion_patterns,
    find_project_root,
    ignored_codes_for,
    with_overrides,
)
from zlint.model.releases import Release, default_target

FAKE_RULES: tuple[RuleInfo, ...] = (
    RuleInfo("ZL001", "step-without-output", "fake", True, None),
    RuleInfo("ZL002", "pipeline-calls-step-twice", "fake", True, None),
    RuleInfo("ZL012", "noisy-opinion", "fake", False, None),
)


def _fake_info(key: str) -> RuleInfo | None:
    for rule in FAKE_RULES:
        if key.upper() == rule.code or key == rule.name:
            return rule
    return None


@pytest.fixture(autouse=True)
def fake_registry(monkeypatch: pytest.MonkeyPatch) -> None:
    # Config reads the rule catalog at call time, so a fake one stands in for it here.
    monkeypatch.setattr(catalog, "RULES", FAKE_RULES)
    monkeypatch.setattr(catalog, "info", _fake_info)
    monkeypatch.setattr(catalog, "default_rules", lambda: FAKE_RULES[:2])


@pytest.fixture
def in_tmp(tmp_path: Path) -> Iterator[Path]:
    # Error messages show paths relative to the working folder.
    previous = Path.cwd()
    os.chdir(tmp_path)
    try:
        yield tmp_path
    finally:
        os.chdir(previous)


def _write_pyproject(root: Path, body: str) -> Path:
    path = root / "pyproject.toml"
    path.write_text(textwrap.dedent(body), encoding="utf-8")
    return path


def _settings(root: Path, **fields: object) -> Settings:
    return Settings(root=root, config_file=None, **fields)  # type: ignore[arg-type]


# --------------------------------------------------------------------------- loading


def test_defaults_without_pyproject(tmp_path: Path) -> None:
    settings = load_settings(tmp_path)
    root = tmp_path.resolve()
    assert settings == Settings(root=root, config_file=None, select=None, src=(root, root / "src"))
    assert exclusion_patterns(settings) == DEFAULT_EXCLUDE


def test_pyproject_without_table_gives_defaults(tmp_path: Path) -> None:
    _write_pyproject(tmp_path, '[project]\nname = "x"\n[tool.ruff]\nline-length = 100\n')
    settings = load_settings(tmp_path)
    assert settings.config_file is None
    assert settings.select is None


def test_kebab_keys_parsed(tmp_path: Path) -> None:
    pyproject = _write_pyproject(
        tmp_path,
        """
        [tool.zlint]
        select = ["ZL001", "pipeline-calls-step-twice"]
        extend-select = ["zl012"]
        ignore = ["ZL002"]
        exclude = ["build"]
        extend-exclude = ["fixtures/"]
        src = ["lib", "."]
        step-decorators = ["mylib.deco.tracked_step"]
        pipeline-decorators = ["mylib.deco.tracked_pipeline"]

        [tool.zlint.per-file-ignores]
        "tests/**" = ["ZL001"]
        "scripts/*.py" = ["ZL002", "noisy-opinion"]
        """,
    )
    root = tmp_path.resolve()
    assert load_settings(tmp_path) == Settings(
        root=root,
        config_file=pyproject.resolve(),
        select=("ZL001", "pipeline-calls-step-twice"),
        extend_select=("zl012",),
        ignore=("ZL002",),
        per_file_ignores=(("tests/**", ("ZL001",)), ("scripts/*.py", ("ZL002", "noisy-opinion"))),
        exclude=("build",),
        extend_exclude=("fixtures/",),
        src=(root / "lib", root),
        step_decorators=("mylib.deco.tracked_step",),
        pipeline_decorators=("mylib.deco.tracked_pipeline",),
    )


@pytest.mark.parametrize(
    ("body", "message"),
    [
        pytest.param(
            '[tool.zlint]\nselekt = ["ZL001"]\n',
            "pyproject.toml: [tool.zlint] unknown key 'selekt' (did you mean 'select'?)",
            id="unknown-key-suggests-closest",
        ),
        pytest.param(
            '[tool.zlint]\nextend_select = ["ZL001"]\n',
            "pyproject.toml: [tool.zlint] unknown key 'extend_select' "
            "(did you mean 'extend-select'?)",
            id="snake-case-key-suggests-kebab",
        ),
        pytest.param(
            "[tool.zlint]\nfrobnicate = 1\n",
            "pyproject.toml: [tool.zlint] unknown key 'frobnicate'",
            id="unknown-key-without-suggestion",
        ),
        pytest.param(
            '[tool.zlint]\nselect = "ZL001"\n',
            "pyproject.toml: [tool.zlint] select must be a list of strings, got str",
            id="select-not-a-list",
        ),
        pytest.param(
            '[tool.zlint]\nignore = ["ZL001", 2]\n',
            "pyproject.toml: [tool.zlint] ignore must be a list of strings, "
            "got a list containing int",
            id="list-with-non-string",
        ),
        pytest.param(
            '[tool.zlint]\nper-file-ignores = ["tests"]\n',
            "pyproject.toml: [tool.zlint] per-file-ignores must be a table, got list",
            id="per-file-ignores-not-a-table",
        ),
        pytest.param(
            '[tool.zlint.per-file-ignores]\n"tests/*" = "ZL001"\n',
            'pyproject.toml: [tool.zlint] per-file-ignores."tests/*" must be a list of strings',
            id="per-file-ignores-value-not-a-list",
        ),
        pytest.param(
            '[tool.zlint]\nselect = ["ZL999"]\n',
            "pyproject.toml: [tool.zlint] select: unknown rule 'ZL999'",
            id="unknown-code",
        ),
        pytest.param(
            '[tool.zlint]\nextend-select = ["step-without-outputs"]\n',
            "pyproject.toml: [tool.zlint] extend-select: unknown rule 'step-without-outputs' "
            "(did you mean 'step-without-output'?)",
            id="unknown-name-suggests-closest",
        ),
        pytest.param(
            '[tool.zlint.per-file-ignores]\n"tests/*" = ["ZL404"]\n',
            "pyproject.toml: [tool.zlint] per-file-ignores.\"tests/*\": unknown rule 'ZL404'",
            id="unknown-code-in-per-file-ignores",
        ),
        pytest.param(
            '[tool.zlint]\nignore = ["ALL"]\n',
            "pyproject.toml: [tool.zlint] ignore: unknown rule 'ALL'",
            id="all-only-in-select",
        ),
        pytest.param(
            '[tool.zlint]\nstep-decorators = ["mylib/deco.step"]\n',
            "pyproject.toml: [tool.zlint] step-decorators: 'mylib/deco.step' is not a dotted",
            id="decorator-not-a-dotted-name",
        ),
        pytest.param(
            '[tool.zlint]\nextend-exclude = ["\\\\"]\n',
            "pyproject.toml: [tool.zlint] extend-exclude: invalid pattern",
            id="invalid-exclude-pattern",
        ),
        pytest.param(
            '[tool.zlint]\nzenml-version = "0.40.0"\n',
            "pyproject.toml: [tool.zlint] zenml-version: '0.40.0' admits no ZenML release zlint knows",
            id="zenml-version-unknown",
        ),
        pytest.param(
            "[tool]\nzlint = 3\n",
            "pyproject.toml: [tool.zlint] must be a table",
            id="table-not-a-table",
        ),
        pytest.param(
            '[tool.zlint]\nselect = ["ZL001"\nignore = []\n',
            "pyproject.toml:3:1: invalid TOML: ",
            id="invalid-toml-names-line",
        ),
    ],
)
def test_invalid_config_is_reported_with_file_and_key(
    in_tmp: Path, body: str, message: str
) -> None:
    _write_pyproject(in_tmp, body)
    with pytest.raises(ConfigError) as raised:
        load_settings(in_tmp)
    assert str(raised.value).startswith(message)


@pytest.mark.parametrize("written", ["0.85.0", "==0.85.0", "0.85"])
def test_zenml_version_pins_the_target(tmp_path: Path, written: str) -> None:
    _write_pyproject(tmp_path, f'[tool.zlint]\nzenml-version = "{written}"\n')
    target = load_settings(tmp_path).zenml_target
    assert target.releases == (Release(0, 85, 0),)
    assert target.source == "pyproject.toml [tool.zlint] zenml-version"


def test_the_default_target_is_the_newest_release(tmp_path: Path) -> None:
    _write_pyproject(tmp_path, "[tool.zlint]\n")
    assert load_settings(tmp_path).zenml_target == default_target()


def test_all_accepted_in_select(tmp_path: Path) -> None:
    _write_pyproject(tmp_path, '[tool.zlint]\nselect = ["all"]\nextend-select = ["ALL"]\n')
    settings = load_settings(tmp_path)
    assert (settings.select, settings.extend_select) == (("ALL",), ("ALL",))


# --------------------------------------------------------------------------- rule selection


@pytest.mark.parametrize(
    ("select", "extend_select", "ignore", "expected"),
    [
        pytest.param(None, (), (), {"ZL001", "ZL002"}, id="defaults-skip-opt-in"),
        pytest.param(("ZL002",), (), (), {"ZL002"}, id="select-replaces-defaults"),
        pytest.param(
            ("zl001", "noisy-opinion"), (), (), {"ZL001", "ZL012"}, id="any-case-and-names"
        ),
        pytest.param(None, ("ZL012",), (), {"ZL001", "ZL002", "ZL012"}, id="extend-select-adds"),
        pytest.param(None, (), ("step-without-output",), {"ZL002"}, id="ignore-removes"),
        pytest.param(("ALL",), (), (), {"ZL001", "ZL002", "ZL012"}, id="all-includes-opt-in"),
        pytest.param(("ALL",), (), ("ZL012", "ZL001"), {"ZL002"}, id="all-minus-ignore"),
        pytest.param(None, ("ALL",), ("ZL002",), {"ZL001", "ZL012"}, id="extend-all"),
        pytest.param((), (), (), set(), id="empty-select"),
    ],
)
def test_selected_codes(
    tmp_path: Path,
    select: tuple[str, ...] | None,
    extend_select: tuple[str, ...],
    ignore: tuple[str, ...],
    expected: set[str],
) -> None:
    settings = _settings(tmp_path, select=select, extend_select=extend_select, ignore=ignore)
    assert settings.selected == expected


# --------------------------------------------------------------------------- CLI overrides


@pytest.mark.parametrize(
    ("file", "flags", "expected"),
    [
        pytest.param(
            {"select": ("ZL001",), "ignore": ("ZL002",)},
            {"select": ("ZL002",)},
            {"ZL002"},
            id="cli-select-starts-afresh",
        ),
        pytest.param(
            {"select": ("ZL001",)},
            {"extend_select": ("ZL012",)},
            {"ZL001", "ZL012"},
            id="cli-extend-select-adds",
        ),
        pytest.param(
            {"select": None, "ignore": ("ZL012",), "extend_select": ("ZL012",)},
            {"ignore": ("ZL001",)},
            {"ZL002"},
            id="cli-ignore-adds",
        ),
        pytest.param(
            {"select": None, "ignore": ("ZL001",)},
            {"extend_select": ("step-without-output",)},
            {"ZL001", "ZL002"},
            id="cli-extend-select-beats-file-ignore",
        ),
        pytest.param(
            {"select": None},
            {"select": ("ALL",), "ignore": ("ZL002",)},
            {"ZL001", "ZL012"},
            id="cli-select-all",
        ),
    ],
)
def test_with_overrides_rule_selection(
    tmp_path: Path, file: dict[str, object], flags: dict[str, tuple[str, ...]], expected: set[str]
) -> None:
    settings = with_overrides(_settings(tmp_path, **file), **flags)
    assert settings.selected == expected


def test_with_overrides_exclude(tmp_path: Path) -> None:
    base = _settings(tmp_path, select=None, exclude=("a",), extend_exclude=("b",))
    assert exclusion_patterns(with_overrides(base, extend_exclude=("c",))) == ("a", "b", "c")
    assert exclusion_patterns(with_overrides(base, exclude=("x",))) == ("x", "b")


@pytest.mark.parametrize(
    ("flags", "message"),
    [
        pytest.param({"select": ("ZL999",)}, "--select: unknown rule 'ZL999'", id="select"),
        pytest.param(
            {"extend_select": ("ZL999",)}, "--extend-select: unknown rule 'ZL999'", id="extend"
        ),
        pytest.param({"ignore": ("ALL",)}, "--ignore: unknown rule 'ALL'", id="ignore-all"),
        pytest.param({"exclude": ("\\",)}, "--exclude: invalid pattern", id="exclude-pattern"),
    ],
)
def test_with_overrides_rejects_unknown(
    tmp_path: Path, flags: dict[str, tuple[str, ...]], message: str
) -> None:
    with pytest.raises(ConfigError) as raised:
        with_overrides(_settings(tmp_path, select=None), **flags)
    assert str(raised.value).startswith(message)


# --------------------------------------------------------------------------- per-file-ignores

PER_FILE_IGNORES = (
    ("tests/", ("ZL001",)),
    ("scripts/*.py", ("noisy-opinion",)),
    ("conftest.py", ("ZL002",)),
    ("/setup.py", ("ZL001", "ZL002")),
)


@pytest.mark.parametrize(
    ("relative", "expected"),
    [
        pytest.param("pkg/steps.py", set(), id="no-match"),
        pytest.param("tests/unit/test_steps.py", {"ZL001"}, id="folder-pattern"),
        pytest.param("scripts/run.py", {"ZL012"}, id="anchored-glob-name-normalised"),
        pytest.param("pkg/scripts/run.py", set(), id="slash-pattern-is-anchored"),
        pytest.param("tests/conftest.py", {"ZL001", "ZL002"}, id="union-of-matches"),
        pytest.param("setup.py", {"ZL001", "ZL002"}, id="root-anchored"),
        pytest.param("pkg/setup.py", set(), id="root-anchored-not-nested"),
    ],
)
def test_ignored_codes_for(tmp_path: Path, relative: str, expected: set[str]) -> None:
    settings = _settings(tmp_path, select=None, per_file_ignores=PER_FILE_IGNORES)
    assert ignored_codes_for(settings, tmp_path / relative) == expected


def test_ignored_codes_for_outside_root(tmp_path: Path) -> None:
    settings = _settings(tmp_path / "proj", select=None, per_file_ignores=PER_FILE_IGNORES)
    assert ignored_codes_for(settings, tmp_path / "tests" / "x.py") == frozenset()


# --------------------------------------------------------------------------- project root


@pytest.mark.parametrize(
    ("markers", "given", "expected"),
    [
        pytest.param(["pyproject.toml"], ["pkg/sub"], "", id="pyproject-above"),
        pytest.param(
            ["pyproject.toml", "pkg/pyproject.toml"], ["pkg/sub"], "pkg", id="nearest-pyproject"
        ),
        pytest.param(["pyproject.toml", "pkg/.git/"], ["pkg/sub/m.py"], "pkg", id="git-folder"),
        pytest.param(["pkg/.git"], ["pkg/sub/m.py"], "pkg", id="git-file-of-worktree"),
        pytest.param(
            ["pkg/pyproject.toml"], ["pkg/sub/m.py", "other/n.py"], "", id="common-parent"
        ),
        pytest.param([], ["pkg/sub/m.py"], "pkg/sub", id="no-marker-file-folder"),
        pytest.param([], ["pkg/sub", "pkg/other"], "pkg", id="no-marker-common-folder"),
    ],
)
def test_find_project_root(
    tmp_path: Path, markers: list[str], given: list[str], expected: str
) -> None:
    # Assumes no folder above pytest's tmp_path holds a pyproject.toml or .git.
    for folder in ("pkg/sub", "other", "pkg/other"):
        (tmp_path / folder).mkdir(parents=True, exist_ok=True)
    for name in ("pkg/sub/m.py", "other/n.py"):
        (tmp_path / name).touch()
    for marker in markers:
        target = tmp_path / marker.rstrip("/")
        if marker.endswith("/"):
            target.mkdir(parents=True)
        else:
            target.write_text("", encoding="utf-8")
    root = find_project_root([tmp_path / path for path in given])
    assert root == (tmp_path / expected).resolve()
