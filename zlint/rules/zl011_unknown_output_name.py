from __future__ import annotations

import re
from typing import TYPE_CHECKING

import libcst as cst

from zlint.fastpath.prefilter import ZENML_SYNTAX
from zlint.model import needs, releases
from zlint.model import outputs as out
from zlint.model.constants import const_string
from zlint.model.definitions import StepDef
from zlint.model.fast_visit import fast_visit
from zlint.model.metadata import LOG_METADATA, MetadataCall, metadata_calls
from zlint.model.releases import Fact
from zlint.rules import _messages as msg
from zlint.rules import _module_scan
from zlint.rules.base import Rule

if TYPE_CHECKING:
    from zlint.rules.base import RuleContext

_DEFAULT_KEY = re.compile(r"output(_\d+)?")


class UnknownOutputName(Rule):
    """## What it does
    Finds a step body that names one of its own outputs with a key the step does not have:
    `get_step_context().add_output_metadata(output_name=X)`, `add_output_tags(output_name=X)`
    (and the other output methods) or `log_metadata(..., artifact_name=X,
    infer_artifact=True)`, where `X` is a constant that is not an output key of that step.

    Inside a running step an output is called by its key: its custom name after placeholder
    substitution, or `output` (`output_0`, `output_1`, ... for the members of a tuple) when
    it has none. The full artifact name (`pipeline::step::output`) is not a key, and neither
    is the template of a name with placeholders (`{split}_features`). When an output's name
    is a template, a constant that a substitution could produce (`train_features`) is not
    judged; names computed at run time are not judged either.

    ## Why is this bad?
    ZenML looks the name up among the running step's outputs and raises
    `StepContextError: ... does not have an output with the given name` (the step-context
    methods) or `ValueError: The provided artifact name ... does not exist in the step
    outputs` (`log_metadata`). The error comes when the step runs, after its work is done,
    and fails the pipeline run.

    ## Example
    ```python
    from typing import Annotated

    from zenml import get_step_context, step


    @step
    def featurize(rows: list, split: str) -> Annotated[list, "{split}_features"]:
        get_step_context().add_output_metadata(
            metadata={"rows": len(rows)}, output_name="{split}_features"
        )
        return rows
    ```

    ## Use instead
    ```python
    from typing import Annotated

    from zenml import get_step_context, step


    @step
    def featurize(rows: list, split: str) -> Annotated[list, "{split}_features"]:
        get_step_context().add_output_metadata(
            metadata={"rows": len(rows)}, output_name=f"{split}_features"
        )
        return rows
    ```

    ## ZenML versions
    The step context's methods raise `StepContextError` for an unknown name on every release
    that has them (`add_output_tags` from 0.55.2); `log_metadata(..., infer_artifact=True)`
    raises `ValueError` from 0.71.0 (0.70.0 has no `infer_artifact=`: ZL015's finding).

    ## Fix safety
    No automatic fix: which output was meant is the author's decision.
    """

    code = "ZL011"
    name = "unknown-output-name"
    summary = "A step names one of its outputs with a key it does not have"
    # Metadata calls are checked in steps, which only files with step syntax define.
    hints = (ZENML_SYNTAX,)

    def check(self, ctx: RuleContext) -> None:
        for step in _module_scan.checked_steps(ctx):
            # A step without outputs fails on any output call; ZL009 reports that.
            if out.has_no_outputs(step):
                continue
            local = out.local_names(step)
            for call in metadata_calls(ctx.project, step.module, step.function):
                name = _named_output(call)
                # A name the step binds itself is not the module-level constant it may shadow.
                if name is None or _uses(name, local) or not ctx.target.any(_fact(call)):
                    continue
                text = const_string(ctx.project, step.module, name)
                if text is not None and out.match_output(step, text) is out.KeyMatch.INVALID:
                    message = _message(step, call, text, msg.only_on(ctx.target, _fact(call)))
                    ctx.report((step.module, name), message)


def _fact(call: MetadataCall) -> Fact:
    """Where the call exists (and so raises for an unknown name): ``infer_artifact=`` from
    0.71.0 (0.70.0 raises TypeError instead, ZL015's finding), the step context's methods
    from their first release."""
    if call.api == LOG_METADATA:
        return releases.INFER_ARTIFACT
    return needs.CONTEXT_METHOD_FACTS[call.api]


def _named_output(call: MetadataCall) -> cst.BaseExpression | None:
    """The argument naming one of the running step's outputs, when the call has one."""
    if call.api == LOG_METADATA:
        if out.log_metadata_target(call) is not out.Target.OUTPUT:
            return None
        return call.output_argument()
    if not call.is_context_method or call.has_unpacking or out.omits_output_name(call):
        return None
    return call.output_argument()


def _uses(expr: cst.BaseExpression, names: frozenset[str]) -> bool:
    """Whether ``expr`` reads any of ``names`` (the base of ``a.b``, an f-string part)."""

    class Reads(cst.CSTVisitor):
        found = False

        def visit_Name(self, node: cst.Name) -> None:
            self.found = self.found or node.value in names

        def visit_Attribute(self, node: cst.Attribute) -> bool:
            fast_visit(node.value, self)
            return False

    reads = Reads()
    fast_visit(expr, reads)
    return reads.found


def _message(step: StepDef, call: MetadataCall, text: str, where: str) -> str:
    if call.api == LOG_METADATA:
        what = "`log_metadata(..., infer_artifact=True)`"
        error = "`ValueError: The provided artifact name ... does not exist in the step outputs`"
    else:
        what = f"`{call.api}(...)`"
        error = "`StepContextError: ... does not have an output with the given name`"
    return (
        f"{what} in step `{step.name}` names output `{text}`, which the step does not have "
        f"(its output keys: {out.describe_outputs(step)}), so ZenML raises {error} when it "
        f"runs{where}: {_remedy(step, text)}"
    )


def _remedy(step: StepDef, text: str) -> str:
    if any(o.custom_name == text for o in step.outputs):
        return (
            f"`{text}` is the name template, and inside the step the output is called by its "
            "substituted name: build the name from the substituted value (an f-string over a "
            "step parameter that holds it)"
        )
    last = text.rsplit("::", 1)[-1]
    if "::" in text and out.match_output(step, last) is out.KeyMatch.VALID:
        return f"inside the step the output is called `{last}`, not by its full artifact name"
    if _DEFAULT_KEY.fullmatch(text) and any(o.is_custom for o in step.outputs):
        return "an output with a custom name is called by that name, not by its position"
    return "use one of the output keys"
