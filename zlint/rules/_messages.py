"""Wording shared by the rules' messages."""

from __future__ import annotations

from zlint.model.invocations import Invocation

REMEDY = (
    "write a per-call parameter into the output's metadata (or tags), or give each call its "
    "own name with `with_options(substitutions=...)`"
)


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
