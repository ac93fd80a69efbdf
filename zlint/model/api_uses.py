"""Where a module uses a ZenML API that not every release has, by qualified name: the
paths it imports or reads (``from zenml import log_metadata``, ``zn.config.CachePolicy``),
the keywords it passes (``@pipeline(dynamic=True)``, ``step.with_options(substitutions=...)``,
``log_metadata(..., infer_artifact=True)``, ``start_after=``) and the methods it calls
(``step.map(...)``, ``get_step_context().add_output_tags(...)``,
``Client().list_artifact_versions(...)``). ZL015 judges them against the target.

Code that handles a failure is left alone: an import under ``if TYPE_CHECKING:`` never
runs, and one in a ``try`` whose handler catches ``ImportError`` (or ``AttributeError``,
``TypeError``, ``Exception``) is a fallback the author wrote on purpose.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass

import libcst as cst

from zlint.model import cst_utils, needs, releases, zenml_api
from zlint.model.definitions import Definitions
from zlint.model.modules import ModuleInfo
from zlint.model.releases import Fact
from zlint.model.scoped_names import CallSite, ScopedNames, calls_in
from zlint.model.symbols import ClassSym, FunctionSym, qualname_of

#: Exceptions whose handler makes the code in its ``try`` a deliberate fallback.
_HANDLED = frozenset(
    {"ImportError", "ModuleNotFoundError", "AttributeError", "TypeError", "Exception"}
)
_BASE_EXCEPTIONS = frozenset({"BaseException"})

_CONTEXT_CLASSES = zenml_api.same_object("zenml.steps.StepContext")
#: ``get_step_context().add_output_tags`` and ``ctx: StepContext; ctx.add_output_tags``.
CONTEXT_METHODS: Mapping[str, str] = {
    f"{owner}().{method}": method
    for owner in zenml_api.GET_STEP_CONTEXT | _CONTEXT_CLASSES
    for method in needs.CONTEXT_METHOD_FACTS
}
LIST_ARTIFACT_VERSIONS = frozenset(f"{c}().list_artifact_versions" for c in zenml_api.CLIENT)
_COPY_SUFFIXES = tuple(f".{m}()" for m in zenml_api.STEP_COPY_METHODS)


@dataclass(frozen=True)
class PathUse:
    """A ZenML path imported or read: ``path`` may be a module (``zenml.new.steps``)."""

    node: cst.CSTNode
    path: str


@dataclass(frozen=True)
class FactUse:
    """A keyword or method that exists where ``fact`` holds; ``what`` as written."""

    node: cst.CSTNode
    fact: Fact
    what: str


# -- paths ---------------------------------------------------------------------------------


def path_uses(
    module: ModuleInfo,
    names: ScopedNames,
    last_words: frozenset[str],
    wanted: Callable[[str], bool],
) -> list[PathUse]:
    """Imports of ZenML paths, and names or attributes whose last word is in
    ``last_words`` read where they mean a ZenML path that is ``wanted`` (resolved through
    the project: ``import zenml as zn; zn.log_metadata``, a star import)."""
    found: list[PathUse] = []
    if module.tree is None or "zenml" not in module.text:
        return found
    # Walking every expression costs as much as parsing: only when a read may matter; and
    # function bodies only when an import of ZenML is indented.
    depth: tuple[type[cst.CSTNode], ...] | None
    if bool(last_words) and binds_a_zenml_module(module.text):
        depth = None  # every node
    elif _INDENTED_IMPORT.search(module.text):
        depth = _STATEMENTS
    else:
        depth = _TOP_LEVEL
    for node, root in _unguarded(module.tree, depth):
        if isinstance(node, cst.ImportFrom):
            found.extend(_from_import(node))
        elif isinstance(node, cst.Import):
            found.extend(PathUse(a, cst_utils.dotted_name(a.name) or "") for a in node.names)
        elif _may_read(node, module, last_words):
            assert isinstance(node, (cst.Attribute, cst.Name))
            found.extend(_read(node, root, names, module, wanted))
    return [use for use in found if use.path.startswith("zenml")]


def _from_import(node: cst.ImportFrom) -> Iterator[PathUse]:
    if node.relative or node.module is None or isinstance(node.names, cst.ImportStar):
        return
    base = cst_utils.dotted_name(node.module) or ""
    for alias in node.names:
        yield PathUse(alias, f"{base}.{cst_utils.dotted_name(alias.name)}")


#: Every module and package of a ZenML path (``zenml.config`` of ``zenml.config.CachePolicy``).
_MODULES = frozenset(
    ".".join(parts[:end])
    for parts in (path.split(".") for path in zenml_api.ORIGINS)
    for end in range(1, len(parts))
)
_IMPORT_ZENML = re.compile(r"^[ \t]*import[ \t]+zenml\b", re.MULTILINE)
_FROM_ZENML = re.compile(
    r"^[ \t]*from[ \t]+(zenml[\w.]*)[ \t]+import[ \t]*(?:\(([^)]*)\)|([^\r\n]*))",
    re.MULTILINE,
)


def binds_a_zenml_module(text: str) -> bool:
    """Whether ``text`` may bind a name to a ZenML module or package (``import zenml as
    zn``, ``from zenml import config``) or star-import ZenML: only then can an attribute
    or a bare name read a ZenML path an import did not name."""
    if _IMPORT_ZENML.search(text):
        return True
    for match in _FROM_ZENML.finditer(text):
        base = match.group(1)
        imported = re.findall(r"[\w*]+", match.group(2) or match.group(3) or "")
        if any(word == "*" or f"{base}.{word}" in _MODULES for word in imported):
            return True
    return False


def _may_read(node: cst.CSTNode, module: ModuleInfo, last_words: frozenset[str]) -> bool:
    if isinstance(node, cst.Attribute):
        return node.attr.value in last_words
    # Only a star import binds a name this module does not: one it binds is its import's
    # (reported there) or its own.
    return (
        isinstance(node, cst.Name)
        and bool(module.star_imports)
        and node.value in last_words
        and node.value not in module.bindings
    )


def _read(
    node: cst.Attribute | cst.Name,
    root: cst.CSTNode,
    names: ScopedNames,
    module: ModuleInfo,
    wanted: Callable[[str], bool],
) -> list[PathUse]:
    """The read's path when it is ``wanted``. What the module's top level makes of it is
    cheap and decides; the code's own scopes (a local name may shadow it) only confirm."""
    first = qualname_of(names.project.resolve_expr(module, node))
    if first is None or not wanted(first):
        return []
    if isinstance(node, cst.Name) and names.is_local_at(node, root):
        return []  # bound by an import in the function (reported there) or a value
    path = names.qualname_at(node, root)
    return [PathUse(node, path)] if path is not None else []


def _unguarded(
    tree: cst.Module, depth: tuple[type[cst.CSTNode], ...] | None
) -> Iterator[tuple[cst.CSTNode, cst.CSTNode]]:
    """Imports, attributes and read names (not their attribute or keyword names) with the
    code whose scopes resolve them, outside ``TYPE_CHECKING`` and handled ``try`` bodies;
    ``depth``: the nodes walked into (None: all of them), see :data:`_STATEMENTS`."""
    for statement in tree.body:
        stack: list[tuple[cst.CSTNode, cst.CSTNode]] = [(statement, statement)]
        while stack:
            node, root = stack.pop()
            if isinstance(node, (cst.Import, cst.ImportFrom, cst.Attribute, cst.Name)):
                yield node, root
                if not isinstance(node, cst.Attribute):
                    continue
                stack.append((node.value, root))
                continue
            if depth is not None and not isinstance(node, depth):
                continue
            if isinstance(node, cst.FunctionDef) and root is statement:
                root = node  # the outermost function decides what its names mean
            stack.extend((child, root) for child in _children(node))


#: What holds the imports outside functions and classes (``import zenml`` under ``if``,
#: ``try``, ``with``).
_TOP_LEVEL: tuple[type[cst.CSTNode], ...] = (
    cst.SimpleStatementLine,
    cst.If,
    cst.Else,
    cst.Try,
    cst.TryStar,
    cst.ExceptHandler,
    cst.ExceptStarHandler,
    cst.Finally,
    cst.With,
    cst.IndentedBlock,
)
#: What holds every import: statements and their blocks.
_STATEMENTS: tuple[type[cst.CSTNode], ...] = (
    *_TOP_LEVEL,
    cst.FunctionDef,
    cst.ClassDef,
    cst.For,
    cst.While,
)
_INDENTED_IMPORT = re.compile(r"^[ \t]+(?:from|import)[ \t]+zenml\b", re.MULTILINE)


def _children(node: cst.CSTNode) -> Iterator[cst.CSTNode]:
    if _type_checking(node):
        assert isinstance(node, cst.If)
        if node.orelse is not None:
            yield node.orelse
        return
    if isinstance(node, (cst.Try, cst.TryStar)) and _handles_failure(node):
        yield from node.handlers
        if node.orelse is not None:
            yield node.orelse
        if node.finalbody is not None:
            yield node.finalbody
        return
    if isinstance(node, cst.Arg):
        yield node.value  # not the keyword's name
        return
    if isinstance(node, (cst.FunctionDef, cst.ClassDef)):
        yield from (d.decorator for d in node.decorators)
        yield node.body
        if isinstance(node, cst.FunctionDef):
            yield node.params
            if node.returns is not None:
                yield node.returns
        else:
            yield from (base.value for base in node.bases)
        return
    if isinstance(node, cst.Param):
        if node.annotation is not None:
            yield node.annotation
        if node.default is not None:
            yield node.default
        return
    yield from cst_utils.child_nodes(node)


def _type_checking(node: cst.CSTNode) -> bool:
    return isinstance(node, cst.If) and cst_utils.dotted_name(node.test) in (
        "TYPE_CHECKING",
        "typing.TYPE_CHECKING",
    )


def _handles_failure(node: cst.Try | cst.TryStar) -> bool:
    for handler in node.handlers:
        if handler.type is None:
            return True
        kinds = handler.type.elements if isinstance(handler.type, cst.Tuple) else None
        exprs = [e.value for e in kinds] if kinds is not None else [handler.type]
        caught = {(cst_utils.dotted_name(e) or "").rsplit(".", 1)[-1] for e in exprs}
        if caught & (_HANDLED | _BASE_EXCEPTIONS):
            return True
    return False


# -- keywords and methods ------------------------------------------------------------------


class FactUses:
    """The keywords and methods a module's calls use (see the module doc)."""

    def __init__(self, definitions: Definitions, module: ModuleInfo, names: ScopedNames) -> None:
        self.definitions = definitions
        self.project = definitions.project
        self.module = module
        self.names = names

    def find(self) -> list[FactUse]:
        found: list[FactUse] = []
        if self.module.tree is None:
            return found
        reached = _unguarded_calls(self.module.tree)
        for site in calls_in(self.module):
            if id(site.call) in reached:
                found.extend(self._in_call(site))
        return found

    def _in_call(self, site: CallSite) -> list[FactUse]:
        call, func = site.call, site.call.func
        keywords = {a.keyword.value: a for a in call.args if a.keyword is not None}
        if isinstance(func, cst.Attribute):
            method = func.attr.value
            if method in needs.METHOD_FACTS or method in zenml_api.STEP_COPY_METHODS | {
                "configure"
            }:
                return self._step_method(site, func, method, keywords)
            if method in needs.CONTEXT_METHOD_FACTS or method == "list_artifact_versions":
                return self._service_method(site, func, method)
        if keywords.keys() & _CALL_KEYWORDS:
            return self._keywords(site, keywords)
        return []

    def _step_method(
        self, site: CallSite, func: cst.Attribute, method: str, keywords: dict[str, cst.Arg]
    ) -> list[FactUse]:
        kind = self.object_kind(func.value, site)
        if kind is None:
            return []
        if method in needs.METHOD_FACTS:
            if kind != "step":
                return []
            found = [FactUse(func.attr, needs.METHOD_FACTS[method], f".{method}()")]
            return found + _uses(keywords, needs.CALL_KEYWORD_FACTS, "{k}=")
        facts = needs.PIPELINE_OPTION_FACTS if kind == "pipeline" else needs.OPTION_FACTS
        facts = {k: f for k, f in facts.items() if k != "dynamic"}
        return _uses(keywords, facts, f"{method}({{k}}=...)")

    def _service_method(self, site: CallSite, func: cst.Attribute, method: str) -> list[FactUse]:
        path = self.names.qualname(func, site)
        if path in CONTEXT_METHODS:
            fact = needs.CONTEXT_METHOD_FACTS[method]
            return [FactUse(func.attr, fact, f"StepContext.{method}")]
        if path in LIST_ARTIFACT_VERSIONS:
            fact = releases.LIST_ARTIFACT_VERSIONS
            return [FactUse(func.attr, fact, "Client.list_artifact_versions")]
        return []

    def _keywords(self, site: CallSite, keywords: dict[str, cst.Arg]) -> list[FactUse]:
        path = self.names.qualname(site.call.func, site)
        if path in zenml_api.STEP_DECORATORS:
            return _uses(keywords, needs.OPTION_FACTS, "@step({k}=...)", keep_value=True)
        if path in zenml_api.PIPELINE_DECORATORS:
            facts = needs.PIPELINE_OPTION_FACTS
            return _uses(keywords, facts, "@pipeline({k}=...)", keep_value=True)
        if path in zenml_api.LOG_METADATA:
            facts = needs.LOG_METADATA_KEYWORD_FACTS
            return _uses(keywords, facts, "log_metadata({k}=...)", keep_value=True)
        if self.object_kind(site.call.func, site) == "step":
            return _uses(keywords, needs.CALL_KEYWORD_FACTS, "{k}=")
        return []

    def object_kind(self, expr: cst.BaseExpression, site: CallSite) -> str | None:
        """``"step"`` or ``"pipeline"`` when ``expr`` is one (also a configured copy, a
        ``step(fn)`` or an instance of a ``BaseStep`` subclass), else None."""
        path = self.names.qualname(expr, site)
        while path is not None and path.endswith(_COPY_SUFFIXES):
            path = path.rsplit(".", 1)[0]
        if path is None:
            return None
        if path.endswith("()"):
            return self._made_by(path[:-2])
        sym = self.project.resolve_dotted(path)
        if isinstance(sym, FunctionSym):
            if self.definitions.step_from_function(sym.module, sym.node, sym.qualname):
                return "step"
            if self.definitions.pipeline_from_function(sym.module, sym.node, sym.qualname):
                return "pipeline"
        return None

    def _made_by(self, path: str) -> str | None:
        """What calling ``path`` makes: ``step(fn)``, ``pipeline(fn)``, ``MyStep()``."""
        if path in self.definitions.step_decorators:
            return "step"
        if path in self.definitions.pipeline_decorators:
            return "pipeline"
        sym = self.project.resolve_dotted(path)
        if isinstance(sym, ClassSym) and self.definitions.is_base_step_subclass(sym):
            return "step"
        return None


_CALL_KEYWORDS = frozenset(
    {*needs.PIPELINE_OPTION_FACTS, *needs.LOG_METADATA_KEYWORD_FACTS, *needs.CALL_KEYWORD_FACTS}
)


def _uses(
    keywords: dict[str, cst.Arg], facts: Mapping[str, Fact], shown: str, keep_value: bool = False
) -> list[FactUse]:
    found = []
    for key, fact in facts.items():
        arg = keywords.get(key)
        if arg is None:
            continue
        what = shown.format(k=key)
        value = cst.Module([]).code_for_node(arg.value)
        if keep_value and len(value) <= 20 and "\n" not in value:
            what = what.replace("=...", f"={value}")
        found.append(FactUse(arg, fact, what))
    return found


def _unguarded_calls(tree: cst.Module) -> set[int]:
    """The ids of the calls outside ``if TYPE_CHECKING:`` and handled ``try`` bodies."""
    found: set[int] = set()
    stack: list[cst.CSTNode] = list(tree.body)
    while stack:
        node = stack.pop()
        if isinstance(node, cst.Call):
            found.add(id(node))
        stack.extend(_children(node))
    return found
