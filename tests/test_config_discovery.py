"""Which configuration file a run uses: zlint.toml and pyproject.toml in nested folders,
--config, --isolated, and what --show-settings and --show-files print."""

from __future__ import annotations

from pathlib import Path

import pytest

from zlint.cli import main
from zlint.config import ConfigError, find_config_file, resolve_settings

ZL010 = "from zenml import step\n\n\n@step\ndef load(id: int) -> int:\n    return id\n"
ZL014 = 'from zenml.client import Client\n\nClient().list_artifact_versions("a")\n'


def write(root: Path, files: dict[str, str]) -> None:
    for relative, text in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


@pytest.fixture
def tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """repo/ (a git repository) with a nested project; every folder has both problems."""
    monkeypatch.chdir(tmp_path)
    write(
        tmp_path,
        {
            "repo/.git/HEAD": "ref: refs/heads/main\n",
            "repo/pyproject.toml": '[tool.zlint]\nselect = ["ZL010"]\n',
            "repo/top.py": ZL010 + ZL014,
            "repo/plain/pyproject.toml": "[project]\nname = 'plain'\n",
            "repo/plain/p.py": ZL010 + ZL014,
            "repo/both/pyproject.toml": '[tool.zlint]\nselect = ["ZL010"]\n',
            "repo/both/zlint.toml": 'select = ["ZL014"]\n',
            "repo/both/deep/b.py": ZL010 + ZL014,
        },
    )
    return tmp_path / "repo"


@pytest.mark.parametrize(
    ("given", "config"),
    [
        pytest.param("top.py", "pyproject.toml", id="pyproject-with-table"),
        pytest.param("plain/p.py", "pyproject.toml", id="pyproject-without-table-is-passed-by"),
        pytest.param("both/deep/b.py", "both/zlint.toml", id="zlint-toml-wins-in-its-folder"),
        pytest.param("both", "both/zlint.toml", id="a-folder"),
    ],
)
def test_closest_config_file(tree: Path, given: str, config: str) -> None:
    assert find_config_file([tree / given]) == (tree / config).resolve()
    settings = resolve_settings([tree / given])
    assert settings.config_file == (tree / config).resolve()
    assert settings.root == (tree / config).resolve().parent


def test_search_stops_at_the_repository_root(tmp_path: Path) -> None:
    write(tmp_path, {"zlint.toml": "", "repo/.git/HEAD": "", "repo/a.py": ""})
    assert find_config_file([tmp_path / "repo" / "a.py"]) is None
    settings = resolve_settings([tmp_path / "repo" / "a.py"])
    assert (settings.config_file, settings.root) == (None, (tmp_path / "repo").resolve())


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    code = main(["check", "--output-format", "concise", *argv])
    out = capsys.readouterr()
    return code, out.out + out.err


def codes(out: str) -> list[str]:
    return sorted({line.split()[1] for line in out.splitlines() if ": ZL" in line})


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        pytest.param(["top.py"], ["ZL010"], id="root-pyproject"),
        pytest.param(["plain/p.py"], ["ZL010"], id="parent-config-for-a-plain-pyproject"),
        pytest.param(["both/deep"], ["ZL014"], id="nested-zlint-toml"),
        pytest.param(["--isolated", "both/deep"], ["ZL010", "ZL014"], id="isolated"),
        pytest.param(
            ["--config", "both/pyproject.toml", "both/deep"], ["ZL010"], id="config-pyproject"
        ),
        pytest.param(["--config", "both/zlint.toml", "top.py"], ["ZL014"], id="config-zlint-toml"),
    ],
)
def test_cli_uses_the_config(
    tree: Path, capsys: pytest.CaptureFixture[str], argv: list[str], expected: list[str]
) -> None:
    code, out = run(capsys, *(a if a.startswith("-") else f"repo/{a}" for a in argv))
    assert (code, codes(out)) == (1, expected)


def test_config_with_another_name_is_zlint_toml_format(
    tree: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(tree, {"ci/strict.toml": 'select = ["ZL014"]\nrequire-suppression-reason = true\n'})
    code, out = run(capsys, "--config", "repo/ci/strict.toml", "--show-settings")
    assert code == 0
    assert f"root: {(tree / 'ci').resolve()}\n" in out
    assert "require-suppression-reason: true\n" in out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        pytest.param(
            ["--config", "repo/missing.toml"],
            "--config: repo/missing.toml: no such file",
            id="missing",
        ),
        pytest.param(
            ["--config", "repo/plain/pyproject.toml"],
            "repo/plain/pyproject.toml: has no [tool.zlint] table",
            id="pyproject-without-table",
        ),
        pytest.param(
            ["--config", "repo/both/zlint.toml", "--isolated"],
            "--config and --isolated cannot be used together",
            id="config-and-isolated",
        ),
    ],
)
def test_config_errors(
    tree: Path, capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    code, out = run(capsys, *argv)
    assert code == 2
    assert message in out


@pytest.mark.parametrize(
    ("text", "message"),
    [
        pytest.param(
            'selekt = ["ZL001"]\n',
            "repo/both/zlint.toml: unknown key 'selekt' (did you mean 'select'?)",
            id="unknown-key",
        ),
        pytest.param(
            'select = ["ZL999"]\n', "repo/both/zlint.toml: select: unknown rule 'ZL999'", id="code"
        ),
        pytest.param(
            'require-suppression-reason = "yes"\n',
            "repo/both/zlint.toml: require-suppression-reason must be true or false, not str",
            id="wrong-type",
        ),
        pytest.param("select = [1,,]\n", "repo/both/zlint.toml:1:13: invalid TOML", id="bad-toml"),
    ],
)
def test_zlint_toml_errors_name_file_and_key(
    tree: Path, capsys: pytest.CaptureFixture[str], text: str, message: str
) -> None:
    (tree / "both" / "zlint.toml").write_text(text, encoding="utf-8")
    code, out = run(capsys, "repo/both")
    assert code == 2
    assert message in out


def test_pyproject_key_errors_name_the_table(tree: Path) -> None:
    (tree / "pyproject.toml").write_text(
        "[tool.zlint]\nrequire-suppression-reason = 1\n", encoding="utf-8"
    )
    with pytest.raises(ConfigError) as raised:
        resolve_settings([tree / "top.py"])
    assert str(raised.value) == (
        "repo/pyproject.toml: [tool.zlint] require-suppression-reason must be true or false, "
        "not int"
    )


def test_show_settings(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(
        tree,
        {
            "both/zlint.toml": 'select = ["ZL014", "reserved-step-parameter"]\n'
            'extend-exclude = ["build"]\nsrc = ["lib"]\n'
            'per-file-ignores = { "legacy/*.py" = ["positional-artifact-query"] }\n'
            'step-decorators = ["mylib.tracked_step"]\nunfixable = ["ZL014"]\n'
        },
    )
    code, out = run(capsys, "repo/both/deep", "--show-settings", "--extend-select", "ZL900")
    root = (tree / "both").resolve()
    assert code == 0
    lines = out.splitlines()
    assert lines[:9] == [
        f"root: {root}",
        f"config-file: {root / 'zlint.toml'}",
        "selected-codes: ZL010, ZL014, ZL900",
        "exclude: .git, .venv, venv, .tox, .nox, node_modules, site-packages, __pycache__, "
        "dist, .zlint_cache, build",
        "per-file-ignores: legacy/*.py = ZL014",
        f"src: {root / 'lib'}",
        "step-decorators: mylib.tracked_step",
        "pipeline-decorators: (none)",
        "fixable: ALL",
    ]
    assert "unfixable: ZL014" in lines
    assert "unsafe-fixes: false" in lines
    assert "require-suppression-reason: false" in lines
    assert "Found" not in out and "passed" not in out  # nothing was checked


def test_show_settings_without_config(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(tmp_path, {"p/.git/HEAD": "", "p/a.py": ""})
    code, out = run(capsys, str(tmp_path / "p"), "--show-settings", "--isolated")
    assert code == 0
    assert "config-file: (none)" in out.splitlines()


def test_show_files(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(tree, {"both/build/gen.py": "", "both/deep/.gitignore": "skip.py\n"})
    write(tree, {"both/deep/skip.py": "", "both/deep/notes.txt": "", "both/zlint.toml": ""})
    (tree / "both" / "zlint.toml").write_text('extend-exclude = ["build"]\n', encoding="utf-8")
    code, out = run(capsys, "repo/both", "--show-files")
    assert code == 0
    assert out.splitlines() == ["repo/both/deep/b.py"]


def test_show_files_relative_to_the_working_folder(
    tree: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tree / "both")
    code, out = run(capsys, "--show-files")
    assert (code, out.splitlines()) == (0, ["deep/b.py"])
