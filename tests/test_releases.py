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
