"""Walking a pipeline body: which steps it invokes, how often, under which conditions.

What the walk simulates
-----------------------
The walk runs the body of a ``@pipeline`` function symbolically, statement by statement
(:mod:`~zlint.model.walk.statements`). Each expression becomes a
:class:`~zlint.model.invocations.Value` (:mod:`~zlint.model.walk.evaluation`) that records
what is provably equal: the same literal, the same pipeline parameter, the same upstream
output, and over which loops it changes. Each call of a step becomes an
:class:`~zlint.model.invocations.Invocation` with its arguments, ``id=``, ``with_options``
substitutions, cache settings and fan-out (``.map()``, ``.product()``, ``.submit()``);
helper functions and sub-pipelines called from the body are walked in place, so their
steps count once per call and are reported at the outer call
(:mod:`~zlint.model.walk.calls`).

Calls reach steps the ways real projects write them:

- through objects of the project's own classes (:mod:`~zlint.model.walk.objects`):
  ``Encoder(col).build(x)`` runs ``__init__`` and then ``build`` with ``self`` bound, so
  ``self.col`` and ``self.step = clean`` set from constructor arguments are known;
  classmethods get the class, staticmethods nothing, members are looked up in the
  project's base classes too, and a dataclass without ``__init__`` gets its fields;
- through lists, tuples and dicts of step objects, written in the body or as module
  constants: ``STEPS["clean"](x)`` with a key known here, ``for s in [clean, prep]``,
  ``for name, s in STEPS.items()``, ``a, b = clean, prep``;
- through Python's own tools (:mod:`~zlint.model.walk.lazy`): ``functools.partial``
  (its arguments first, the call's keywords win), lambdas, and builtin ``map``, which is
  lazy as in Python: ``map(step, xs)`` runs the step once per item only where the walk
  sees the map iterated (``list``/``tuple``/``set``/``frozenset``/``sorted``, a ``for``
  loop, a comprehension, unpacking); a bare or merely stored map runs nothing, which is
  what ZenML 0.98 does (a pipeline holding only ``map(step, xs)`` "has no steps").

Control flow:

- ``if``: a condition known here walks only the arm that runs; otherwise both arms are
  walked as exclusive branches, and a ``return`` or ``raise`` in one arm makes the rest of
  the block the other arm. Known means a literal, a constant passed into a helper, or a
  module constant (a bool, number, string or None that its module assigns once at the
  top level, reached by name or attribute: ``if not flags.ENABLED: return``), and ``not``,
  ``and``/``or`` (short-circuiting as in Python), comparisons (chained too) and
  arithmetic over those.
- ``try``: the body (with its ``else``) and each ``except`` handler are exclusive arms;
  ``finally`` runs with each. Under ZenML 0.98 a handler's call runs only when the body
  raised, and the body's calls after the raise did not (an import failing before the
  body's step call leaves one version). The body may also raise *after* its call (then
  both calls run); the walk cannot tell where it raises and never reports the pair,
  missing that case rather than inventing a collision. ``except*`` handlers share one
  arm, since several may run.
- ``for`` over values written out here or in a module constant (lists, tuples, dicts,
  ``range``, ``enumerate``, ``zip``, containers of step objects) is unrolled value by
  value, so conditions on the loop variable and per-value ids are exact; any other loop
  (``while`` too) is one symbolic iteration whose values change per iteration.
- ``match`` arms are exclusive branches; ``with`` bodies run.

The cache: each step's own settings are read once per pipeline (its decorator, and
``configure()`` calls that surely run at import, :mod:`~zlint.model.step_configs`), and a
call the cache provably merges with an earlier one returns that call's output, so
downstream calls see one input (:mod:`~zlint.model.walk.cache`; :mod:`~zlint.model.caching`
says when).

Where it gives up
-----------------
A value the walk cannot know (a call of an unknown function, an attribute of an unknown
object, a property, an expression nested deeper than ``MAX_EXPRESSION_DEPTH``) stays
unknown: it is never taken as equal to anything, and a finding that would need it is not
made. What a helper or method returns is unknown. A map handed to code the walk does not
follow (``enumerate(map(...))``, another function) counts as not iterated. Loops over more
than ``MAX_UNROLL`` values, or more than ``MAX_UNROLLED_PER_PIPELINE`` iterations in one
pipeline, are walked symbolically; helpers, methods and lambdas nested deeper than
``MAX_INLINE_DEPTH`` (and recursion) are not followed. The walk never raises for code it
does not understand.
"""

from __future__ import annotations

from zlint.model.definitions import Definitions, PipelineDef
from zlint.model.factories import Factories
from zlint.model.invocations import PipelineAnalysis, Value
from zlint.model.step_configs import StepConfigs, flag_of
from zlint.model.walk.cache import Cache
from zlint.model.walk.calls import Calls
from zlint.model.walk.common import Context, Env, param_names
from zlint.model.walk.evaluation import Evaluation
from zlint.model.walk.lazy import Lazy
from zlint.model.walk.objects import Objects
from zlint.model.walk.statements import Statements


class PipelineWalker(Statements, Evaluation, Calls, Objects, Lazy, Cache):
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
