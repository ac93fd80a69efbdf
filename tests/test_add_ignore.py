"""``zlint check --add-ignore[=REASON]``: baseline every current finding, then check clean."""

from __future__ import annotations

from pathlib import Path

import pytest

from zlint.cli import main

BEFORE = '''\
from zenml import step
from zenml.client import Client

client = Client()


@step
def load(id: int, after: int) -> int:  # a note
    return id


client.list_artifact_versions("a")  # zlint: ignore[ZL010] kept
client.list_artifact_versions("b")  # noqa: E501
client.list_artifact_versions("""c
""")
client.list_artifact_versions("d") + \\
    []
client.list_artifact_versions(
    "e",
)
'''

AFTER = '''\
from zenml import step
from zenml.client import Client

client = Client()


@step
def load(id: int, after: int) -> int:  # a note  # zlint: ignore[ZL010]
    return id


client.list_artifact_versions("a")  # zlint: ignore[ZL010, ZL014] kept
client.list_artifact_versions("b")  # noqa: E501  # zlint: ignore[ZL014]
client.list_artifact_versions("""c
""")  # zlint: ignore[ZL014]
client.list_artifact_versions("d") + \\
    []  # zlint: ignore[ZL014]
client.list_artifact_versions(
    "e",  # zlint: ignore[ZL014]
)
'''


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'x'\n", encoding="utf-8")
    (tmp_path / "m.py").write_text(BEFORE, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_round_trip(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check"]) == 1
    capsys.readouterr()
    assert main(["check", "--add-ignore"]) == 0
    assert "Added 6 suppressions to 1 file." in capsys.readouterr().err
    assert (project / "m.py").read_text(encoding="utf-8") == AFTER
    assert main(["check"]) == 0
    assert main(["check", "--add-ignore"]) == 0  # nothing left to add
    assert (project / "m.py").read_text(encoding="utf-8") == AFTER


def test_reason_and_a_path_after_the_flag(project: Path) -> None:
    (project / "other.py").write_text(
        'from zenml.client import Client\nClient().list_artifact_versions("x")\n', encoding="utf-8"
    )
    assert main(["check", "--add-ignore", "other.py"]) == 0  # other.py is a path, not a reason
    assert (project / "m.py").read_text(encoding="utf-8") == BEFORE
    assert main(["check", "--add-ignore=legacy, see #12", "m.py"]) == 0
    text = (project / "m.py").read_text(encoding="utf-8")
    assert '("b")  # noqa: E501  # zlint: ignore[ZL014] legacy, see #12\n' in text
    assert '("a")  # zlint: ignore[ZL010, ZL014] kept\n' in text  # its reason stays
    assert main(["check"]) == 0


def test_reason_required(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (project / "zlint.toml").write_text("require-suppression-reason = true\n", encoding="utf-8")
    assert main(["check", "--add-ignore"]) == 2
    assert "give the reason as --add-ignore=REASON" in capsys.readouterr().err
    assert main(["check", "--add-ignore=baseline"]) == 0
    assert main(["check"]) == 0


def test_not_with_fix(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "--add-ignore", "--fix"]) == 2
    assert main(["fix", "--add-ignore=x"]) == 2
    assert "cannot be combined" in capsys.readouterr().err
    assert (project / "m.py").read_text(encoding="utf-8") == BEFORE


def test_baselines_stale_and_invalid_suppressions(project: Path) -> None:
    (project / "m.py").write_text(
        "# zlint: file-ignore[ZL010]\n"
        "x = 1  # zlint: ignore[ZL014] stale\n"
        "y = 2  # zlint: ignroe[ZL014]\n",
        encoding="utf-8",
    )
    argv = ["check", "--extend-select", "ZL900"]
    assert main(argv) == 1
    assert main([*argv, "--add-ignore"]) == 0
    assert (project / "m.py").read_text(encoding="utf-8") == (
        "# zlint: file-ignore[ZL010]  # zlint: ignore[ZL900]\n"
        "x = 1  # zlint: ignore[ZL014] stale  # zlint: ignore[ZL900]\n"
        "y = 2  # zlint: ignroe[ZL014]  # zlint: ignore[ZL901]\n"
    )
    assert main(argv) == 0


def test_unparsable_files_are_left_and_printed(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (project / "broken.py").write_text("rows = [\n", encoding="utf-8")
    assert main(["check", "--add-ignore", "--output-format", "concise"]) == 1
    out = capsys.readouterr().out
    assert "broken.py:1:8: ZL000" in out
    assert (project / "broken.py").read_text(encoding="utf-8") == "rows = [\n"
    assert (project / "m.py").read_text(encoding="utf-8") == AFTER


def test_keeps_crlf_line_endings(project: Path) -> None:
    (project / "m.py").write_bytes(BEFORE.replace("\n", "\r\n").encode())
    assert main(["check", "--add-ignore"]) == 0
    assert (project / "m.py").read_bytes() == AFTER.replace("\n", "\r\n").encode()
