"""Which step parameters a step writes into its outputs' metadata or tags.

A repeated call is told apart from its siblings only when a per-call value lands on the
artifact itself: ``get_step_context().add_output_metadata(...)``, ``add_output_tags(...)``,
``log_metadata(..., infer_artifact=True)`` or the deprecated ``log_artifact_metadata(...)``.
A bare ``log_metadata(metadata=...)`` lands on the step run and does not count.
"""

from __future__ import annotations

import libcst as cst

from zlint.model import cst_utils, zenml_api
from zlint.model.constants import const_string
from zlint.model.modules import ModuleInfo
from zlint.model.project import Project
from zlint.model.symbols import qualname_of

#: The key used when a call names its output with a value we cannot evaluate.
ANY_OUTPUT = "*"


def metadata_params(
    project: Project, module: ModuleInfo, function: cst.FunctionDef, params: set[str]
) -> dict[str | None, frozenset[str]]:
    """Output key (None: the step's single output) -> parameters that reach its metadata."""
    finder = _MetadataFinder(project, module, function, params)
    function.body.visit(finder)
    return {key: frozenset(value) for key, value in finder.found.items()}


class _MetadataFinder(cst.CSTVisitor):
    def __init__(
        self, project: Project, module: ModuleInfo, function: cst.FunctionDef, params: set[str]
    ) -> None:
        self.project = project
        self.module = module
        self.function = function
        # local name -> the parameters its value was computed from
        self.taint: dict[str, set[str]] = {p: {p} for p in params}
        self.context_vars: set[str] = set()
        self.local_imports: dict[str, str] = {}
        self.found: dict[str | None, set[str]] = {}

    # Nested functions and lambdas run (if at all) at another time; leave them out.
    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        return False

    def visit_Lambda(self, node: cst.Lambda) -> bool:
        return False

    def visit_ImportFrom(self, node: cst.ImportFrom) -> None:
        if node.relative or node.module is None or isinstance(node.names, cst.ImportStar):
            return
        base = cst_utils.dotted_name(node.module)
        for alias in node.names:
            self.local_imports[cst_utils.alias_name(alias)] = (
                f"{base}.{cst_utils.dotted_name(alias.name)}"
            )

    def visit_Assign(self, node: cst.Assign) -> None:
        sources = self._sources(node.value)
        is_context = self._is_context_call(node.value)
        for target in node.targets:
            for name in _target_names(target.target):
                self.taint[name] = set(sources)
                if is_context:
                    self.context_vars.add(name)

    def visit_AugAssign(self, node: cst.AugAssign) -> None:
        for name in _target_names(node.target):
            self.taint.setdefault(name, set()).update(self._sources(node.value))

    def visit_For(self, node: cst.For) -> None:
        for name in _target_names(node.target):
            self.taint[name] = self._sources(node.iter)

    def visit_Call(self, node: cst.Call) -> None:
        method = node.func.attr.value if isinstance(node.func, cst.Attribute) else None
        if (
            isinstance(node.func, cst.Attribute)
            and method in ("add_output_metadata", "add_output_tags")
            and self._is_context(node.func)
        ):
            payload = _arg(node, "tags" if method == "add_output_tags" else "metadata", 0)
            self._record(node, payload, _arg(node, "output_name", 1))
            return
        qualname = self._qualname(node.func)
        if qualname in zenml_api.LOG_METADATA:
            infer = cst_utils.keyword(node, "infer_artifact")
            if infer is not None and cst_utils.is_name(infer.value, "True"):
                self._record(node, _arg(node, "metadata", 0), _arg(node, "artifact_name", None))
        elif (
            qualname in zenml_api.LOG_ARTIFACT_METADATA
            # With a version it targets an existing artifact, not this step's output.
            and cst_utils.keyword(node, "artifact_version") is None
            and len(node.args) < 3
        ):
            self._record(node, _arg(node, "metadata", 0), _arg(node, "artifact_name", 1))

    def _record(
        self, call: cst.Call, payload: cst.BaseExpression | None, output: cst.BaseExpression | None
    ) -> None:
        if payload is None:
            return
        sources = self._sources(payload)
        if not sources:
            return
        key: str | None = None
        if output is not None:
            key = const_string(self.project, self.module, output) or ANY_OUTPUT
        self.found.setdefault(key, set()).update(sources)

    def _sources(self, expr: cst.CSTNode) -> set[str]:
        names: set[str] = set()
        for name in _names_in(expr):
            names |= self.taint.get(name, set())
        return names

    def _qualname(self, func: cst.BaseExpression) -> str | None:
        head = func
        while isinstance(head, cst.Attribute):
            head = head.value
        if isinstance(head, cst.Name) and head.value in self.local_imports:
            dotted = cst_utils.dotted_name(func) or ""
            rest = dotted[len(head.value) :]
            return self.local_imports[head.value] + rest
        return qualname_of(self.project.resolve_expr(self.module, func))

    def _is_context_call(self, expr: cst.BaseExpression) -> bool:
        return isinstance(expr, cst.Call) and self._qualname(expr.func) in (
            zenml_api.GET_STEP_CONTEXT
        )

    def _is_context(self, func: cst.Attribute) -> bool:
        receiver = func.value
        if isinstance(receiver, cst.Name) and receiver.value in self.context_vars:
            return True
        return self._is_context_call(receiver)


def _arg(call: cst.Call, name: str, position: int | None) -> cst.BaseExpression | None:
    found = cst_utils.keyword(call, name)
    if found is not None:
        return found.value
    positional = cst_utils.positional(call)
    if position is not None and position < len(positional):
        return positional[position].value
    return None


def _target_names(target: cst.BaseExpression) -> list[str]:
    if isinstance(target, cst.Name):
        return [target.value]
    if isinstance(target, (cst.Tuple, cst.List)):
        return [n for el in target.elements for n in _target_names(el.value)]
    return []


def _names_in(node: cst.CSTNode) -> set[str]:
    class Collector(cst.CSTVisitor):
        def __init__(self) -> None:
            self.names: set[str] = set()

        def visit_Name(self, name: cst.Name) -> None:
            self.names.add(name.value)

        def visit_Attribute(self, attr: cst.Attribute) -> bool:
            attr.value.visit(self)  # `x.attr`: the base may be tainted, the attribute name not
            return False

    collector = Collector()
    node.visit(collector)
    return collector.names
