"""Reading a Python file into text and a LibCST tree, with one clear error when that fails.

Every file is first compiled by CPython, the interpreter zlint runs on (``compile`` parses and
compiles; it never runs anything). A file CPython rejects gets CPython's own message and
position, which point at the offending token; and it never reaches LibCST, whose native parser
is slow on pathological input and can overflow its stack on nesting CPython refuses.

Limits, each reported as a ZL000 diagnostic on the file instead of a crash or a hang:

- :data:`MAX_FILE_BYTES`: a larger file is not read at all.
- :data:`MAX_TREE_CHARS`: a larger file is syntax-checked (CPython compiles 10 MB in a fraction
  of a second) but gets no LibCST tree, which can take a minute for a few MB of generated data.
  Hand-written modules stay far below it (the largest in ZenML itself is 0.6 MB).
- Nesting: as deep as ``python`` itself accepts with its default recursion limit; deeper code
  gets CPython's ``RecursionError``/``MemoryError`` as the reason.
- :data:`PARSE_TIMEOUT_SECONDS`: building one tree may take this long. LibCST's native parser
  holds the GIL and cannot be interrupted, so the guard stops the Python half of the work;
  the size limit bounds the native half.
"""

from __future__ import annotations

import ast
import contextlib
import io
import os
import re
import signal
import stat
import sys
import threading
import time
import tokenize
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import libcst as cst

MiB = 1024 * 1024
#: How a finding about a time limit starts: it depends on the machine, so it is not cached.
TIMED_OUT = "skipped:"
#: Files larger than this are not read: no hand-written module is anywhere near it.
MAX_FILE_BYTES = 10 * MiB
#: Files with more characters than this are syntax-checked but not analysed.
MAX_TREE_CHARS = 1 * MiB
#: The longest one file's LibCST tree may take to build.
PARSE_TIMEOUT_SECONDS = 10.0
#: The recursion budget CPython's compiler gets above the caller's frames: the interpreter's
#: default, whatever ``zlint.cli`` raised the limit to, so zlint accepts exactly the nesting
#: ``python`` accepts and CPython's recursive C compiler cannot overflow the C stack.
COMPILER_RECURSION_BUDGET = 1000

_BOM = b"\xef\xbb\xbf"
_NEWLINE = re.compile(r"\r\n|\r|\n")


@dataclass(frozen=True)
class SourceError:
    """Why a file could not be read, decoded or parsed; ``line``/``column`` are 1-based."""

    message: str
    line: int = 1
    column: int = 1


@dataclass(frozen=True)
class ParsedSource:
    text: str
    module: cst.Module


# --------------------------------------------------------------------------- reading


def read_text(path: Path) -> str | SourceError:
    try:
        data = _read_bytes(path)
    except OSError as exc:
        return SourceError(f"cannot read file: {exc.strerror or exc}")
    if data is None:
        return SourceError("cannot read file: not a regular file")
    return decode(data)


def _read_bytes(path: Path) -> bytes | None:
    """At most ``MAX_FILE_BYTES + 1`` bytes; None when ``path`` is not a regular file.

    Opened non-blocking, so a fifo that replaced a file after discovery cannot hang the run.
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    fd = os.open(path, flags)
    with open(fd, "rb", closefd=True) as file:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return None
        return file.read(MAX_FILE_BYTES + 1)


def decode(data: bytes) -> str | SourceError:
    """The text, decoded as CPython would: a BOM, a PEP 263 coding declaration, or UTF-8."""
    if len(data) > MAX_FILE_BYTES:
        return SourceError(f"file is larger than {MAX_FILE_BYTES // MiB} MiB; skipped")
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    except SyntaxError as exc:
        return _undetectable_encoding(data, str(exc))
    try:
        return data.decode(encoding)
    except LookupError as exc:  # a codec that exists but decodes nothing (``rot13``, ...)
        return SourceError(f"cannot decode file: {exc}")
    except UnicodeDecodeError as exc:
        line = _line_of(data, exc.start)
        return SourceError(f"cannot decode file as {exc.encoding}: {exc.reason}", line)
    except Exception as exc:  # odd codecs fail in odd ways (punycode: a bare UnicodeError)
        message = f"{type(exc).__name__}: {exc}".splitlines()[0]
        return SourceError(f"cannot decode file as {encoding}: {message}")


def _undetectable_encoding(data: bytes, reason: str) -> SourceError:
    if data.startswith(_BOM) and "encoding problem" in reason:
        return SourceError(
            "cannot decode file: it starts with a UTF-8 byte order mark "
            "but declares another encoding"
        )
    if reason.startswith("invalid or missing encoding declaration"):
        # No (valid) declaration, and the first two lines are not UTF-8.
        try:
            data.decode("utf-8")
        except UnicodeDecodeError as exc:
            return SourceError(
                f"cannot decode file as utf-8: {exc.reason} (and no encoding is declared)",
                _line_of(data, exc.start),
            )
    return SourceError(f"cannot decode file: {reason}")


def _line_of(data: bytes, offset: int) -> int:
    return len(_NEWLINE.findall(data[:offset].decode("latin-1"))) + 1


# --------------------------------------------------------------------------- syntax


def check_syntax(text: str) -> SourceError | None:
    """Whether CPython accepts the file, with its message and position when it does not."""
    nul = text.find("\x00")
    if nul >= 0:
        line, column = _position(text, nul)
        return SourceError("file contains a NUL byte", line, column)
    try:
        with compiler_recursion_budget(), warnings.catch_warnings():
            # SyntaxWarnings (``"\d"``, ``x is 1``) are not zlint's business, nor its output's.
            warnings.simplefilter("ignore")
            compile(text, "<file>", "exec", dont_inherit=True)
    except SyntaxError as exc:  # IndentationError and TabError included
        return SourceError(f"syntax error: {exc.msg}", exc.lineno or 1, exc.offset or 1)
    except RecursionError as exc:
        return SourceError(f"code is nested too deeply for Python to compile ({exc})")
    except MemoryError:
        return SourceError("code is nested too deeply for Python's parser (MemoryError)")
    except Exception as exc:  # any other reason CPython refuses the text (ValueError, ...)
        message = f"{type(exc).__name__}: {exc}".splitlines()[0]
        return SourceError(f"cannot compile file: {message}")
    return None


def _position(text: str, index: int) -> tuple[int, int]:
    before = text[:index]
    line_start = max(before.rfind("\n"), before.rfind("\r")) + 1
    return len(_NEWLINE.findall(before)) + 1, index - line_start + 1


@contextlib.contextmanager
def compiler_recursion_budget() -> Iterator[None]:
    """CPython's default recursion limit, counted from the current depth.

    The compiler allows nesting in proportion to the limit, and recurses on the C stack:
    under the 20,000 ``zlint.cli`` sets for LibCST's visitors, a 100,000-term ``1 + 1 + ...``
    crashes the interpreter. Counting from the caller's depth makes the verdict (nearly)
    independent of where the check runs.
    """
    previous = sys.getrecursionlimit()
    sys.setrecursionlimit(_stack_depth() + COMPILER_RECURSION_BUDGET)
    try:
        yield
    finally:
        sys.setrecursionlimit(previous)


def _stack_depth() -> int:
    depth = 0
    frame: FrameType | None = sys._getframe()
    while frame is not None:
        depth += 1
        frame = frame.f_back
    return depth


# --------------------------------------------------------------------------- parsing


def parse_ast(text: str) -> ast.Module | None:
    """The stdlib :mod:`ast` tree of ``text``; None when CPython cannot build it."""
    try:
        with compiler_recursion_budget(), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return ast.parse(text)
    except (SyntaxError, RecursionError, MemoryError, ValueError):
        return None


def parse(text: str, *, syntax_checked: bool = False) -> cst.Module | SourceError:
    """The LibCST tree of ``text``, or why there is none (``syntax_checked``: the caller
    has had :func:`check_syntax` accept the text)."""
    import libcst as cst  # here, not at the top: reading and syntax checks do without it

    error = None if syntax_checked else check_syntax(text)
    if error is not None:
        return error
    if len(text) > MAX_TREE_CHARS:
        return SourceError(
            f"file is too large to analyse ({len(text):,} characters, the limit is "
            f"{MAX_TREE_CHARS:,}); only its syntax was checked"
        )
    try:
        with time_limit(PARSE_TIMEOUT_SECONDS):
            return cst.parse_module(text)
    except TookTooLong:
        return SourceError(
            f"{TIMED_OUT} parsing took longer than {PARSE_TIMEOUT_SECONDS:g} seconds; "
            "only its syntax was checked"
        )
    except cst.ParserSyntaxError as exc:
        # Python accepts the file (it was just compiled): a limitation of LibCST's parser.
        reason = str(exc.message).splitlines()[0] if exc.message else "invalid syntax"
        return SourceError(
            f"cannot parse file: LibCST rejects this valid Python: {reason}",
            exc.raw_line,
            exc.raw_column + 1,
        )
    except RecursionError:
        return SourceError("cannot parse file: code is nested too deeply for LibCST")
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException as exc:
        # A Rust panic surfaces as pyo3's PanicException, a BaseException: never let one
        # file's odd input end the run.
        message = f"{type(exc).__name__}: {exc}".splitlines()[0]
        return SourceError(f"cannot parse file: {message}")


def load(path: Path) -> ParsedSource | SourceError:
    text = read_text(path)
    if isinstance(text, SourceError):
        return text
    module = parse(text)
    if isinstance(module, SourceError):
        return module
    return ParsedSource(text, module)


# --------------------------------------------------------------------------- time guard


class TookTooLong(BaseException):
    """Raised by the alarm; a BaseException, so no ``except Exception`` on the way swallows it."""


@contextlib.contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Raise :class:`TookTooLong` in the block after ``seconds`` (main thread, POSIX only).

    An outer ``SIGALRM`` user (pytest-timeout, say) gets its handler and the rest of its
    timer back afterwards. Elsewhere (threads, Windows) the block runs without a limit.
    """
    usable = (
        hasattr(signal, "setitimer")
        and threading.current_thread() is threading.main_thread()
        # None: a handler installed outside Python, which could not be put back.
        and signal.getsignal(signal.SIGALRM) is not None
    )
    if not usable or seconds <= 0:
        yield
        return

    def on_alarm(signum: int, frame: FrameType | None) -> None:
        raise TookTooLong

    previous = signal.signal(signal.SIGALRM, on_alarm)
    outer_delay, outer_interval = signal.setitimer(signal.ITIMER_REAL, seconds)
    started = time.monotonic()
    try:
        yield
    finally:
        # The alarm is one-shot: once cancelled (or fired) it cannot interrupt what follows.
        try:
            signal.setitimer(signal.ITIMER_REAL, 0)
        finally:
            signal.signal(signal.SIGALRM, previous)
            if outer_delay:
                left = max(outer_delay - (time.monotonic() - started), 1e-3)
                signal.setitimer(signal.ITIMER_REAL, left, outer_interval)
