from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING

from zlint.fixes import options as opts
from zlint.fixes.common import NoFix
from zlint.fixes.factory import factory_fix
from zlint.fixes.metadata import metadata_fix
from zlint.fixes.substitution import Group, substitution_fix
from zlint.model import releases
from zlint.model.definitions import StepDef
from zlint.model.invocations import Invocation, PipelineAnalysis
from zlint.model.releases import Target
from zlint.rules import _collisions
from zlint.rules import _messages as msg
from zlint.rules.base import Rule
from zlint.types import Applicability, Fix

if TYPE_CHECKING:
    from zlint.rules.base import RuleContext


class RepeatedStepArtifactCollision(Rule):
    """## What it does
    Finds a step whose output has a fixed custom name (`Annotated[T, "name"]` or
    `ArtifactConfig(name=...)`) and that one pipeline invokes more than once, with nothing
    that tells the resulting artifact versions apart. Repeated means: called twice, called in
    a `for`/`while` loop or a comprehension, fanned out with `.map()`/`.product()` or the
    builtin `map()`, or reached through a helper function, a method of a helper class, a
    `functools.partial` or a sub-pipeline that the pipeline calls twice.

    The name is read as ZenML reads it: also through a type alias in any module
    (`Features = Annotated[dict, "features"]`, a `TypeAlias`, a tuple alias), a module-level
    `ArtifactConfig` object, a string annotation, or a name built from constants
    (`"_".join([PREFIX, "features"])`). `Optional[Annotated[...]]`, `Annotated[...] | None`
    and a PEP 695 `type` alias give the default name instead: ZenML does not look into them.

    ## Why is this bad?
    ZenML names a custom-named output after the annotation only; the invocation id plays no
    part. Every call therefore writes a new *version* of the same artifact, and nothing in
    the versions says which call (train, validation, test, ...) produced which. Version
    numbers do not follow call order either: ZenML sorts the steps of one layer by
    invocation id as text (`transform_10` runs before `transform_2`), and parallel
    orchestrators run them in any order. Code that later loads "the train version" gets the
    wrong data without any error. A different `id=` per call does not help: it changes the
    step run's name, not the artifact's.

    Calls are told apart (and not reported) when the step writes one of its parameters into
    the output's metadata or tags (`get_step_context().add_output_metadata(...)`,
    `log_metadata(..., infer_artifact=True)`, `add_output_tags(...)`) and the value differs
    between the calls, or when the name is a template such as `"{split}_data"` that each
    call fills differently with `step.with_options(substitutions=...)`. A metadata value is
    judged by its values: the parameter itself and forms that keep it apart (`str(p)`, an
    f-string, `format`, `join`, a container holding it) differ when the calls pass different
    values; a comparison, `and`/`or`/`not` or a conditional expression is worked out per
    call (`{"resampled": split == "train"}` is `False` for both `val` and `test`); a value
    computed from the parameters or from an input artifact (arithmetic, `len()`, any other
    call, an item of it) is not known to differ and tells nothing apart. The message names
    the value that fails. Calls in different arms of an `if`/`else` never run together and
    are not repeats. A call in a `try` body and one in its `except` handler are not
    reported together either: the handler runs only when the body failed, often before
    the body's call. Calls the cache may merge write one version (ZL008's case).

    ## Example
    ```python
    from typing import Annotated

    from zenml import pipeline, step


    @step
    def scale(values: list, factor: float) -> Annotated[list, "scaled_values"]:
        return [v * factor for v in values]


    @pipeline
    def scaling():
        scale([1, 2], factor=2.0)
        scale([3, 4], factor=10.0)
    ```

    ## Use instead
    ```python
    from typing import Annotated

    from zenml import get_step_context, pipeline, step


    @step
    def scale(values: list, factor: float, label: str) -> Annotated[list, "scaled_values"]:
        get_step_context().add_output_metadata(
            output_name="scaled_values", metadata={"label": label}
        )
        return [v * factor for v in values]


    @pipeline
    def scaling():
        scale([1, 2], factor=2.0, label="small")
        scale([3, 4], factor=10.0, label="large")
    ```
    Find a version later with
    `Client().list_artifact_versions(name="scaled_values", run_metadata="label:small")`.

    ## ZenML versions
    As described from 0.50.0 on. Before 0.50.0 (0.43 to 0.47) the calls write one name and
    ZenML gives artifacts no versions at all, so only the runs tell them apart: zlint reports
    them too, and the message says so. Unnamed outputs there are all called `output`; zlint does
    not report that. Placeholders are filled from 0.71.0 on: when every release the project
    admits comes before, a templated name is the fixed string with its braces (`"{split}_data"`),
    and repeated calls collide here (ZL005 and ZL006 stay quiet). Calls that cannot run on any
    release the project admits are not reported: a `.map()` before 0.92.0, a dynamic pipeline
    before 0.91.1, a `with_options(substitutions=...)` before 0.71.0 (ZL015 reports those APIs).
    A fix writes only what every admitted release has: the metadata strategy's
    `add_output_metadata(metadata=..., output_name=...)` needs 0.50.0 (0.45.x takes
    `**metadata`), `metadata-api = "log_metadata"` needs `infer_artifact=` (0.71.0), the
    substitution strategy needs `substitutions=` (0.71.0); the factory strategy works on every
    release. Where the chosen one cannot, the finding names the release that lacks its API, and
    the remedy it suggests leaves out what some admitted release lacks.

    ## Fix safety
    The default fix (strategy `metadata`) is safe. It keeps artifact names, so downstream
    pipelines keep loading them: it adds a parameter `prefix: str = "default"` to the step
    (other callers keep working), writes it into the colliding output's metadata with
    `get_step_context().add_output_metadata(output_name=..., metadata={"custom_prefix": prefix})`
    as the body's first statement, and passes a distinct value at every colliding call. When
    the calls already pass a parameter that differs per call (`split=...`), the step writes
    that one instead, under its own name. The differing parameter also keeps ZenML's cache
    from merging the calls.

    The metadata fix is offered as safe only when zlint can show that it is; each of these
    is checked, and where one does not hold the fix is withdrawn (the finding says why) or
    marked unsafe:
    - the value written is a step *parameter* that ZenML stores as metadata: annotated
      `str`, `int`, `float`, `bool` or a `Literal` of those (not `Optional`: ZenML 0.98
      fails the step on a `None` metadata value), and passed a distinct literal (or a loop
      variable over written-out values) at every colliding call. Otherwise the fix adds its own `prefix: str`
      parameter. An input artifact (another step's output, a DataFrame, a model) is never
      written: its values may not be storable, and are not known to differ. Writing a
      `.map()` item is offered as an unsafe fix for that reason.
    - the step is a function step, or a `BaseStep` subclass whose `entrypoint` is a plain
      method (no decorator, not `async`, no `*args`/`**kwargs`);
    - `get_step_context` (or `log_metadata`) is free in the step's module, or is ZenML's;
    - the body does not sit on the `def` line, the step takes no `**kwargs` where a
      parameter is added, and no colliding call passes `**kwargs` or the parameter already;
    - in a notebook or Markdown page the new import goes after the first import from
      `zenml`, never into a cell that starts with an IPython line (`%pip install ...`), nor
      above one.

    Each call's value keeps the calls' order and is distinct: a short string the call
    already passes, a split word from its argument or target names (`val_rows` -> `"val"`),
    its literal `id=`, a string passed to a call in its arguments
    (`clean(extract("orders"))` -> `"orders"`), or the invocation id ZenML would assign;
    equal values are numbered (`train`, `train_2`). A call in a loop over written-out
    strings or numbers passes the loop variable. No fix is offered, and the finding says why,
    when the calls sit in a helper called more than once, in a `.map()` (unless they already
    pass a differing parameter), in nested or `while` loops, in a loop next to other calls,
    in a loop over values zlint cannot see, or when a call passes `**kwargs`.

    Two other strategies rename the artifacts and are unsafe (applied with
    `--unsafe-fixes`): downstream code that loads the old name must change.

    - `substitution` turns the name into a template (`"{prefix}_transformed_data"`, in the
      `Annotated` string or `ArtifactConfig(name=...)`), fills it per call with
      `step.with_options(substitutions={"prefix": "train"})(..., prefix="train")`, and also
      passes the value as a parameter, because ZenML's cache key leaves substitutions out.
      The decorator gets `@step(substitutions={"prefix": "default"})`, so calls outside the
      colliding group keep working (they write `default_transformed_data`): ZenML fills a
      placeholder from the call's `with_options` first, then from the decorator, then from
      the pipeline. One fix covers the step's colliding calls in every pipeline checked. No
      fix for class-based steps, names spelled by constants, or a body that refers to the
      output by name.
    - `factory` moves the step into a factory in the loadable form ZL004 asks for (unique
      `__name__`, `globals()` binding, called at the top level of the defining module):
      `make_preprocess(prefix)` makes a step writing `{prefix}_transformed_data`, each
      colliding call gets a module-level step of its own (`preprocess_train = make_preprocess("train")`,
      imported where the pipeline needs it), and `preprocess = make_preprocess()` is the
      original step for other callers (zlint then reads the step's names as dynamic). No fix for calls in loops, class-based steps,
      modules with `from __future__ import annotations`, or names already taken.

    ## Options
    ```toml
    [tool.zlint]
    fix-strategy = "metadata"            # or "substitution", "factory"; --strategy overrides it
    metadata-api = "add_output_metadata" # or "log_metadata" (infer_artifact=True, artifact_name=...)
    fix-parameter = "prefix"             # the parameter (and placeholder) the fix adds
    metadata-key = "custom_prefix"       # the metadata key that parameter is written under
    ```
    """

    code = "ZL001"
    fix = Applicability.SAFE
    name = "repeated-step-artifact-collision"
    summary = "Step with a fixed artifact name is invoked repeatedly and the versions cannot be told apart"

    def check(self, ctx: RuleContext) -> None:
        options = ctx.settings.fix_options
        _collisions.report(
            ctx,
            run_scoped=False,
            why=f"nothing tells the versions apart: {msg.remedy(ctx.target)}",
            fixer=_Fixer(ctx, options),
        )


class _Fixer:
    """Builds the fix of the configured strategy for one step's colliding calls.

    The metadata fix edits one pipeline's calls at a time (a later pass of ``zlint fix``
    picks up another pipeline's calls of the same step). The substitution and factory fixes
    rewrite the step's definition in a way a second pass could not extend, so their one fix
    covers the step's colliding calls in every pipeline checked, and every finding of that
    step carries the same fix.
    """

    def __init__(self, ctx: RuleContext, options: opts.FixOptions) -> None:
        self.ctx = ctx
        self.options = options
        self._whole: dict[int, Fix | NoFix] = {}
        self._groups: dict[int, dict[int, tuple[StepDef, list[str], list[Invocation]]]] = {}

    def __call__(
        self, analysis: PipelineAnalysis, step: StepDef, outputs: list[str], group: list[Invocation]
    ) -> Fix | NoFix:
        strategy = self.options.strategy
        unavailable = _unavailable(self.ctx.target, strategy, self.options.metadata_api)
        if unavailable is not None:
            return unavailable
        if strategy == opts.METADATA:
            result = metadata_fix(self.ctx.project, self.options, analysis, step, outputs, group)
        else:
            if id(step) not in self._whole:
                self._whole[id(step)] = self._whole_fix(step)
            result = self._whole[id(step)]
        if not isinstance(result, NoFix):
            return result
        reason = result.reason
        if (
            strategy != opts.METADATA
            and _unavailable(self.ctx.target, opts.METADATA, self.options.metadata_api) is None
            and isinstance(
                metadata_fix(self.ctx.project, self.options, analysis, step, outputs, group), Fix
            )
        ):
            reason += " (the metadata strategy can fix it: `--strategy metadata`)"
        return dataclasses.replace(result, reason=reason, strategy=strategy)

    def _whole_fix(self, step: StepDef) -> Fix | NoFix:
        groups = []
        for analysis in self.ctx.analyses:
            found = self._step_groups(analysis).get(id(step))
            if found is not None and found[1]:
                groups.append(Group(analysis, found[1], found[2]))
        if self.options.strategy == opts.SUBSTITUTION:
            return substitution_fix(self.ctx.definitions, self.options, step, groups)
        return factory_fix(self.ctx, self.options, step, groups)

    def _step_groups(
        self, analysis: PipelineAnalysis
    ) -> dict[int, tuple[StepDef, list[str], list[Invocation]]]:
        if id(analysis) not in self._groups:
            filled = _collisions.placeholders_filled(self.ctx.target)
            collisions = _collisions.find(analysis, run_scoped=False, filled=filled)
            self._groups[id(analysis)] = _collisions.step_groups(collisions)
        return self._groups[id(analysis)]


#: What each strategy (and metadata API) writes, and the fact that says where it exists.
_NEEDS: dict[tuple[str, str], tuple[str, releases.Fact]] = {
    (opts.METADATA, opts.ADD_OUTPUT_METADATA): (
        "`get_step_context().add_output_metadata(metadata=..., output_name=...)`",
        releases.ADD_OUTPUT_METADATA,
    ),
    (opts.METADATA, opts.LOG_METADATA): (
        "`log_metadata(infer_artifact=...)`",
        releases.INFER_ARTIFACT,
    ),
    (opts.SUBSTITUTION, opts.ADD_OUTPUT_METADATA): ("`substitutions=`", releases.SUBSTITUTIONS),
    (opts.SUBSTITUTION, opts.LOG_METADATA): ("`substitutions=`", releases.SUBSTITUTIONS),
}


def _unavailable(target: Target, strategy: str, api: str) -> NoFix | None:
    """Why the strategy cannot fix anything for this target: it writes an API that some
    release the project admits lacks. The factory strategy works on every release."""
    need = _NEEDS.get((strategy, api))
    if need is None or target.all(need[1]):
        return None
    factory = " (the factory strategy works on every release: `--strategy factory`)"
    return NoFix(msg.missing(target, need[1], need[0]) + factory, strategy)
