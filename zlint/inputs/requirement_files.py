"""The ZenML requirement of pip's requirements files (``requirements.txt``, then the other
``requirements*.txt`` of the folder by name).

A file is read as pip reads it: ``\\`` continues a line, ``#`` after a space starts a
comment, options (``-e``, ``-i``, ``--hash=...``) are passed by, ``-r FILE`` includes another
file and ``-c FILE`` constrains the versions (both relative to the including file; a URL is
never fetched, a file included twice is read once). A constraint on ZenML narrows the
requirement; alone, it still says which releases the project expects.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from zlint.inputs.requirements import (
    Found,
    Reading,
    Requirement,
    Unusable,
    combine,
    intersect,
    pep508,
)

#: ``-r FILE``, ``-rFILE``, ``--requirement FILE``, ``--requirement=FILE``; ``-c`` alike.
_INCLUDE = re.compile(
    r"(?:-(?P<short>[rc])\s*|--(?P<long>requirement|constraint)(?:\s*=\s*|\s+))(?P<file>\S+)"
)
#: Options that may follow a requirement on its line (``--hash=sha256:...``).
_TRAILING_OPTION = re.compile(r"\s+--?[A-Za-z]")
_COMMENT = re.compile(r"(^|\s+)#.*$")


def requirement_files(folder: Path) -> list[Path]:
    """``requirements.txt`` first, then the folder's other ``requirements*.txt`` by name."""
    try:
        names = sorted(p.name for p in folder.glob("requirements*.txt") if p.is_file())
    except OSError:
        return []
    first = [n for n in names if n == "requirements.txt"]
    return [folder / n for n in (*first, *(n for n in names if n != "requirements.txt"))]


@dataclass
class _Lines:
    """The ZenML lines of one file and of everything it includes."""

    requirements: list[tuple[Requirement, str]] = field(default_factory=list)
    constraints: list[tuple[Requirement, str]] = field(default_factory=list)
    seen: set[Path] = field(default_factory=set)


def read_requirements(path: Path, reading: Reading) -> Found | None:
    lines = _Lines()
    if not _collect(path, (), False, lines, reading):
        return None
    requirements, constraints = lines.requirements, lines.constraints
    if not requirements and not constraints:
        return None
    if not requirements:
        return combine([r for r, _ in constraints], constraints[0][1])
    found = combine([r for r, _ in requirements], requirements[0][1])
    if not constraints:
        return found
    narrowed = combine([r for r, _ in constraints], constraints[0][1])
    spec = ", ".join(part for part in (found.spec, narrowed.spec) if part)
    source = f"{found.source}, constrained by {narrowed.source}"
    return Found(intersect(found.alternatives, narrowed.alternatives), spec, source)


def _collect(
    path: Path,
    via: tuple[str, ...],
    constraining: bool,
    lines: _Lines,
    reading: Reading,
) -> bool:
    """Adds the ZenML lines of ``path`` and the files it includes; False when it does not
    exist. ``via`` says how it was reached (``-r from requirements.txt``)."""
    resolved = path.resolve()
    if resolved in lines.seen:
        return True  # included twice, or in a circle
    lines.seen.add(resolved)
    text = reading.text(path)
    if text is None:
        return False
    shown = reading.shown(path)
    for number, line in _logical_lines(text):
        include = _INCLUDE.fullmatch(line)
        if include is not None:
            _include(path, include, number, via, constraining, lines, reading)
            continue
        if line.startswith("-"):
            continue  # an option: -e, -i, --index-url, --pre, ...
        where = f"{shown}:{number}" + (f" (via {', '.join(via)})" if via else "")
        requirement = pep508(_TRAILING_OPTION.split(line, 1)[0], where)
        if requirement is not None:
            kept = lines.constraints if constraining else lines.requirements
            kept.append((requirement, where))
    return True


def _include(
    path: Path,
    include: re.Match[str],
    number: int,
    via: tuple[str, ...],
    constraining: bool,
    lines: _Lines,
    reading: Reading,
) -> None:
    target = include["file"]
    if "://" in target:
        return  # a URL: zlint never fetches anything
    option = "-c" if (include["short"] or include["long"][0]) == "c" else "-r"
    included = path.parent / target
    how = f"{option} from {reading.shown(path)}"
    try:
        exists = _collect(included, (how, *via), constraining or option == "-c", lines, reading)
    except Unusable as error:
        reading.warnings.append(str(error))
        return
    if not exists:
        reading.warnings.append(f"{reading.shown(path)}:{number}: {option} {target}: no such file")


def _logical_lines(text: str) -> Iterator[tuple[int, str]]:
    """(number of the first physical line, text) of each non-empty line after joining
    continuations and dropping comments."""
    pending: list[str] = []
    start = 0
    for number, raw in enumerate(text.splitlines(), 1):
        if not pending:
            start = number
        line = _COMMENT.sub("", raw)
        if line.endswith("\\"):
            pending.append(line[:-1])
            continue
        joined = " ".join([*pending, line]).strip()
        pending = []
        if joined:
            yield start, joined
    if pending and " ".join(pending).strip():
        yield start, " ".join(pending).strip()
