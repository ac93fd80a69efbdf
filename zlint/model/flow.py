"""Walking a pipeline body: which steps it invokes, how often, under which conditions.

What the walk simulates
-----------------------
The walk runs the body of a ``@pipeline`` function symbolically, statement by statement
(:mod:`~zlint.model.walk.statements`). Each expression becomes a
:class:`~zlint.model.invocations.Value` (:mod:`~zlint.model.walk.evaluation`) that records
what is provably equal: the same literal, the same pipeline parameter, the same upstream
output, and over which loops it changes. Each call of a step becomes an
:class:`~zlint.model.invocations.Invocation` with its arguments, ``id=``, ``with_options``
substitutions, cache setting and fan-out (``.map()``, ``.product()``, ``.submit()``); helper
functions and sub-pipelines called from the body are walked in place, so their steps count
once per call and are reported at the outer call (:mod:`~zlint.model.walk.calls`).

- ``if``: a condition known here (a literal, a constant passed into a helper) walks only
  the arm that runs; otherwise both arms are walked as exclusive branches, and a ``return``
  or ``raise`` in one arm makes the rest of the block the other arm.
- ``for`` over values written out here or in a module constant (lists, tuples, dicts,
  ``range``, ``enumerate``, ``zip``) is unrolled value by value, so conditions on the loop
  variable and per-value ids are exact; any other loop (``while`` too) is one symbolic
  iteration whose values change per iteration.
- ``match`` arms are exclusive branches; ``with`` bodies run; every block of a ``try`` is
  walked.
- A call whose step, inputs and parameters equal an earlier call's is marked as served
  from the cache when caching is on (ZenML's default).

Where it gives up
-----------------
A value the walk cannot know (a call of an unknown function, an attribute of an unknown
object, an expression nested deeper than ``MAX_EXPRESSION_DEPTH``) stays unknown: it is
never taken as equal to anything, and a finding that would need it is not made. Loops over
more than ``MAX_UNROLL`` values, or more than ``MAX_UNROLLED_PER_PIPELINE`` iterations in
one pipeline, are walked symbolically; helpers nested deeper than ``MAX_INLINE_DEPTH`` (and
recursion) are not followed. The walk never raises for code it does not understand.
"""

from __future__ import annotations

from zlint.model.definitions import Definitions, PipelineDef
from zlint.model.factories import Factories
from zlint.model.invocations import PipelineAnalysis, Value
from zlint.model.step_configs import StepConfigs, flag_of
from zlint.model.walk.calls import Calls
from zlint.model.walk.common import Context, Env, param_names
from zlint.model.walk.evaluation import Evaluation
from zlint.model.walk.lazy import Lazy
from zlint.model.walk.objects import Objects
from zlint.model.walk.statements import Statements


class PipelineWalker(Statements, Evaluation, Calls, Objects, Lazy):
    """Walks one pipeline body (see the module docstring); use a new walker per pipeline."""

    def __init__(
        self,
        definitions: Definitions,
        factories: Factories | None = None,
        configs: StepConfigs | None = None,
    ) -> None:
        super().__init__(definitions, factories, configs)

    def analyze(self, pipeline: PipelineDef) -> PipelineAnalysis:
        self.analysis = PipelineAnalysis(
            pipeline, self.invocations, self.configured, factory_calls=self.factory_calls
        )
        enable_cache = pipeline.options.get("enable_cache")
        self.analysis.pipeline_cache = flag_of(self.project, pipeline.module, enable_cache)
        ctx = Context(pipeline.module, stack=(id(pipeline.function),))
        env: Env = {p: Value(("param", p)) for p in param_names(pipeline.function)}
        self._walk_function(pipeline.function, ctx, env)
        return self.analysis
