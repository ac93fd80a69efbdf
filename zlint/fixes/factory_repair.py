"""ZL004's fix (unsafe): rewrite a simple step factory into the form ZenML can load.

Simple means: a factory defined at the top level of its module whose body is one inner
``@step`` function (after an optional docstring) followed by ``return <that function>``,
and whose every known call passes literal arguments, the first one a short word (a string
or a number) that tells the calls apart. The inner function loses its decorator; the factory
gives it a unique ``__name__`` built from the first parameter, binds it in the module's
globals and returns it::

    def create_split_step(prefix: str):
        def split_step(data: Any) -> Annotated[dict, ArtifactConfig(name=f"{prefix}_artifact")]:
            ...

        split_step.__name__ = split_step.__qualname__ = f"split_step_{prefix}"
        globals()[split_step.__name__] = step(split_step)
        return globals()[split_step.__name__]


    split_step_train = create_split_step("train")

Each call in a pipeline body, or at the top level of another module, is replaced by the
module-level step it needs (``split_step_train``, imported from the defining module), so the
steps exist as soon as that module is imported, which is what a remote orchestrator does.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

import libcst as cst

from zlint.fixes import common
from zlint.model import cst_utils
from zlint.model.factories import Factory
from zlint.model.modules import ModuleInfo
from zlint.types import Applicability, Fix, ImportEdit, NodeReplacement

if TYPE_CHECKING:
    from zlint.rules.base import RuleContext


@dataclass(frozen=True)
class FactoryCall:
    """A call of the factory zlint can replace by a module-level step."""

    module: ModuleInfo
    call: cst.Call


def repair(ctx: RuleContext, factory: Factory, calls: list[FactoryCall]) -> Fix | None:
    """The fix for ``factory`` and the ``calls`` found of it, or None when it is not simple."""
    shape = _shape(ctx, factory)
    tree = factory.module.tree
    if shape is None or tree is None or not calls:
        return None
    inner, decorator, parameter = shape
    name = inner.name.value
    instances: dict[str, str] = {}  # instance -> the code of the call's arguments
    edits: list[tuple[FactoryCall, str]] = []
    for found in calls:
        suffix = _suffix(found.call, parameter)
        arguments = _literal_arguments(found.call)
        if suffix is None or arguments is None:
            return None
        instance = f"{name}_{suffix}"
        if instances.setdefault(instance, arguments) != arguments:
            return None  # two calls share a name but not their arguments
        edits.append((found, instance))
    if any(_taken(module, instance) for found, instance in edits for module in (found.module,)):
        return None
    if any(_taken(factory.module, instance) for instance in instances):
        return None
    replacements: list[NodeReplacement] = []
    imports: list[ImportEdit] = []
    own_module: dict[int, cst.CSTNode] = {}
    for found, instance in edits:
        if found.module.path == factory.module.path:
            own_module[id(found.call)] = cst.Name(instance)
        else:
            replacements.append(NodeReplacement(found.module.path, found.call, cst.Name(instance)))
            imports.append(ImportEdit(found.module.path, factory.module.qualname, instance))
    new_factory = _loadable(factory.function, inner, decorator)
    lines = [f"{instance} = {factory.name}({args})\n" for instance, args in instances.items()]
    statements = [cst.parse_statement(line) for line in lines]
    statements[0] = statements[0].with_changes(leading_lines=[cst.EmptyLine(), cst.EmptyLine()])
    new_tree = common.module_with(tree, factory.function, [new_factory, *statements], own_module)
    replacements.insert(0, NodeReplacement(factory.module.path, tree, new_tree))
    message = (
        f"Give the steps of `{factory.name}` a unique `__name__`, bind them in "
        f"`{factory.module.qualname}` and create {common.listed(list(instances))} at its top "
        "level, where every orchestrator finds them"
    )
    return Fix(Applicability.UNSAFE, message, tuple(replacements), tuple(imports))


def is_call_of(ctx: RuleContext, module: ModuleInfo, node: cst.CSTNode, factory: Factory) -> bool:
    """Whether ``node`` is a direct call of ``factory`` (not a helper around it)."""
    if not isinstance(node, cst.Call):
        return False
    sym = ctx.project.resolve_expr(module, node.func)
    return getattr(sym, "node", None) is factory.function


def _shape(
    ctx: RuleContext, factory: Factory
) -> tuple[cst.FunctionDef, cst.BaseExpression, str] | None:
    """The inner step function, its decorator and the factory's first parameter."""
    tree = factory.module.tree
    function = factory.function
    if tree is None or not any(statement is function for statement in tree.body):
        return None
    body = function.body
    if not isinstance(body, cst.IndentedBlock) or len(factory.steps) != 1:
        return None
    statements = list(body.body)
    if statements and common.is_docstring(statements[0]):
        statements = statements[1:]
    if len(statements) != 2 or not isinstance(statements[0], cst.FunctionDef):
        return None
    inner = statements[0]
    if factory.steps[0].node is not inner or len(inner.decorators) != 1:
        return None
    kind = ctx.definitions.decorator_kind(factory.module, inner.decorators[0].decorator)
    if kind is None or kind[0] != "step" or not _returns(statements[1], inner.name.value):
        return None
    params = function.params
    star = params.star_arg is not cst.MaybeSentinel.DEFAULT
    if not params.params or star or params.kwonly_params or params.star_kwarg:
        return None
    return inner, inner.decorators[0].decorator, params.params[0].name.value


def _returns(statement: cst.BaseStatement, name: str) -> bool:
    return (
        isinstance(statement, cst.SimpleStatementLine)
        and len(statement.body) == 1
        and isinstance(statement.body[0], cst.Return)
        and cst_utils.is_name(statement.body[0].value or cst.Name("None"), name)
    )


def _suffix(call: cst.Call, parameter: str) -> str | None:
    arg = cst_utils.keyword(call, parameter)
    positional = cst_utils.positional(call)
    value = arg.value if arg is not None else positional[0].value if positional else None
    text = cst_utils.literal_string(value) if value is not None else None
    if text is None and isinstance(value, cst.Integer):
        text = value.value
    return text if text is not None and re.fullmatch(r"\w{1,40}", text) else None


def _literal_arguments(call: cst.Call) -> str | None:
    """The call's arguments as code, when every one of them is a literal."""
    for arg in call.args:
        if arg.star or not _is_literal(arg.value):
            return None
    return ", ".join(
        cst.Module([]).code_for_node(arg.with_changes(comma=cst.MaybeSentinel.DEFAULT))
        for arg in call.args
    )


def _is_literal(node: cst.BaseExpression) -> bool:
    if isinstance(node, (cst.SimpleString, cst.Integer, cst.Float)):
        return True
    if isinstance(node, cst.ConcatenatedString):
        return cst_utils.literal_string(node) is not None
    if isinstance(node, cst.Name):
        return node.value in ("True", "False", "None")
    if isinstance(node, cst.UnaryOperation):
        return isinstance(node.expression, (cst.Integer, cst.Float))
    if isinstance(node, (cst.List, cst.Tuple)):
        return all(
            not isinstance(e, cst.StarredElement) and _is_literal(e.value) for e in node.elements
        )
    return False


def _taken(module: ModuleInfo, name: str) -> bool:
    return name in module.bindings


def _loadable(
    function: cst.FunctionDef, inner: cst.FunctionDef, decorator: cst.BaseExpression
) -> cst.FunctionDef:
    name = inner.name.value
    parameter = function.params.params[0].name.value
    decorator_code = cst.Module([]).code_for_node(decorator)
    tail = cst.parse_module(
        f'{name}.__name__ = {name}.__qualname__ = f"{name}_{{{parameter}}}"\n'
        f"globals()[{name}.__name__] = {decorator_code}({name})\n"
        f"return globals()[{name}.__name__]\n"
    ).body
    body = cst.ensure_type(function.body, cst.IndentedBlock)
    statements: list[cst.BaseStatement] = []
    for statement in body.body:
        if statement is inner:
            statements.append(inner.with_changes(decorators=[]))
        elif isinstance(statement, cst.FunctionDef) or common.is_docstring(statement):
            statements.append(statement)
    first = tail[0].with_changes(leading_lines=[cst.EmptyLine(indent=False)])
    return function.with_changes(body=body.with_changes(body=[*statements, first, *tail[1:]]))
