"""ZenML releases: which ones zlint knows, which ones a project may run on (its *target*),
and the facts about ZenML that change from one release to another.

Every fact a rule or fix relies on and that is not true of every known release is a
:class:`Fact` here, with the first release where it holds (and the first where it no longer
does). The release boundaries come from the real wheels (``scripts/zenml_api_table.py``
reads each one statically) and from running pipelines under each release
(``tests/truth/releases.py``); see the README's "ZenML versions" section.

A target is a set of known releases: a pin gives one, a range gives every known release it
admits. A finding holds if its problem happens on *any* release of the target (the message
names which); a fix is offered only if it works on *all* of them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import total_ordering
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from packaging.specifiers import SpecifierSet


@total_ordering
@dataclass(frozen=True)
class Release:
    """A ZenML release, ``0.85.0``."""

    major: int
    minor: int
    patch: int = 0

    @classmethod
    def parse(cls, text: str) -> Release:
        parts = [int(p) for p in text.strip().split(".")]
        if not 1 <= len(parts) <= 3:
            raise ValueError(f"not a release number: {text!r}")
        return cls(*parts)

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, Release):
            return NotImplemented
        return (self.major, self.minor, self.patch) < (other.major, other.minor, other.patch)

    def __str__(self) -> str:
        return f"{self.major}.{self.minor}.{self.patch}"


def _releases(text: str) -> tuple[Release, ...]:
    return tuple(sorted(Release.parse(word) for word in text.split()))


#: Every release on the package index from 0.43.0 on (read from the index, 2026-12-07).
KNOWN_RELEASES: tuple[Release, ...] = _releases(
    """
    0.43.0 0.43.1 0.44.1 0.44.2 0.44.3 0.44.4 0.45.2 0.45.3 0.45.4 0.45.5 0.45.6 0.46.0
    0.47.0 0.50.0 0.51.0 0.52.0 0.53.0 0.53.1 0.54.0 0.54.1 0.55.0 0.55.1 0.55.2 0.55.3
    0.55.4 0.55.5 0.56.2 0.56.3 0.56.4 0.57.0 0.57.1 0.58.0 0.58.1 0.58.2 0.60.0 0.61.0
    0.62.0 0.63.0 0.64.0 0.65.0 0.66.0 0.67.0 0.68.0 0.68.1 0.70.0 0.71.0 0.72.0 0.73.0
    0.74.0 0.75.0 0.75.1 0.80.0 0.80.1 0.80.2 0.81.0 0.82.0 0.82.1 0.83.0 0.83.1 0.84.0
    0.84.1 0.84.2 0.84.3 0.85.0 0.90.0 0.91.0 0.91.1 0.91.2 0.92.0 0.93.0 0.93.1 0.93.2
    0.93.3 0.94.0 0.94.1 0.94.2 0.94.3 0.94.4 0.94.5 0.94.6 0.95.0 0.95.1 0.96.0 0.96.1
    0.96.2 0.96.3 0.96.4 0.97.0 0.98.0
    """
)
NEWEST = KNOWN_RELEASES[-1]


@dataclass(frozen=True)
class Target:
    """The known releases a project may run on, and where zlint learned them."""

    releases: tuple[Release, ...]
    #: The requirement as written (``==0.85.0``, ``>=0.70,<0.80``), or how it was chosen.
    spec: str
    #: Where it came from: ``--zenml-version``, ``pyproject.toml [tool.zlint] zenml-version``,
    #: ``uv.lock``, ``requirements.txt:3``, ..., or ``default`` (the newest known release).
    source: str
    #: The project files read to choose it (lock and requirements files): inputs of the
    #: result cache, like the checked files.
    read: tuple[Path, ...] = field(default=(), compare=False)

    def __post_init__(self) -> None:
        if not self.releases:
            raise ValueError("a target holds at least one release")

    @property
    def earliest(self) -> Release:
        return self.releases[0]

    @property
    def latest(self) -> Release:
        return self.releases[-1]

    def where(self, fact: Fact) -> tuple[Release, ...]:
        """The releases of the target on which ``fact`` holds."""
        return tuple(r for r in self.releases if fact.holds_on(r))

    def any(self, fact: Fact) -> bool:
        """Whether ``fact`` holds on some release of the target (a finding holds then)."""
        return any(fact.holds_on(r) for r in self.releases)

    def all(self, fact: Fact) -> bool:
        """Whether ``fact`` holds on every release of the target (a fix may rely on it)."""
        return all(fact.holds_on(r) for r in self.releases)

    def describe(self) -> str:
        """``0.85.0``, or ``0.70.0 to 0.75.1`` (for messages)."""
        return str(self.earliest) if len(self.releases) == 1 else describe(self.releases)

    def record(self) -> dict[str, object]:
        """The target as JSON (SARIF's run properties)."""
        return {
            "releases": [str(r) for r in self.releases],
            "spec": self.spec,
            "source": self.source,
        }


def describe(releases: Iterable[Release]) -> str:
    found = sorted(releases)
    if not found:
        return "no known release"
    return str(found[0]) if len(found) == 1 else f"{found[0]} to {found[-1]}"


def describe_exactly(releases: Iterable[Release]) -> str:
    """Every release, runs of consecutive known releases shortened: ``0.70.0 to 0.75.1,
    0.80.1 to 0.98.0`` (a ``!=0.80.0`` leaves a gap that :func:`describe` would hide)."""
    chosen = set(releases)
    runs: list[list[Release]] = []
    previous_known = False
    for release in KNOWN_RELEASES:
        if release in chosen:
            if previous_known:
                runs[-1].append(release)
            else:
                runs.append([release])
        previous_known = release in chosen
    parts = [str(run[0]) if len(run) == 1 else f"{run[0]} to {run[-1]}" for run in runs]
    return ", ".join(parts) or "no known release"


def default_target() -> Target:
    return Target((NEWEST,), f"=={NEWEST}", "default (the newest release zlint knows)")


# --------------------------------------------------------------------------- requirements


def admitted(alternatives: Iterable[SpecifierSet]) -> tuple[Release, ...]:
    """The known releases that any of ``alternatives`` admits (a project may run on any of
    them), prereleases never. An alternative without a version (a bare ``zenml``) admits what
    a resolver installs today: the newest known release."""
    found: set[Release] = set()
    for specifier in alternatives:
        if len(specifier) == 0:
            found.add(NEWEST)
            continue
        found.update(r for r in KNOWN_RELEASES if specifier.contains(str(r), prereleases=False))
    return tuple(sorted(found))


def nearest(alternatives: Iterable[SpecifierSet]) -> Release:
    """The known release closest to a requirement that admits none: the one of the same
    minor series as the newest version it names (``==0.85.1``: 0.85.0), else the first known
    release after it (``==0.42.1``: 0.43.0), else the newest (``>=0.99``)."""
    named = [
        release
        for specifier in alternatives
        for item in specifier
        if item.operator != "!=" and (release := _release_in(item.version)) is not None
    ]
    if not named:
        return NEWEST
    wanted = max(named)
    series = [r for r in KNOWN_RELEASES if (r.major, r.minor) == (wanted.major, wanted.minor)]
    if series:
        return min(series, key=lambda r: abs(r.patch - wanted.patch))
    return next((r for r in KNOWN_RELEASES if wanted <= r), NEWEST)


def _release_in(version: str) -> Release | None:
    found = re.match(r"(\d+)(?:\.(\d+))?(?:\.(\d+))?", version)
    if found is None:
        return None
    return Release(*(int(part or 0) for part in found.groups()))


#: ``0.85``, ``0.85.*``, ``0.85.0``: a version without an operator.
_BARE_VERSION = re.compile(r"\d+(?:\.\d+)*(?:\.\*)?")


def setting_specifier(text: str) -> SpecifierSet:
    """The releases ``zenml-version`` (or ``--zenml-version``) names: a bare ``0.85`` (or
    ``0.85.*``) is every 0.85.x release, a bare ``0.85.0`` exactly that one; anything else is
    a PEP 440 specifier (``>=0.70,<0.80``, ``==0.85.0``, ``~=0.85.1``). A ValueError says
    what is wrong."""
    from packaging.specifiers import InvalidSpecifier, SpecifierSet

    text = text.strip()
    if _BARE_VERSION.fullmatch(text):
        parts = text.removesuffix(".*").split(".")
        text = f"=={text}" if len(parts) >= 3 else f"=={'.'.join(parts)}.*"
    if not text:
        raise ValueError("an empty string is not a version")
    try:
        return SpecifierSet(text)
    except InvalidSpecifier as error:
        raise ValueError(
            f'{text!r} is not a version or a version range (e.g. "0.85", "==0.85.0", '
            f'">=0.70,<0.80")'
        ) from error


def setting_target(text: str, source: str) -> Target:
    """The target ``zenml-version = text`` chooses; a ValueError when it is malformed or
    admits no known release."""
    found = admitted([setting_specifier(text)])
    if not found:
        raise ValueError(
            f"{text.strip()!r} admits no ZenML release zlint knows "
            f"({KNOWN_RELEASES[0]} to {NEWEST})"
        )
    return Target(found, text.strip(), source)


@dataclass(frozen=True)
class Fact:
    """Something about ZenML that holds from ``since`` (inclusive) until ``until``
    (exclusive); None means since ever, or still."""

    what: str
    since: Release | None = None
    until: Release | None = None

    def holds_on(self, release: Release) -> bool:
        if self.since is not None and release < self.since:
            return False
        return self.until is None or release < self.until

    def range_text(self) -> str:
        """``0.71.0 and later``, ``before 0.68.0``, ``0.50.0 to before 0.68.0``."""
        if self.since is not None and self.until is not None:
            return f"{self.since} up to (not including) {self.until}"
        if self.since is not None:
            return f"{self.since} and later"
        if self.until is not None:
            return f"releases before {self.until}"
        return "every release"


def _r(text: str) -> Release:
    return Release.parse(text)


# The facts zlint's rules and fixes rely on (from the wheels and from runs; see module doc).
#: ``zenml.log_metadata`` exists.
LOG_METADATA = Fact("`zenml.log_metadata` exists", since=_r("0.70.0"))
#: ``log_metadata(..., infer_artifact=True)`` and ``infer_model`` exist; without them,
#: ``artifact_name=`` inside a step raises ``ValueError: Unsupported way to call``.
INFER_ARTIFACT = Fact("`log_metadata` takes `infer_artifact=`", since=_r("0.71.0"))
#: ``substitutions=`` on steps, pipelines, ``with_options`` and ``configure``.
SUBSTITUTIONS = Fact("`substitutions=` exists", since=_r("0.71.0"))
#: ``{placeholder}`` in an output name is filled (a missing key is a KeyError); before,
#: the braces are kept literally and the name is a fixed one.
PLACEHOLDERS_FILLED = Fact("placeholders in artifact names are filled", since=_r("0.71.0"))
#: ``log_artifact_metadata``, ``log_step_metadata``, ``log_model_metadata`` print a
#: deprecation notice.
METADATA_HELPERS_DEPRECATED = Fact("the old metadata helpers are deprecated", since=_r("0.70.0"))
#: ``get_step_context().add_output_metadata(metadata=..., output_name=...)`` as today
#: (0.45.x takes ``(output_name, **metadata)``).
ADD_OUTPUT_METADATA = Fact("`add_output_metadata(metadata=...)` exists", since=_r("0.50.0"))
ADD_OUTPUT_TAGS = Fact("`add_output_tags` exists", since=_r("0.55.2"))
ADD_TAGS = Fact("`zenml.add_tags` exists", since=_r("0.80.0"))
#: ``zenml.ArtifactConfig`` names outputs; custom names get versions.
ARTIFACT_CONFIG = Fact("`zenml.ArtifactConfig` exists", since=_r("0.50.0"))
#: A custom-named output called twice gets versions 1, 2 (before: no versions at all) and
#: unnamed outputs are ``pipeline::invocation::output`` (before: all just ``output``).
ARTIFACT_VERSIONS = Fact("artifacts get versions", since=_r("0.50.0"))
LIST_ARTIFACT_VERSIONS = Fact("`Client.list_artifact_versions` exists", since=_r("0.51.0"))
CACHE_POLICY = Fact("`CachePolicy` and `cache_policy=` exist", since=_r("0.85.0"))
DYNAMIC_PIPELINES = Fact("`@pipeline(dynamic=True)` exists", since=_r("0.91.1"))
SUBMIT = Fact("`.submit()` exists", since=_r("0.91.1"))
MAP = Fact("`.map()` and `.product()` exist", since=_r("0.92.0"))
UNMAPPED = Fact("`zenml.unmapped` exists", since=_r("0.92.0"))
#: ``zenml.steps.step is zenml.step``; before, ``zenml.steps`` held the class-based API.
STEPS_STEP_IS_STEP = Fact("`zenml.steps.step` is the `@step` decorator", since=_r("0.68.0"))
#: The ``zenml.new.*`` module paths of the decorators.
NEW_MODULE_PATHS = Fact("the `zenml.new` module paths exist", until=_r("0.68.0"))
#: The class-based API (``BaseParameters``, ``Output``, ``BasePipeline``).
LEGACY_CLASS_API = Fact("the class-based step and pipeline API exists", until=_r("0.68.0"))
START_AFTER = Fact("`start_after` exists", since=_r("0.96.2"))
#: ``StepContext.add_output_metadata`` and ``get_output_metadata`` exist (in 0.45.x with
#: ``(output_name=None, **metadata)``; see :data:`ADD_OUTPUT_METADATA`).
OUTPUT_METADATA_METHODS = Fact("`StepContext.add_output_metadata` exists", since=_r("0.45.2"))
#: ``StepContext.remove_output_tags`` exists (``add_output_tags`` and ``get_output_tags``:
#: :data:`ADD_OUTPUT_TAGS`).
REMOVE_OUTPUT_TAGS = Fact("`StepContext.remove_output_tags` exists", since=_r("0.80.0"))
