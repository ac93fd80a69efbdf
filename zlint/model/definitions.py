"""Steps and pipelines as ZenML sees them: names, parameters, outputs, decorator options."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field

import libcst as cst

from zlint.model import cst_utils, flows, zenml_api
from zlint.model.constants import const_string
from zlint.model.flows import Flow
from zlint.model.metadata import metadata_params
from zlint.model.modules import ModuleInfo
from zlint.model.output_names import Output, read_outputs
from zlint.model.project import Project
from zlint.model.releases import Target, default_target
from zlint.model.symbols import ClassSym, qualname_of
from zlint.model.wrappers import StepMaker, StepMakers


@dataclass(frozen=True)
class Param:
    name: str
    default: cst.BaseExpression | None
    annotation: cst.BaseExpression | None = None


@dataclass(eq=False)
class StepDef:
    module: ModuleInfo
    function: cst.FunctionDef
    name: str  # the base of invocation ids: @step(name=...), the function or the class name
    qualname: str
    params: tuple[Param, ...]
    outputs: tuple[Output, ...]
    options: dict[str, cst.BaseExpression] = field(default_factory=dict)
    class_node: cst.ClassDef | None = None
    #: The user decorator (qualified name) whose inner wrapper ZenML calls instead of
    #: ``function``; with ``functools.wraps`` the step is still ``function`` in every way
    #: ZenML looks at, without it ``function`` is that wrapper (see :mod:`zlint.model.wrappers`).
    wrapped_by: str | None = None
    #: Computes ``metadata``: on first use, since following a step's helpers can mean
    #: parsing the modules that define them, and most steps are never asked.
    metadata_source: Callable[[], dict[str | None, frozenset[Flow]]] | None = field(
        default=None, repr=False
    )
    _metadata: dict[str | None, frozenset[Flow]] | None = field(default=None, repr=False)

    @property
    def metadata(self) -> dict[str | None, frozenset[Flow]]:
        """Output key (None: the step's only output) -> how parameters reach the values
        written into its metadata or tags."""
        if self._metadata is None:
            self._metadata = self.metadata_source() if self.metadata_source is not None else {}
        return self._metadata

    def metadata_flows(self, output: Output) -> frozenset[Flow]:
        """How parameters reach ``output``'s metadata or tags (see :mod:`zlint.model.flows`)."""
        found = self.metadata.get(output.key, frozenset()) | self.metadata.get("*", frozenset())
        if len(self.outputs) == 1:
            found |= self.metadata.get(None, frozenset())
        return found

    def identity_params(self, output: Output) -> frozenset[str]:
        """The parameters (and :data:`~zlint.model.flows.INVOCATION`) whose own value
        reaches ``output``'s metadata, so that calls passing different values differ."""
        return frozenset(
            f.params[0] for f in self.metadata_flows(output) if f.kind == flows.IDENTITY
        )

    def param(self, name: str) -> Param | None:
        return next((p for p in self.params if p.name == name), None)


@dataclass(eq=False)
class PipelineDef:
    module: ModuleInfo
    function: cst.FunctionDef
    name: str
    qualname: str
    options: dict[str, cst.BaseExpression] = field(default_factory=dict)

    @property
    def is_dynamic(self) -> bool:
        value = self.options.get("dynamic")
        return isinstance(value, cst.Name) and value.value == "True"


class Definitions:
    """Finds and caches step and pipeline definitions, matching ZenML by qualified name.

    The names are those of the target's releases: for a project pinned before 0.68.0,
    ``zenml.steps.step`` is the legacy class-based decorator, whose steps zlint does not
    model (they are not steps here), and ``ArtifactConfig`` names outputs only from 0.50.0.
    """

    def __init__(
        self,
        project: Project,
        step_decorators: frozenset[str] = frozenset(),
        pipeline_decorators: frozenset[str] = frozenset(),
        target: Target | None = None,
    ) -> None:
        self.project = project
        target = target if target is not None else default_target()
        self.step_decorators = zenml_api.step_decorators_on(target) | self._aliases(step_decorators)
        self.pipeline_decorators = zenml_api.pipeline_decorators_on(target) | self._aliases(
            pipeline_decorators
        )
        self.artifact_config = zenml_api.artifact_config_on(target)
        self._steps: dict[tuple[int, int], StepDef | None] = {}
        self._base_steps: dict[int, bool] = {}
        self.makers = StepMakers(project, self.step_decorators)

    # -- decorators ----------------------------------------------------------------------

    def _aliases(self, configured: frozenset[str]) -> frozenset[str]:
        """Configured decorator paths plus, for project code, where each one is defined:
        users name the public path (``mylib.tracked_step``), resolution ends at the def."""
        names = set(configured)
        for dotted in configured:
            defined = qualname_of(self.project.resolve_dotted(dotted))
            if defined is not None:
                names.add(defined)
        return frozenset(names)

    def decorator_kind(
        self, module: ModuleInfo, decorator: cst.BaseExpression
    ) -> tuple[str, dict[str, cst.BaseExpression]] | None:
        """("step" | "pipeline", keyword options) when ``decorator`` is ZenML's own (or a
        configured one): what a fix may rewrite. :meth:`step_maker` also knows the user
        decorators that wrap ``step``."""
        options: dict[str, cst.BaseExpression] = {}
        target = decorator
        if isinstance(decorator, cst.Call):
            target = decorator.func
            options = {a.keyword.value: a.value for a in decorator.args if a.keyword is not None}
        qualname = qualname_of(self.project.resolve_expr(module, target))
        if qualname in self.step_decorators:
            return "step", options
        if qualname in self.pipeline_decorators:
            return "pipeline", options
        return None

    def step_maker(self, module: ModuleInfo, decorator: cst.BaseExpression) -> StepMaker | None:
        """How ``decorator`` (written in ``module``) makes a step of what it decorates:
        ZenML's ``step``, a configured decorator, or a user decorator that wraps ``step``."""
        return self.makers.of(module, decorator)

    def _decorated_maker(self, module: ModuleInfo, node: cst.FunctionDef) -> StepMaker | None:
        for decorator in node.decorators:
            kind = self.decorator_kind(module, decorator.decorator)
            if kind is not None and kind[0] == "pipeline":
                return None
            maker = self.step_maker(module, decorator.decorator)
            if maker is not None:
                return maker
        return None

    def _function_kind(
        self, module: ModuleInfo, node: cst.FunctionDef
    ) -> tuple[str, dict[str, cst.BaseExpression]] | None:
        for decorator in node.decorators:
            kind = self.decorator_kind(module, decorator.decorator)
            if kind is not None:
                return kind
        return None

    # -- steps ---------------------------------------------------------------------------

    def step_from_function(
        self,
        module: ModuleInfo,
        node: cst.FunctionDef,
        qualname: str,
        wrapper: tuple[ModuleInfo, cst.Call] | None = None,
    ) -> StepDef | None:
        """The step a decorated function defines, or the one ``wrapper`` (``step(fn)`` or
        ``step(name=...)(fn)`` written as a call) makes of it."""
        key = (id(node), id(wrapper[1]) if wrapper is not None else 0)
        if key not in self._steps:
            self._steps[key] = self._step_for(module, node, qualname, wrapper)
        return self._steps[key]

    def _step_for(
        self,
        module: ModuleInfo,
        node: cst.FunctionDef,
        qualname: str,
        wrapper: tuple[ModuleInfo, cst.Call] | None,
    ) -> StepDef | None:
        if wrapper is not None:
            maker = self.step_maker(wrapper[0], wrapper[1].func)
        else:
            maker = self._decorated_maker(module, node)
        if maker is None:
            return None
        entry = maker.entrypoint
        if entry is not None:  # a wrapper without `functools.wraps`: the step is made of it
            module, node = entry.module, entry.node
        step = self._build_step(module, node, qualname, maker.options, None)
        step.wrapped_by = maker.wrapped_by
        return step

    def step_from_class(self, cls: ClassSym) -> StepDef | None:
        key = (id(cls.node), 0)
        if key not in self._steps:
            self._steps[key] = None
            try:
                entrypoint = _method(cls.node, "entrypoint")
                if entrypoint is not None and self.is_base_step_subclass(cls):
                    self._steps[key] = self._build_step(
                        cls.module, entrypoint, cls.qualname, {}, cls.node
                    )
            except BaseException:  # interrupted (the engine's time guard): remember nothing
                del self._steps[key]
                raise
        return self._steps[key]

    def is_base_step_subclass(self, cls: ClassSym, depth: int = 0) -> bool:
        key = id(cls.node)
        if key in self._base_steps:
            return self._base_steps[key]
        self._base_steps[key] = False  # guards against cyclic bases
        result = False
        try:
            for base in cls.node.bases:
                sym = self.project.resolve_expr(cls.module, base.value)
                if qualname_of(sym) in zenml_api.BASE_STEP or (
                    isinstance(sym, ClassSym)
                    and depth < 20
                    and self.is_base_step_subclass(sym, depth + 1)
                ):
                    result = True
                    break
        except BaseException:  # interrupted (the engine's time guard): remember nothing
            del self._base_steps[key]
            raise
        self._base_steps[key] = result
        return result

    def _build_step(
        self,
        module: ModuleInfo,
        node: cst.FunctionDef,
        qualname: str,
        options: dict[str, cst.BaseExpression],
        class_node: cst.ClassDef | None,
    ) -> StepDef:
        name_option = options.get("name")
        explicit_name = const_string(self.project, module, name_option) if name_option else None
        default_name = class_node.name.value if class_node is not None else node.name.value
        params = _params(node, skip_self=class_node is not None)
        outputs = tuple(read_outputs(self.project, module, node, self.artifact_config))
        return StepDef(
            module=module,
            function=node,
            name=explicit_name or default_name,
            qualname=qualname,
            params=params,
            outputs=outputs,
            options=options,
            class_node=class_node,
            metadata_source=functools.partial(
                metadata_params, self.project, module, node, {p.name for p in params}
            ),
        )

    # -- pipelines -----------------------------------------------------------------------

    def pipeline_from_function(
        self, module: ModuleInfo, node: cst.FunctionDef, qualname: str
    ) -> PipelineDef | None:
        kind = self._function_kind(module, node)
        if kind is None or kind[0] != "pipeline":
            return None
        name_option = kind[1].get("name")
        explicit = const_string(self.project, module, name_option) if name_option else None
        return PipelineDef(module, node, explicit or node.name.value, qualname, kind[1])

    def pipelines_in(self, module: ModuleInfo) -> list[PipelineDef]:
        """Every pipeline defined in ``module``, nested definitions included."""
        found = (self.pipeline_from_function(module, n, q) for n, q in self.functions_in(module))
        return [pipeline for pipeline in found if pipeline is not None]

    def steps_in(self, module: ModuleInfo) -> list[StepDef]:
        """Every function step defined in ``module`` (class-based steps via their class); a
        function whose decorator makes the step of a wrapper of its own is none."""
        found = ((n, self.step_from_function(module, n, q)) for n, q in self.functions_in(module))
        return [step for n, step in found if step is not None and step.function is n]

    def functions_in(self, module: ModuleInfo) -> list[tuple[cst.FunctionDef, str]]:
        """Every function defined in ``module`` with its dotted path, nested ones included."""
        return [] if module.tree is None else list(_function_defs(module.tree, module.qualname))


def _function_defs(tree: cst.Module, prefix: str) -> Iterator[tuple[cst.FunctionDef, str]]:
    """Every function defined in ``tree`` with its dotted path. Definitions are statements,
    so only statement bodies are walked, never expressions: this runs on every file."""
    stack: list[tuple[Sequence[cst.CSTNode], tuple[str, ...]]] = [
        (tree.body, (prefix,) if prefix else ())
    ]
    while stack:
        statements, path = stack.pop()
        for stmt in statements:
            if isinstance(stmt, cst.FunctionDef):
                inner = (*path, stmt.name.value)
                yield stmt, ".".join(inner)
                stack.append((_suite(stmt.body), inner))
            elif isinstance(stmt, cst.ClassDef):
                stack.append((_suite(stmt.body), (*path, stmt.name.value)))
            else:
                stack.extend((block, path) for block in cst_utils.child_blocks(stmt))


def _suite(suite: cst.BaseSuite) -> Sequence[cst.CSTNode]:
    return suite.body if isinstance(suite, cst.IndentedBlock) else ()


def _params(node: cst.FunctionDef, skip_self: bool) -> tuple[Param, ...]:
    params = [*node.params.posonly_params, *node.params.params, *node.params.kwonly_params]
    if skip_self and params:
        params = params[1:]
    return tuple(
        Param(p.name.value, p.default, p.annotation.annotation if p.annotation else None)
        for p in params
    )


def _method(cls: cst.ClassDef, name: str) -> cst.FunctionDef | None:
    for stmt in cls.body.body:
        if isinstance(stmt, cst.FunctionDef) and stmt.name.value == name:
            return stmt
    return None
