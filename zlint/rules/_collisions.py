"""Finding invocations that write versions of one artifact name that nothing tells apart.

Shared by ZL001 (fixed names) and ZL006 (names that differ only through run-scoped values).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from zlint.fixes.common import NoFix
from zlint.model import artifacts as art
from zlint.model import caching, releases
from zlint.model.definitions import StepDef
from zlint.model.invocations import Invocation, PipelineAnalysis
from zlint.model.output_names import Output
from zlint.model.releases import Target
from zlint.rules import _messages as msg
from zlint.types import Fix

if TYPE_CHECKING:
    from zlint.rules.base import RuleContext


@dataclass
class Collision:
    invocation: Invocation
    #: Names written again by every repetition of this one call site (loop, .map()).
    repeated: list[str] = field(default_factory=list)
    #: Names an earlier call already wrote; ``first`` is that call.
    again: list[str] = field(default_factory=list)
    first: Invocation | None = None
    #: Why the metadata the step writes does not tell the versions apart, if it writes any.
    metadata_note: str | None = None


def find(analysis: PipelineAnalysis, run_scoped: bool, filled: bool = True) -> list[Collision]:
    """Collisions among names whose resolution is (``run_scoped``) or is not run-scoped;
    ``filled``: whether the target's ZenML fills placeholders (see ``artifacts.resolve``)."""
    groups: dict[int, list[Invocation]] = defaultdict(list)
    for invocation in analysis.invocations:
        groups[id(invocation.step)].append(invocation)
    found: list[Collision] = []
    for group in groups.values():
        for index, invocation in enumerate(group):
            collision = _collision(analysis, invocation, group[:index], run_scoped, filled)
            if collision.repeated or collision.again:
                found.append(collision)
    found.sort(key=lambda c: c.invocation.index)
    return found


def _collision(
    analysis: PipelineAnalysis,
    invocation: Invocation,
    earlier: list[Invocation],
    run_scoped: bool,
    filled: bool,
) -> Collision:
    collision = Collision(invocation)
    for output in invocation.step.outputs:
        name = art.resolve(analysis, invocation, output, filled=filled)
        if name is None or name.run_scoped != run_scoped:
            continue
        if invocation.repeats and not (
            art.told_apart_across_iterations(invocation, output, name.parts)
            # Repetitions the cache may merge write nothing new (ZL008's case when sure).
            or caching.merged_across_iterations(invocation, analysis) is not False
        ):
            collision.repeated.append(art.display(name.parts))
            collision.metadata_note = collision.metadata_note or art.why_not_told_apart(
                invocation, invocation, output
            )
            continue
        other = _colliding_earlier(analysis, invocation, earlier, output, name, filled)
        if other is not None:
            collision.again.append(art.display(name.parts))
            collision.first = collision.first or other
            collision.metadata_note = collision.metadata_note or art.why_not_told_apart(
                other, invocation, output
            )
    return collision


def _colliding_earlier(
    analysis: PipelineAnalysis,
    invocation: Invocation,
    earlier: list[Invocation],
    output: Output,
    name: art.ResolvedName,
    filled: bool,
) -> Invocation | None:
    for other in earlier:
        other_name = art.resolve(analysis, other, output, filled=filled)
        if (
            other_name is not None
            and not other.exclusive_with(invocation)
            and art.same_name(name.parts, other_name.parts)
            and not art.told_apart(other, invocation, output)
            and caching.merged(other, invocation, analysis) is False
        ):
            return other
    return None


#: Builds the fix for one step's colliding calls, or says why there is none (NoFix).
Fixer = Callable[[PipelineAnalysis, StepDef, list[str], list[Invocation]], Fix | NoFix | None]


def report(ctx: RuleContext, run_scoped: bool, why: str, fixer: Fixer | None = None) -> None:
    """Reports every collision of the kind, once per call site, ending with ``why``; with
    ``fixer``, every finding of one step's colliding calls carries the same group fix."""
    filled = placeholders_filled(ctx.target)
    for analysis in ctx.analyses:
        collisions = find(analysis, run_scoped, filled)
        fixes = _group_fixes(analysis, collisions, fixer) if fixer is not None else {}
        found = [(c.invocation, _message(c, ctx, why, filled)) for c in collisions]
        for invocation, message in one_per_site(found):
            fix = fixes.get(id(invocation.step))
            if isinstance(fix, NoFix):
                ctx.report(invocation.site, f"{message}; {fix.note}")
            else:
                ctx.report(invocation.site, message, fix)


def _group_fixes(
    analysis: PipelineAnalysis, collisions: list[Collision], fixer: Fixer
) -> dict[int, Fix | NoFix | None]:
    return {
        key: _safely(fixer, analysis, step, outputs, group)
        for key, (step, outputs, group) in step_groups(collisions).items()
    }


def step_groups(
    collisions: list[Collision],
) -> dict[int, tuple[StepDef, list[str], list[Invocation]]]:
    """Per step (by id): the step, its colliding output keys with fixed names, and its
    colliding calls in call order."""
    groups: dict[int, list[Invocation]] = defaultdict(list)
    names: dict[int, set[str]] = defaultdict(set)
    for collision in collisions:
        key = id(collision.invocation.step)
        for member in (collision.first, collision.invocation):
            if member is not None and member not in groups[key]:
                groups[key].append(member)
        names[key].update(collision.repeated + collision.again)
    found: dict[int, tuple[StepDef, list[str], list[Invocation]]] = {}
    for key, group in groups.items():
        step = group[0].step
        # Only fixed names: a templated output's key differs per call.
        outputs = [
            o.key for o in step.outputs if o.custom_name in names[key] and not o.placeholders
        ]
        found[key] = (step, outputs, sorted(group, key=lambda i: i.index))
    return found


def placeholders_filled(target: Target) -> bool:
    """Whether names are resolved as ZenML fills them: when some release of the target
    does (0.71.0 on); before, ``{...}`` stays in the name as written."""
    return target.any(releases.PLACEHOLDERS_FILLED)


def _message(collision: Collision, ctx: RuleContext, why: str, filled: bool) -> str:
    invocation = collision.invocation
    names = collision.repeated or collision.again
    if collision.repeated:
        text = msg.repeated_here(invocation, f"writes {msg.artifacts(collision.repeated)}")
    else:
        assert collision.first is not None
        line = ctx.line(collision.first.site)
        what = f"writes {msg.artifacts(collision.again)} again"
        text = msg.called_again(invocation, collision.first, line, what)
    text += _release_notes(ctx.target, names, filled)
    if collision.metadata_note is not None:
        head, colon, tail = why.partition(": ")
        why = f"{head} ({collision.metadata_note}){colon}{tail}"
    return f"{text}; {why}"


def _release_notes(target: Target, names: list[str], filled: bool) -> str:
    """What the target's releases do differently with these names, if anything."""
    notes = []
    if not filled and any("{" in name for name in names):
        since = releases.PLACEHOLDERS_FILLED.since
        notes.append(
            f"ZenML {target.describe()} keeps `{{...}}` in artifact names as written "
            f"(it fills them from {since} on)"
        )
    if not target.all(releases.ARTIFACT_VERSIONS):
        notes.append(
            f"on ZenML {msg.releases_text(target, _without(target, releases.ARTIFACT_VERSIONS))}, "
            "which this project admits, these are not even versions: the calls write "
            "artifacts of one name without a version"
        )
    return f" ({'; '.join(notes)})" if notes else ""


def _without(target: Target, fact: releases.Fact) -> tuple[releases.Release, ...]:
    return tuple(r for r in target.releases if not fact.holds_on(r))


def _safely(
    fixer: Fixer,
    analysis: PipelineAnalysis,
    step: StepDef,
    outputs: list[str],
    group: list[Invocation],
) -> Fix | NoFix | None:
    """A fix is optional: if building it fails, the findings still stand, without a fix."""
    if not outputs:
        return None
    try:
        return fixer(analysis, step, outputs, group)
    except Exception:  # a fix-builder bug must not hide the findings
        return None


def one_per_site(found: list[tuple[Invocation, str]]) -> list[tuple[Invocation, str]]:
    """A helper called again reports once, at the outer call, for all its colliding steps."""
    by_site: dict[int, tuple[Invocation, str]] = {}
    for invocation, message in found:
        key = id(invocation.site.node)
        if key in by_site:
            first, text = by_site[key]
            by_site[key] = (first, text) if message in text else (first, f"{text}; {message}")
        else:
            by_site[key] = (invocation, message)
    return list(by_site.values())
