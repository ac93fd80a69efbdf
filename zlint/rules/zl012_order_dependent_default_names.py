from __future__ import annotations

import re
from collections import defaultdict
from typing import TYPE_CHECKING

import libcst as cst

from zlint.fixes.arguments import keyword_arg_like, laid_out
from zlint.fixes.invocation_ids import IdContext, context_token, loop_id
from zlint.model import releases
from zlint.model.invocation_ids import IdAssignment, IdOverride, assign_ids
from zlint.model.invocations import Invocation, PipelineAnalysis
from zlint.rules import _messages as msg
from zlint.rules.base import Rule
from zlint.types import Applicability, Fix, NodeReplacement

if TYPE_CHECKING:
    from zlint.rules.base import RuleContext


class OrderDependentDefaultNames(Rule):
    """## What it does
    Finds a step with unnamed outputs that one pipeline calls several times without `id=`.
    Off unless selected.

    ## Why is this bad?
    Unnamed outputs are stored as `<pipeline>::<invocation id>::output`, so repeated calls
    do get distinct artifacts, but the ids are `name`, `name_2`, `name_3` in call order.
    Inserting or reordering a call silently renames the artifacts of every later call, and
    code that loads `training::split_2::output` starts reading another split's data.

    ## Example
    ```python
    from zenml import pipeline, step


    @step
    def split(rows: list, part: str) -> list:
        return rows


    @pipeline
    def splitting():
        split([1, 2], part="train")
        split([3, 4], part="test")
    ```

    ## Use instead
    ```python
    from zenml import pipeline, step


    @step
    def split(rows: list, part: str) -> list:
        return rows


    @pipeline
    def splitting():
        split([1, 2], part="train", id="split_train")
        split([3, 4], part="test", id="split_test")
    ```

    ## ZenML versions
    From 0.50.0. Before, every unnamed output is called `output`, whatever the invocation id,
    so ids change nothing there.

    ## Fix safety
    The fix adds `id="<step>_<word>"` to each of the repeated calls, with a word from the
    call: the string it passes for a split-like parameter (`split`, `part`, `stage`,
    `dataset`, `name`, `mode`, ...), else a split word in the variable it is assigned to
    or in the names it passes (`train_data`, `X_val`, `test_df` give `train`, `val`,
    `test`). A call with no such word keeps its automatic id. Each new id must be unique
    in the pipeline (and in every pipeline that runs it as a sub-pipeline) and must not be
    an id ZenML gives another call automatically, before or after the fix; calls whose
    words coincide get no id.

    The fix is safe: the pipeline runs the same steps, and only the artifacts' names
    change, from the call order to the new ids, which is the point. It is unsafe when a
    string in the project or a YAML file mentions one of the ids that change (`after=`,
    a run configuration's `steps:`, a lookup by step name), since that reference would
    then miss or point at another call.

    A call in a `for` loop or comprehension gets an unsafe fix,
    `id=f"<step>_{loop_variable}"`: the id is unique only if the loop's values are. A call
    in a `while` loop, a `.map()`, or a helper function or sub-pipeline (which other calls
    share) gets no fix.
    """

    code = "ZL012"
    name = "order-dependent-default-names"
    summary = "Repeated calls with unnamed outputs get names that depend on call order"
    default_enabled = False
    fix = Applicability.SAFE

    def check(self, ctx: RuleContext) -> None:
        if not ctx.target.any(releases.ARTIFACT_VERSIONS):
            return  # every unnamed output is `output` there: the ids name nothing
        ids = IdContext(ctx)
        for analysis in ctx.analyses:
            groups: dict[int, list[Invocation]] = defaultdict(list)
            for invocation in analysis.invocations:
                if invocation.explicit_id is None and any(
                    not o.is_custom for o in invocation.step.outputs
                ):
                    groups[id(invocation.step)].append(invocation)
            for group in groups.values():
                self.check_group(ctx, ids, analysis, group)

    def check_group(
        self, ctx: RuleContext, ids: IdContext, analysis: PipelineAnalysis, group: list[Invocation]
    ) -> None:
        reported: list[Invocation] = []
        involved: dict[int, Invocation] = {}
        for index, invocation in enumerate(group):
            earlier = [o for o in group[:index] if not o.exclusive_with(invocation)]
            if invocation.repeats or earlier:
                reported.append(invocation)
                for other in (*earlier, invocation):
                    involved.setdefault(id(other), other)
        if not reported:
            return
        fixer = _GroupFix(ids, analysis, list(involved.values()))
        for invocation in reported:
            ctx.report(
                invocation.site,
                (
                    f"{msg.step_label(invocation)} is called several times without "
                    "`id=`; its unnamed outputs are named after invocation ids that "
                    "depend on call order: pass a meaningful `id=` to each call"
                ),
                fixer.fix_for(invocation),
            )


class _GroupFix:
    """The fixes for the repeated calls of one step: one safe fix giving every call outside
    loops its own literal id, and an unsafe f-string id per call in a loop."""

    def __init__(self, ids: IdContext, analysis: PipelineAnalysis, calls: list[Invocation]):
        self.ids = ids
        self.analysis = analysis
        self.calls = calls
        self.step = calls[0].step.name
        self._straight: dict[int, str] | None = None
        self._safe: Fix | None = None
        self._loops: dict[int, Fix | None] = {}

    def fix_for(self, invocation: Invocation) -> Fix | None:
        if not self.ids.is_direct(self.analysis, invocation):
            return self.safe()  # the group's fix may still leave this call the only one
        if self._in_loop(invocation):
            if id(invocation.call) not in self._loops:
                self._loops[id(invocation.call)] = self._loop_fix(invocation)
            return self._loops[id(invocation.call)]
        return self.safe()

    def _in_loop(self, invocation: Invocation) -> bool:
        return invocation.repeats or bool(invocation.iteration) or invocation.fanout is not None

    def straight(self) -> dict[int, str]:
        """``id(call)`` -> the id the safe fix gives it."""
        if self._straight is not None:
            return self._straight
        wanted: list[tuple[Invocation, str]] = []
        for invocation in self.calls:
            if self._in_loop(invocation) or not self.ids.is_direct(self.analysis, invocation):
                continue
            token = context_token(self.ids, self.analysis, invocation)
            if token is not None and _valid_id(f"{self.step}_{token}"):
                wanted.append((invocation, f"{self.step}_{token}"))
        chosen: dict[int, str] = {}
        calls = {id(i.call) for i, _ in wanted}
        for invocation, identifier in wanted:
            if any(
                other is not invocation
                and name == identifier
                and not other.exclusive_with(invocation)
                for other, name in wanted
            ):
                continue  # two calls the same word would describe: neither is told apart
            if any(id(a) in calls for a in self.ids.ancestors(self.analysis, invocation.call)):
                continue  # inside another call the fix rewrites
            after = {**chosen, id(invocation.call): identifier}
            if self.ids.acceptable(chosen, after, set(after.values())):
                chosen = after
        self._straight = chosen
        return chosen

    def safe(self) -> Fix | None:
        if self._safe is not None or not self.straight():
            return self._safe
        chosen = self.straight()
        replacements = []
        for invocation in self.calls:
            identifier = chosen.get(id(invocation.call))
            if identifier is not None:
                new = with_keyword(invocation.call, "id", _string(invocation.call, identifier))
                replacements.append(
                    NodeReplacement(invocation.site.module.path, invocation.call, new)
                )
        applicability = Applicability.UNSAFE if self._referenced(chosen) else Applicability.SAFE
        self._safe = Fix(
            applicability, f"Give each call of `{self.step}` its own `id=`", tuple(replacements)
        )
        return self._safe

    def _referenced(self, chosen: dict[int, str]) -> bool:
        """Whether a string in the project names an id the fix changes."""
        changing: set[str] = set()
        for analysis in self.ids.analyses_of(chosen):
            before = _automatic_by_call(assign_ids(analysis))
            after = _automatic_by_call(assign_ids(analysis, chosen))
            for key, names in before.items():
                if after.get(key) != names:
                    changing.update(names)
        return self.ids.referenced(changing)

    def _loop_fix(self, invocation: Invocation) -> Fix | None:
        call = invocation.call
        variables = self.ids.loop_variables(self.analysis, call)
        if variables is None or not _valid_id(self.step):
            return None
        per_run = loop_id(self.step, variables)
        override: IdOverride = per_run
        known = {v for run in self.ids.runs_of(call) if (v := per_run(run)) is not None}
        straight: dict[int, IdOverride] = dict(self.straight())
        for before in ({}, straight):
            if not self.ids.acceptable(before, {**before, id(call): override}, known):
                return None
        escaped = self.step.replace("{", "{{").replace("}", "}}")
        quote = _quote(call)
        text = f"f{quote}{escaped}{''.join(f'_{{{v}}}' for v in variables)}{quote}"
        new = with_keyword(call, "id", cst.parse_expression(text))
        return Fix(
            Applicability.UNSAFE,
            f"Build the `id=` of `{self.step}` from the loop variable",
            (NodeReplacement(invocation.site.module.path, call, new),),
        )


def _automatic_by_call(assignment: IdAssignment) -> dict[tuple[int, int], list[str]]:
    found: dict[tuple[int, int], list[str]] = defaultdict(list)
    for name, invocation in assignment.automatic:
        found[(id(invocation.call), invocation.index)].append(name)
    return dict(found)


def _valid_id(identifier: str) -> bool:
    return re.fullmatch(r"[\w.\-]+", identifier) is not None


def _quote(call: cst.Call) -> str:
    """The quote the call's own strings use."""
    for arg in call.args:
        if isinstance(arg.value, cst.SimpleString) and arg.value.quote in ("'", '"'):
            return arg.value.quote
    return '"'


def _string(call: cst.Call, text: str) -> cst.SimpleString:
    quote = _quote(call)
    return cst.SimpleString(f"{quote}{text}{quote}")


# -- adding keyword arguments to a call, keeping its layout ------------------------------


def with_keyword(call: cst.Call, name: str, value: cst.BaseExpression) -> cst.Call:
    """``call`` with ``name=value`` added after its arguments."""
    return call.with_changes(args=laid_out(call, [*call.args, keyword_arg_like(call, name, value)]))
