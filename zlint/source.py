"""Reading a Python file into text and a LibCST tree, with one clear error when that fails."""

from __future__ import annotations

import ast
import io
import tokenize
from dataclasses import dataclass
from pathlib import Path

import libcst as cst

#: Files larger than this are not parsed: generated data modules are never ZenML pipelines,
#: and parsing them would dominate the run.
MAX_FILE_BYTES = 10 * 1024 * 1024


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


def read_text(path: Path) -> str | SourceError:
    try:
        data = path.read_bytes()
    except OSError as exc:
        return SourceError(f"cannot read file: {exc.strerror or exc}")
    return decode(data)


def decode(data: bytes) -> str | SourceError:
    if len(data) > MAX_FILE_BYTES:
        return SourceError(f"file is larger than {MAX_FILE_BYTES // (1024 * 1024)} MiB; skipped")
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
        return data.decode(encoding)
    except (SyntaxError, LookupError) as exc:
        return SourceError(f"cannot decode file: {exc}")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        return SourceError(f"cannot decode file as {exc.encoding}: {exc.reason}", line)


def parse(text: str) -> cst.Module | SourceError:
    if "\x00" in text:
        return SourceError("file contains a NUL byte")
    try:
        return cst.parse_module(text)
    except cst.ParserSyntaxError as exc:
        return _precise_syntax_error(text) or SourceError(
            f"syntax error: {str(exc.message).splitlines()[0]}", exc.raw_line, exc.raw_column + 1
        )
    except RecursionError:
        return SourceError("syntax error: code is nested too deeply to parse")
    except Exception as exc:  # LibCST can raise other errors on odd input; never crash a run.
        return SourceError(f"cannot parse file: {type(exc).__name__}: {exc}")


def check_syntax(text: str) -> SourceError | None:
    """Only whether the file is valid Python, with CPython's fast parser."""
    if "\x00" in text:
        return SourceError("file contains a NUL byte")
    return _precise_syntax_error(text)


def _precise_syntax_error(text: str) -> SourceError | None:
    """CPython's own message and position, which point at the offending token; LibCST's
    point at where its parser gave up, often a line later."""
    try:
        ast.parse(text)
    except SyntaxError as exc:
        return SourceError(f"syntax error: {exc.msg}", exc.lineno or 1, exc.offset or 1)
    except (RecursionError, MemoryError, ValueError):
        return None
    return None


def load(path: Path) -> ParsedSource | SourceError:
    text = read_text(path)
    if isinstance(text, SourceError):
        return text
    module = parse(text)
    if isinstance(module, SourceError):
        return module
    return ParsedSource(text, module)
