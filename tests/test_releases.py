"""ZenML releases, targets and the facts that change between releases (zlint.model.releases)."""

from __future__ import annotations

import pytest

from zlint.model import releases
from zlint.model.releases import KNOWN_RELEASES, NEWEST, Fact, Release, Target


def test_releases_order_and_print() -> None:
    assert Release.parse("0.85") == Release(0, 85, 0)
    assert Release.parse("0.9.1") < Release.parse("0.10.0") < Release.parse("0.85.0")
    assert str(Release.parse("0.85")) == "0.85.0"
    assert list(KNOWN_RELEASES) == sorted(KNOWN_RELEASES)
    assert Release(0, 98, 0) == NEWEST


@pytest.mark.parametrize("text", ["", "x", "1.2.3.4", "0.x.1"])
def test_bad_release_numbers(text: str) -> None:
    with pytest.raises(ValueError):
        Release.parse(text)


def test_a_fact_holds_from_since_until_until() -> None:
    fact = Fact("x", since=Release(0, 71, 0), until=Release(0, 90, 0))
    assert not fact.holds_on(Release(0, 70, 0))
    assert fact.holds_on(Release(0, 71, 0)) and fact.holds_on(Release(0, 85, 0))
    assert not fact.holds_on(Release(0, 90, 0))


def test_a_range_target_is_judged_by_every_release() -> None:
    admitted = tuple(r for r in KNOWN_RELEASES if Release(0, 70) <= r < Release(0, 80))
    target = Target(admitted, ">=0.70,<0.80", "requirements.txt")
    assert target.any(releases.INFER_ARTIFACT) and not target.all(releases.INFER_ARTIFACT)
    assert target.where(releases.INFER_ARTIFACT)[0] == Release(0, 71, 0)
    assert target.describe() == "0.70.0 to 0.75.1"


def test_the_default_target_is_the_newest_release() -> None:
    target = releases.default_target()
    assert target.releases == (NEWEST,) and target.source.startswith("default")
    assert target.all(releases.MAP) and not target.any(releases.LEGACY_CLASS_API)


def test_an_empty_target_is_refused() -> None:
    with pytest.raises(ValueError):
        Target((), "", "")


def test_admitted_releases_of_specifiers() -> None:
    from packaging.specifiers import SpecifierSet

    assert releases.admitted([SpecifierSet(">=0.84.2,<0.85")]) == (
        Release(0, 84, 2),
        Release(0, 84, 3),
    )
    assert releases.admitted([SpecifierSet("==0.85.0"), SpecifierSet("==0.43.1")]) == (
        Release(0, 43, 1),
        Release(0, 85, 0),
    )
    # No version at all: what a resolver installs, the newest release.
    assert releases.admitted([SpecifierSet()]) == (NEWEST,)
    assert releases.admitted([SpecifierSet(">=1.0")]) == ()


@pytest.mark.parametrize(
    ("spec", "nearest"),
    [
        ("==0.85.1", "0.85.0"),
        ("==0.42.1", "0.43.0"),
        ("<0.43", "0.43.0"),
        (">=0.99", "0.98.0"),
        ("==0.44.0", "0.44.1"),
        ("!=0.1", "0.98.0"),
    ],
)
def test_the_nearest_known_release(spec: str, nearest: str) -> None:
    from packaging.specifiers import SpecifierSet

    assert str(releases.nearest([SpecifierSet(spec)])) == nearest


def test_describe_exactly_shows_gaps() -> None:
    chosen = [r for r in KNOWN_RELEASES if Release(0, 80) <= r and r != Release(0, 85, 0)]
    assert releases.describe_exactly(chosen) == "0.80.0 to 0.84.3, 0.90.0 to 0.98.0"
    assert releases.describe_exactly([Release(0, 85, 0)]) == "0.85.0"
    assert releases.describe_exactly([]) == "no known release"


def test_a_target_as_json() -> None:
    target = releases.setting_target("0.84", "zlint.toml zenml-version")
    assert target.record() == {
        "releases": ["0.84.0", "0.84.1", "0.84.2", "0.84.3"],
        "spec": "0.84",
        "source": "zlint.toml zenml-version",
    }
