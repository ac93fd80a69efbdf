"""Qualified names of expressions anywhere in a module, function scopes included.

:class:`Project` resolves names as a module's top level binds them. Code inside functions
can also import (``from zenml.client import Client`` in a helper), bind local values
(``client = Client()``) and shadow module names (a parameter called ``Client``). Here the code
around a call gets LibCST's ``ScopeProvider``, run on that code alone so a large file (or
class) is not analysed as a whole: the outermost function holding the call, or the call's
top-level statement when no function does. A name bound only at module level is left to
:meth:`Project.resolve_expr`, which follows imports across the project.

A value made by calling something is named with ``()``: ``Client()`` and ``client`` after
``client = Client()`` (or for a parameter annotated ``client: Client``) are both
``zenml.client.Client()``, and ``client.list_artifact_versions`` is
``zenml.client.Client().list_artifact_versions``.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import cast

import libcst as cst
from libcst.metadata import Assignment, GlobalScope, MetadataWrapper, Scope, ScopeProvider

from zlint.model import cst_utils
from zlint.model.modules import ModuleInfo
from zlint.model.project import Project
from zlint.model.symbols import Symbol, ValueSym, qualname_of

_MAX_DEPTH = 20


@dataclass(frozen=True)
class CallSite:
    """A call, the top-level statement holding it and the functions around it."""

    call: cst.Call
    statement: cst.CSTNode
    #: Enclosing function definitions, outermost first.
    functions: tuple[cst.FunctionDef, ...]

    @property
    def scope_root(self) -> cst.CSTNode:
        """The code whose scopes decide what the call's names mean: a method cannot see
        its class body, so the outermost function is enough when there is one."""
        return self.functions[0] if self.functions else self.statement


def calls_in(module: ModuleInfo) -> list[CallSite]:
    """Every call in ``module`` (not in source order), found once per module: several rules
    scan the same modules."""
    calls = module.derived.get("calls")
    if calls is None:
        calls = module.derived["calls"] = list(_walk_calls(module))
    return cast("list[CallSite]", calls)


def _walk_calls(module: ModuleInfo) -> Iterator[CallSite]:
    """Walks the dataclass fields directly: a LibCST visitor rebuilds every node it passes,
    which costs more than parsing the file."""
    if module.tree is None:
        return
    for statement in module.tree.body:
        stack: list[tuple[cst.CSTNode, tuple[cst.FunctionDef, ...]]] = [(statement, ())]
        while stack:
            node, functions = stack.pop()
            # Exact types: LibCST's nodes are ABCs, and isinstance on them costs an ABC check.
            kind = type(node)
            if kind is cst.Call:
                yield CallSite(cast(cst.Call, node), statement, functions)
            inner = (
                (*functions, cast(cst.FunctionDef, node)) if kind is cst.FunctionDef else functions
            )
            stack.extend((child, inner) for child in cst_utils.child_nodes(node))


def enclosing_statement(module: ModuleInfo, node: cst.FunctionDef) -> cst.CSTNode | None:
    """The outermost function or class definition holding the function ``node`` when it is
    defined inside one (its annotations then see their local names), None when it is
    defined at module level (also inside a top-level ``if``/``try``/``with``)."""
    found = module.derived.get("enclosing")
    if found is None:
        found = module.derived["enclosing"] = _enclosed_definitions(module)
    return cast("dict[int, cst.CSTNode]", found).get(id(node))


def _enclosed_definitions(module: ModuleInfo) -> dict[int, cst.CSTNode]:
    """Function definitions inside a function or class, by id, with the outermost
    definition holding them. Only statement bodies are walked: definitions are statements."""
    enclosed: dict[int, cst.CSTNode] = {}
    if module.tree is None:
        return enclosed
    stack: list[tuple[cst.CSTNode, cst.CSTNode | None]] = [
        (statement, None) for statement in module.tree.body
    ]
    while stack:
        node, root = stack.pop()
        if isinstance(node, cst.FunctionDef) and root is not None:
            enclosed[id(node)] = root
        if isinstance(node, (cst.FunctionDef, cst.ClassDef)):
            body = node.body.body if isinstance(node.body, cst.IndentedBlock) else ()
            stack.extend((inner, root or node) for inner in body)
        else:
            stack.extend((inner, root) for block in cst_utils.child_blocks(node) for inner in block)
    return enclosed


class ScopedNames:
    """Resolves names in one module as Python would at the place they are written."""

    def __init__(self, project: Project, module: ModuleInfo) -> None:
        self.project = project
        self.module = module
        self._scopes: dict[int, _LocalScopes] = {}

    def qualname(self, expr: cst.BaseExpression, site: CallSite) -> str | None:
        """The qualified name of ``expr`` (a name, attribute chain or call) at ``site``."""
        return self._path(expr, self._local(site.scope_root), 0)

    def qualname_at(self, expr: cst.BaseExpression, scope_root: cst.CSTNode) -> str | None:
        """The qualified name of ``expr`` written in ``scope_root`` (the outermost function
        holding it, or its top-level statement): for expressions that are not calls."""
        return self._path(expr, self._local(scope_root), 0)

    def is_local(self, name: cst.Name, site: CallSite) -> bool:
        """Whether ``name`` refers to a binding inside a function, class or comprehension."""
        return self.is_local_in(name, site.scope_root)

    def is_local_in(self, name: cst.Name, root: cst.CSTNode) -> bool:
        """:meth:`is_local` for a name written inside ``root``, a statement (a definition)
        of the module analysed on its own (see :func:`enclosing_statement`)."""
        return bool(self._local(root).local_assignments(name))

    def _local(self, root: cst.CSTNode) -> _LocalScopes:
        if id(root) not in self._scopes:
            self._scopes[id(root)] = _LocalScopes(root)
        return self._scopes[id(root)]

    def _path(
        self, expr: cst.BaseExpression, scopes: _LocalScopes | None, depth: int
    ) -> str | None:
        if depth > _MAX_DEPTH:
            return None
        if isinstance(expr, cst.Name):
            if scopes is not None and scopes.local_assignments(expr):
                return self._local_meaning(expr, scopes, depth)
            return self._symbol_path(self.project.resolve_expr(self.module, expr), depth)
        if isinstance(expr, cst.Attribute):
            sym = self._module_level_symbol(expr, scopes)
            if sym is not None:  # through project modules and their re-exports
                return self._symbol_path(sym, depth)
            base = self._path(expr.value, scopes, depth + 1)
            return f"{base}.{expr.attr.value}" if base is not None else None
        if isinstance(expr, cst.Call):
            func = self._path(expr.func, scopes, depth + 1)
            return f"{func}()" if func is not None else None
        return None

    def _module_level_symbol(
        self, expr: cst.Attribute, scopes: _LocalScopes | None
    ) -> Symbol | None:
        """What ``a.b.c`` is when ``a`` is a module-level name, else None."""
        head: cst.BaseExpression = expr
        while isinstance(head, cst.Attribute):
            head = head.value
        if not isinstance(head, cst.Name) or (
            scopes is not None and scopes.local_assignments(head)
        ):
            return None
        return self.project.resolve_expr(self.module, expr)

    def _symbol_path(self, sym: Symbol | None, depth: int) -> str | None:
        if isinstance(sym, ValueSym):
            if sym.scope is not None:  # a class attribute: not followed
                return None
            other = self if sym.module is self.module else ScopedNames(self.project, sym.module)
            return other._path(sym.node, None, depth + 1)
        return qualname_of(sym)

    def _local_meaning(self, name: cst.Name, scopes: _LocalScopes, depth: int) -> str | None:
        """What every local binding of ``name`` agrees on, or None."""
        assignments = scopes.local_assignments(name)
        meanings = {self._binding_path(a, name.value, scopes, depth) for a in assignments}
        return meanings.pop() if len(meanings) == 1 else None

    def _binding_path(
        self, binding: Assignment, name: str, scopes: _LocalScopes, depth: int
    ) -> str | None:
        node = binding.node
        if isinstance(node, cst.Name):
            value = scopes.values.get(id(node))
            return self._path(value, scopes, depth + 1) if value is not None else None
        if isinstance(node, cst.Param):
            annotation = node.annotation.annotation if node.annotation is not None else None
            if not isinstance(annotation, (cst.Name, cst.Attribute)):
                return None
            cls = self._path(annotation, scopes, depth + 1)
            return f"{cls}()" if cls is not None else None
        if isinstance(node, (cst.Import, cst.ImportFrom)):
            return qualname_of(self._imported(node, name))
        return None

    def _imported(self, node: cst.Import | cst.ImportFrom, name: str) -> Symbol | None:
        if isinstance(node.names, cst.ImportStar):
            return None
        for alias in node.names:
            dotted = cst_utils.dotted_name(alias.name) or ""
            if isinstance(node, cst.Import):
                # `import a.b` binds `a`; `import a.b as c` binds `c` to `a.b`.
                bound = dotted if alias.asname is not None else dotted.split(".")[0]
                if cst_utils.alias_name(alias) == name or bound == name:
                    return self.project.resolve_module(self.module, bound)
            elif cst_utils.alias_name(alias) == name:
                if node.relative or node.module is None:  # rare inside functions
                    return None
                module = cst_utils.dotted_name(node.module) or ""
                return self.project.member(self.project.resolve_module(self.module, module), dotted)
        return None


class _LocalScopes:
    """LibCST scopes for one statement, wrapped alone in a module so only it is analysed.
    Names it does not bind below module level resolve through the project."""

    def __init__(self, root: cst.CSTNode) -> None:
        self.root = root
        self._scopes: Mapping[cst.CSTNode, Scope | None] | None = None
        self._values: dict[int, cst.BaseExpression] | None = None

    @property
    def scopes(self) -> Mapping[cst.CSTNode, Scope | None]:
        if self._scopes is None:
            body: list[cst.SimpleStatementLine | cst.BaseCompoundStatement] = []
            if isinstance(self.root, (cst.SimpleStatementLine, cst.BaseCompoundStatement)):
                body.append(self.root)
            wrapper = MetadataWrapper(cst.Module(body=body), unsafe_skip_copy=True)
            self._scopes = wrapper.resolve(ScopeProvider)
        return self._scopes

    @property
    def values(self) -> dict[int, cst.BaseExpression]:
        """Assignment target ``Name`` node id -> the value assigned to it."""
        if self._values is None:
            self._values = _assigned_values(self.root)
        return self._values

    def local_assignments(self, name: cst.Name) -> tuple[Assignment, ...]:
        """The bindings ``name`` refers to when they are not module-level ones."""
        scope = self.scopes.get(name)
        if scope is None or isinstance(scope, GlobalScope):
            return ()
        found = tuple(a for a in scope[name.value] if isinstance(a, Assignment))
        if not found or all(isinstance(a.scope, GlobalScope) for a in found):
            return ()
        return found


def _assigned_values(root: cst.CSTNode) -> dict[int, cst.BaseExpression]:
    values: dict[int, cst.BaseExpression] = {}
    stack = [root]
    while stack:
        node = stack.pop()
        if isinstance(node, cst.Assign):
            for target in node.targets:
                _record(values, target.target, node.value)
        elif isinstance(node, (cst.AnnAssign, cst.NamedExpr)) and node.value is not None:
            _record(values, node.target, node.value)
        stack.extend(cst_utils.child_nodes(node))
    return values


def _record(
    values: dict[int, cst.BaseExpression], target: cst.BaseExpression, value: cst.BaseExpression
) -> None:
    if isinstance(target, cst.Name):
        values[id(target)] = value
    elif isinstance(target, (cst.Tuple, cst.List)) and isinstance(value, (cst.Tuple, cst.List)):
        if len(target.elements) != len(value.elements):
            return
        for t, v in zip(target.elements, value.elements, strict=True):
            if isinstance(t, cst.StarredElement) or isinstance(v, cst.StarredElement):
                return
            _record(values, t.value, v.value)
