"""Wording shared by the rules' messages."""

from __future__ import annotations

from zlint.model import releases
from zlint.model.invocations import Invocation
from zlint.model.releases import Fact, Release, Target, describe

_BY_METADATA = "write a per-call parameter into the output's metadata (or tags)"
_BY_SUBSTITUTION = "give each call its own name with `with_options(substitutions=...)`"


def remedy(target: Target) -> str:
    """:data:`REMEDY` with only what every release of the target has."""
    parts = []
    if target.all(releases.ADD_OUTPUT_METADATA):
        parts.append(_BY_METADATA)
    if target.all(releases.SUBSTITUTIONS):
        parts.append(_BY_SUBSTITUTION)
    if not parts:
        return "give each call a step with a name of its own (`--strategy factory` makes them)"
    return ", or ".join(parts)


def quoted(names: list[str]) -> str:
    return ", ".join(f"`{n}`" for n in names)


def artifacts(names: list[str]) -> str:
    return f"artifact{'s' if len(names) > 1 else ''} {quoted(names)}"


def step_label(invocation: Invocation) -> str:
    via = f" (through `{'` -> `'.join(invocation.via)}`)" if invocation.via else ""
    return f"Step `{invocation.step.name}`{via}"


def repeated_here(invocation: Invocation, what: str) -> str:
    """ "Step `x` runs once per loop iteration here and every run writes ..."."""
    if invocation.fanout:
        how = f"is fanned out with `.{invocation.fanout}()` here and every item"
    else:
        how = f"runs once per {_repetition(invocation)} here and every run"
    return f"{step_label(invocation)} {how} {what}"


def _repetition(invocation: Invocation) -> str:
    return "item of `map()`" if invocation.through == "map" else "loop iteration"


def called_again(invocation: Invocation, first: Invocation, first_line: int, what: str) -> str:
    if first.call is invocation.call and first.site.node is invocation.site.node:
        # One call written once, run for each value of a loop zlint walked value by value.
        return f"{step_label(invocation)} runs once per {_repetition(invocation)} here and {what}"
    if first.site.node is invocation.site.node:
        # Both calls happen inside one helper or sub-pipeline call.
        return f"{step_label(invocation)} is called more than once by this call and {what}"
    where = f"first call at line {first_line}"
    return f"{step_label(invocation)} is called again here ({where}) and {what}"


# -- ZenML releases ------------------------------------------------------------------------


def admitted(target: Target) -> str:
    """``this project admits 0.70.0 to 0.75.1 (from requirements.txt)``."""
    return f"this project admits {target.describe()} (from {target.source})"


def releases_text(target: Target, found: tuple[Release, ...]) -> str:
    """``0.71.0 and later`` when ``found`` runs to the target's newest release and on,
    else ``0.71.0 to 0.75.1`` (or one release)."""
    if len(found) > 1 and found[-1] == target.latest and found[0] != target.earliest:
        return f"{found[0]} and later"
    return describe(found)


def only_on(target: Target, fact: Fact) -> str:
    """``""`` when ``fact`` holds on every release of the target, else `` on ZenML 0.71.0
    and later, which this project admits``: for a finding that happens only there."""
    if target.all(fact):
        return ""
    return f" on ZenML {releases_text(target, target.where(fact))}, which this project admits"


def missing(target: Target, fact: Fact, what: str) -> str:
    """``{what} is not in ZenML 0.70.0, which this project admits``: why a fix or a remedy
    that needs ``fact`` is not offered."""
    lacking = tuple(r for r in target.releases if not fact.holds_on(r))
    return f"{what} is not in ZenML {describe(lacking)}, which this project admits"
