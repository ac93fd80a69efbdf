"""ZenML requirements as projects write them, and what a list of them admits.

The readers of lock files (:mod:`lockfiles`), requirements files (:mod:`requirement_files`)
and package metadata (:mod:`manifests`) turn what they find into a :class:`Found`; the search
(:mod:`zenml_requirement`) tries them in order. Only three parts of a PEP 508 line matter
here: the name, the version constraint and the environment marker (kept as text, never
evaluated: zlint does not know the environment the project runs in). Poetry's constraints
(``^0.85``, ``~0.85.1``, ``>=0.70,<0.75 || >=0.80``) become PEP 440 specifiers.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from packaging.specifiers import InvalidSpecifier, SpecifierSet

#: A specifier without any version: it admits whatever a resolver installs.
ANY_VERSION = SpecifierSet()


class Unusable(ValueError):
    """A project file, or a ZenML requirement in it, that zlint cannot read: the search
    skips it and goes on; the message (which names the file) becomes a warning."""


@dataclass(frozen=True)
class Requirement:
    """One requirement on ZenML."""

    #: The releases it admits are those any of these admits (Poetry's ``||``; one for PEP 508).
    alternatives: tuple[SpecifierSet, ...]
    #: The constraint as written (``>=0.70,<0.80``, ``^0.85``); empty for none.
    written: str
    #: The environment marker as written, or None.
    marker: str | None = None


@dataclass(frozen=True)
class Found:
    """The ZenML requirement a project file states."""

    alternatives: tuple[SpecifierSet, ...]
    #: The constraint(s) as written.
    spec: str
    #: Where: the file relative to the root, and the table or line.
    source: str


@dataclass
class Reading:
    """One search: the root that paths are shown relative to, every file read (the result
    cache's inputs) and the warnings about files skipped."""

    root: Path
    read: list[Path] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def shown(self, path: Path) -> str:
        try:
            return path.relative_to(self.root).as_posix()
        except ValueError:
            return path.as_posix()

    def text(self, path: Path) -> str | None:
        """The file's text, or None when there is no such file."""
        if not path.is_file():
            return None
        if path not in self.read:
            self.read.append(path)
        try:
            return path.read_bytes().decode("utf-8-sig")
        except OSError as error:
            raise Unusable(f"{self.shown(path)}: cannot read: {error.strerror}") from error
        except UnicodeDecodeError as error:
            raise Unusable(f"{self.shown(path)}: not UTF-8 text") from error


def is_zenml(name: str) -> bool:
    """Whether a distribution name is ZenML's (names compare normalised, PEP 503)."""
    return re.sub(r"[-_.]+", "-", name).lower() == "zenml"


_PEP508 = re.compile(
    r"\s*(?P<name>[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)\s*(?P<extras>\[[^\]]*\])?"
    r"(?P<rest>.*)",
    re.DOTALL,
)


def pep508(text: str, where: str) -> Requirement | None:
    """The requirement ``text`` states if it names ZenML (extras, URL and marker allowed),
    else None; Unusable if it names ZenML with a constraint no installer accepts."""
    match = _PEP508.fullmatch(text)
    if match is None or not is_zenml(match["name"]):
        return None
    rest = match["rest"].strip()
    constraint, _, marker = rest.partition(";")
    constraint = constraint.strip()
    written = " ".join(rest.split())
    if constraint.startswith("@"):  # a URL: its version cannot be known without fetching it
        return Requirement((ANY_VERSION,), written, _marker(marker))
    if constraint.startswith("(") and constraint.endswith(")"):
        constraint = constraint[1:-1]
    try:
        specifier = SpecifierSet(constraint)
    except InvalidSpecifier as error:
        raise Unusable(f"{where}: {text.strip()!r} is not a valid requirement") from error
    return Requirement((specifier,), written, _marker(marker))


def _marker(text: str) -> str | None:
    return " ".join(text.split()) or None


def pep508_list(lines: Iterable[object], where: str) -> list[Requirement]:
    """The ZenML requirements among ``lines``; anything that is not a string is passed by."""
    found = (pep508(line, where) for line in lines if isinstance(line, str))
    return [requirement for requirement in found if requirement is not None]


# --------------------------------------------------------------------------- Poetry

_POETRY_TERM = re.compile(
    r"\s*(?P<op>\^|~=|~|===|==|!=|<=|>=|<|>|=)?\s*"
    r"(?P<version>\*|\d+(?:\.(?:\d+|\*))*(?:[A-Za-z+!-][A-Za-z0-9.+!-]*)?)\s*,?"
)


def poetry(text: str, where: str) -> Requirement:
    """A Poetry constraint: ``^0.85`` is ``>=0.85,<0.86`` (the first non-zero part may not
    grow), ``~0.85.1`` is ``>=0.85.1,<0.86``, a bare ``0.85.0`` is ``==0.85.0``, ``*`` is
    any version, ``,`` (or a space) joins terms and ``||`` separates alternatives."""
    alternatives = []
    for part in text.split("||"):
        terms = []
        position = 0
        part = part.strip()
        while position < len(part):
            match = _POETRY_TERM.match(part, position)
            if match is None or match.end() == position:
                raise Unusable(f"{where}: {text!r} is not a Poetry version constraint")
            terms.append(_poetry_term(match["op"] or "", match["version"]))
            position = match.end()
        try:
            alternatives.append(SpecifierSet(",".join(t for t in terms if t)))
        except InvalidSpecifier as error:
            raise Unusable(f"{where}: {text!r} is not a Poetry version constraint") from error
    return Requirement(tuple(alternatives), text.strip())


def _poetry_term(operator: str, version: str) -> str:
    if version == "*":
        return ""
    if operator in ("", "="):
        return f"=={version}"
    if operator in ("^", "~"):
        numbers = [int(n) for n in re.findall(r"\d+", version.split("-")[0])[:3]] or [0]
        return f">={version},<{_upper(numbers, caret=operator == '^')}"
    return f"{operator}{version}"


def _upper(numbers: list[int], *, caret: bool) -> str:
    """The first version a caret or tilde constraint excludes."""
    if caret:  # bump the first non-zero part (the last given one if all are zero)
        index = next((i for i, n in enumerate(numbers) if n != 0), len(numbers) - 1)
    else:  # bump the minor part, or the major when only that is given
        index = min(1, len(numbers) - 1)
    bumped = [*numbers[:index], numbers[index] + 1]
    return ".".join(str(n) for n in bumped)


# --------------------------------------------------------------------------- combining


def combine(requirements: Sequence[Requirement], source: str) -> Found:
    """What several requirements on ZenML in one list admit together. Installers intersect
    the unconditional ones; one behind a marker applies only where its marker holds, so the
    marked ones are alternatives (each with the unconditional ones)."""
    plain = [r for r in requirements if r.marker is None]
    base: tuple[SpecifierSet, ...] = (ANY_VERSION,)
    for requirement in plain:
        base = intersect(base, requirement.alternatives)
    alternatives = base
    if not plain:
        by_marker: dict[str, tuple[SpecifierSet, ...]] = {}
        for requirement in requirements:
            assert requirement.marker is not None
            previous = by_marker.get(requirement.marker, (ANY_VERSION,))
            by_marker[requirement.marker] = intersect(previous, requirement.alternatives)
        alternatives = tuple(s for group in by_marker.values() for s in group)
    return Found(alternatives, spec_text(requirements), source)


def intersect(
    left: tuple[SpecifierSet, ...], right: tuple[SpecifierSet, ...]
) -> tuple[SpecifierSet, ...]:
    """The alternatives both admit."""
    return tuple(a & b for a in left for b in right)


def spec_text(requirements: Sequence[Requirement]) -> str:
    """The constraints as written, each once: joined by ``, `` (all apply), or by `` | ``
    when some apply only under a marker."""
    if any(r.marker is not None for r in requirements):
        return " | ".join(dict.fromkeys(r.written or "(any version)" for r in requirements))
    return ", ".join(dict.fromkeys(r.written for r in requirements if r.written))
