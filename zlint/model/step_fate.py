"""What becomes of a step made inside a function: whether it outlives the call, or runs.

A step made inside a function (``@step def inner``, ``step(fn)``) is not an attribute of
its module, and fails when ZenML has to load it: when a pipeline runs it (VERIFIED with
ZenML 0.98, on the local orchestrator too). That can happen when the step leaves the
function (it is returned or yielded, stored in a global, an attribute or a container that
outlives the call, or passed to another function), when a pipeline defined in the same
function calls it and is run, or when the function itself runs inside a pipeline and calls
it. A step the function only inspects (a test asserting its name or configuration, or
calling it or its entrypoint outside any pipeline) fails nothing.

The analysis follows the step object through the function's own names: names assigned
from it, local containers it is put into, inner functions that use it (closures).
Builtins that only look at their argument (``isinstance``, ``repr``, ...) keep nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import libcst as cst

from zlint.model import cst_utils, zenml_api
from zlint.model.fast_visit import fast_visit
from zlint.model.modules import ModuleInfo
from zlint.model.project import Project
from zlint.model.symbols import qualname_of

#: Methods of a step object that return the step (or a copy of it).
_CARRYING = zenml_api.STEP_COPY_METHODS | {"configure"}
#: Methods of a step object that run it (inside a pipeline).
_RUNNING = zenml_api.STEP_FANOUT_METHODS | {"submit"}
#: Builtins that look at their argument and keep no reference to it.
_LOOKING = frozenset(
    {
        "bool", "callable", "dir", "getattr", "hasattr", "hash", "id", "isinstance",
        "issubclass", "len", "print", "repr", "str", "type", "vars",
    }
)  # fmt: skip
_FRESH = (cst.List, cst.Dict, cst.Set, cst.Tuple, cst.ListComp, cst.DictComp, cst.SetComp)
_FRESH_CALLS = frozenset({"list", "dict", "set", "tuple"})
#: Expressions whose value holds what their parts hold.
_CONTAINING = (
    cst.Tuple, cst.List, cst.Set, cst.Dict, cst.ListComp, cst.SetComp, cst.DictComp,
    cst.GeneratorExp, cst.BooleanOperation, cst.BinaryOperation, cst.StarredElement,
    cst.Element, cst.DictElement, cst.StarredDictElement, cst.CompFor, cst.Await,
)  # fmt: skip


@dataclass(frozen=True)
class Fate:
    """Where a step made inside a function may run."""

    #: It outlives the call: returned, yielded, stored beyond the function, passed on.
    escapes: bool = False
    #: Called in the function's own body: it runs whenever the function runs in a pipeline.
    called: bool = False
    #: A pipeline defined in the same function that calls it and is run (or leaves).
    pipeline: str | None = None

    @property
    def live(self) -> bool:
        """Whether a pipeline may ever run it."""
        return self.escapes or self.called or self.pipeline is not None


def fate(
    project: Project,
    module: ModuleInfo,
    function: cst.FunctionDef,
    made: cst.FunctionDef | cst.Call,
    is_pipeline: Callable[[cst.FunctionDef], bool],
) -> Fate:
    """What becomes of the step ``made`` (an inner decorated ``def`` or a ``step(...)``
    call) in ``function``; ``is_pipeline`` tells an inner pipeline definition."""
    scan = _Scan()
    fast_visit(function.body, scan)
    if isinstance(made, cst.FunctionDef):
        flow = _Flow(project, module, scan, {made.name.value}, None, function.params)
    else:
        flow = _Flow(project, module, scan, set(), made, function.params)
    flow.spread()
    pipelines = {name for name, node in scan.defs.items() if is_pipeline(node)}
    return flow.fate(pipelines)


class _Scan(cst.CSTVisitor):
    """One pass over a function's body (inner functions' and classes' bodies are scopes
    of their own): what it binds, calls and returns, and the functions it defines."""

    def __init__(self) -> None:
        self.bindings: list[tuple[cst.BaseExpression, cst.BaseExpression]] = []
        self.returned: list[cst.BaseExpression] = []
        self.calls: list[cst.Call] = []
        self.declared: set[str] = set()
        self.defs: dict[str, cst.FunctionDef] = {}

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        self.defs[node.name.value] = node
        return False

    def visit_ClassDef(self, node: cst.ClassDef) -> bool:
        return False

    def visit_Lambda(self, node: cst.Lambda) -> bool:
        return False

    def visit_Assign(self, node: cst.Assign) -> None:
        self.bindings.extend((target.target, node.value) for target in node.targets)

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        if node.value is not None:
            self.bindings.append((node.target, node.value))

    def visit_AugAssign(self, node: cst.AugAssign) -> None:
        self.bindings.append((node.target, node.value))

    def visit_NamedExpr(self, node: cst.NamedExpr) -> None:
        self.bindings.append((node.target, node.value))

    def visit_For(self, node: cst.For) -> None:
        self.bindings.append((node.target, node.iter))

    def visit_WithItem(self, node: cst.WithItem) -> None:
        if node.asname is not None:
            self.bindings.append((node.asname.name, node.item))

    def visit_Return(self, node: cst.Return) -> None:
        if node.value is not None:
            self.returned.append(node.value)

    def visit_Yield(self, node: cst.Yield) -> None:
        value = node.value
        if isinstance(value, cst.From):
            value = value.item
        if value is not None:
            self.returned.append(value)

    def visit_Call(self, node: cst.Call) -> None:
        self.calls.append(node)

    def visit_Global(self, node: cst.Global) -> None:
        self.declared.update(item.name.value for item in node.names)

    def visit_Nonlocal(self, node: cst.Nonlocal) -> None:
        self.declared.update(item.name.value for item in node.names)


class _Flow:
    """The names of one function that hold the step (or something holding it)."""

    def __init__(
        self,
        project: Project,
        module: ModuleInfo,
        scan: _Scan,
        names: set[str],
        source: cst.Call | None,
        params: cst.Parameters,
    ) -> None:
        self.project = project
        self.module = module
        self.scan = scan
        self.tainted = names
        self.source = source
        self.params = {
            p.name.value for p in (*params.posonly_params, *params.params, *params.kwonly_params)
        }
        self.fresh = {
            name
            for target, value in scan.bindings
            if self._is_fresh(value)
            for name in cst_utils.target_names(target)
        }
        self._escapes = False

    def spread(self) -> None:
        """Taints every name that comes to hold the step, until nothing changes."""
        while True:
            before = len(self.tainted)
            for target, value in self.scan.bindings:
                if self.carries(value):
                    self._store(target)
            for call in self.scan.calls:
                self._passed(call)
            for name, node in self.scan.defs.items():
                if name not in self.tainted and self.mentions(node):
                    self.tainted.add(name)  # a closure over the step
            if len(self.tainted) == before:
                return

    def fate(self, pipelines: set[str]) -> Fate:
        escapes = self._escapes or any(self.carries(value) for value in self.scan.returned)
        called, pipeline = False, None
        for call in self.scan.calls:
            runs = self._runs(call)
            if runs is None:
                continue
            if runs in pipelines:
                pipeline = pipeline or runs
            else:
                called = True
        return Fate(escapes, called, pipeline)

    # -- what holds the step ------------------------------------------------------------

    def carries(self, node: cst.CSTNode) -> bool:
        """Whether the value of ``node`` is the step or holds it."""
        if node is self.source:
            return True
        if isinstance(node, cst.Name):
            return node.value in self.tainted
        if isinstance(node, cst.Attribute):
            return node.attr.value in _CARRYING and self.carries(node.value)
        if isinstance(node, cst.Call):
            return isinstance(node.func, cst.Attribute) and self.carries(node.func)
        if isinstance(node, cst.Subscript):
            return self.carries(node.value)
        if isinstance(node, cst.IfExp):
            return self.carries(node.body) or self.carries(node.orelse)
        if isinstance(node, cst.NamedExpr):
            return self.carries(node.value)
        if isinstance(node, cst.Lambda):
            return self.mentions(node.body)
        if isinstance(node, _CONTAINING):
            return any(self.carries(child) for child in cst_utils.child_nodes(node))
        return False

    def mentions(self, node: cst.CSTNode) -> bool:
        """Whether ``node`` uses the step anywhere (a closure keeps it)."""
        source, tainted = self.source, self.tainted

        class Finder(cst.CSTVisitor):
            found = False

            def visit_Name(self, name: cst.Name) -> None:
                self.found = self.found or name.value in tainted

            def visit_Call(self, call: cst.Call) -> None:
                self.found = self.found or call is source

        finder = Finder()
        fast_visit(node, finder)
        return finder.found

    def _store(self, target: cst.BaseExpression) -> None:
        if isinstance(target, (cst.Tuple, cst.List, cst.StarredElement)):
            for name in cst_utils.target_names(target):
                self._store(cst.Name(name))
            return
        root = _root(target)
        if root is None or root in self.scan.declared:
            self._escapes = True  # a global, or an object reached through a call
        elif isinstance(target, cst.Name):
            self.tainted.add(root)
        elif root not in self.params and (root in self.fresh or root in self.tainted):
            self.tainted.add(root)  # into a container made here
        else:
            self._escapes = True  # into an object that may outlive the call

    def _passed(self, call: cst.Call) -> None:
        """The step given to another function: kept by it, unless it only looks."""
        if not any(self.carries(arg.value) for arg in call.args):
            return
        func = call.func
        if self.carries(func) or _root(func) in self.tainted:
            return  # the step's own call or method, or a container that holds it already
        if isinstance(func, cst.Attribute):
            owner = _root(func.value)
            if owner is not None and owner in self.fresh and owner not in self.params:
                self.tainted.add(owner)  # `steps.append(s)` on a list made here
                return
        if isinstance(func, cst.Name) and self._builtin(func) in _LOOKING:
            return
        self._escapes = True

    def _runs(self, call: cst.Call) -> str | None:
        """The tainted name whose call runs the step, if ``call`` is one: the step itself, a
        closure that uses it, a copy (``with_options(...)(...)``), ``.map``/``.submit``."""
        func = call.func
        if isinstance(func, cst.Name):
            return func.value if func.value in self.tainted else None
        if isinstance(func, cst.Attribute) and func.attr.value in _RUNNING:
            return _root(func.value) if self.carries(func.value) else None
        if isinstance(func, cst.Call) and self.carries(func):
            return _root(func.func) or ""
        return None

    def _is_fresh(self, value: cst.BaseExpression) -> bool:
        """A container made here, which nothing outside holds yet."""
        if isinstance(value, _FRESH):
            return True
        return isinstance(value, cst.Call) and self._builtin(value.func) in _FRESH_CALLS

    def _builtin(self, func: cst.BaseExpression) -> str | None:
        """``len`` for a call of the builtin ``len`` (not a name of the module's own)."""
        if not isinstance(func, cst.Name) or func.value in self.tainted:
            return None
        if func.value in self.scan.defs or func.value in self.params:
            return None
        qualname = qualname_of(self.project.resolve_expr(self.module, func))
        return func.value if qualname == f"builtins.{func.value}" else None


def _root(node: cst.BaseExpression) -> str | None:
    """``a`` of ``a``, ``a.b.c``, ``a[0].b``; None when it starts elsewhere (a call)."""
    while isinstance(node, (cst.Attribute, cst.Subscript)):
        node = node.value
    return node.value if isinstance(node, cst.Name) else None
