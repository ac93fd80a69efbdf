"""ZL001's ``factory`` strategy (unsafe: artifact names change, the step becomes a factory).

The step's definition moves into a factory in the loadable form ZenML needs (see ZL004):
each generated entrypoint gets a unique ``__name__``, is bound in the globals of the module
that defines it, and the factory runs at that module's top level. Every colliding call gets
a module-level step of its own::

    def make_preprocess(prefix: str = ""):
        prefixed = f"{prefix}_" if prefix else ""

        def preprocess(rows: list) -> Annotated[dict, f"{prefixed}transformed_data"]:
            ...

        if prefix:
            preprocess.__name__ = preprocess.__qualname__ = f"preprocess_{prefix}"
        globals()[preprocess.__name__] = step(preprocess)
        return globals()[preprocess.__name__]


    preprocess = make_preprocess()
    preprocess_train = make_preprocess("train")

and the pipeline calls ``preprocess_train(...)``. ``make_preprocess()`` without a prefix
makes the original step again (same ``__name__``, same artifact name), so every other
caller keeps working. The body moves rather than being wrapped, so ZenML's cache key, which
hashes the entrypoint's source, still changes when the body does.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

import libcst as cst

from zlint.fixes import common
from zlint.fixes.options import FixOptions
from zlint.fixes.substitution import Group
from zlint.model import cst_utils
from zlint.model.definitions import StepDef
from zlint.model.modules import ModuleInfo
from zlint.model.output_names import Output
from zlint.types import Applicability, Fix, ImportEdit, NodeReplacement

if TYPE_CHECKING:
    from zlint.rules.base import RuleContext

_PREFIXED = "prefixed"


def factory_fix(
    ctx: RuleContext, options: FixOptions, step: StepDef, groups: Sequence[Group]
) -> Fix | common.NoFix:
    keys = [o.key for o in step.outputs if any(o.key in g.outputs for g in groups)]
    outputs = [o for o in step.outputs if o.key in keys]
    function = step.function
    tree = step.module.tree
    problem = _step_problem(ctx, options, step, outputs)
    if problem is not None or tree is None:
        return problem or common.NoFix("the step's module did not parse")
    name = function.name.value
    instances: dict[str, str] = {}  # instance name -> value, in call order
    calls: list[tuple[ModuleInfo, cst.Call, str]] = []
    for group in groups:
        values = common.call_values(ctx.project, group.analysis, step, group.invocations, None)
        if isinstance(values, common.NoFix):
            return values
        for value in values:
            if value.literal is None:
                return common.NoFix("a call inside a loop would need one step per iteration")
            if not re.fullmatch(r"\w+", value.literal):
                return common.NoFix(f"the value {value.literal!r} cannot be part of a name")
            instance = f"{name}_{value.literal}"
            instances.setdefault(instance, value.literal)
            calls.append((value.module, value.call, instance))
    taken = _taken_names(step, [m for m, _, _ in calls], instances)
    if taken is not None:
        return taken
    call_edits: dict[int, cst.CSTNode] = {}
    replacements: list[NodeReplacement] = []
    imports: list[ImportEdit] = []
    for module, call, instance in calls:
        func = _renamed(call.func, instance)
        if func is None:
            return common.NoFix("a call's step expression is not a plain name zlint can replace")
        new_call = call.with_changes(func=func)
        if module.path == step.module.path:
            call_edits[id(call)] = new_call
        else:
            replacements.append(NodeReplacement(module.path, call, new_call))
            imports.append(ImportEdit(module.path, step.module.qualname, instance))
    decorator = function.decorators[0].decorator
    factory = _factory(options, step, outputs, decorator)
    statements = [factory, *_instances(name, instances)]
    new_tree = common.module_with(tree, function, statements, call_edits)
    replacements.insert(0, NodeReplacement(step.module.path, tree, new_tree))
    message = (
        f"Turn `{name}` into the loadable factory `make_{name}` and call "
        f"{common.listed(list(instances))} instead, each naming "
        f"{common.listed([o.custom_name or o.key for o in outputs])} with its own prefix; "
        f"`{name} = make_{name}()` keeps the original step for other callers"
    )
    return Fix(Applicability.UNSAFE, message, tuple(replacements), tuple(imports))


def _step_problem(
    ctx: RuleContext, options: FixOptions, step: StepDef, outputs: list[Output]
) -> common.NoFix | None:
    function = step.function
    tree = step.module.tree
    if step.class_node is not None:
        return common.NoFix("a class-based step cannot be made by a factory function")
    if tree is None or not any(statement is function for statement in tree.body):
        return common.NoFix("the step is not defined at the top level of its module")
    decorators = function.decorators
    kind = (
        ctx.definitions.decorator_kind(step.module, decorators[0].decorator)
        if len(decorators) == 1
        else None
    )
    if kind is None or kind[0] != "step":
        return common.NoFix("the step has other decorators than `@step`")
    if cst_utils.future_annotations(tree):
        return common.NoFix(
            "`from __future__ import annotations` keeps the generated names from being "
            "evaluated where the factory defines them"
        )
    for output in outputs:
        if not isinstance(output.name_node, cst.SimpleString) or output.custom_name is None:
            return common.NoFix(f"the name of `{output.key}` is not a string literal")
        if common.mentions_string(function.body, output.custom_name):
            return common.NoFix(
                f"the step body refers to output `{output.key}` by name, which each "
                "generated step renames"
            )
    params = {p.name for p in step.params}
    for word in (options.parameter, _PREFIXED):
        if word not in params and _mentions_name(function, word):
            return common.NoFix(f"the step uses a name `{word}` that the factory would hide")
    return None


def _taken_names(
    step: StepDef, call_modules: list[ModuleInfo], instances: dict[str, str]
) -> common.NoFix | None:
    """A name the fix would bind that the step's module or a calling module already has."""
    words = {module.path: list(instances) for module in call_modules}
    words[step.module.path] = [*instances, f"make_{step.function.name.value}"]
    modules = {module.path: module for module in [step.module, *call_modules]}
    for path, names in words.items():
        for word in names:
            if word in modules[path].bindings:
                return common.NoFix(f"`{word}` is already a name in `{modules[path].qualname}`")
    return None


def _renamed(func: cst.BaseExpression, instance: str) -> cst.BaseExpression | None:
    """The call's step expression with the step replaced by ``instance``."""
    if isinstance(func, (cst.Name, cst.Attribute)):
        return cst.Name(instance)
    if isinstance(func, cst.Call) and isinstance(func.func, cst.Attribute):
        inner = _renamed(func.func.value, instance)
        if inner is None:
            return None
        return func.with_changes(func=func.func.with_changes(value=inner))
    return None


def _factory(
    options: FixOptions, step: StepDef, outputs: list[Output], decorator: cst.BaseExpression
) -> cst.FunctionDef:
    function = step.function
    name = function.name.value
    prefix = options.parameter
    names = {id(o.name_node): o.custom_name or "" for o in outputs}
    returns = function.returns
    new_returns = returns.visit(_Prefixed(names)) if returns is not None else None
    inner = function.with_changes(
        decorators=[],
        returns=new_returns,
        leading_lines=[cst.EmptyLine(indent=False)],
    )
    decorator_code = cst.Module([]).code_for_node(decorator)
    code = (
        f'def make_{name}({prefix}: str = ""):\n'
        f'    """`{name}`, or with a {prefix} a step of its own whose artifact names start '
        f"with it.\n\n"
        "    Each step gets a unique `__name__`, bound in this module when it is imported:\n"
        '    ZenML imports the module again to run the step."""\n'
        f'    {_PREFIXED} = f"{{{prefix}}}_" if {prefix} else ""\n'
        "    pass\n\n"
        f"    if {prefix}:\n"
        f'        {name}.__name__ = {name}.__qualname__ = f"{name}_{{{prefix}}}"\n'
        f"    globals()[{name}.__name__] = {decorator_code}({name})\n"
        f"    return globals()[{name}.__name__]\n"
    )
    factory = cst.ensure_type(cst.parse_statement(code), cst.FunctionDef)
    body = cst.ensure_type(factory.body, cst.IndentedBlock)
    statements = [inner if _is_pass(s) else s for s in body.body]
    return factory.with_changes(
        body=body.with_changes(body=statements),
        leading_lines=function.leading_lines,
    )


def _instances(name: str, instances: dict[str, str]) -> list[cst.BaseStatement]:
    lines = [f"{name} = make_{name}()\n"]
    lines += [f"{instance} = make_{name}({common.quote(v)})\n" for instance, v in instances.items()]
    statements = [cst.parse_statement(line) for line in lines]
    first = statements[0].with_changes(leading_lines=[cst.EmptyLine(), cst.EmptyLine()])
    return [first, *statements[1:]]


class _Prefixed(cst.CSTTransformer):
    """Turns each colliding output's name string into ``f"{prefixed}<name>"``."""

    def __init__(self, names: dict[int, str]) -> None:
        self.names = names

    def leave_SimpleString(
        self, original_node: cst.SimpleString, updated_node: cst.SimpleString
    ) -> cst.BaseExpression:
        name = self.names.get(id(original_node))
        if name is None:
            return updated_node
        escaped = name.replace("{", "{{").replace("}", "}}")
        return cst.parse_expression(f"f{common.quote('{' + _PREFIXED + '}' + escaped)}")


def _is_pass(statement: cst.BaseStatement) -> bool:
    return (
        isinstance(statement, cst.SimpleStatementLine)
        and len(statement.body) == 1
        and isinstance(statement.body[0], cst.Pass)
    )


def _mentions_name(node: cst.CSTNode, name: str) -> bool:
    if isinstance(node, cst.Name) and node.value == name:
        return True
    return any(_mentions_name(child, name) for child in node.children)
