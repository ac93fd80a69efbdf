from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from zlint.model.definitions import Output, PipelineDef
from zlint.model.invocations import Invocation, PipelineAnalysis
from zlint.rules import _artifacts as art
from zlint.rules.base import Rule

if TYPE_CHECKING:
    from zlint.engine import RuleContext


class MissingNameSubstitution(Rule):
    """## What it does
    Finds a `{placeholder}` in a step's output name (other than `{date}` and `{time}`) that
    no substitution fills when a pipeline calls the step. Substitutions come from
    `with_options(substitutions=...)` on the call, `@step(substitutions=...)`,
    `step.configure(substitutions=...)`, or `@pipeline(substitutions=...)`.

    ## Why is this bad?
    ZenML compiles and starts the pipeline without complaint, then fails the step when it
    stores the output: `KeyError: Could not format the name template {split}_data. Missing
    key: 'split'`. A step parameter of the same name does not fill the placeholder:
    parameters are never used as substitutions.

    zlint stays quiet when the pipeline may be given substitutions where it cannot see
    them: a `.with_options(...)` or `.configure(...)` call on the pipeline anywhere in the
    project, or a YAML run configuration that mentions `substitutions`.

    ## Example
    ```python
    from typing import Annotated

    from zenml import pipeline, step


    @step
    def split_rows(rows: list, part: str) -> Annotated[list, "{part}_rows"]:
        return rows


    @pipeline
    def splitting():
        split_rows([1, 2], part="train")
    ```

    ## Use instead
    ```python
    from typing import Annotated

    from zenml import pipeline, step


    @step
    def split_rows(rows: list, part: str) -> Annotated[list, "{part}_rows"]:
        return rows


    @pipeline
    def splitting():
        split_rows.with_options(substitutions={"part": "train"})([1, 2], part="train")
    ```

    ## Fix safety
    No automatic fix: the right value is the author's choice.
    """

    code = "ZL005"
    name = "missing-name-substitution"
    summary = "Placeholder in an artifact name has no substitution"

    def check(self, ctx: RuleContext) -> None:
        reported: set[tuple[int, str]] = set()
        elsewhere = _ElsewhereConfiguration(ctx)
        for analysis in ctx.analyses:
            for invocation, output, key in _missing(analysis):
                if (id(output.node), key) in reported or elsewhere.may_configure(analysis.pipeline):
                    continue
                reported.add((id(output.node), key))
                node = output.name_node or output.node
                assert node is not None
                message = self._message(analysis, invocation, output, key, ctx)
                ctx.report((invocation.step.module, node), message)

    def _message(
        self,
        analysis: PipelineAnalysis,
        invocation: Invocation,
        output: Output,
        key: str,
        ctx: RuleContext,
    ) -> str:
        where = f"pipeline `{analysis.pipeline.name}` calls step `{invocation.step.name}`"
        line = ctx.line(invocation.site)
        text = (
            f"Placeholder `{{{key}}}` in artifact name `{output.custom_name}` has no value when "
            f"{where} (line {line}): the step fails with KeyError when it stores the output; "
            f'pass `with_options(substitutions={{"{key}": ...}})` on the call, or set it on '
            "`@step` or `@pipeline`"
        )
        if invocation.step.param(key) is not None:
            text += f" (the step parameter `{key}` does not fill it)"
        return text


def _missing(analysis: PipelineAnalysis) -> Iterator[tuple[Invocation, Output, str]]:
    for invocation in analysis.invocations:
        for output in invocation.step.outputs:
            for key in art.missing_placeholders(analysis, invocation, output):
                yield invocation, output, key


class _ElsewhereConfiguration:
    """Whether a pipeline may get substitutions zlint cannot see: ``.with_options()`` or
    ``.configure()`` on it anywhere in the project, or a YAML run configuration. Computed
    only when a finding is about to be reported, then remembered for this run."""

    def __init__(self, ctx: RuleContext) -> None:
        self._ctx = ctx
        self._yaml: bool | None = None
        self._pipelines: dict[str, bool] = {}

    def may_configure(self, pipeline: PipelineDef) -> bool:
        if self._yaml is None:
            self._yaml = _yaml_mentions_substitutions(self._ctx.project.root)
        name = pipeline.function.name.value
        if name not in self._pipelines:
            self._pipelines[name] = _pipeline_reconfigured(self._ctx.project.files, name)
        return self._yaml or self._pipelines[name]


def _pipeline_reconfigured(files: Iterable[Path], name: str) -> bool:
    pattern = re.compile(rf"\b{re.escape(name)}\s*\.\s*(?:with_options|configure)\s*\(")
    for path in files:
        try:
            text = path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            continue
        if pattern.search(text):
            return True
    return False


def _yaml_mentions_substitutions(root: Path) -> bool:
    from zlint.config import DEFAULT_EXCLUDE  # here: zlint.config imports the rules

    for folder, dirs, names in os.walk(root):
        dirs[:] = [d for d in dirs if d not in DEFAULT_EXCLUDE and not d.startswith(".")]
        for name in names:
            if not name.endswith((".yaml", ".yml")):
                continue
            try:
                text = (Path(folder) / name).read_text(encoding="utf-8", errors="replace")
            except OSError:
                continue
            if "substitutions" in text:
                return True
    return False
