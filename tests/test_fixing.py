"""`zlint fix`: the fix loop, the CLI, and writes that never lose a file."""

from __future__ import annotations

import codecs
import os
import stat
from pathlib import Path

import libcst as cst
import pytest
from conftest import leftover_temp_files, write_project

from zlint.cli import main
from zlint.fixing.apply import text_edits
from zlint.fixing.write import encode_like, write_atomically
from zlint.model.modules import ModuleInfo
from zlint.model.scoped_names import CallSite
from zlint.types import Applicability, Fix, NodeReplacement, Position, TextEdit

QUERY = """from zenml.client import Client

# Look the artifact up later.
versions = Client().list_artifact_versions("generic_artifact")  # keep this comment
"""
FIXED = QUERY.replace(
    'list_artifact_versions("generic_artifact")', 'list_artifact_versions(name="generic_artifact")'
)


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    write_project(tmp_path, {"query.py": QUERY})
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_fix_rewrites_keeps_comments_and_is_idempotent(project: Path) -> None:
    assert main(["fix", "."]) == 0
    assert (project / "query.py").read_text(encoding="utf-8") == FIXED
    assert main(["fix", "."]) == 0
    assert (project / "query.py").read_text(encoding="utf-8") == FIXED
    assert main(["check", "."]) == 0


def test_check_fix_is_the_same_as_fix(project: Path) -> None:
    assert main(["check", "--fix", "."]) == 0
    assert (project / "query.py").read_text(encoding="utf-8") == FIXED


def test_diff_writes_nothing_and_exits_1(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["fix", "--diff", "."]) == 1
    out = capsys.readouterr().out
    assert "--- a/query.py" in out and "+++ b/query.py" in out
    assert '+versions = Client().list_artifact_versions(name="generic_artifact")' in out
    assert (project / "query.py").read_text(encoding="utf-8") == QUERY
    main(["fix", "."])
    assert main(["fix", "--diff", "."]) == 0


def test_unfixable_config_keeps_the_finding(project: Path) -> None:
    (project / "pyproject.toml").write_text(
        "[tool.zlint]\nunfixable = ['ZL014']\n", encoding="utf-8"
    )
    assert main(["fix", "."]) == 1
    assert (project / "query.py").read_text(encoding="utf-8") == QUERY


def test_unsafe_fix_needs_the_flag(project: Path) -> None:
    source = QUERY.replace('("generic_artifact")', "(wanted)").replace(
        "# Look", "wanted = input()\n# Look"
    )
    (project / "query.py").write_text(source, encoding="utf-8")
    assert main(["fix", "."]) == 1
    assert "(wanted)" in (project / "query.py").read_text(encoding="utf-8")
    assert main(["fix", "--unsafe-fixes", "."]) == 0
    assert "(name=wanted)" in (project / "query.py").read_text(encoding="utf-8")


def test_show_fixes(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    main(["fix", "--show-fixes", "."])
    assert "query.py: Filter by `name=` instead of sorting" in capsys.readouterr().out


@pytest.mark.parametrize(
    "raw",
    [
        pytest.param(codecs.BOM_UTF8 + QUERY.encode(), id="utf8-bom"),
        pytest.param(QUERY.replace("\n", "\r\n").encode(), id="crlf"),
        pytest.param(
            ("# -*- coding: latin-1 -*-\n" + QUERY.replace("later", "plus tard: été")).encode(
                "latin-1"
            ),
            id="latin-1",
        ),
    ],
)
def test_fix_keeps_encoding_bom_and_line_endings(project: Path, raw: bytes) -> None:
    path = project / "query.py"
    path.write_bytes(raw)
    os.chmod(path, 0o640)
    assert main(["fix", "."]) == 0
    written = path.read_bytes()
    assert written == raw.replace(b'("generic_artifact")', b'(name="generic_artifact")')
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    assert leftover_temp_files(project) == []


def test_write_refuses_a_file_changed_since_it_was_read(tmp_path: Path) -> None:
    path = tmp_path / "mod.py"
    path.write_text("x = 1\n", encoding="utf-8")
    problem = write_atomically(path, "x = 2\n", b"x = 0\n")
    assert problem is not None and "changed on disk" in problem
    assert path.read_text(encoding="utf-8") == "x = 1\n"


def test_encode_like_keeps_the_bom() -> None:
    assert encode_like("x = 1\n", codecs.BOM_UTF8 + b"x = 0\n") == codecs.BOM_UTF8 + b"x = 1\n"


def test_a_fix_that_breaks_the_file_is_reverted(
    project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from zlint.rules import zl014_positional_artifact_query as zl014

    def broken(ctx: object, module: ModuleInfo, names: object, site: CallSite) -> Fix:
        # `versions = def`: not Python, so the file must be left as it was.
        replacement = NodeReplacement(module.path, site.call, cst.Name("def"))
        return Fix(Applicability.SAFE, "break it", (replacement,))

    monkeypatch.setattr(zl014, "_fix", broken)
    main(["fix", "."])
    assert (project / "query.py").read_text(encoding="utf-8") == QUERY
    assert "query.py" in capsys.readouterr().err


def test_text_edits_are_line_ranges() -> None:
    assert text_edits("a\nb\nc\n", "a\nB\nc\n") == (
        TextEdit("B\n", Position(2, 1), Position(3, 1)),
    )
