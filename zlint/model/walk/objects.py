"""Objects in a pipeline body: attribute paths (``step.with_options``, ``flags.MODE``,
``self.column``), instances of the project's own classes (``Encoder(col)``, whose methods
are walked like helpers with ``self`` bound), and lists, tuples and dicts that hold step
objects (``STEPS["clean"](x)``, ``for s in [clean, prep]: s(x)``)."""

from __future__ import annotations

import libcst as cst

from zlint.model.invocations import StepObject, Value
from zlint.model.modules import ModuleInfo
from zlint.model.symbols import ClassSym, FunctionSym, Symbol, ValueSym, qualname_of
from zlint.model.walk.base import WalkerBase
from zlint.model.walk.common import (
    Argument,
    Bound,
    Callee,
    Container,
    Context,
    Env,
    Helper,
    Instance,
    Method,
    ProjectClass,
    StepMethod,
    SubPipeline,
    as_value,
    attribute_value,
    child_expressions,
    code_of,
    expr_head_is_global,
    is_dotted,
    literal_value,
)

#: Base classes followed when looking up a member (deeper hierarchies are not).
MAX_BASES_DEPTH = 10
_STATIC = frozenset({"staticmethod", "builtins.staticmethod"})
_CLASS = frozenset({"classmethod", "builtins.classmethod"})
_PROPERTIES = frozenset({"property", "builtins.property", "functools.cached_property"})
_DATACLASS = frozenset({"dataclasses.dataclass"})


class Objects(WalkerBase):
    # -- attributes ----------------------------------------------------------------------

    def _eval_attribute(self, expr: cst.Attribute, ctx: Context, env: Env) -> Bound:
        """``x.a.b``: a method of a step object, a member of an object or class of the
        project, or a module-level path. Resolved from the head outwards in one pass, the
        head evaluated once: resolving every prefix anew is quadratic in the length of the
        chain (and generated code has chains of hundreds of attributes)."""
        attributes: list[str] = []
        head: cst.BaseExpression = expr
        while isinstance(head, cst.Attribute):
            attributes.append(head.attr.value)
            head = head.value
        attributes.reverse()
        # A dotted path from a name that is no local resolves attribute by attribute.
        is_global = isinstance(head, cst.Name) and head.value not in env
        sym = self.project.resolve_expr(ctx.module, head) if is_global else None
        head_value: Bound | None = None if is_global else self.eval_bound(head, ctx, env)
        found = self.symbol_callee(sym) if is_global else head_value
        for attr in attributes:
            if is_global:
                sym = self.project.member(sym, attr)
            if isinstance(found, StepObject):
                found = StepMethod(found, attr)
            elif isinstance(found, (Instance, ProjectClass)):
                found = self._member(found, attr)
            elif is_global:
                found = self.symbol_callee(sym)
            else:
                found = None
                break
        if found is not None:
            return found
        if is_global:
            constant = self._module_constant(expr, ctx) if is_dotted(expr) else None
            return constant or self._derived(expr, ctx, env)
        assert head_value is not None
        return attribute_value(expr, head, as_value(head_value))

    # -- instances of project classes ----------------------------------------------------

    def _instantiate(
        self, cls: ProjectClass, args: list[Argument], call: cst.Call, ctx: Context
    ) -> Instance:
        """``Encoder(col)``: runs ``__init__`` (the class's or a base's in the project) with
        ``self`` bound, so what it assigns to ``self`` is known to the methods; a dataclass
        without one gets its fields from the arguments."""
        instance = Instance(cls.cls, {}, ctx.loop_ids)
        init = self._class_member(cls.cls, "__init__")
        if isinstance(init, FunctionSym):
            self._inline(Method(init.module, init.node, instance), args, call, ctx)
        elif self._is_dataclass(cls.cls):
            self._bind_fields(instance, args)
        return instance

    def _is_dataclass(self, cls: ClassSym) -> bool:
        for decorator in cls.node.decorators:
            target = decorator.decorator
            target = target.func if isinstance(target, cst.Call) else target
            if qualname_of(self.project.resolve_expr(cls.module, target)) in _DATACLASS:
                return True
        return False

    def _bind_fields(self, instance: Instance, args: list[Argument]) -> None:
        """A dataclass's fields, in the order its body annotates them."""
        fields: list[tuple[str, cst.BaseExpression | None]] = []
        for stmt in instance.cls.node.body.body:
            if isinstance(stmt, cst.SimpleStatementLine):
                for small in stmt.body:
                    if isinstance(small, cst.AnnAssign) and isinstance(small.target, cst.Name):
                        fields.append((small.target.value, small.value))
        names = [name for name, _ in fields]
        position = 0
        for arg in args:
            if arg.star:
                return  # which field gets what is not known
            if arg.keyword is None and position < len(names):
                instance.attrs[names[position]] = arg.value
                position += 1
            elif arg.keyword in names:
                instance.attrs[arg.keyword] = arg.value
        for name, default in fields:
            if name not in instance.attrs and default is not None:
                found = literal_value(default) or self._module_level_callee(
                    default, instance.cls.module
                )
                if found is not None:
                    instance.attrs[name] = found

    def _member(self, found: Callee, attr: str) -> Bound | None:
        """``obj.attr`` or ``Class.attr`` for an object or class of the project: what the
        object's methods assigned, else the class's (or a base's) member; None when it is
        not known here."""
        if not isinstance(found, (Instance, ProjectClass)):
            return None
        if isinstance(found, Instance) and attr in found.attrs:
            return found.attrs[attr]
        sym = self._class_member(found.cls, attr)
        if isinstance(sym, FunctionSym):
            return self._function_member(found, sym)
        if isinstance(sym, ValueSym):
            return self._module_level_callee(sym.node, sym.module) or self._constant_collection(
                sym.node, sym.module
            )
        if isinstance(sym, ClassSym):
            return self.symbol_callee(sym)
        return None

    def _function_member(self, found: Instance | ProjectClass, sym: FunctionSym) -> Bound | None:
        step_or_pipeline = self.symbol_callee(sym)
        if isinstance(step_or_pipeline, (StepObject, SubPipeline)):
            return step_or_pipeline
        kinds = {
            qualname_of(self.project.resolve_expr(sym.module, d.decorator))
            for d in sym.node.decorators
        }
        if kinds & _PROPERTIES:
            return None  # a computed attribute: its value is not walked
        if kinds & _STATIC:
            return Method(sym.module, sym.node, None)
        if kinds & _CLASS:
            cls = found if isinstance(found, ProjectClass) else ProjectClass(found.cls)
            return Method(sym.module, sym.node, cls)
        if isinstance(found, Instance):
            return Method(sym.module, sym.node, found)
        return Helper(sym.module, sym.node)  # `Class.method(obj, ...)`: self passed by hand

    def _class_member(self, cls: ClassSym, attr: str, depth: int = 0) -> Symbol | None:
        """``attr`` of the class body, else of its bases in the project, in order."""
        found = self.project.member(cls, attr)
        if found is not None or depth >= MAX_BASES_DEPTH:
            return found
        for base in cls.node.bases:
            if base.keyword is not None:
                continue
            resolved = self.project.resolve_expr(cls.module, base.value)
            if isinstance(resolved, ClassSym):
                found = self._class_member(resolved, attr, depth + 1)
                if found is not None:
                    return found
        return None

    def _bind_attribute(self, target: cst.Attribute, value: Bound, ctx: Context, env: Env) -> None:
        """``self.step = clean``: an object of the project keeps what is assigned to it."""
        if expr_head_is_global(target, env):
            return
        owner = self.eval_bound(target.value, ctx, env)
        if isinstance(owner, Instance):
            owner.attrs[target.attr.value] = value

    # -- containers ----------------------------------------------------------------------

    def _eval_collection(
        self, expr: cst.List | cst.Tuple | cst.Set | cst.Dict, ctx: Context, env: Env
    ) -> Bound:
        """A written-out collection: a value equal to another written the same over equal
        elements, or a :class:`Container` when it holds step objects or other callables."""
        children = child_expressions(expr)
        bounds = [self.eval_bound(child, ctx, env) for child in children]
        values = [as_value(bound) for bound in bounds]
        varies = frozenset().union(*(v.varies for v in values)) if values else frozenset()
        value = Value(("expr", code_of(expr), tuple(v.key for v in values)), varies)
        if all(isinstance(bound, Value) for bound in bounds):
            return value
        if isinstance(expr, cst.Dict):
            if not all(isinstance(e, cst.DictElement) for e in expr.elements):
                return value
            return Container(value, tuple(bounds[1::2]), tuple(values[0::2]))
        if any(isinstance(e, cst.StarredElement) for e in expr.elements):
            return value
        return Container(value, tuple(bounds))

    def _eval_subscript(self, expr: cst.Subscript, ctx: Context, env: Env) -> Bound | None:
        """``steps[0]``, ``STEPS["clean"]``, ``self.steps[name]``: the element of a container
        written out here or in a module constant, for a key known here. Only a name or
        attribute is looked into (their lookup runs nothing), so a None leaves the
        expression to be evaluated as usual."""
        key_node = _single_index(expr)
        base = expr.value
        if key_node is None or not isinstance(base, (cst.Name, cst.Attribute)):
            return None
        if not isinstance(key_node, (cst.Name, cst.Attribute)) and literal_value(key_node) is None:
            return None
        key = self.eval(key_node, ctx, env)
        if not key.has_literal:
            return None
        if expr_head_is_global(base, env):
            sym = self.project.resolve_expr(ctx.module, base)
            if not isinstance(sym, ValueSym):
                return None
            container = self._constant_collection(sym.node, sym.module)
        else:
            found = self.eval_bound(base, ctx, env)
            container = found if isinstance(found, Container) else None
        return _element(container, key) if container is not None else None

    def _constant_collection(self, node: cst.BaseExpression, module: ModuleInfo) -> Bound | None:
        """A list, tuple or dict written in a module (or class) body, when it holds step
        objects: its elements resolved without running anything."""
        if not isinstance(node, (cst.List, cst.Tuple, cst.Dict)):
            return None
        elements = node.elements
        if any(not isinstance(e, (cst.Element, cst.DictElement)) for e in elements):
            return None
        items: list[Bound] = []
        keys: list[Value] = []
        for element in elements:
            if isinstance(element, cst.DictElement):
                key = literal_value(element.key)
                keys.append(key if key is not None else Value.unknown())
            value_node = element.value
            found = literal_value(value_node) or self._module_level_callee(value_node, module)
            items.append(found if found is not None else Value.unknown())
        if all(isinstance(item, Value) for item in items):
            return None
        value = Value(("constant", module.qualname, code_of(node)))
        return Container(value, tuple(items), tuple(keys) if isinstance(node, cst.Dict) else None)


def _single_index(expr: cst.Subscript) -> cst.BaseExpression | None:
    if len(expr.slice) != 1 or not isinstance(expr.slice[0].slice, cst.Index):
        return None
    index = expr.slice[0].slice
    return index.value if index.star is None else None


def _element(container: Bound, key: Value) -> Bound | None:
    if not isinstance(container, Container):
        return None
    if container.keys is not None:
        for candidate, item in zip(container.keys, container.items, strict=True):
            if candidate.has_literal and candidate.literal == key.literal:
                return item
        return None
    position = key.literal
    if not isinstance(position, int) or isinstance(position, bool):
        return None
    size = len(container.items)
    return container.items[position] if -size <= position < size else None
