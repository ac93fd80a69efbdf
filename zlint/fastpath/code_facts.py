"""A second look, through CPython's own parser, at files whose text matched a hint.

The text tests of :mod:`zlint.fastpath.prefilter` cannot tell code from prose: ZenML's own source
shows ``@pipeline`` in docstrings, "pipeline (" in sentences and ``BaseStep`` in
annotations, and calls ``self.list_artifact_versions(...)`` on objects no rule can know to
be a client. A LibCST tree costs about ten times what the stdlib :mod:`ast` does, so each
file the text chose is parsed with :mod:`ast` first, and keeps its hint only if the code
itself holds the syntax the hint stands for.

Each test here accepts everything the text test accepts that is code (never less): the
facts only remove strings, comments and docstrings, and calls whose receiver no rule can
resolve (see :func:`_unresolvable`).
"""

from __future__ import annotations

import ast
import bisect
import re
from collections.abc import Iterable
from dataclasses import dataclass

from zlint.inputs import source

_FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef)
_COMPREHENSIONS = (ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)
_NO_PARAMS: frozenset[str] = frozenset()
_Item = tuple[ast.AST, frozenset[str], bool]


@dataclass(frozen=True)
class CodeFacts:
    """What one file's code holds, as far as the prefilter's hints go."""

    #: A step or pipeline decorator, a ``step(...)`` call, an alias of those names, a
    #: ``BaseStep`` subclass or an ``entrypoint`` method (see ``prefilter.ZENML_SYNTAX``).
    zenml_syntax: bool
    #: The names every call is spelled with: ``f`` of ``f(...)``, ``m`` of ``x.m(...)``.
    called: frozenset[str]
    #: Methods called with a positional first argument on a receiver a rule may resolve.
    positional_methods: frozenset[str]
    #: Some of that syntax stands inside a function's body (the function may be a step
    #: factory).
    in_functions: bool = False


class _Everything(frozenset[str]):
    """Holds every name: the facts of a file :mod:`ast` cannot parse."""

    def __contains__(self, name: object) -> bool:
        return True


#: The facts of a file :mod:`ast` cannot parse: the text tests decide alone.
EVERYTHING = CodeFacts(True, _Everything(), _Everything(), in_functions=True)


def code_facts(
    text: str, names: Iterable[str], modules: Iterable[str], needles: Iterable[str]
) -> CodeFacts | None:
    """The facts of ``text``, given the step and pipeline decorator names and the names
    ZenML's package is imported as; None when :mod:`ast` cannot parse it (the caller then
    trusts its text tests, and the file's tree reports the error).

    Only code on lines that hold one of ``needles`` is looked at (everything the text
    tests matched is on such a line): ``called`` and ``positional_methods`` hold the
    needles' calls, and ``zenml_syntax`` is right when the needles include ``names`` and
    :data:`SYNTAX_WORDS`. A large module is mostly skipped this way."""
    if len(text) > source.MAX_TREE_CHARS or "\x00" in text:
        return None  # no tree is built for it anyway; its syntax check says why
    tree = source.parse_ast(text)
    if tree is None:
        return None
    lines = _lines_holding(text, needles)
    return _Walk(tuple(names), frozenset(modules), lines).facts(tree)


#: Words whose lines the walk must see for ``zenml_syntax``, besides the decorator names.
SYNTAX_WORDS = ("BaseStep", "entrypoint")

_NEWLINE = re.compile(r"\r\n|\r|\n")  # what CPython counts as line ends, no more


def _lines_holding(text: str, needles: Iterable[str]) -> list[int]:
    """The 1-based numbers of the lines that hold a needle, sorted."""
    starts = [0, *(m.end() for m in _NEWLINE.finditer(text))]
    found: set[int] = set()
    for needle in needles:
        index = text.find(needle)
        while index >= 0:
            found.add(bisect.bisect_right(starts, index))
            index = text.find(needle, index + len(needle))
    return sorted(found)


class _Walk:
    def __init__(self, names: tuple[str, ...], modules: frozenset[str], lines: list[int]) -> None:
        self.names = names
        self.modules = modules
        self.lines = lines
        self.syntax = False
        self.in_functions = False
        self._inside = False  # whether the node being looked at is in a function's body
        self.called: set[str] = set()
        self.positional: set[str] = set()

    def _found(self) -> None:
        self.syntax = True
        self.in_functions = self.in_functions or self._inside

    def _seen(self, node: ast.AST) -> bool:
        """Whether ``node`` spans a line holding a needle (nodes without lines: yes)."""
        start = getattr(node, "lineno", None)
        if start is None:
            return True
        decorators = getattr(node, "decorator_list", None)
        if decorators:  # a definition's `lineno` is its `def` line, after the decorators
            start = min(start, *(d.lineno for d in decorators))
        end = getattr(node, "end_lineno", None) or start
        index = bisect.bisect_left(self.lines, start)
        return index < len(self.lines) and self.lines[index] <= end

    def facts(self, tree: ast.Module) -> CodeFacts:
        # (node, the parameters of the innermost function that no rule can resolve, whether
        # it stands in a function's body)
        stack: list[_Item] = [(tree, _NO_PARAMS, False)]
        while stack:
            node, params, self._inside = stack.pop()
            if not self._seen(node):
                continue
            if isinstance(node, ast.Call):
                self._call(node, params)
            elif isinstance(node, _FUNCTIONS):
                self._function(node, params, stack)
                continue
            elif isinstance(node, ast.Lambda):
                self._lambda(node, params, stack)
                continue
            elif isinstance(node, ast.ClassDef):
                self._class(node, params, stack)
                continue
            elif isinstance(node, _COMPREHENSIONS):
                params = params - _comprehension_targets(node)
            elif isinstance(node, (ast.Import, ast.ImportFrom)):
                self._import(node)
            elif isinstance(node, (ast.Assign, ast.AnnAssign)) and node.col_offset == 0:
                self._alias(node.value)
            stack.extend((child, params, self._inside) for child in ast.iter_child_nodes(node))
        return CodeFacts(
            self.syntax, frozenset(self.called), frozenset(self.positional), self.in_functions
        )

    # -- what makes ZenML syntax ---------------------------------------------------------

    def _holds_name(self, own_name: str) -> bool:
        return any(name in own_name for name in self.names)

    def _decorators(self, decorators: list[ast.expr]) -> None:
        """A decorator whose own name holds a step or pipeline name (``@tracked_step``)."""
        for decorator in decorators:
            func = decorator
            while isinstance(func, ast.Call):
                func = func.func
            if isinstance(func, ast.Name):
                own = func.id
            elif isinstance(func, ast.Attribute):
                own = func.attr
            else:
                self._found()  # `@registry["step"]`: whatever it is, keep the file
                continue
            if self._holds_name(own):
                self._found()

    def _is_zenml_name(self, expr: ast.expr) -> bool:
        """``step``, or ``zenml.step`` through ZenML's module (or its alias)."""
        if isinstance(expr, ast.Name):
            return expr.id in self.names
        if isinstance(expr, ast.Attribute) and expr.attr in self.names:
            return _root_name(expr.value) in self.modules
        return False

    def _alias(self, value: ast.expr | None) -> None:
        """``my_step = zenml.step`` at the top of the module (as the text test has it: an
        unindented line): a name that makes steps elsewhere in the module."""
        if value is not None and self._is_zenml_name(value):
            self._found()

    def _import(self, node: ast.Import | ast.ImportFrom) -> None:
        """``from zenml import step as zenml_step``."""
        for alias in node.names:
            if alias.asname is not None and alias.name.rsplit(".", 1)[-1] in self.names:
                self._found()

    # -- calls ---------------------------------------------------------------------------

    def _call(self, call: ast.Call, params: frozenset[str]) -> None:
        func = call.func
        if isinstance(func, ast.Name):
            self.called.add(func.id)
        elif isinstance(func, ast.Attribute):
            self.called.add(func.attr)
            positional = bool(call.args) and not isinstance(call.args[0], ast.Starred)
            if positional and not _unresolvable(func.value, params):
                self.positional.add(func.attr)
        if self._is_zenml_name(func):
            self._found()

    # -- scopes --------------------------------------------------------------------------

    def _function(
        self,
        node: ast.FunctionDef | ast.AsyncFunctionDef,
        params: frozenset[str],
        stack: list[_Item],
    ) -> None:
        self._decorators(node.decorator_list)
        if node.name == "entrypoint":
            self._found()  # a `BaseStep` subclass's step function
        # Decorators, defaults and annotations run in the enclosing scope; the body in its own.
        outer: list[ast.AST] = [*node.decorator_list, *_defaults(node.args)]
        outer += [a.annotation for a in _parameters(node.args) if a.annotation is not None]
        if node.returns is not None:
            outer.append(node.returns)
        stack.extend((child, params, self._inside) for child in outer)
        inner = _unannotated(node.args)
        stack.extend((child, inner, True) for child in node.body)

    def _lambda(self, node: ast.Lambda, params: frozenset[str], stack: list[_Item]) -> None:
        stack.extend((child, params, self._inside) for child in _defaults(node.args))
        stack.append((node.body, _unannotated(node.args), True))

    def _class(
        self,
        node: ast.ClassDef,
        params: frozenset[str],
        stack: list[_Item],
    ) -> None:
        self._decorators(node.decorator_list)
        for base in (*node.bases, *(k.value for k in node.keywords)):
            if any(_spells(n, "BaseStep") for n in ast.walk(base)):
                self._found()
        outer = [*node.decorator_list, *node.bases, *node.keywords]
        stack.extend((child, params, self._inside) for child in outer)
        # A class body binds names of its own: nothing of the enclosing function is known.
        stack.extend((child, _NO_PARAMS, self._inside) for child in node.body)


def _spells(node: ast.AST, name: str) -> bool:
    return (isinstance(node, ast.Name) and node.id == name) or (
        isinstance(node, ast.Attribute) and node.attr == name
    )


def _root_name(expr: ast.expr) -> str | None:
    """``a`` of ``a.b.c``, ``a().b`` and ``a.b().c``; None when the chain starts elsewhere."""
    while True:
        if isinstance(expr, ast.Attribute):
            expr = expr.value
        elif isinstance(expr, ast.Call):
            expr = expr.func
        elif isinstance(expr, ast.Name):
            return expr.id
        else:
            return None


def _unresolvable(receiver: ast.expr, params: frozenset[str]) -> bool:
    """Whether no rule can know what ``receiver`` is (``zlint.model.scoped_names`` follows
    names, attributes and calls only, and gives an unannotated parameter no meaning): a
    chain that does not start at a name, or starts at such a parameter (``self``) of the
    function the call is in. Any other binding of that name in the function leaves the
    parameter's meaning among its meanings, which already makes the name unknown."""
    root = _root_name(receiver)
    return root is None or root in params


def _parameters(args: ast.arguments) -> list[ast.arg]:
    found = [*args.posonlyargs, *args.args, *args.kwonlyargs]
    found += [a for a in (args.vararg, args.kwarg) if a is not None]
    return found


def _defaults(args: ast.arguments) -> list[ast.expr]:
    return [*args.defaults, *(d for d in args.kw_defaults if d is not None)]


def _unannotated(args: ast.arguments) -> frozenset[str]:
    """Parameters whose annotation names no class (``scoped_names`` resolves only a name or
    an attribute chain there): their value is unknown."""
    return frozenset(
        a.arg for a in _parameters(args) if not isinstance(a.annotation, (ast.Name, ast.Attribute))
    )


def _comprehension_targets(node: ast.AST) -> frozenset[str]:
    generators: list[ast.comprehension] = getattr(node, "generators", [])
    return frozenset(
        n.id for g in generators for n in ast.walk(g.target) if isinstance(n, ast.Name)
    )
