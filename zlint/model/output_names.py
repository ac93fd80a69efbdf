"""How ZenML names a step's outputs, read from the return annotation as ZenML reads it.

ZenML evaluates the return annotation (a string annotation, and under ``from __future__
import annotations`` every annotation, in the globals of the step's module) and looks at
the object it gets (``parse_return_type_annotations``): ``Annotated[T, "name"]`` or
``Annotated[T, ArtifactConfig(name=...)]`` names the output, and ``Tuple[...]`` is several
outputs when the function returns a tuple literal. So a type alias names an output exactly
like the annotation it stands for, wherever it is defined: ``Features = Annotated[...]``,
``Features: TypeAlias = ...``, an alias of an alias, a tuple alias, imported, re-exported or
reached as ``types.Features``; and so does a module-level ``ArtifactConfig`` object in
``Annotated[T, CFG]``. Verified with ZenML 0.98, these give the *default* name, because
ZenML does not look into them: ``Optional[Annotated[T, "x"]]``, ``Annotated[T, "x"] | None``,
a PEP 695 ``type Features = Annotated[...]`` alias (a ``TypeAliasType``, with or without the
future import), and a string nested in a live annotation (``Tuple["A", "B"]`` without the
future import holds forward references).

A name zlint cannot work out is :data:`DYNAMIC`, never a guess: a name bound inside the
function or class that defines a nested step (its annotation sees that binding, not the
module's), a string met in another module, a value computed from unknown parts.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Iterator
from dataclasses import dataclass

import libcst as cst

from zlint.model import cst_utils, zenml_api
from zlint.model.constants import STRING_METHODS, const_string
from zlint.model.fast_visit import fast_visit
from zlint.model.modules import ModuleInfo
from zlint.model.project import Project
from zlint.model.scoped_names import ScopedNames, enclosing_statement
from zlint.model.symbols import ValueSym, qualname_of

_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")
_MAX_DEPTH = 20


@dataclass(frozen=True)
class Output:
    """One step output. ``key`` is what ZenML calls it inside the step (the custom name, or
    ``output`` / ``output_i``); ``custom_name`` is the name template as written, ``None``
    when the output is unnamed, and ``DYNAMIC`` when it cannot be known before run time."""

    key: str
    custom_name: str | None
    #: The part of the step's own annotation that holds this output (the whole annotation
    #: when an alias or a string annotation holds it).
    node: cst.CSTNode | None = None
    #: The expression in the step's own annotation that spells the custom name: a string,
    #: a constant, ``name=``'s value, or the alias or config object the name comes from.
    #: None when no expression of the annotation spells it (a string annotation).
    name_node: cst.CSTNode | None = None

    @property
    def is_custom(self) -> bool:
        return self.custom_name is not None

    @property
    def is_dynamic(self) -> bool:
        return self.custom_name == DYNAMIC

    @property
    def placeholders(self) -> tuple[str, ...]:
        if self.custom_name is None or self.is_dynamic:
            return ()
        return tuple(_PLACEHOLDER.findall(self.custom_name))


DYNAMIC = "<dynamic>"


class _Seen(enum.Enum):
    """What a type expression is when it is not one zlint can look into."""

    #: ZenML sees no name here: the default name.
    UNNAMED = "unnamed"
    #: zlint cannot tell.
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class _Expr:
    """A type (or name) expression, where it stands, and how ZenML evaluates it."""

    node: cst.BaseExpression
    module: ModuleInfo
    #: The expression of the step's own annotation that is ``node`` or leads to it (an
    #: alias's name); None when reached through a string annotation.
    written: cst.BaseExpression | None
    #: Strings in type positions are evaluated (in the step module's globals).
    evaluated: bool

    @property
    def in_step(self) -> bool:
        """Whether ``node`` stands in the step's own annotation."""
        return self.written is self.node

    def child(self, node: cst.BaseExpression) -> _Expr:
        """A part of this expression, in the same place."""
        return _Expr(node, self.module, node if self.in_step else self.written, self.evaluated)

    def through(self, node: cst.BaseExpression, module: ModuleInfo) -> _Expr:
        """The value a name of this expression stands for, defined elsewhere."""
        return _Expr(node, module, self.written, self.evaluated)


#: A custom name (or DYNAMIC) and the expression of the step's annotation that spells it.
_Named = tuple[str, cst.BaseExpression | None]


def read_outputs(
    project: Project,
    module: ModuleInfo,
    function: cst.FunctionDef,
    artifact_config: frozenset[str] = zenml_api.ARTIFACT_CONFIG,
) -> list[Output]:
    """The outputs ZenML gives the step function ``function`` of ``module``;
    ``artifact_config``: the paths of ``ArtifactConfig`` on the target's releases."""
    return list(_Reader(project, module, function, artifact_config).outputs())


class _Reader:
    """Reads one step function's return annotation."""

    def __init__(
        self,
        project: Project,
        module: ModuleInfo,
        function: cst.FunctionDef,
        artifact_config: frozenset[str] = zenml_api.ARTIFACT_CONFIG,
    ) -> None:
        self.project = project
        self.module = module
        self.function = function
        self.artifact_config = artifact_config
        tree = module.tree
        self.future = tree is not None and cst_utils.future_annotations(tree)
        self._names: ScopedNames | None = None

    def outputs(self) -> Iterator[Output]:
        annotation = self.function.returns.annotation if self.function.returns else None
        if annotation is None:
            # No annotation and nothing returned: ZenML sees no output.
            if _returns_value(self.function):
                yield Output("output", None)
            return
        if cst_utils.is_name(annotation, "None") or cst_utils.literal_string(annotation) == "None":
            return
        found = self.follow(_Expr(annotation, self.module, annotation, self.future), top=True)
        members = self._tuple_members(found) if isinstance(found, _Expr) else None
        if members is not None and _returns_tuple_literal(self.function):
            for index, member in enumerate(members):
                name, spelled = self._name(self.follow(member, top=False))
                key = name if name not in (None, DYNAMIC) else f"output_{index}"
                yield Output(key, name, member.written or annotation, spelled)
            return
        name, spelled = self._name(found)
        yield Output(name if name not in (None, DYNAMIC) else "output", name, annotation, spelled)

    # -- types -----------------------------------------------------------------------------

    def follow(self, expr: _Expr, top: bool, depth: int = 0) -> _Expr | _Seen:
        """The type expression ``expr`` stands for, through aliases and string annotations
        (``top``: the whole annotation, which ZenML evaluates even when it is a string)."""
        node = expr.node
        if depth > _MAX_DEPTH or isinstance(node, cst.Call):
            return _Seen.UNKNOWN
        if isinstance(node, (cst.SimpleString, cst.ConcatenatedString, cst.FormattedString)):
            return self._string_annotation(expr, top, depth)
        if isinstance(node, (cst.Name, cst.Attribute)):
            if self._bound_locally(expr, node):
                return _Seen.UNKNOWN
            sym = self.project.resolve_expr(expr.module, node)
            if isinstance(sym, ValueSym):
                if sym.scope is not None:  # a class attribute: not followed
                    return _Seen.UNKNOWN
                return self.follow(expr.through(sym.node, sym.module), top, depth + 1)
        return expr

    def _string_annotation(self, expr: _Expr, top: bool, depth: int) -> _Expr | _Seen:
        if not (top or expr.evaluated):
            return _Seen.UNNAMED  # a forward reference, which ZenML does not resolve
        text = cst_utils.literal_string(expr.node)
        # ZenML evaluates the string in the step module's globals.
        if text is None or expr.module is not self.module:
            return _Seen.UNKNOWN
        try:
            parsed = cst.parse_expression(text.strip())
        except Exception:  # whatever the text holds, it is the checked code's, not ours
            return _Seen.UNKNOWN
        return self.follow(_Expr(parsed, self.module, None, True), top, depth + 1)

    def _subscript(self, expr: _Expr, names: frozenset[str]) -> list[_Expr] | None:
        """The elements of ``expr`` when it is ``X[...]`` with ``X`` one of ``names``."""
        node = expr.node
        if not isinstance(node, cst.Subscript):
            return None
        if qualname_of(self.project.resolve_expr(expr.module, node.value)) not in names:
            return None
        elements: list[_Expr] = []
        for element in node.slice:
            if not isinstance(element.slice, cst.Index):
                return None
            elements.append(expr.child(element.slice.value))
        return elements

    def _tuple_members(self, expr: _Expr) -> list[_Expr] | None:
        members = self._subscript(expr, zenml_api.TUPLE)
        if members is None or any(isinstance(m.node, cst.Ellipsis) for m in members):
            return None
        return members

    def _annotated_extras(self, expr: _Expr, depth: int = 0) -> list[_Expr] | None:
        """The metadata of ``Annotated[T, ...]``, with ``T``'s own when ``T`` is an
        ``Annotated`` alias (Python flattens nested ``Annotated``)."""
        elements = self._subscript(expr, zenml_api.ANNOTATED)
        if not elements or depth > _MAX_DEPTH:
            return None
        inner = self.follow(elements[0], top=False)
        nested = self._annotated_extras(inner, depth + 1) if isinstance(inner, _Expr) else None
        return [*(nested or []), *elements[1:]]

    # -- names -----------------------------------------------------------------------------

    def _name(self, found: _Expr | _Seen) -> tuple[str | None, cst.BaseExpression | None]:
        """The custom name of one output whose annotation is ``found`` (None: unnamed)."""
        if found is _Seen.UNKNOWN:
            return DYNAMIC, None
        if found is _Seen.UNNAMED:
            return None, None
        assert isinstance(found, _Expr)
        extras = self._annotated_extras(found) or []
        named = [n for n in (self._extra_name(extra) for extra in extras) if n is not None]
        if len(named) > 1:
            return DYNAMIC, None  # ZenML refuses an annotation that names an output twice
        return named[0] if named else (None, None)

    def _extra_name(self, extra: _Expr, depth: int = 0) -> _Named | None:
        """What one metadata element of ``Annotated[...]`` names: a string, ZenML's
        ``ArtifactConfig(name=...)``, or a module-level value holding one of them."""
        node = extra.node
        if self._bound_locally(extra, node):
            return DYNAMIC, extra.written
        if isinstance(node, (cst.Name, cst.Attribute)) and depth < _MAX_DEPTH:
            sym = self.project.resolve_expr(extra.module, node)
            if isinstance(sym, ValueSym) and sym.scope is None and isinstance(sym.node, cst.Call):
                return self._extra_name(extra.through(sym.node, sym.module), depth + 1)
        if isinstance(node, cst.Call):
            qualname = qualname_of(self.project.resolve_expr(extra.module, node.func))
            if qualname in zenml_api.ARTIFACT_CONFIG and qualname not in self.artifact_config:
                return DYNAMIC, extra.written  # no such class on the target: name unknown
            if qualname in self.artifact_config:
                arg = cst_utils.keyword(node, "name")
                return self._string(extra.child(arg.value)) if arg is not None else None
        return self._string(extra)

    def _string(self, expr: _Expr) -> _Named | None:
        """A name given as a string expression: its value when constant, DYNAMIC when it
        is a string zlint cannot work out, None when it is no string at all."""
        if self._bound_locally(expr, expr.node):
            return DYNAMIC, expr.written
        text = const_string(self.project, expr.module, expr.node)
        if text is not None:
            return text, expr.written
        if _may_be_string(expr.node):
            return DYNAMIC, expr.written
        return None

    def _bound_locally(self, expr: _Expr, node: cst.BaseExpression) -> bool:
        """Whether a name in ``node`` is bound in the function or class that defines the
        step, so that its annotation sees that binding, not the module's. Strings and
        annotations under the future import are evaluated in the module's globals."""
        if not expr.in_step or expr.evaluated:
            return False
        root = enclosing_statement(self.module, self.function)
        if root is None:
            return False
        if self._names is None:
            self._names = ScopedNames(self.project, self.module)
        return any(self._names.is_local_in(name, root) for name in _free_names(node))


def _may_be_string(node: cst.BaseExpression) -> bool:
    """Whether ``node`` may evaluate to a string that names an output (a constant zlint
    cannot read, a formatted or concatenated string, a ``str`` method's result)."""
    if isinstance(node, cst.Call):
        return isinstance(node.func, cst.Attribute) and node.func.attr.value in STRING_METHODS
    return isinstance(
        node, (cst.Name, cst.Attribute, cst.FormattedString, cst.BinaryOperation, cst.Subscript)
    )


def _free_names(node: cst.BaseExpression) -> Iterator[cst.Name]:
    """The names ``node`` reads: not attribute names after a dot, nor keywords."""
    stack: list[cst.CSTNode] = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, cst.Name):
            yield current
        elif isinstance(current, (cst.Attribute, cst.Arg)):
            stack.append(current.value)
        else:
            stack.extend(cst_utils.child_nodes(current))


def _returns_tuple_literal(node: cst.FunctionDef) -> bool:
    """ZenML counts a ``Tuple[...]`` annotation as several outputs only if the function
    returns a tuple literal somewhere (``has_tuple_return``)."""

    class Finder(cst.CSTVisitor):
        found = False

        def visit_FunctionDef(self, inner: cst.FunctionDef) -> bool:
            return inner is node

        def visit_Lambda(self, inner: cst.Lambda) -> bool:
            return False

        def visit_Return(self, ret: cst.Return) -> None:
            # ZenML counts `return (x,)` as one output: a tuple needs two or more elements.
            if isinstance(ret.value, cst.Tuple) and len(ret.value.elements) > 1:
                self.found = True

    finder = Finder()
    fast_visit(node, finder)
    return finder.found


def _returns_value(node: cst.FunctionDef) -> bool:
    """Whether the function (not a nested one) has a ``return <value>`` other than None."""

    class Finder(cst.CSTVisitor):
        found = False

        def visit_FunctionDef(self, inner: cst.FunctionDef) -> bool:
            return inner is node

        def visit_Lambda(self, inner: cst.Lambda) -> bool:
            return False

        def visit_Return(self, ret: cst.Return) -> None:
            if ret.value is not None and not cst_utils.is_name(ret.value, "None"):
                self.found = True

    finder = Finder()
    fast_visit(node, finder)
    return finder.found
