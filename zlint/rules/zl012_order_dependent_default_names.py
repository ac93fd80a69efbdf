from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING

from zlint.model.invocations import Invocation
from zlint.rules import _messages as msg
from zlint.rules.base import Rule

if TYPE_CHECKING:
    from zlint.engine import RuleContext


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

    ## Fix safety
    No automatic fix yet.
    """

    code = "ZL012"
    name = "order-dependent-default-names"
    summary = "Repeated calls with unnamed outputs get names that depend on call order"
    default_enabled = False

    def check(self, ctx: RuleContext) -> None:
        for analysis in ctx.analyses:
            groups: dict[int, list[Invocation]] = defaultdict(list)
            for invocation in analysis.invocations:
                if invocation.explicit_id is None and any(
                    not o.is_custom for o in invocation.step.outputs
                ):
                    groups[id(invocation.step)].append(invocation)
            for group in groups.values():
                for index, invocation in enumerate(group):
                    earlier = [o for o in group[:index] if not o.exclusive_with(invocation)]
                    if invocation.repeats or earlier:
                        ctx.report(
                            invocation.site,
                            (
                                f"{msg.step_label(invocation)} is called several times without "
                                "`id=`; its unnamed outputs are named after invocation ids that "
                                "depend on call order: pass a meaningful `id=` to each call"
                            ),
                        )
