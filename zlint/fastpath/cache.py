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
import importlib.util
import json
import os
import sys
import tempfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any, Protocol

from zlint import __version__
from zlint.fastpath.prefilter import IMPORTS_A_FACTORY, ZENML_SYNTAX, FactoryImports, Prefilter
from zlint.inputs import source
from zlint.model.module_index import ModuleIndex
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
        _toolchain(),
        _canonical(settings),
        sorted(selected),
        [os.fsencode(p).hex() for p in reported],
        sorted(os.fsencode(p).hex() for p in project),
    ):
        digest.update(json.dumps(part, sort_keys=True).encode())
        digest.update(b"\0")
    return digest.hexdigest()


def _toolchain() -> list[str]:
    """The Python that judges syntax and the LibCST that parses: either may change a
    verdict (``def f[T]()`` compiles on 3.12, not on 3.11). LibCST is known by its files
    (found, not imported: importing it or its metadata costs more than a cached run)."""
    spec = importlib.util.find_spec("libcst")
    libcst = "?"
    if spec is not None and spec.origin is not None:
        with contextlib.suppress(OSError):
            info = os.stat(spec.origin)
            libcst = f"{spec.origin}:{info.st_size}:{info.st_mtime_ns}"
    return [sys.version, sys.implementation.name, libcst]


def _build_stamp() -> list[tuple[str, int, int]]:
    """zlint's own files (name, size, mtime): an edited checkout never reuses old results."""
    package = Path(__file__).parent.parent  # the zlint package
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

    def load(
        self, key: str, root: Path, index: Callable[[], ModuleIndex]
    ) -> list[Diagnostic] | None:
        """The stored findings of the run with ``key``, if every input is unchanged, or if
        the only changed inputs are files that were just syntax-checked and, edited, still
        are valid Python that no rule wants (then the entry is updated). ``index`` gives
        the project's modules, for the prefilter's look at imports."""
        try:
            entry = json.loads(self._entry_path(key).read_text(encoding="utf-8"))
            if entry.get("format") != _FORMAT:
                return None
            inputs: dict[str, list[Any] | None] = entry["inputs"]
            changed = [
                name for name, recorded in inputs.items() if not _unchanged(_path(name), recorded)
            ]
            if entry["yaml"] is not None and entry["yaml"] != _yaml_files(root):
                return None
            diagnostics = [_decode(item) for item in entry["diagnostics"]]
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            return None  # missing, corrupt or written by another zlint: a miss
        if not changed:
            return diagnostics
        syntax_only, scan_only = set(entry["syntax_only"]), set(entry["scan_only"])
        if not set(changed) <= syntax_only | scan_only:
            return None
        paths = [_path(name) for name in changed]
        checked = [_path(name) for name in changed if name in syntax_only]
        if not _still_syntax_only(checked, entry, index()):
            return None
        if not all(_still_unsearched(path, entry["searched"]) for path in paths):
            return None
        kept = [d for d in diagnostics if d.path not in paths]  # they are clean now
        for name, path in zip(changed, paths, strict=True):
            inputs[name] = _fingerprint(path)
        entry["diagnostics"] = [_encode(d) for d in kept]
        with contextlib.suppress(OSError):
            _write_atomically(self._entry_path(key), json.dumps(entry))
        return kept

    def store(self, key: str, root: Path, result: Run, also_read: Iterable[Path] = ()) -> None:
        """Stores a run's findings; a cache that cannot be written is silently skipped.
        ``also_read``: files the settings were learned from (the lock or requirements file
        that chose the ZenML target), inputs like the files the run read."""
        yaml = map(Path, _yaml_files(root)) if result.listed_yaml else ()
        inputs = {*result.inputs, *yaml, *also_read}
        entry = {
            "format": _FORMAT,
            "inputs": {_name(p): _fingerprint(p) for p in sorted(inputs)},
            "yaml": _yaml_files(root) if result.listed_yaml else None,
            "scan_only": sorted(_name(p) for p in result.scan_only),
            "searched": list(result.searched),
            "diagnostics": [_encode(d) for d in result.diagnostics],
            "syntax_only": sorted(_name(p) for p in result.syntax_only),
            "hints": list(result.hints),
            "names": list(result.decorator_names),
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


class Run(Protocol):
    """What the cache keeps of a run (``engine.CheckResult`` has it)."""

    @property
    def diagnostics(self) -> Sequence[Diagnostic]: ...
    @property
    def inputs(self) -> frozenset[Path]: ...
    @property
    def listed_yaml(self) -> bool: ...
    @property
    def syntax_only(self) -> frozenset[Path]: ...
    @property
    def hints(self) -> tuple[str, ...]: ...
    @property
    def decorator_names(self) -> tuple[str, ...]: ...
    @property
    def scan_only(self) -> frozenset[Path]: ...
    @property
    def searched(self) -> tuple[str, ...]: ...


def _name(path: Path) -> str:
    return os.fsencode(path).hex()  # any file name, even one that is not valid UTF-8


def _path(name: str) -> Path:
    return Path(os.fsdecode(bytes.fromhex(name)))


def _still_syntax_only(paths: Sequence[Path], entry: dict[str, Any], index: ModuleIndex) -> bool:
    """Whether each edited file is still one the run would only syntax-check, and passes:
    Python source that compiles, no suppression comment, nothing any selected rule wants."""
    hints = tuple(entry["hints"])
    chooser = Prefilter(entry["names"])
    factory_imports = FactoryImports(chooser, index.module_files, _text_or_none)
    for path in paths:
        if path.suffix not in (".py", ".pyi"):
            return False  # notebooks and Markdown pages are read another way
        text = _text_or_none(path)
        if text is None or "noqa" in text.lower() or "zlint" in text.lower():
            return False
        if chooser.wants(text, hints):
            return False
        if IMPORTS_A_FACTORY in hints and factory_imports(path, text):
            return False
        if ZENML_SYNTAX in hints and factory_imports.applies_a_step_maker(path, text):
            return False
        if source.check_syntax(text) is not None:
            return False
    return True


def _still_unsearched(path: Path, words: Sequence[str]) -> bool:
    """Whether the text holds none of the words the run searched every file for (the
    names of pipelines it analysed: another module may reconfigure them)."""
    text = _text_or_none(path)
    return text is not None and not any(word in text for word in words)


def _text_or_none(path: Path) -> str | None:
    text = source.read_text(path)
    return text if isinstance(text, str) else None


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
        "path": _name(d.path),
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
        _path(item["path"]),
        Span(Position(*start), Position(*end)),
        fix,
        tuple(TextEdit(c, Position(*s), Position(*e)) for c, s, e in item["edits"]),
        item["cell"],
    )
