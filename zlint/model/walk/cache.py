"""The cache in the walk: each step's own cache settings, read once per pipeline, and
the calls the cache provably merges, whose outputs are then one artifact for the steps
downstream (:mod:`zlint.model.caching` says when)."""

from __future__ import annotations

from collections.abc import Sequence

import libcst as cst

from zlint.model import caching
from zlint.model.definitions import StepDef
from zlint.model.invocations import Invocation, StepCaching, StepObject
from zlint.model.modules import ModuleInfo
from zlint.model.step_configs import Configured, step_caching
from zlint.model.symbols import FunctionSym
from zlint.model.walk.base import WalkerBase
from zlint.model.walk.common import is_dotted


class Cache(WalkerBase):
    def _served_from_cache(self, invocation: Invocation) -> Invocation | None:
        """The earlier call whose cache entry provably serves this one (or is served from
        this one's: either way both return one artifact), if any."""
        if invocation.loops or invocation.concurrent:
            return None
        analysis = self.analysis
        key = caching.grouping_key(invocation, analysis)
        if key is None:  # values that cannot be grouped: compare with every call
            earlier: Sequence[Invocation] = self.invocations[: invocation.index]
        else:  # only the calls of this step that may share a key: linear, not quadratic
            earlier = self._cacheable.setdefault((id(invocation.step), key), [])
        merged = next(
            (
                other
                for other in earlier
                if other.step is invocation.step
                and not other.loops
                and not other.exclusive_with(invocation)
                and caching.merged(other, invocation, analysis) is True
            ),
            None,
        )
        if key is not None:
            self._cacheable[(id(invocation.step), key)].append(invocation)
        return merged

    def step_caching(self, step: StepDef) -> StepCaching:
        """The step's own cache settings for this pipeline, read once."""
        found = self.analysis.step_caching.get(id(step))
        if found is None:
            configures = self.configs.of(step, self._configured_step)
            imported = frozenset({step.module.path})
            if any(c.module.path not in imported for c in configures):
                imported |= self.configs.imported_by(self.analysis.pipeline.module)
            found = step_caching(self.project, step, configures, imported)
            self.analysis.step_caching[id(step)] = found
        return found

    def _configured_step(self, module: ModuleInfo, expr: cst.BaseExpression) -> Configured | None:
        """The step a ``configure`` call's receiver names: exactly, when it is the step
        itself; not exactly, when it is a copy or one of several objects of the step."""
        sym = self.project.resolve_expr(module, expr) if is_dotted(expr) else None
        found = self.symbol_callee(sym)
        if not isinstance(found, StepObject):
            return None
        return Configured(found.step, exact=isinstance(sym, FunctionSym))
