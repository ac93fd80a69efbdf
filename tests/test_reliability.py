"""Bad input gets one clear ZL000 diagnostic and the run goes on; nothing hangs or crashes.

Syntax is CPython's verdict (the interpreter zlint runs on), with its message; encodings are
decoded as CPython would; size, nesting and parse time have limits (see ``zlint.inputs.source``);
walks never leave the paths they were given.
"""

from __future__ import annotations

import contextlib
import encodings
import json
import os
import pkgutil
import shutil
import signal
import subprocess
import sys
import tempfile
import textwrap
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

import libcst as cst
import pytest
from conftest import check_tree, findings, load_settings, write_project

from zlint import engine
from zlint.cli import main
from zlint.inputs import files, source

T = TypeVar("T")

PIPELINE = textwrap.dedent(
    """\
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
)
PIPELINE_FINDING = ("good.py", 11, "ZL001")
NEW_GRAMMAR = pytest.mark.skipif(
    sys.version_info >= (3, 12), reason="valid syntax from Python 3.12 on"
)


def _bad_file_result(tmp_path: Path, content: bytes) -> engine.CheckResult:
    write_project(tmp_path, {"good.py": PIPELINE})
    (tmp_path / "bad.py").write_bytes(content)
    return check_tree(tmp_path)


def _zl000(result: engine.CheckResult) -> tuple[int, int, str]:
    (bad,) = [d for d in result.diagnostics if d.code == "ZL000"]
    return bad.span.start.line, bad.span.start.column, bad.message


# --------------------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    ("content", "line", "column", "message"),
    [
        pytest.param(
            b"from zenml import step\ndef f(:\n", 2, 7, "syntax error: invalid syntax", id="syntax"
        ),
        pytest.param(
            b"def f[T](x: T) -> T:\n    return x\n",
            1,
            6,
            "syntax error: expected '('",
            marks=NEW_GRAMMAR,
            id="pep695-generic-function",
        ),
        pytest.param(
            b"from zenml import step\nclass Box[T]:\n    pass\n",
            2,
            10,
            "syntax error: invalid syntax",
            marks=NEW_GRAMMAR,
            id="pep695-generic-class",
        ),
        pytest.param(
            b"type Rows = list[int]\n",
            1,
            6,
            "syntax error: invalid syntax",
            marks=NEW_GRAMMAR,
            id="pep695-type-alias",
        ),
        # Errors of CPython's compiler, after its parser: LibCST and ast.parse accept these.
        pytest.param(
            b"from zenml import step\nreturn 1\n",
            2,
            1,
            "syntax error: 'return' outside function",
            id="return-outside-function",
        ),
        pytest.param(
            b"from __future__ import braces\n", 1, 1, "syntax error: not a chance", id="braces"
        ),
        pytest.param(
            b"def step():\n    await x\n",
            2,
            5,
            "syntax error: 'await' outside async function",
            id="await-outside-async",
        ),
        pytest.param(
            b"x = 1\nif x:\n\tif x:\n        pass\n",
            4,
            1,
            "syntax error: inconsistent use of tabs and spaces in indentation",
            id="tabs-and-spaces",
        ),
        pytest.param(
            b"x = 1\ny = 2\nz = '\xff'\n", 3, 1, "cannot decode file as utf-8", id="undecodable"
        ),
        pytest.param(
            b"# caf\xe9\nx = 1\n",
            1,
            1,
            "cannot decode file as utf-8: invalid continuation byte (and no encoding is declared)",
            id="latin-1-without-declaration",
        ),
        pytest.param(
            b"# coding: ascii\nname = 'caf\xc3\xa9'\n",
            2,
            1,
            "cannot decode file as ascii",
            id="wrong-declaration",
        ),
        pytest.param(
            b"# -*- coding: klingon -*-\n", 1, 1, "unknown encoding: klingon", id="unknown-codec"
        ),
        pytest.param(
            b"\xef\xbb\xbf# -*- coding: latin-1 -*-\nx = 1\n",
            1,
            1,
            "starts with a UTF-8 byte order mark but declares another encoding",
            id="bom-and-other-declaration",
        ),
        pytest.param(b"x = 1\ny = 2\x00\n", 2, 6, "file contains a NUL byte", id="nul-byte"),
        pytest.param(
            b"x = " + b"(" * 1000 + b"1" + b")" * 1000 + b"\n",
            1,
            205,
            "syntax error: too many nested parentheses",
            id="1000-nested-parentheses",
        ),
        pytest.param(
            b"".join(b"    " * i + b"if x:\n" for i in range(1000)) + b"    " * 1000 + b"pass\n",
            101,
            1,
            "syntax error: too many levels of indentation",
            id="1000-nested-blocks",
        ),
        pytest.param(
            b"x = " + b" + ".join([b"1"] * 100_000) + b"\n",
            1,
            1,
            "code is nested too deeply for Python to compile",
            id="100000-term-sum",
        ),
        pytest.param(
            b"x = " + b"not " * 100_000 + b"1\n",
            1,
            1,
            "code is nested too deeply for Python's parser",
            id="100000-nots",
        ),
    ],
)
def test_bad_file_gets_one_diagnostic_and_the_run_goes_on(
    tmp_path: Path, content: bytes, line: int, column: int, message: str
) -> None:
    result = _bad_file_result(tmp_path, content)
    assert findings(result, tmp_path) == [("bad.py", line, "ZL000"), PIPELINE_FINDING]
    assert _zl000(result)[:2] == (line, column)
    assert message in _zl000(result)[2]


@pytest.mark.parametrize(
    "body",
    [
        pytest.param("def f(:\n", id="parser-error"),
        pytest.param("return 1\n", id="compiler-error"),
        pytest.param("def f[T](x: T) -> T:\n    return x\n", marks=NEW_GRAMMAR, id="new-syntax"),
    ],
)
def test_a_file_gets_the_same_verdict_whether_or_not_it_mentions_zenml(
    tmp_path: Path, body: str
) -> None:
    # Files without step syntax are only syntax-checked; the others are parsed with LibCST.
    write_project(
        tmp_path, {"plain.py": body, "zen.py": "from zenml import step\nstep(f)\n" + body}
    )
    result = check_tree(tmp_path)
    plain, zen = (d for d in result.diagnostics if d.code == "ZL000")
    assert plain.message == zen.message
    assert (plain.span.start.line + 2, plain.span.start.column) == (
        zen.span.start.line,
        zen.span.start.column,
    )


@pytest.mark.parametrize(
    "content",
    [
        pytest.param(b"", id="empty"),
        pytest.param(b"\n\n\n", id="blank-lines"),
        pytest.param(b"# just a comment", id="comment-without-newline"),
        pytest.param(b"\xef\xbb\xbf", id="only-a-bom"),
        pytest.param(b"\xef\xbb\xbf# coding: utf-8\nx = 'caf\xc3\xa9'\n", id="bom-and-utf8"),
        pytest.param(b"# -*- coding: latin-1 -*-\nname = '\xe9t\xe9'\n", id="latin-1-declared"),
        pytest.param(b"x = 1\r\ny = 2\nz = 3\r\n", id="mixed-crlf"),
        pytest.param(b"x = 1\ry = 2\r", id="cr-only"),
        pytest.param(b"\x0cx = 1\n", id="form-feed"),
        pytest.param(b"x = '\\0'\n", id="escaped-nul-in-string"),
        pytest.param(
            b"match command:\n    case [x, *rest]:\n        pass\n    case _:\n        pass\n",
            id="match-statement",
        ),
        pytest.param(b"try:\n    pass\nexcept* ValueError:\n    pass\n", id="except-star"),
        pytest.param(b"import re\nDIGIT = re.compile('\\d')\n", id="invalid-escape-warning"),
        pytest.param(b"x = 1\nif x is 1:\n    pass\n", id="is-literal-warning"),
    ],
)
def test_unusual_but_valid_files_are_fine(tmp_path: Path, content: bytes) -> None:
    write_project(tmp_path, {})
    (tmp_path / "odd.py").write_bytes(content)
    # With a ZenML word too (last: a coding declaration must stay on line 1 or 2), so that
    # LibCST parses it; the other file is only syntax-checked.
    (tmp_path / "zen.py").write_bytes(content + b"\nimport zenml  # step\n")
    assert findings(check_tree(tmp_path), tmp_path) == []


def test_compile_warnings_are_not_printed(
    tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    write_project(tmp_path, {"pipe.py": PIPELINE + "PATTERN = '\\d'\nSAME = PATTERN is 'x'\n"})
    assert findings(check_tree(tmp_path), tmp_path) == [("pipe.py", 11, "ZL001")]
    assert capfd.readouterr().err == ""


@pytest.mark.parametrize(
    "newline", [pytest.param(b"\r\n", id="crlf"), pytest.param(b"\r", id="cr")]
)
def test_findings_keep_their_lines_in_files_with_other_newlines(
    tmp_path: Path, newline: bytes
) -> None:
    write_project(tmp_path, {})
    (tmp_path / "good.py").write_bytes(PIPELINE.encode().replace(b"\n", newline))
    (tmp_path / "bom.py").write_bytes(b"\xef\xbb\xbf" + PIPELINE.encode())
    assert findings(check_tree(tmp_path), tmp_path) == [("bom.py", 11, "ZL001"), PIPELINE_FINDING]


def test_every_codec_python_ships_gives_text_or_one_error() -> None:
    codecs = {module.name for module in pkgutil.iter_modules(encodings.__path__)} - {"aliases"}
    assert len(codecs) > 100
    for codec in sorted(codecs):
        for body in (b"x = 1\n", b"x = '\xe9\xff\x00'\n", b""):
            text = source.decode(f"# coding: {codec}\n".encode() + body)
            if isinstance(text, str):  # then parsing gives a tree or an error, never a crash
                assert isinstance(source.parse(text), cst.Module | source.SourceError)
    punycode = source.decode(b"# coding: punycode\nx = 1\n")
    assert isinstance(punycode, source.SourceError)
    assert punycode.message.startswith("cannot decode file as punycode: UnicodeError: ")


def test_libcst_failing_on_valid_python_is_a_diagnostic_not_a_crash(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = cst.parse_module

    def picky(text: str) -> cst.Module:
        if "picky" in text:
            return real("def (:\n")  # raises ParserSyntaxError
        return real(text)

    monkeypatch.setattr(cst, "parse_module", picky)
    result = _bad_file_result(tmp_path, b"from zenml import step\npicky = step(print)\n")
    assert findings(result, tmp_path) == [("bad.py", 1, "ZL000"), PIPELINE_FINDING]
    assert "LibCST rejects this valid Python" in _zl000(result)[2]


def test_a_rust_panic_in_libcst_is_a_diagnostic_not_a_crash(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    class PanicException(BaseException):  # what pyo3 raises for a Rust panic
        pass

    real = cst.parse_module

    def panicking(text: str) -> cst.Module:
        if "panic" in text:
            raise PanicException("index out of bounds")
        return real(text)

    monkeypatch.setattr(cst, "parse_module", panicking)
    result = _bad_file_result(tmp_path, b"from zenml import step\npanic = step(print)\n")
    assert _zl000(result) == (1, 1, "cannot parse file: PanicException: index out of bounds")
    assert PIPELINE_FINDING in findings(result, tmp_path)


def test_libcst_limits_on_valid_python_never_crash(tmp_path: Path) -> None:
    # 10,000 implicitly concatenated strings: CPython accepts them, LibCST 1.9 does not.
    content = b"from zenml import step\nx = " + b" ".join([b"'a'"] * 10_000) + b"\n"
    result = _bad_file_result(tmp_path, content)
    assert PIPELINE_FINDING in findings(result, tmp_path)


# --------------------------------------------------------------------------- deep nesting


DEEP_EXPRESSIONS = {
    "sum": "1" + " + 1" * 1000,
    "attributes": "x" + ".attr" * 1000,
    "subscripts": "x" + "[0]" * 1000,
    "nots": "not " * 1000 + "x",
    "conditionals": "1 if x else " * 1000 + "2",
    "lambdas": "lambda: " * 1000 + "1",
}


def _deep_source(place: str, expression: str) -> str:
    if place == "module":
        return f"DEEP = {expression}\n\n{PIPELINE}"
    if place == "step":
        return PIPELINE.replace("    return x\n", f"    deep = {expression}\n    return x\n")
    return f"{PIPELINE}    deep = {expression}\n"


@pytest.mark.parametrize(
    ("place", "shape"),
    [
        ("module", "subscripts"),
        ("step", "attributes"),
        *(
            ("pipeline", shape)
            for shape in ("sum", "attributes", "nots", "conditionals", "lambdas")
        ),
    ],
)
def test_1000_deep_nesting_is_analysed_without_a_recursion_error(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    place: str,
    shape: str,
) -> None:
    source_text = _deep_source(place, DEEP_EXPRESSIONS[shape])
    write_project(tmp_path, {"good.py": source_text})
    monkeypatch.chdir(tmp_path)
    assert main(["check", "--output-format", "concise"]) == 1  # through the CLI: it sets the
    out, err = capsys.readouterr()  # recursion limit LibCST's visitors need
    line = 13 if place == "module" else 12 if place == "step" else 11
    assert out.splitlines()[0].startswith(f"good.py:{line}:5: ZL001")
    assert "Recursion" not in out + err and err == ""


# --------------------------------------------------------------------------- size and time


def _generated_rows(count: int, word: str) -> str:
    rows = "".join(
        f"    {{'{word}': {word}({i}), 'name': 'row{i}', 'value': {i}.5}},\n" for i in range(count)
    )
    return f"ROWS = [\n{rows}]\n"


def test_a_5_mb_generated_file_is_only_syntax_checked_and_does_not_hang(tmp_path: Path) -> None:
    data = _generated_rows(90_000, "step")  # calls `step(...)`, so it would need a tree
    assert len(data) > 5_000_000
    write_project(tmp_path, {"good.py": PIPELINE, "mentions_step.py": data})
    (tmp_path / "plain_data.py").write_text(_generated_rows(90_000, "id"), encoding="utf-8")
    started = time.monotonic()
    result = check_tree(tmp_path)
    assert time.monotonic() - started < 30  # parsing it with LibCST takes about a minute
    assert findings(result, tmp_path) == [PIPELINE_FINDING, ("mentions_step.py", 1, "ZL000")]
    (large,) = [d for d in result.diagnostics if d.code == "ZL000"]
    assert large.message == (
        f"file is too large to analyse ({len(data):,} characters, the limit is 1,048,576); "
        "only its syntax was checked"
    )


def test_a_file_over_10_mib_is_not_read(tmp_path: Path) -> None:
    result = _bad_file_result(tmp_path, b"#" * (10 * 1024 * 1024) + b"\n")
    assert _zl000(result) == (1, 1, "file is larger than 10 MiB; skipped")


def test_a_syntax_error_in_a_large_file_is_still_reported_as_one(tmp_path: Path) -> None:
    data = _generated_rows(20_000, "step") + "def broken(:\n"
    result = _bad_file_result(tmp_path, data.encode())
    assert _zl000(result) == (20_003, 12, "syntax error: invalid syntax")


def test_parsing_that_takes_too_long_is_skipped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The real time guard (SIGALRM) stops a parse that runs past the limit; the good file
    is still checked. The slow parse is made slow on purpose (a sleep the alarm cuts short),
    and the limit is half a second: a real parse racing a tight limit failed now and then on
    a loaded machine, where a process can wait tens of milliseconds for a core."""
    slow = _generated_rows(300, "step")
    real_parse = cst.parse_module

    def parse_module(text: str, *args: Any, **kwargs: Any) -> cst.Module:
        if text == slow:
            time.sleep(60)  # the alarm interrupts this
        return real_parse(text, *args, **kwargs)

    monkeypatch.setattr(cst, "parse_module", parse_module)
    monkeypatch.setattr(source, "PARSE_TIMEOUT_SECONDS", 0.5)
    result = _bad_file_result(tmp_path, slow.encode())
    assert _zl000(result) == (
        1,
        1,
        "skipped: parsing took longer than 0.5 seconds; only its syntax was checked",
    )


def test_the_time_guard_gives_an_outer_alarm_back(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(source, "PARSE_TIMEOUT_SECONDS", 0.001)
    rang: list[int] = []
    previous = signal.signal(signal.SIGALRM, lambda signum, frame: rang.append(signum))
    signal.setitimer(signal.ITIMER_REAL, 30)
    try:
        assert isinstance(source.parse(_generated_rows(300, "step")), source.SourceError)
        assert signal.getsignal(signal.SIGALRM) is not None
        left, _ = signal.getitimer(signal.ITIMER_REAL)
        assert 0 < left < 30
        assert rang == []
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def test_the_time_guard_is_off_outside_the_main_thread(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(source, "PARSE_TIMEOUT_SECONDS", 0.001)
    parsed = _in_thread(lambda: source.parse(PIPELINE))
    assert isinstance(parsed, cst.Module)


def _slow_when(
    monkeypatch: pytest.MonkeyPatch, owner: Any, name: str, when: Callable[[Any], bool]
) -> None:
    """Makes the method ``owner.name`` hang (until the time guard interrupts it) when its
    argument is ``when``."""
    real = getattr(owner, name)

    def slow(self: Any, argument: Any) -> Any:
        if when(argument):
            time.sleep(30)
        return real(self, argument)

    monkeypatch.setattr(owner, name, slow)


def test_analysis_that_takes_too_long_is_skipped_and_the_run_goes_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from zlint.model.flow import PipelineWalker

    monkeypatch.setattr(engine, "ANALYSIS_TIMEOUT_SECONDS", 0.2)
    _slow_when(monkeypatch, PipelineWalker, "analyze", lambda p: p.module.path.name == "slow.py")
    write_project(tmp_path, {"good.py": PIPELINE, "slow.py": PIPELINE})
    started = time.monotonic()
    result = check_tree(tmp_path)
    assert time.monotonic() - started < 10
    assert findings(result, tmp_path) == [PIPELINE_FINDING, ("slow.py", 1, "ZL000")]
    (slow,) = [d for d in result.diagnostics if d.code == "ZL000"]
    assert slow.message == "skipped: analysing its pipelines took longer than 0.2 seconds"


def test_a_rule_that_takes_too_long_is_an_error_and_the_others_report(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from zlint.rules.zl002_shared_artifact_name import SharedArtifactName

    monkeypatch.setattr(engine, "RULE_TIMEOUT_SECONDS", 0.2)
    _slow_when(monkeypatch, SharedArtifactName, "check", lambda ctx: True)
    write_project(tmp_path, {"good.py": PIPELINE})
    result = check_tree(tmp_path)
    assert [(e.where, e.message) for e in result.errors] == [
        ("ZL002", "took longer than 0.2 seconds; its findings were dropped")
    ]
    assert [d.code for d in result.diagnostics] == ["ZL001"]


def test_an_interrupted_model_computation_leaves_no_half_result_behind(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from zlint.model.definitions import Definitions
    from zlint.model.project import Project
    from zlint.model.symbols import ClassSym

    write_project(tmp_path, {"scaler.py": CLASS_STEP})
    project = Project(tmp_path, [tmp_path], [tmp_path / "scaler.py"])
    definitions = Definitions(project)
    module = project.module(tmp_path / "scaler.py")
    assert module is not None
    scaler = project.resolve_name(module, "Scaler")
    assert isinstance(scaler, ClassSym)
    real = project.resolve_expr

    def interrupted(*args: Any) -> Any:
        raise source.TookTooLong

    monkeypatch.setattr(project, "resolve_expr", interrupted)
    with pytest.raises(source.TookTooLong):
        definitions.step_from_class(scaler)
    monkeypatch.setattr(project, "resolve_expr", real)
    step = definitions.step_from_class(scaler)
    assert step is not None and step.name == "Scaler"
    assert definitions.is_base_step_subclass(scaler)


CLASS_STEP = """\
from zenml.steps import BaseStep


class Scaler(BaseStep):
    def entrypoint(self, x: int) -> int:
        return x
"""


# --------------------------------------------------------------------------- files and folders


def _in_thread(work: Callable[[], T], timeout: float = 20) -> T:
    """Run ``work`` with a deadline: a hang fails the test instead of the whole run."""
    outcome: list[T] = []
    worker = threading.Thread(target=lambda: outcome.append(work()), daemon=True)
    worker.start()
    worker.join(timeout)
    assert outcome, "did not finish: hung?"
    return outcome[0]


def test_unreadable_file_is_reported_and_the_run_goes_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # chmod cannot lock out root, which the tests may run as: make opening it fail instead.
    write_project(tmp_path, {"good.py": PIPELINE, "locked.py": PIPELINE})
    locked = str((tmp_path / "locked.py").resolve())
    real_open = os.open

    def refusing_open(path: str | os.PathLike[str], flags: int, *args: int) -> int:
        if os.fspath(path) == locked:
            raise PermissionError(13, "Permission denied", locked)
        return real_open(path, flags, *args)

    monkeypatch.setattr(os, "open", refusing_open)
    result = check_tree(tmp_path)
    assert findings(result, tmp_path) == [PIPELINE_FINDING, ("locked.py", 1, "ZL000")]
    assert "cannot read file: Permission denied" in [d.message for d in result.diagnostics]


@pytest.fixture
def world_readable_dir() -> Iterator[Path]:
    """A folder another user can reach (pytest's tmp_path lies in a folder only root can)."""
    folder = Path(tempfile.mkdtemp(prefix="zlint-"))
    folder.chmod(0o755)
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@pytest.mark.skipif(
    not hasattr(os, "geteuid") or os.geteuid() != 0 or shutil.which("setpriv") is None,
    reason="needs root and setpriv to run zlint as another user",
)
def test_unreadable_file_and_folder_as_an_unprivileged_user(world_readable_dir: Path) -> None:
    root = world_readable_dir
    write_project(root, {"good.py": PIPELINE, "locked.py": "x = 1\n", "closed/inner.py": "x\n"})
    (root / "locked.py").chmod(0)
    (root / "closed").chmod(0)
    nobody = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]
    command = [*nobody, sys.executable, "-m", "zlint", "check", ".", "--output-format", "concise"]
    done = subprocess.run(command, cwd=root, capture_output=True, text=True, timeout=120)
    assert done.returncode == 1, done.stderr
    assert done.stderr == ""
    assert done.stdout.splitlines()[:3] == [
        "closed:1:1: ZL000 Permission denied",
        "good.py:11:5: ZL001 [*] " + done.stdout.splitlines()[1].split(" [*] ", 1)[1],
        "locked.py:1:1: ZL000 cannot read file: Permission denied",
    ]


def test_file_deleted_between_discovery_and_reading(tmp_path: Path) -> None:
    write_project(tmp_path, {"good.py": PIPELINE, "gone.py": PIPELINE})
    settings = load_settings(tmp_path)
    found = files.discover([tmp_path], settings)
    (tmp_path / "gone.py").unlink()
    result = engine.check_project(settings, found.reported, found.project)
    assert findings(result, tmp_path) == [("gone.py", 1, "ZL000"), PIPELINE_FINDING]
    assert "cannot read file: No such file or directory" in [d.message for d in result.diagnostics]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs fifos")
def test_fifos_are_not_discovered_nor_read(tmp_path: Path) -> None:
    write_project(tmp_path, {"good.py": PIPELINE})
    os.mkfifo(tmp_path / "walked.py")
    os.mkfifo(tmp_path / "given.py")
    found = files.discover([tmp_path, tmp_path / "given.py"], load_settings(tmp_path))
    assert [p.name for p in found.reported] == ["good.py"]
    # A fifo that replaced a file after discovery: opening it must not wait for a writer.
    read = _in_thread(lambda: source.read_text(tmp_path / "walked.py"))
    assert read == source.SourceError("cannot read file: not a regular file")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs fifos")
def test_a_fifo_swapped_in_after_discovery_does_not_block_the_run(tmp_path: Path) -> None:
    write_project(tmp_path, {"good.py": PIPELINE, "swapped.py": PIPELINE})
    settings = load_settings(tmp_path)
    found = files.discover([tmp_path], settings)
    (tmp_path / "swapped.py").unlink()
    os.mkfifo(tmp_path / "swapped.py")
    try:
        result = _in_thread(
            lambda: engine.check_project(settings, found.reported, found.project), timeout=3
        )
    finally:  # release a reader stuck in open(), so its thread can end
        with contextlib.suppress(OSError):  # OSError: nobody was waiting
            os.close(os.open(tmp_path / "swapped.py", os.O_WRONLY | os.O_NONBLOCK))
    assert findings(result, tmp_path) == [PIPELINE_FINDING, ("swapped.py", 1, "ZL000")]


def test_folder_named_like_a_module(tmp_path: Path) -> None:
    write_project(tmp_path, {"good.py": PIPELINE, "x.py/inner.py": PIPELINE, "empty.py/": ""})
    result = check_tree(tmp_path, paths=[".", "x.py", "empty.py"])
    assert findings(result, tmp_path) == [PIPELINE_FINDING, ("x.py/inner.py", 11, "ZL001")]


def test_symlinks_never_lead_outside_the_given_paths(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    outside = tmp_path / "outside"
    root = tmp_path / "proj"
    outside.mkdir()
    root.mkdir()
    write_project(outside, {"other.py": PIPELINE})
    write_project(root, {"pkg/good.py": PIPELINE, "lib/helper.py": PIPELINE})
    pkg = root / "pkg"
    (pkg / "up").symlink_to("..", target_is_directory=True)  # the project root
    (pkg / "top").symlink_to(tmp_path, target_is_directory=True)  # above the project
    (pkg / "loop").symlink_to("loop")
    (pkg / "broken.py").symlink_to("missing.py")
    (pkg / "alias.py").symlink_to(outside / "other.py")
    monkeypatch.chdir(root)
    assert _in_thread(lambda: main(["check", "pkg", "--output-format", "concise"])) == 1
    out = capsys.readouterr().out.splitlines()
    assert [line.split(":")[0] for line in out[:-2]] == ["pkg/good.py"]
    # The root walk (for imports) does not follow them either, nor report outside files.
    assert _in_thread(lambda: main(["check", "--output-format", "concise"])) == 1
    out = capsys.readouterr().out.splitlines()
    assert [line.split(":")[0] for line in out[:-2]] == ["lib/helper.py", "pkg/good.py"]


def test_a_symlink_named_explicitly_is_checked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_project(tmp_path, {"real/good.py": PIPELINE})
    (tmp_path / "link").symlink_to(tmp_path / "real", target_is_directory=True)
    result = check_tree(tmp_path, paths=["link"])
    assert findings(result, tmp_path) == [("real/good.py", 11, "ZL001")]


@pytest.mark.parametrize(
    ("make", "reason"),
    [
        pytest.param(lambda p: p.symlink_to(p), "Too many levels of symbolic links", id="loop"),
        pytest.param(lambda p: None, "No such file or directory", id="missing"),
    ],
)
def test_unusable_given_paths_are_reported(
    tmp_path: Path, make: Callable[[Path], None], reason: str
) -> None:
    write_project(tmp_path, {"good.py": PIPELINE})
    given = tmp_path / "given.py"
    make(given)
    found = files.discover([given, tmp_path / "good.py"], load_settings(tmp_path))
    assert found.problems == ((given, reason),)
    assert [p.name for p in found.reported] == ["good.py"]


@pytest.mark.parametrize(
    "name",
    [
        pytest.param("bad\x00name.py", id="nul-in-name"),
        pytest.param("x" * 300 + ".py", id="name-too-long"),
        pytest.param("a/" * 3000 + "deep.py", id="path-too-long"),
    ],
)
def test_impossible_given_paths_are_problems_not_crashes(tmp_path: Path, name: str) -> None:
    write_project(tmp_path, {"good.py": PIPELINE})
    found = files.discover([tmp_path / name, tmp_path], load_settings(tmp_path))
    assert len(found.problems) == 1
    assert [p.name for p in found.reported] == ["good.py"]


NOT_UTF8 = pytest.mark.skipif(sys.platform == "darwin", reason="macOS names must be UTF-8")


def _write_not_utf8_names(root: Path) -> None:
    write_project(root, {})
    folder = os.fsencode(root)
    with open(os.path.join(folder, b"caf\xe9.py"), "wb") as broken:
        broken.write(b"from zenml import step\nx = (\n")
    with open(os.path.join(folder, b"pipe\xff.py"), "wb") as pipeline:
        pipeline.write(PIPELINE.encode())


@NOT_UTF8
def test_file_names_that_are_not_utf8_are_checked(tmp_path: Path) -> None:
    _write_not_utf8_names(tmp_path)
    result = check_tree(tmp_path)
    assert findings(result, tmp_path) == [
        (os.fsdecode(b"caf\xe9.py"), 2, "ZL000"),
        (os.fsdecode(b"pipe\xff.py"), 11, "ZL001"),
    ]


@NOT_UTF8
@pytest.mark.parametrize(
    "output_format",
    [
        pytest.param("json", id="json"),
        pytest.param("json-lines", id="json-lines"),
        *(pytest.param(name, id=name) for name in ("full", "concise", "github", "gitlab", "sarif")),
    ],
)
def test_file_names_that_are_not_utf8_in_every_output_format(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    output_format: str,
) -> None:
    # pytest's capture, like a terminal in an en_US.UTF-8 locale, encodes strictly.
    _write_not_utf8_names(tmp_path)
    monkeypatch.chdir(tmp_path)
    assert main(["check", "--output-format", output_format]) == 1
    out, err = capsys.readouterr()
    assert "caf" in out and "pipe" in out and err == ""


# --------------------------------------------------------------------------- internal errors


def test_a_model_crash_on_one_module_spares_the_others(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from zlint.model.modules import build_module_info as real

    def crashing(path: Path, *args: Any, **kwargs: Any) -> Any:
        if path.name == "bad.py":
            raise ValueError("simulated model bug\nsecond line")
        return real(path, *args, **kwargs)

    monkeypatch.setattr("zlint.model.project.build_module_info", crashing)
    write_project(tmp_path, {"good.py": PIPELINE, "bad.py": PIPELINE})
    monkeypatch.chdir(tmp_path)
    assert main(["check", "--output-format", "concise"]) == 2
    out, err = capsys.readouterr()
    assert out.startswith("good.py:11:5: ZL001")
    assert err.splitlines() == [
        "zlint: internal error in model while checking bad.py: ValueError: simulated model bug",
        "zlint: run with --verbose to see the traceback",
    ]
    assert main(["check", "--output-format", "concise", "--verbose"]) == 2
    assert "Traceback" in capsys.readouterr().err


# --------------------------------------------------------------------------- a real corpus


@pytest.mark.slow
def test_the_installed_zenml_package_as_a_corpus(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """ZenML's own 1,400 modules: no crash, no internal error, no unparsable file, and no
    finding (each new one must be triaged: a real ZenML bug to list here, or a false
    positive to fix). About 20 s."""
    zenml = pytest.importorskip("zenml")
    package = Path(zenml.__file__).parent
    corpus = tmp_path / "corpus"
    for module in package.rglob("*.py"):
        copy = corpus / "zenml" / module.relative_to(package)
        copy.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(module, copy)
    write_project(corpus, {})
    monkeypatch.chdir(corpus)
    code = main(["check", ".", "--select", "ALL", "--output-format", "json"])
    out, err = capsys.readouterr()
    assert err == ""
    found = [
        f"{item['filename']}:{item['location']['row']}: {item['code']}" for item in json.loads(out)
    ]
    assert (code, found) == (0, [])
    # The result cache gives the same answer: reused as is, and after editing a plain module.
    argv = ["check", ".", "--select", "ALL", "--output-format", "json"]
    assert (main(argv), capsys.readouterr().out) == (code, out)
    plain = corpus / "zenml" / "constants.py"
    plain.write_text(plain.read_text(encoding="utf-8") + "\nEDITED = 1\n", encoding="utf-8")
    cached = (main(argv), capsys.readouterr().out)
    assert cached == (main([*argv, "--no-cache"]), capsys.readouterr().out)
