from __future__ import annotations

from pathlib import Path

import pytest
from conftest import check_tree, findings, write_project

GOOD_PIPELINE = """
from typing import Annotated
from zenml import pipeline, step

@step
def clean(x: int) -> Annotated[int, "cleaned"]:
    return x

@pipeline
def p():
    clean(1)
    clean(2)
"""


@pytest.mark.parametrize(
    ("content", "line", "message"),
    [
        pytest.param(b"def broken(:\n    pass\n", 1, "syntax error", id="syntax-error"),
        pytest.param(b"x = 1\nif x\n    y = 2\n", 2, "syntax error", id="syntax-error-line-2"),
        pytest.param(b"x = '\xff\xfe'\n", 1, "cannot decode", id="undecodable-utf8"),
        pytest.param(b"# -*- coding: klingon -*-\nx = 1\n", 1, "cannot decode", id="unknown-codec"),
        pytest.param(b"x = 1\x00\n", 1, "NUL byte", id="nul-byte"),
    ],
)
def test_bad_file_gets_one_diagnostic_and_the_run_goes_on(
    tmp_path: Path, content: bytes, line: int, message: str
) -> None:
    write_project(tmp_path, {"good.py": GOOD_PIPELINE})
    (tmp_path / "bad.py").write_bytes(content)
    result = check_tree(tmp_path)
    assert findings(result, tmp_path) == [("bad.py", line, "ZL000"), ("good.py", 11, "ZL001")]
    bad = next(d for d in result.diagnostics if d.code == "ZL000")
    assert message in bad.message


@pytest.mark.parametrize(
    "content",
    [
        pytest.param(b"", id="empty"),
        pytest.param(b"\xef\xbb\xbfx = 1\n", id="utf8-bom"),
        pytest.param(b"# -*- coding: latin-1 -*-\nname = '\xe9t\xe9'\n", id="latin-1-declared"),
        pytest.param(b"x = 1\r\ny = 2\r\n", id="crlf"),
    ],
)
def test_unusual_but_valid_files_are_fine(tmp_path: Path, content: bytes) -> None:
    write_project(tmp_path, {})
    (tmp_path / "odd.py").write_bytes(content)
    assert findings(check_tree(tmp_path), tmp_path) == []


def test_broken_module_that_is_only_imported_does_not_stop_the_run(tmp_path: Path) -> None:
    write_project(tmp_path, {"pipe.py": GOOD_PIPELINE + "import helpers\n"})
    (tmp_path / "helpers.py").write_text("def (:\n", encoding="utf-8")
    result = check_tree(tmp_path, paths=["pipe.py"])
    assert findings(result, tmp_path) == [("pipe.py", 11, "ZL001")]
