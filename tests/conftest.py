"""Shared helpers: build a small project in a temporary folder and check it in-process."""

from __future__ import annotations

import dataclasses
import textwrap
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path

import pytest

from zlint import config, engine
from zlint.fastpath import cache
from zlint.fixing import write
from zlint.inputs import files
from zlint.model.releases import KNOWN_RELEASES, Release, Target

Finding = tuple[str, int, str]  # (path relative to the project, line, code)


def load_settings(root: Path) -> config.Settings:
    """The settings of ``root``'s own ``zlint.toml`` or ``pyproject.toml`` (the defaults when
    it has neither), without looking further up as ``zlint`` does."""
    found = config.config_in(root.resolve())
    return config.default_settings(root) if found is None else config.load_config_file(found)


def write_project(root: Path, sources: Mapping[str, str]) -> None:
    """Writes ``{"pkg/mod.py": "source"}`` under ``root`` (dedented), plus a pyproject.toml."""
    if "pyproject.toml" not in sources:
        (root / "pyproject.toml").write_text("[project]\nname = 'sample'\n", encoding="utf-8")
    for relative, text in sources.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")


def check_tree(
    root: Path,
    paths: Sequence[str] = (".",),
    select: Sequence[str] | None = None,
    target: Target | None = None,
) -> engine.CheckResult:
    settings = load_settings(root)
    if select is not None:
        settings = config.with_overrides(settings, select=select)
    if target is not None:
        settings = dataclasses.replace(settings, zenml_target=target)
    found = files.discover([root / p for p in paths], settings)
    return engine.check_project(settings, found.reported, found.project)


def findings(result: engine.CheckResult, root: Path) -> list[Finding]:
    assert not result.errors, result.errors
    return [
        (d.path.relative_to(root.resolve()).as_posix(), d.span.start.line, d.code)
        for d in result.diagnostics
    ]


@pytest.fixture
def check(tmp_path: Path):  # type: ignore[no-untyped-def]
    """``check({"mod.py": src}, select=[...], paths=[...])`` -> sorted findings."""

    def run(
        sources: Mapping[str, str],
        select: Sequence[str] | None = None,
        paths: Sequence[str] = (".",),
        target: Target | None = None,
    ) -> list[Finding]:
        write_project(tmp_path, sources)
        return findings(check_tree(tmp_path, paths, select, target), tmp_path)

    return run


def target(*versions: str, spec: str = "", source: str = "test") -> Target:
    """The known releases from ``versions[0]`` to ``versions[-1]`` (one: a pin)."""
    first, last = Release.parse(versions[0]), Release.parse(versions[-1])
    admitted = tuple(r for r in KNOWN_RELEASES if first <= r <= last)
    shown = spec or (f"=={first}" if first == last else f">={first},<={last}")
    return Target(admitted, shown, source)


def expected_markers(sources: Mapping[str, str], marker: str = "# expect:") -> list[Finding]:
    """Findings written inline as ``# expect: ZL001`` (several codes: ``ZL001 ZL003``)."""
    found: list[Finding] = []
    for relative, text in sources.items():
        for number, line in enumerate(textwrap.dedent(text).lstrip("\n").splitlines(), 1):
            if marker in line:
                for code in line.split(marker, 1)[1].replace(",", " ").split():
                    found.append((relative, number, code))
    return sorted(found)


@pytest.fixture(autouse=True)
def _private_result_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Each test gets its own result cache outside the checked project (and outside the
    repository's fixtures): runs behave as on a fresh machine unless a test runs twice."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(cache.ENV_VAR, str(tmp_path_factory.mktemp("zlint-cache")))
        yield


def leftover_temp_files(folder: Path) -> list[Path]:
    """Temporary files of an interrupted run under ``folder``, at any depth."""
    return sorted(folder.rglob(f".*{write.TEMP_SUFFIX}"))
