"""The on-disk result cache: a re-check with nothing changed prints the last findings
without parsing anything (and without importing LibCST).

One entry per run shape: the zlint build, the settings, the reported files and the set of
project files form its key. The entry stores the findings and a fingerprint (size, mtime,
SHA-256 of the bytes) of every file whose content the run read: the reported files and the
modules and YAML files the model reached. The entry is reused only when each of those files
still has its bytes (a changed mtime with the same bytes is fine); an edit in a step module
that a reported pipeline imports therefore invalidates the pipeline's findings, while an edit
in a module no reported file reaches does not. Adding, removing or renaming any project file
changes the key. Runs with internal errors are not stored.

The folder (``.zlint_cache`` in the project root, ``--cache-dir`` or ``ZLINT_CACHE_DIR``)
holds a ``CACHEDIR.TAG`` and a ``.gitignore`` so backups and git skip it. Writes are atomic;
a corrupt or foreign entry is a miss, never an error.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import json
import os
import tempfile
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from zlint import __version__
from zlint.types import Applicability, Diagnostic, Fix, Position, Span, TextEdit

DEFAULT_DIR_NAME = ".zlint_cache"
ENV_VAR = "ZLINT_CACHE_DIR"
_FORMAT = 1
_TAG = (
    "Signature: 8a477f597d28d172789f06886806bc55\n"
    "# This file is a cache directory tag created by zlint.\n"
    "# For information about cache directory tags see https://bford.info/cachedir/\n"
)


def default_dir(root: Path) -> Path:
    env = os.environ.get(ENV_VAR)
    return Path(env).absolute() if env else root / DEFAULT_DIR_NAME


def clean(folder: Path) -> bool:
    """Removes the cache folder; False when there was none."""
    if not (folder / "CACHEDIR.TAG").is_file():
        return False  # never delete a folder zlint did not make
    for child in sorted(folder.rglob("*"), key=lambda p: len(p.parts), reverse=True):
        with contextlib.suppress(OSError):
            child.rmdir() if child.is_dir() and not child.is_symlink() else child.unlink()
    with contextlib.suppress(OSError):
        folder.rmdir()
    return True


# --------------------------------------------------------------------------- keys


def run_key(
    settings: object, selected: Iterable[str], reported: Sequence[Path], project: Iterable[Path]
) -> str:
    """What a run's findings depend on besides file contents."""
    digest = hashlib.sha256()
    for part in (
        _FORMAT,
        __version__,
        _build_stamp(),
        _canonical(settings),
        sorted(selected),
        [os.fsencode(p).hex() for p in reported],
        sorted(os.fsencode(p).hex() for p in project),
    ):
        digest.update(json.dumps(part, sort_keys=True).encode())
        digest.update(b"\0")
    return digest.hexdigest()


def _build_stamp() -> list[tuple[str, int, int]]:
    """zlint's own files (name, size, mtime): an edited checkout never reuses old results."""
    package = Path(__file__).parent
    stamp = []
    for path in sorted(package.rglob("*.py")):
        with contextlib.suppress(OSError):
            info = path.stat()
            stamp.append((str(path.relative_to(package)), info.st_size, info.st_mtime_ns))
    return stamp


def _canonical(value: Any) -> Any:
    """A JSON value that is the same in every process (sets sorted, paths as text)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _canonical(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, Mapping):
        return sorted((str(k), _canonical(v)) for k, v in value.items())
    if isinstance(value, (set, frozenset)):
        return sorted((_canonical(v) for v in value), key=repr)
    if isinstance(value, (list, tuple)):
        return [_canonical(v) for v in value]
    if isinstance(value, Path):
        return os.fsencode(value).hex()
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    return repr(value)


# --------------------------------------------------------------------------- fingerprints


def _fingerprint(path: Path) -> list[Any] | None:
    try:
        info = path.stat()
        data = path.read_bytes()
    except OSError:
        return None
    return [info.st_size, info.st_mtime_ns, hashlib.sha256(data).hexdigest()]


def _unchanged(path: Path, recorded: list[Any] | None) -> bool:
    if recorded is None:
        return not path.exists()
    try:
        info = path.stat()
    except OSError:
        return False
    if [info.st_size, info.st_mtime_ns] == recorded[:2]:
        return True  # the fast path: same size and mtime as when it was read
    current = _fingerprint(path)
    return current is not None and current[2] == recorded[2]


def _yaml_files(root: Path) -> list[str]:
    """The YAML files under ``root`` that a rule may read (run configurations)."""
    found = []
    for folder, dirs, names in os.walk(root):
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d != "__pycache__")
        found += [os.path.join(folder, n) for n in names if n.endswith((".yaml", ".yml"))]
    return sorted(found)


# --------------------------------------------------------------------------- entries


class Cache:
    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def _entry_path(self, key: str) -> Path:
        return self.folder / "runs" / f"{key}.json"

    def load(self, key: str, root: Path) -> list[Diagnostic] | None:
        """The stored findings of the run with ``key``, if every input is unchanged."""
        try:
            entry = json.loads(self._entry_path(key).read_text(encoding="utf-8"))
            if entry.get("format") != _FORMAT:
                return None
            inputs: dict[str, list[Any] | None] = entry["inputs"]
            for name, recorded in inputs.items():
                if not _unchanged(Path(os.fsdecode(bytes.fromhex(name))), recorded):
                    return None
            if entry["yaml"] is not None and entry["yaml"] != _yaml_files(root):
                return None
            return [_decode(item) for item in entry["diagnostics"]]
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            return None  # missing, corrupt or written by another zlint: a miss

    def store(
        self,
        key: str,
        root: Path,
        diagnostics: Sequence[Diagnostic],
        inputs: Iterable[Path],
        listed_yaml: bool,
    ) -> None:
        """Stores a run's findings; a cache that cannot be written is silently skipped."""
        entry = {
            "format": _FORMAT,
            "inputs": {os.fsencode(p).hex(): _fingerprint(p) for p in sorted(inputs)},
            "yaml": _yaml_files(root) if listed_yaml else None,
            "diagnostics": [_encode(d) for d in diagnostics],
        }
        with contextlib.suppress(OSError):
            self._prepare()
            _write_atomically(self._entry_path(key), json.dumps(entry))

    def _prepare(self) -> None:
        (self.folder / "runs").mkdir(parents=True, exist_ok=True)
        tag = self.folder / "CACHEDIR.TAG"
        if not tag.exists():
            _write_atomically(tag, _TAG)
            _write_atomically(self.folder / ".gitignore", "# Created by zlint.\n*\n")


def _write_atomically(path: Path, text: str) -> None:
    fd, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(temp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise


# --------------------------------------------------------------------------- diagnostics


def _position(value: Position) -> list[int]:
    return [value.line, value.column]


def _span(value: Span) -> list[list[int]]:
    return [_position(value.start), _position(value.end)]


def _encode(d: Diagnostic) -> dict[str, Any]:
    """A diagnostic as JSON. A fix keeps what output shows (its applicability, message and
    text edits), not its syntax-tree replacements: ``zlint fix`` never reads the cache."""
    return {
        "code": d.code,
        "name": d.name,
        "message": d.message,
        "path": os.fsencode(d.path).hex(),
        "span": _span(d.span),
        "cell": d.cell,
        "fix": None if d.fix is None else [d.fix.applicability.value, d.fix.message],
        "edits": [[e.content, _position(e.start), _position(e.end)] for e in d.edits],
    }


def _decode(item: dict[str, Any]) -> Diagnostic:
    start, end = item["span"]
    fix = None
    if item["fix"] is not None:
        applicability, message = item["fix"]
        fix = Fix(Applicability(applicability), message, ())
    return Diagnostic(
        item["code"],
        item["name"],
        item["message"],
        Path(os.fsdecode(bytes.fromhex(item["path"]))),
        Span(Position(*start), Position(*end)),
        fix,
        tuple(TextEdit(c, Position(*s), Position(*e)) for c, s, e in item["edits"]),
        item["cell"],
    )
