"""How a step's parameters reach a value it writes into its output's metadata, and whether
that value tells two calls apart.

A metadata value identifies a call only if it differs between the calls. Three ways a
parameter can reach it:

- **identity** (:data:`IDENTITY`): the parameter itself, or a form that keeps it apart from
  other values: ``str(p)``, an f-string or ``"...".format(p)`` around it, ``"_".join([..])``,
  a string concatenated to it, a dict, list, tuple or set holding it. Calls that pass
  different values write different metadata.
- **folded** (:data:`FOLDED`): an expression zlint can evaluate for each call from the values
  it passes: comparisons, ``and``/``or``/``not``, conditional expressions
  (``{"resampled": split == "train"}`` is True, False, False over train, val, test: the last
  two collide).
- **computed** (:data:`COMPUTED`): anything else (arithmetic, ``len()``, other calls, model
  outputs, an item or attribute of the parameter): the value is not known to differ, so it
  tells no calls apart.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import libcst as cst

from zlint.model import cst_utils

IDENTITY = "identity"
FOLDED = "folded"
COMPUTED = "computed"

#: A pseudo-parameter for values that differ between any two invocations by construction:
#: the running step run's name (the invocation id) or id, read from the step context.
INVOCATION = "<invocation>"

#: Calls whose result keeps its arguments apart (``str(p)``, ``dict(split=p)``).
_IDENTITY_CALLS = frozenset({"str", "repr", "dict", "list", "tuple", "set", "frozenset"})
#: String methods whose result keeps their arguments apart (``"{}-x".format(p)``).
_IDENTITY_METHODS = frozenset({"format", "join"})


@dataclass(frozen=True)
class Flow:
    """One way parameters reach a metadata value."""

    kind: str
    #: The step parameters (or :data:`INVOCATION`) the value depends on.
    params: tuple[str, ...]
    #: ``FOLDED``: the expression, and which parameter each name in it stands for.
    expr: cst.BaseExpression | None = None
    names: tuple[tuple[str, str], ...] = ()
    #: The metadata value's code (``len(weekly)``), for messages; set where it is written.
    shown: str = ""

    def as_computed(self) -> Flow:
        return Flow(COMPUTED, self.params, shown=self.shown)

    def showing(self, code: str) -> Flow:
        return Flow(self.kind, self.params, self.expr, self.names, code)


def identity(param: str) -> Flow:
    return Flow(IDENTITY, (param,))


def computed(flows: Iterable[Flow]) -> set[Flow]:
    return {flow.as_computed() for flow in flows}


class FlowReader:
    """Reads the flows of an expression, given the flows of the names it uses."""

    def __init__(
        self,
        lookup: Callable[[str], set[Flow]],
        per_invocation: Callable[[cst.Attribute], bool],
        call_result: Callable[[cst.Call], set[Flow] | None] = lambda call: None,
    ) -> None:
        self.lookup = lookup
        self.per_invocation = per_invocation
        #: The flows of what a call of the project's own function returns, when known.
        self.call_result = call_result

    def flows(self, expr: cst.CSTNode) -> set[Flow]:
        if isinstance(expr, cst.Name):
            return set(self.lookup(expr.value))
        if isinstance(expr, (cst.SimpleString, cst.Integer, cst.Float, cst.Imaginary)):
            return set()
        if isinstance(expr, cst.FormattedString):
            return self._union(
                part.expression
                for part in expr.parts
                if isinstance(part, cst.FormattedStringExpression)
            )
        if isinstance(expr, cst.ConcatenatedString):
            return self.flows(expr.left) | self.flows(expr.right)
        if isinstance(expr, (cst.Dict, cst.List, cst.Tuple, cst.Set)):
            return self._union(_display_items(expr))
        if isinstance(expr, cst.Attribute):
            if self.per_invocation(expr):
                return {identity(INVOCATION)}
            return computed(self.flows(expr.value))
        if isinstance(expr, cst.Subscript):
            # `questions[index]`: looked up by the parameter, so it follows the parameter; what
            # it is looked up in is only known to be computed.
            keys = self._union(e for element in expr.slice for e in _expression_children(element))
            return keys | computed(self.flows(expr.value))
        if isinstance(expr, cst.Call):
            return self._call(expr)
        if isinstance(expr, cst.BinaryOperation):
            return self._binary(expr)
        if isinstance(expr, (cst.Comparison, cst.BooleanOperation, cst.IfExp)) or (
            isinstance(expr, cst.UnaryOperation) and isinstance(expr.operator, cst.Not)
        ):
            return self._folded(expr)
        return computed(self._union(_expression_children(expr)))

    def _union(self, exprs: Iterable[cst.CSTNode]) -> set[Flow]:
        found: set[Flow] = set()
        for expr in exprs:
            found |= self.flows(expr)
        return found

    def _call(self, call: cst.Call) -> set[Flow]:
        args = self._union(arg.value for arg in call.args)
        func = call.func
        if isinstance(func, cst.Name) and func.value in _IDENTITY_CALLS:
            return args
        if (
            isinstance(func, cst.Attribute)
            and func.attr.value in _IDENTITY_METHODS
            and isinstance(func.value, (cst.SimpleString, cst.ConcatenatedString))
        ):
            return args
        returned = self.call_result(call)
        if returned is not None:
            return returned  # a project function: what it returns, as its body builds it
        return computed(args | self.flows(func))

    def _binary(self, expr: cst.BinaryOperation) -> set[Flow]:
        both = self.flows(expr.left) | self.flows(expr.right)
        strings = (cst.SimpleString, cst.FormattedString, cst.ConcatenatedString)
        if isinstance(expr.operator, cst.Add) and (
            isinstance(expr.left, strings) or isinstance(expr.right, strings)
        ):
            return both  # joining onto a string keeps the value apart
        if isinstance(expr.operator, cst.Modulo) and isinstance(expr.left, strings):
            return both  # "%s-x" % p
        return computed(both)

    def _folded(self, expr: cst.BaseExpression) -> set[Flow]:
        """An expression evaluated per call, when every name in it stands for a parameter."""
        names: dict[str, str] = {}
        inner: set[Flow] = set()
        for name in _names_in(expr):
            if name in _CONSTANTS:
                continue
            found = self.lookup(name)
            inner |= found
            alias = [f for f in found if f.kind == IDENTITY and f.params != (INVOCATION,)]
            if len(found) != 1 or len(alias) != 1:
                return computed(inner | self._rest(expr))
            names[name] = alias[0].params[0]
        if not names:
            return set()
        params = tuple(sorted(set(names.values())))
        return {Flow(FOLDED, params, expr, tuple(sorted(names.items())))}

    def _rest(self, expr: cst.BaseExpression) -> set[Flow]:
        return self._union(_expression_children(expr))


# -- evaluating a folded flow for one call --------------------------------------------------

#: What :func:`fold` returns when it cannot evaluate an expression.
UNKNOWN = object()
_CONSTANTS: dict[str, object] = {"True": True, "False": False, "None": None}
_COMPARISONS: dict[type[cst.BaseCompOp], Callable[[Any, Any], object]] = {
    cst.Equal: operator.eq,
    cst.NotEqual: operator.ne,
    cst.LessThan: operator.lt,
    cst.LessThanEqual: operator.le,
    cst.GreaterThan: operator.gt,
    cst.GreaterThanEqual: operator.ge,
    cst.Is: operator.is_,
    cst.IsNot: operator.is_not,
    cst.In: lambda a, b: _contains(b, a),
    cst.NotIn: lambda a, b: not _contains(b, a),
}


def _contains(container: object, item: object) -> bool:
    if not isinstance(container, (str, tuple, frozenset, list, set, dict)):
        raise TypeError("not a container")
    return item in container


def fold(expr: cst.BaseExpression, env: Mapping[str, object]) -> object:
    """The value of ``expr`` with its names bound by ``env``, or :data:`UNKNOWN`."""
    try:
        return _fold(expr, env)
    except Exception:  # a comparison of odd types, a division by zero: not known
        return UNKNOWN


def _fold(expr: cst.BaseExpression, env: Mapping[str, object]) -> object:
    if isinstance(expr, cst.Name):
        if expr.value in env:
            return env[expr.value]
        return _CONSTANTS.get(expr.value, UNKNOWN)
    literal = _literal(expr)
    if literal is not UNKNOWN:
        return literal
    if isinstance(expr, cst.Comparison):
        left = _fold(expr.left, env)
        for target in expr.comparisons:
            right = _fold(target.comparator, env)
            compare = _COMPARISONS.get(type(target.operator))
            if UNKNOWN in (left, right) or compare is None:
                return UNKNOWN
            if not compare(left, right):
                return False
            left = right
        return True
    if isinstance(expr, cst.BooleanOperation):
        left = _fold(expr.left, env)
        if left is UNKNOWN:
            return UNKNOWN
        if isinstance(expr.operator, cst.And):
            return _fold(expr.right, env) if left else left
        return left if left else _fold(expr.right, env)
    if isinstance(expr, cst.UnaryOperation) and isinstance(expr.operator, cst.Not):
        value = _fold(expr.expression, env)
        return UNKNOWN if value is UNKNOWN else not value
    if isinstance(expr, cst.IfExp):
        test = _fold(expr.test, env)
        if test is UNKNOWN:
            return UNKNOWN
        return _fold(expr.body if test else expr.orelse, env)
    if isinstance(expr, (cst.List, cst.Tuple, cst.Set)):
        items = [_fold(e.value, env) for e in expr.elements if isinstance(e, cst.Element)]
        if len(items) != len(expr.elements) or UNKNOWN in items:
            return UNKNOWN
        return tuple(items) if not isinstance(expr, cst.Set) else frozenset(items)
    return UNKNOWN


def _literal(expr: cst.BaseExpression) -> object:
    if isinstance(expr, (cst.Integer, cst.Float)):
        return cst_utils.number(expr)
    if isinstance(expr, (cst.SimpleString, cst.ConcatenatedString)):
        text = cst_utils.literal_string(expr)
        return UNKNOWN if text is None else text
    if isinstance(expr, cst.UnaryOperation) and isinstance(expr.operator, cst.Minus):
        inner = _literal(expr.expression)
        return -inner if isinstance(inner, (int, float)) else UNKNOWN
    return UNKNOWN


def _display_items(expr: cst.Dict | cst.List | cst.Tuple | cst.Set) -> Iterable[cst.CSTNode]:
    for element in expr.elements:
        if isinstance(element, cst.DictElement):
            yield element.key
            yield element.value
        else:
            yield element.value


def _expression_children(node: cst.CSTNode) -> Iterable[cst.CSTNode]:
    """The expressions directly inside ``node`` (an argument's value, not its keyword)."""
    for child in cst_utils.child_nodes(node):
        if isinstance(child, cst.Arg):
            yield child.value
        elif isinstance(child, cst.BaseExpression):
            yield child
        else:
            yield from _expression_children(child)


def _names_in(expr: cst.CSTNode) -> list[str]:
    found: list[str] = []
    stack: list[cst.CSTNode] = [expr]
    while stack:
        node = stack.pop()
        if isinstance(node, cst.Name):
            found.append(node.value)
        elif isinstance(node, cst.Attribute):
            stack.append(node.value)  # `a.b`: only `a` is a name of the expression
        elif isinstance(node, cst.Arg):
            stack.append(node.value)  # `f(x=1)`: the keyword is no name
        else:
            stack.extend(cst_utils.child_nodes(node))
    return found
