from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

import libcst as cst

from zlint.fixes.invocation_ids import IdContext, context_token, loop_id
from zlint.model import cst_utils
from zlint.model.invocation_ids import Clash, assign_ids
from zlint.model.invocations import Invocation, PipelineAnalysis
from zlint.rules.base import Rule
from zlint.types import Applicability, Fix, NodeReplacement

if TYPE_CHECKING:
    from zlint.rules.base import RuleContext


class DuplicateInvocationId(Rule):
    """## What it does
    Finds step calls in one pipeline whose invocation ids clash: two calls with the same
    literal `id=`, an explicit `id=` equal to an id ZenML already gave an earlier call
    automatically (the step name, then `name_2`, `name_3`, ...), or a fixed `id=` on a call
    that runs several times in a loop.

    ## Why is this bad?
    ZenML suffixes automatic ids to keep them unique but never changes an explicit one, so a
    clash raises `RuntimeError: Duplicate invocation ID` while the pipeline compiles, before
    any step runs.

    ## Example
    ```python
    from zenml import pipeline, step


    @step
    def fetch(source: str) -> dict:
        return {"source": source}


    @pipeline
    def ingestion():
        fetch("shop", id="fetch_source")
        fetch("crm", id="fetch_source")
    ```

    ## Use instead
    ```python
    from zenml import pipeline, step


    @step
    def fetch(source: str) -> dict:
        return {"source": source}


    @pipeline
    def ingestion():
        fetch("shop", id="fetch_source")
        fetch("crm", id="fetch_source_crm")
    ```

    ## ZenML versions
    Every release from 0.43.0 raises `RuntimeError` when the pipeline compiles; the text is
    `Duplicate step ID` up to 0.94.3 and `Duplicate invocation ID` from 0.94.4.

    ## Fix safety
    The fix renames the later id of a clash: it appends a suffix taken from the call, a
    string it passes for a split-like parameter (`split`, `part`, `stage`, `dataset`,
    `name`, `source`, ...), or a split word in the variable it is assigned to or in the
    names it passes (`X_val` gives `val`); else `_2`, `_3`, ... (`consume_2` becomes
    `consume_3`). A fixed id on a call in a `for` loop or comprehension becomes an f-string
    over the loop variables (`id=f"fetch_source_{source}"`). The new id must clash with no
    other id and be no id ZenML gives a call automatically.

    The fix is unsafe: the id may be referenced elsewhere, by `after="..."`, a run
    configuration file or code that looks the step run up by name, and an f-string over a
    loop variable is unique only when the values are. No fix is offered when the id is not
    a string literal written in the call, when the call sits in a helper function or
    sub-pipeline (other calls share that code), or in a `while` loop or `.map()`.
    """

    code = "ZL003"
    name = "duplicate-invocation-id"
    summary = "Two step calls in one pipeline get the same invocation id"
    fix = Applicability.UNSAFE

    def check(self, ctx: RuleContext) -> None:
        ids = IdContext(ctx)
        for analysis in ctx.analyses:
            for invocation, message, fix in self.findings(analysis, ctx, ids):
                ctx.report(invocation.site, message, fix)

    def findings(
        self, analysis: PipelineAnalysis, ctx: RuleContext, ids: IdContext | None = None
    ) -> list[tuple[Invocation, str, Fix | None]]:
        ids = ids or IdContext(ctx)
        found: list[tuple[Invocation, str, Fix | None]] = []
        fixes: dict[int, Fix | None] = {}
        for clash in assign_ids(analysis).clashes:
            invocation = clash.invocation
            if id(invocation.call) not in fixes:
                fixes[id(invocation.call)] = _fix(ids, analysis, clash)
            fix = fixes[id(invocation.call)]
            if clash.earlier is None:
                found.append((invocation, _fixed_in_loop(clash.identifier), fix))
                continue
            how = "automatically" if clash.earlier.explicit_id is None else "explicitly"
            message = (
                f"Invocation id `{clash.identifier}` is already used by the call at line "
                f"{ctx.line(clash.earlier.site)} (given {how}); ZenML raises `RuntimeError: "
                "Duplicate invocation ID` when the pipeline compiles"
            )
            found.append((invocation, message, fix))
        return found


def _fixed_in_loop(identifier: str) -> str:
    return (
        f"Invocation id `{identifier}` is fixed, but this call runs several times; the second "
        "run raises `RuntimeError: Duplicate invocation ID`: build the id from the loop variable"
    )


_MAX_NUMBER = 20


def _fix(ids: IdContext, analysis: PipelineAnalysis, clash: Clash) -> Fix | None:
    invocation = clash.invocation
    call = invocation.call
    arg = cst_utils.keyword(call, "id")
    if arg is None or not ids.is_direct(analysis, invocation):
        return None  # the id is shared with other calls of a helper, or not in the call
    old = arg.value
    if not isinstance(old, cst.SimpleString) or old.evaluated_value != clash.identifier:
        return None  # a constant or a variable: renaming it is the user's choice
    module = invocation.site.module
    runs = [i for i in analysis.invocations if i.call is call]
    if clash.earlier is None or invocation.repeats or len(runs) > 1:
        new = _loop_fix(ids, analysis, call, old)
    else:
        new = _renamed(ids, analysis, invocation, old)
    if new is None:
        return None
    code = cst.Module([]).code_for_node(new)
    return Fix(
        Applicability.UNSAFE,
        f"Rename the invocation id to {code}",
        (NodeReplacement(module.path, old, new),),
    )


def _renamed(
    ids: IdContext, analysis: PipelineAnalysis, invocation: Invocation, old: cst.SimpleString
) -> cst.SimpleString | None:
    before = ids.planned
    for raw in _candidates(ids, analysis, invocation, old):
        new = old.with_changes(value=raw)
        identifier = new.evaluated_value
        assert isinstance(identifier, str)
        after = {**before, id(invocation.call): identifier}
        if ids.acceptable(before, after, {identifier}):
            ids.planned = after
            return new
    return None


def _candidates(
    ids: IdContext, analysis: PipelineAnalysis, invocation: Invocation, old: cst.SimpleString
) -> Iterator[str]:
    """New source texts of the id string: with a suffix from the call, else numbered."""
    quote = old.quote
    body = old.value[: -len(quote)]
    identifier = str(old.evaluated_value)
    token = context_token(ids, analysis, invocation)
    if token is not None and not identifier.endswith(f"_{token}") and identifier != token:
        yield f"{body}_{token}{quote}"
    numbered = re.fullmatch(r"(.*_)(\d+)", body, flags=re.S)
    if numbered is not None and numbered.group(2) == identifier.rsplit("_", 1)[-1]:
        start = int(numbered.group(2)) + 1
        yield from (f"{numbered.group(1)}{n}{quote}" for n in range(start, start + _MAX_NUMBER))
    else:
        yield from (f"{body}_{n}{quote}" for n in range(2, 2 + _MAX_NUMBER))


def _loop_fix(
    ids: IdContext, analysis: PipelineAnalysis, call: cst.Call, old: cst.SimpleString
) -> cst.BaseExpression | None:
    """``id="x"`` in a loop -> ``id=f"x_{var}"``."""
    variables = ids.loop_variables(analysis, call)
    prefix = old.prefix.lower()
    if variables is None or "b" in prefix:
        return None
    inner = old.raw_value.replace("{", "{{").replace("}", "}}")
    fields = "".join(f"_{{{v}}}" for v in variables)
    text = f"{'r' if 'r' in prefix else ''}f{old.quote}{inner}{fields}{old.quote}"
    override = loop_id(str(old.evaluated_value), variables)
    before = ids.planned
    after = {**before, id(call): override}
    known = {v for run in ids.runs_of(call) if (v := override(run)) is not None}
    if not ids.acceptable(before, after, known):
        return None
    ids.planned = after
    new = cst.parse_expression(text)
    return new.with_changes(lpar=old.lpar, rpar=old.rpar)
