"""ZenML metadata calls inside a step body, and which step parameters reach an output's metadata.

:func:`metadata_calls` finds the calls a step body makes to ``zenml.log_metadata``, the
deprecated ``log_artifact_metadata`` and the step context's output methods
(``get_step_context().add_output_metadata(...)``, ``add_output_tags(...)``, ...). ZenML is
matched by qualified name, including imports made inside the body and context objects kept in
a local variable (``ctx = get_step_context()``). Calls in nested functions and lambdas are left
out: they run at another time, if at all.

A repeated call is told apart from its siblings only when a per-call value lands on the
artifact itself: ``add_output_metadata(...)``, ``add_output_tags(...)``,
``log_metadata(..., infer_artifact=True)``, ``log_artifact_metadata(...)`` or
``add_tags(..., infer_artifact=True)``. :func:`metadata_params` says which parameters do,
following the values through local names, containers filled piece by piece and calls to the
project's own helper functions. A bare ``log_metadata(metadata=...)`` lands on the step run
and does not count.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import libcst as cst

from zlint.model import cst_utils, flows, zenml_api
from zlint.model.constants import const_string
from zlint.model.fast_visit import fast_visit
from zlint.model.flows import Flow
from zlint.model.modules import ModuleInfo
from zlint.model.project import Project
from zlint.model.symbols import FunctionSym, Symbol, qualname_of

#: The key used when a call names its output with a value we cannot evaluate.
ANY_OUTPUT = "*"

LOG_METADATA = "log_metadata"
LOG_ARTIFACT_METADATA = "log_artifact_metadata"
ADD_TAGS = "add_tags"
#: ``StepContext`` methods that pick one output of the running step (``_get_output``), with
#: the position of their ``output_name`` parameter and of the value they write, if any.
CONTEXT_OUTPUT_METHODS: dict[str, tuple[int, tuple[str, int] | None]] = {
    "add_output_metadata": (1, ("metadata", 0)),
    "add_output_tags": (1, ("tags", 0)),
    "remove_output_tags": (1, ("tags", 0)),
    "get_output_metadata": (0, None),
    "get_output_tags": (0, None),
}


@dataclass(frozen=True)
class MetadataCall:
    """One ZenML metadata call in a step body. ``api`` is ``log_metadata``,
    ``log_artifact_metadata`` or the name of a step-context method."""

    node: cst.Call
    api: str  # also ``add_tags`` (``zenml.add_tags``)

    @property
    def is_context_method(self) -> bool:
        return self.api in CONTEXT_OUTPUT_METHODS

    @property
    def has_unpacking(self) -> bool:
        """``*args`` or ``**kwargs``: the call's arguments cannot be known."""
        return any(arg.star for arg in self.node.args)

    def argument(self, name: str, position: int | None = None) -> cst.BaseExpression | None:
        """The argument passed for parameter ``name`` (keyword, or at ``position``)."""
        return _arg(self.node, name, position)

    def payload(self) -> cst.BaseExpression | None:
        """The metadata or tags the call writes."""
        if self.api in (LOG_METADATA, LOG_ARTIFACT_METADATA):
            return self.argument("metadata", 0)
        if self.api == ADD_TAGS:
            return self.argument("tags", 0)
        written = CONTEXT_OUTPUT_METHODS[self.api][1]
        return self.argument(*written) if written is not None else None

    def output_argument(self) -> cst.BaseExpression | None:
        """The argument that names one of the step's outputs, if the call passes one."""
        if self.api in (LOG_METADATA, ADD_TAGS):
            return self.argument("artifact_name")
        if self.api == LOG_ARTIFACT_METADATA:
            return self.argument("artifact_name", 1)
        return self.argument("output_name", CONTEXT_OUTPUT_METHODS[self.api][0])


def metadata_calls(
    project: Project, module: ModuleInfo, function: cst.FunctionDef
) -> list[MetadataCall]:
    """The ZenML metadata calls ``function``'s own body makes, in source order."""
    finder = MetadataCallFinder(project, module)
    fast_visit(function.body, finder)
    return finder.calls


class MetadataCallFinder(cst.CSTVisitor):
    """Walks a step body in source order and collects its ZenML metadata calls.

    Visit ``function.body``, not the function itself: nested functions are skipped.
    """

    def __init__(self, project: Project, module: ModuleInfo) -> None:
        self.project = project
        self.module = module
        self.context_vars: set[str] = set()
        #: Names bound by imports inside the body, to what they import.
        self.local_imports: dict[str, Symbol | None] = {}
        #: Names the body rebinds to something else, hiding the module's binding.
        self.shadowed: set[str] = set()
        #: Functions defined in the body, by name.
        self.local_functions: dict[str, cst.FunctionDef] = {}
        self.calls: list[MetadataCall] = []

    # Nested functions and lambdas run (if at all) at another time; leave them out.
    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        name = node.name.value
        self.local_imports.pop(name, None)
        self.context_vars.discard(name)
        self.shadowed.add(name)
        self.local_functions[name] = node
        return False

    def visit_Lambda(self, node: cst.Lambda) -> bool:
        return False

    def visit_Import(self, node: cst.Import) -> None:
        for alias in node.names:
            dotted = cst_utils.dotted_name(alias.name) or ""
            bound = dotted if alias.asname is not None else dotted.split(".")[0]
            self._bind_import(
                cst_utils.alias_name(alias) if alias.asname is not None else bound,
                self.project.resolve_module(self.module, bound),
            )

    def visit_ImportFrom(self, node: cst.ImportFrom) -> None:
        if node.relative or node.module is None or isinstance(node.names, cst.ImportStar):
            return
        base = self.project.resolve_module(self.module, cst_utils.dotted_name(node.module) or "")
        for alias in node.names:
            name = cst_utils.dotted_name(alias.name) or ""
            self._bind_import(cst_utils.alias_name(alias), self.project.member(base, name))

    def visit_Assign(self, node: cst.Assign) -> None:
        for target in node.targets:
            self._bind_local(target.target, node.value)

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        self._bind_local(node.target, node.value)

    def visit_For(self, node: cst.For) -> None:
        self._bind_local(node.target, None)

    def visit_Call(self, node: cst.Call) -> None:
        found = self.classify(node)
        if found is not None:
            self.calls.append(found)

    def classify(self, node: cst.Call) -> MetadataCall | None:
        """The metadata call ``node`` is, or None when it is none of ZenML's."""
        func = node.func
        if (
            isinstance(func, cst.Attribute)
            and func.attr.value in CONTEXT_OUTPUT_METHODS
            and self._is_context(func.value)
        ):
            return MetadataCall(node, func.attr.value)
        qualname = self.qualname(func)
        if qualname in zenml_api.LOG_METADATA:
            return MetadataCall(node, LOG_METADATA)
        if qualname in zenml_api.LOG_ARTIFACT_METADATA:
            return MetadataCall(node, LOG_ARTIFACT_METADATA)
        if qualname in zenml_api.ADD_TAGS:
            return MetadataCall(node, ADD_TAGS)
        return None

    def qualname(self, func: cst.BaseExpression) -> str | None:
        """The qualified name of ``a.b.c`` as the body sees it."""
        return qualname_of(self.symbol(func))

    def symbol(self, func: cst.BaseExpression) -> Symbol | None:
        """What ``a.b.c`` refers to as the body sees it (None for the body's own names)."""
        parts: list[str] = []
        head = func
        while isinstance(head, cst.Attribute):
            parts.append(head.attr.value)
            head = head.value
        if not isinstance(head, cst.Name):
            return None
        sym: Symbol | None
        if head.value in self.local_imports:
            sym = self.local_imports[head.value]
        elif head.value in self.shadowed:
            return None
        else:
            sym = self.project.resolve_expr(self.module, head)
        for attr in reversed(parts):
            sym = self.project.member(sym, attr)
        return sym

    def _bind_import(self, name: str, sym: Symbol | None) -> None:
        self.local_imports[name] = sym
        self.context_vars.discard(name)
        self.local_functions.pop(name, None)

    def _bind_local(self, target: cst.BaseExpression, value: cst.BaseExpression | None) -> None:
        is_context = value is not None and self._is_context_call(value)
        for name in cst_utils.target_names(target):
            self.local_imports.pop(name, None)
            self.local_functions.pop(name, None)
            self.shadowed.add(name)
            if is_context:
                self.context_vars.add(name)
            else:
                self.context_vars.discard(name)

    def _is_context_call(self, expr: cst.BaseExpression) -> bool:
        return isinstance(expr, cst.Call) and self.qualname(expr.func) in (
            zenml_api.GET_STEP_CONTEXT
        )

    def _is_context(self, receiver: cst.BaseExpression) -> bool:
        if isinstance(receiver, cst.Name) and receiver.value in self.context_vars:
            return True
        return self._is_context_call(receiver)


# -- which parameters reach an output's metadata -----------------------------------------

#: Methods that fold their arguments into the object they are called on.
MUTATING_METHODS = frozenset(
    {"update", "setdefault", "append", "extend", "insert", "add", "__setitem__"}
)
#: Step-run attributes that differ between invocations (``get_step_context().step_run.X``).
_PER_INVOCATION_RUN_ATTRS = frozenset({"name", "id"})
#: How deep calls into the project's helper functions are followed, and how many helper
#: bodies one step may make zlint read in all.
MAX_HELPER_DEPTH = 4
MAX_HELPER_VISITS = 64
#: ``add_tags`` keywords that send the tags somewhere other than the running step's output.
_ADD_TAGS_ELSEWHERE = (
    "pipeline",
    "run",
    "run_template",
    "snapshot",
    "deployment",
    "artifact",
    "artifact_version_id",
    "artifact_version",
)


def metadata_params(
    project: Project, module: ModuleInfo, function: cst.FunctionDef, params: set[str]
) -> dict[str | None, frozenset[Flow]]:
    """Output key (None: the step's single output) -> how parameters reach its metadata
    (see :mod:`zlint.model.flows`).

    :data:`~zlint.model.flows.INVOCATION` stands for a value that differs on every
    invocation (the step run's name or id)."""
    walk = _Walk()
    taint = {p: {flows.identity(p)} for p in params}
    finder = _ParamFlowFinder(project, module, function, taint, walk)
    fast_visit(function.body, finder)
    return {key: frozenset(value) for key, value in walk.found.items()}


@dataclass
class _Walk:
    """What the finders of one step body and of the helpers it calls share."""

    found: dict[str | None, set[Flow]] = field(default_factory=dict)
    visits: int = 0
    #: A helper analysis already made (helper, taint in, ...) -> the taint its parameters
    #: took on by mutation, for the caller's argument names.
    done: dict[tuple[object, ...], dict[str, frozenset[Flow]]] = field(default_factory=dict)
    #: A helper's result already read (helper, taint in, ...) -> how parameters reach it.
    returns: dict[tuple[object, ...], frozenset[Flow]] = field(default_factory=dict)


@dataclass
class _Entry:
    """How a helper is entered: the state its body starts with."""

    taint: dict[str, set[Flow]]
    context_vars: set[str] = field(default_factory=set)
    step_run_vars: set[str] = field(default_factory=set)
    #: parameter -> the output key the argument passed for it names
    output_keys: dict[str, str] = field(default_factory=dict)


class _ParamFlowFinder(MetadataCallFinder):
    """Also follows which parameters each local name's value was computed from, into the
    project functions the body calls."""

    def __init__(
        self,
        project: Project,
        module: ModuleInfo,
        function: cst.FunctionDef,
        taint: dict[str, set[Flow]],
        walk: _Walk,
        depth: int = 0,
        active: frozenset[int] = frozenset(),
    ) -> None:
        super().__init__(project, module)
        self.function = function
        self.walk = walk
        self.depth = depth
        self.active = active | {id(function)}
        # local name -> how parameters reach its value
        self.taint = taint
        self.reader = flows.FlowReader(
            lambda name: self.taint.get(name, set()), self.is_per_invocation, self._call_result
        )
        #: How parameters reach what the function returns (read for helpers' results).
        self.returned: set[Flow] = set()
        #: Local names holding the running step's ``StepRun`` (``run = ctx.step_run``).
        self.step_run_vars: set[str] = set()
        #: parameter -> the output key its argument names (helpers called with a name).
        self.output_keys: dict[str, str] = {}
        #: Names the body assigns anew (a parameter then no longer holds the caller's object).
        self.rebound: set[str] = set()
        self.params = _param_names(function)
        self.shadowed |= self.params

    # -- bindings ------------------------------------------------------------------------

    def visit_Assign(self, node: cst.Assign) -> None:
        super().visit_Assign(node)
        sources = self._sources(node.value)
        for target in node.targets:
            self._assign(target.target, sources)

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        super().visit_AnnAssign(node)
        if node.value is not None:
            self._assign(node.target, self._sources(node.value))

    def visit_AugAssign(self, node: cst.AugAssign) -> None:
        base = _base_name(node.target)
        if base is None:
            return
        added = self._sources(node.value)
        if not isinstance(node.value, _COLLECTED):
            added = flows.computed(added)  # `total += score`: arithmetic, or unknown
        self.taint.setdefault(base, set()).update(added)

    def visit_For(self, node: cst.For) -> None:
        super().visit_For(node)
        for name in cst_utils.target_names(node.target):
            self.taint[name] = flows.computed(self._sources(node.iter))  # one item of it

    def _assign(self, target: cst.BaseExpression, sources: set[Flow]) -> None:
        if isinstance(target, cst.Subscript):
            # `md["split"] = split` puts the value into the object `md` holds.
            base = _base_name(target)
            if base is not None:
                self.taint.setdefault(base, set()).update(sources | self._sources(target))
            return
        for name in cst_utils.target_names(target):
            self.taint[name] = set(sources)

    def _bind_local(self, target: cst.BaseExpression, value: cst.BaseExpression | None) -> None:
        super()._bind_local(target, value)
        is_run = value is not None and self._is_step_run(value)
        for name in cst_utils.target_names(target):
            self.rebound.add(name)
            if is_run:
                self.step_run_vars.add(name)
            else:
                self.step_run_vars.discard(name)

    def _bind_import(self, name: str, sym: Symbol | None) -> None:
        super()._bind_import(name, sym)
        self.step_run_vars.discard(name)
        self.rebound.add(name)

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        self.step_run_vars.discard(node.name.value)
        return super().visit_FunctionDef(node)

    def visit_Return(self, node: cst.Return) -> None:
        if node.value is not None:
            self.returned |= self._sources(node.value)

    # -- calls ---------------------------------------------------------------------------

    def visit_Call(self, node: cst.Call) -> None:
        call = self.classify(node)
        if call is not None:
            if _writes_to_output(call):
                self._record(call)
            return
        self._mutate(node)
        self._follow(node)

    def _record(self, call: MetadataCall) -> None:
        output = call.output_argument()
        key = self._output_key(output) if output is not None else None
        payload = call.payload()
        found: set[Flow] = set()
        if isinstance(payload, cst.Dict):
            for element in payload.elements:  # each value shown on its own in messages
                value = element.value
                shown = _code(element) if isinstance(element, cst.DictElement) else _code(value)
                found |= {f.showing(shown) for f in self._sources(element)}
        elif payload is not None:
            found = {f.showing(_code(payload)) for f in self._sources(payload)}
        if found:
            self.walk.found.setdefault(key, set()).update(found)

    def _mutate(self, node: cst.Call) -> None:
        """``md.update({"split": split})``: the arguments go into the object ``md`` holds."""
        func = node.func
        if not isinstance(func, cst.Attribute) or func.attr.value not in MUTATING_METHODS:
            return
        base = _base_name(func.value)
        if base is None or base in self.context_vars:
            return
        sources: set[Flow] = set()
        for arg in node.args:
            sources |= self._sources(arg.value)
        if sources:
            self.taint.setdefault(base, set()).update(sources)

    def _call_result(self, node: cst.Call) -> set[Flow] | None:
        """How the arguments reach what a project function called here returns
        (``_metadata(split)`` returning ``{"split": split}``); None when zlint cannot read it."""
        found = self._helper(node.func)
        if found is None or self.depth >= MAX_HELPER_DEPTH:
            return None
        helper, module, closure = found
        entry = self._entry(_bind_arguments(helper, node), inherit=closure)
        key = ("returns", *self._entry_key(helper, entry, closure))
        cached = self.walk.returns.get(key)
        if cached is None:
            if self.walk.visits >= MAX_HELPER_VISITS:
                return None
            self.walk.visits += 1
            finder = self._helper_finder(helper, module, entry, closure)
            fast_visit(helper.body, finder)
            cached = self.walk.returns[key] = frozenset(finder.returned)
        return set(cached)

    def _helper(self, func: cst.BaseExpression) -> tuple[cst.FunctionDef, ModuleInfo, bool] | None:
        """The project function ``func`` names (and whether it is defined in this body), if it
        is not being read already (recursion)."""
        if isinstance(func, cst.Name) and func.value in self.local_functions:
            helper, module, closure = self.local_functions[func.value], self.module, True
        else:
            sym = self.symbol(func)
            if not isinstance(sym, FunctionSym):
                return None
            helper, module, closure = sym.node, sym.module, False
        return None if id(helper) in self.active else (helper, module, closure)

    def _entry_key(
        self, helper: cst.FunctionDef, entry: _Entry, closure: bool
    ) -> tuple[object, ...]:
        return (
            id(helper),
            frozenset((name, frozenset(v)) for name, v in entry.taint.items() if v),
            frozenset(entry.context_vars),
            frozenset(entry.step_run_vars),
            frozenset(entry.output_keys.items()),
            closure,
        )

    def _follow(self, node: cst.Call) -> None:
        """Reads the body of the project function ``node`` calls, with its parameters bound
        to what the arguments carry; metadata it writes lands on this step's outputs."""
        if self.depth >= MAX_HELPER_DEPTH:
            return
        found = self._helper(node.func)
        if found is None:
            return
        helper, module, closure = found
        bound = _bind_arguments(helper, node)
        entry = self._entry(bound, inherit=closure)
        key = self._entry_key(helper, entry, closure)
        mutated = self.walk.done.get(key)
        if mutated is None:
            if self.walk.visits >= MAX_HELPER_VISITS:
                return
            self.walk.visits += 1
            mutated = self._visit_helper(helper, module, entry, closure)
            self.walk.done[key] = mutated
        # A container the helper fills (`fill(md, split)`) carries the values back.
        for param, taint in mutated.items():
            args = bound.get(param, [])
            if len(args) == 1 and isinstance(args[0], cst.Name) and taint:
                self.taint.setdefault(args[0].value, set()).update(taint)

    def _entry(self, bound: dict[str, list[cst.BaseExpression]], inherit: bool) -> _Entry:
        if inherit:  # a function defined in this body sees its locals
            entry = _Entry(
                {name: set(v) for name, v in self.taint.items()},
                self.context_vars - bound.keys(),
                self.step_run_vars - bound.keys(),
            )
        else:
            entry = _Entry({})
        for param, args in bound.items():
            entry.taint[param] = set().union(*(self._sources(a) for a in args))
            if len(args) != 1:
                continue
            if self._is_context(args[0]):
                entry.context_vars.add(param)
            elif self._is_step_run(args[0]):
                entry.step_run_vars.add(param)
            entry.output_keys[param] = self._output_key(args[0])
        return entry

    def _helper_finder(
        self, helper: cst.FunctionDef, module: ModuleInfo, entry: _Entry, closure: bool
    ) -> _ParamFlowFinder:
        """A finder for ``helper``'s body, entered as ``entry`` says."""
        taint = {name: set(v) for name, v in entry.taint.items()}
        finder = _ParamFlowFinder(
            self.project, module, helper, taint, self.walk, self.depth + 1, self.active
        )
        if closure:
            finder.local_imports = dict(self.local_imports)
            finder.local_functions = dict(self.local_functions)
            finder.shadowed |= self.shadowed
        finder.context_vars |= entry.context_vars
        finder.step_run_vars |= entry.step_run_vars
        finder.output_keys = dict(entry.output_keys)
        return finder

    def _visit_helper(
        self, helper: cst.FunctionDef, module: ModuleInfo, entry: _Entry, closure: bool
    ) -> dict[str, frozenset[Flow]]:
        finder = self._helper_finder(helper, module, entry, closure)
        before = {name: frozenset(v) for name, v in entry.taint.items()}
        fast_visit(helper.body, finder)
        return {
            param: frozenset(finder.taint.get(param, set()) - before.get(param, frozenset()))
            for param in finder.params
            if param not in finder.rebound
        }

    # -- values --------------------------------------------------------------------------

    def _output_key(self, expr: cst.BaseExpression) -> str:
        """The output key an ``output_name=``/``artifact_name=`` argument names."""
        if isinstance(expr, cst.Name):
            if expr.value in self.output_keys and expr.value not in self.rebound:
                return self.output_keys[expr.value]
            if expr.value in self.shadowed:
                return ANY_OUTPUT  # a local value, not the module's constant of that name
        return const_string(self.project, self.module, expr) or ANY_OUTPUT

    def _sources(self, expr: cst.CSTNode) -> set[Flow]:
        if isinstance(expr, cst.DictElement):
            return self.reader.flows(expr.key) | self.reader.flows(expr.value)
        if isinstance(expr, cst.StarredDictElement):
            return self.reader.flows(expr.value)
        return self.reader.flows(expr)

    def _is_step_run(self, expr: cst.BaseExpression) -> bool:
        """``ctx.step_run`` / ``get_step_context().step_run``, or a local name holding it."""
        if isinstance(expr, cst.Name):
            return expr.value in self.step_run_vars
        return (
            isinstance(expr, cst.Attribute)
            and expr.attr.value == "step_run"
            and self._is_context(expr.value)
        )

    def is_per_invocation(self, expr: cst.Attribute) -> bool:
        """``ctx.step_run.name`` / ``.id`` or ``ctx.step_name``: unique to each invocation."""
        attr = expr.attr.value
        if attr in _PER_INVOCATION_RUN_ATTRS and self._is_step_run(expr.value):
            return True
        return attr == "step_name" and self._is_context(expr.value)


def _writes_to_output(call: MetadataCall) -> bool:
    """Whether ``call`` writes its payload onto one of the running step's outputs."""
    if call.api in ("add_output_metadata", "add_output_tags"):
        return True
    if call.api in (LOG_METADATA, ADD_TAGS):
        infer = cst_utils.keyword(call.node, "infer_artifact")
        if infer is None or not cst_utils.is_name(infer.value, "True"):
            return False
        return call.api == LOG_METADATA or not any(
            (arg := call.argument(name)) is not None and not cst_utils.is_name(arg, "None")
            for name in _ADD_TAGS_ELSEWHERE
        )
    if call.api == LOG_ARTIFACT_METADATA:
        # With a version it targets an existing artifact, not this step's output.
        return cst_utils.keyword(call.node, "artifact_version") is None and len(call.node.args) < 3
    return False


def _bind_arguments(helper: cst.FunctionDef, call: cst.Call) -> dict[str, list[cst.BaseExpression]]:
    """Parameter of ``helper`` -> the argument expressions of ``call`` that may fill it
    (several for ``*args``/``**kwargs``, and every unfilled one for ``*x``/``**x``)."""
    params = helper.params
    positional = [*params.posonly_params, *params.params]
    by_keyword = {p.name.value for p in [*params.params, *params.kwonly_params]}
    star = params.star_arg.name.value if isinstance(params.star_arg, cst.Param) else None
    star_kwarg = params.star_kwarg.name.value if params.star_kwarg is not None else None
    bound: dict[str, list[cst.BaseExpression]] = {}
    splats: list[cst.BaseExpression] = []
    index = 0
    for arg in call.args:
        if arg.star:
            splats.append(arg.value)
        elif arg.keyword is None:
            name = positional[index].name.value if index < len(positional) else star
            index += 1
            if name is not None:
                bound.setdefault(name, []).append(arg.value)
        else:
            keyword = arg.keyword.value
            name = keyword if keyword in by_keyword else star_kwarg
            if name is not None:
                bound.setdefault(name, []).append(arg.value)
    if splats:
        for name in _param_names(helper) - bound.keys():
            bound[name] = list(splats)
    return bound


def _param_names(function: cst.FunctionDef) -> set[str]:
    params = function.params
    names = {p.name.value for p in [*params.posonly_params, *params.params, *params.kwonly_params]}
    if isinstance(params.star_arg, cst.Param):
        names.add(params.star_arg.name.value)
    if params.star_kwarg is not None:
        names.add(params.star_kwarg.name.value)
    return names


def _base_name(expr: cst.BaseExpression) -> str | None:
    """The local name holding the container ``md["a"]["b"]`` is part of. Attributes are not
    followed: ``self.split = split`` must not make everything read from ``self`` count."""
    while isinstance(expr, cst.Subscript):
        expr = expr.value
    return expr.value if isinstance(expr, cst.Name) else None


def _arg(call: cst.Call, name: str, position: int | None) -> cst.BaseExpression | None:
    found = cst_utils.keyword(call, name)
    if found is not None:
        return found.value
    positional = cst_utils.positional(call)
    if position is not None and position < len(positional):
        return positional[position].value
    return None


#: Values ``+=`` adds to a collection or string rather than to a number.
_COLLECTED = (
    cst.List,
    cst.Tuple,
    cst.Set,
    cst.Dict,
    cst.SimpleString,
    cst.FormattedString,
    cst.ConcatenatedString,
)
_EMPTY = cst.Module(body=[])


def _code(node: cst.CSTNode) -> str:
    return " ".join(_EMPTY.code_for_node(node).split())
