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
    if isinstance(node, cst.Name) and names.is_local_in(node, root):
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
    """The keywords and methods a module's calls use that ``missing`` facts give (see the
    module doc). Only calls that can use one are resolved: a ``.map()`` or ``.submit()``
    (and ``start_after=``) only in a pipeline's body, where ZenML runs them; the others
    only with a keyword or method of a missing fact."""

    def __init__(
        self,
        definitions: Definitions,
        module: ModuleInfo,
        names: ScopedNames,
        missing: Callable[[Fact], bool],
    ) -> None:
        self.definitions = definitions
        self.project = definitions.project
        self.module = module
        self.names = names
        self.missing = missing
        self._pipelines: set[int] | None = None

    def find(self) -> list[FactUse]:
        found: list[FactUse] = []
        if self.module.tree is None or not self._may_use():
            return found
        guarded = _guarded_calls(self.module.tree)
        for site in calls_in(self.module):
            if id(site.call) not in guarded:
                found.extend(self._in_call(site))
        return found

    def _may_use(self) -> bool:
        """Whether the module's text names a keyword or method of a missing fact."""
        text = self.module.text
        return any(word in text for word, fact in _WORDS if self.missing(fact))

    def _in_call(self, site: CallSite) -> list[FactUse]:
        call, func = site.call, site.call.func
        keywords = {a.keyword.value: a for a in call.args if a.keyword is not None}
        if isinstance(func, cst.Attribute):
            method = func.attr.value
            if method in needs.METHOD_FACTS:
                return self._fanout(site, func, method, keywords)
            if method in _CONFIGURING:
                return self._configuring(site, func, method, keywords)
            if method in needs.CONTEXT_METHOD_FACTS:
                return self._service(site, func, needs.CONTEXT_METHOD_FACTS[method])
            if method == "list_artifact_versions":
                return self._service(site, func, releases.LIST_ARTIFACT_VERSIONS)
        if any(self.missing(_CALL_KEYWORDS[k]) for k in keywords.keys() & _CALL_KEYWORDS):
            return self._keywords(site, keywords)
        return []

    def _fanout(
        self, site: CallSite, func: cst.Attribute, method: str, keywords: dict[str, cst.Arg]
    ) -> list[FactUse]:
        found: list[FactUse] = []
        if self.missing(needs.METHOD_FACTS[method]):
            found.append(FactUse(func.attr, needs.METHOD_FACTS[method], f".{method}()"))
        found += self._missing(_uses(keywords, needs.CALL_KEYWORD_FACTS, "{k}="))
        if not found or not self._in_pipeline(site):
            return []
        return found if self.object_kind(func.value, site) == "step" else []

    def _configuring(
        self, site: CallSite, func: cst.Attribute, method: str, keywords: dict[str, cst.Arg]
    ) -> list[FactUse]:
        found = self._missing(_uses(keywords, needs.OPTION_FACTS, f"{method}({{k}}=...)"))
        if not found or self.object_kind(func.value, site) is None:
            return []
        return found

    def _service(self, site: CallSite, func: cst.Attribute, fact: Fact) -> list[FactUse]:
        if not self.missing(fact):
            return []
        path = self.names.qualname(func, site)
        if path in CONTEXT_METHODS:
            return [FactUse(func.attr, fact, f"StepContext.{func.attr.value}")]
        if path in LIST_ARTIFACT_VERSIONS:
            return [FactUse(func.attr, fact, "Client.list_artifact_versions")]
        return []

    def _keywords(self, site: CallSite, keywords: dict[str, cst.Arg]) -> list[FactUse]:
        path = self._zenml_path(site.call.func, site)
        if path in zenml_api.STEP_DECORATORS:
            found = _uses(keywords, needs.OPTION_FACTS, "@step({k}=...)", keep_value=True)
        elif path in zenml_api.PIPELINE_DECORATORS:
            facts = needs.PIPELINE_OPTION_FACTS
            found = _uses(keywords, facts, "@pipeline({k}=...)", keep_value=True)
        elif path in zenml_api.LOG_METADATA:
            facts = needs.LOG_METADATA_KEYWORD_FACTS
            found = _uses(keywords, facts, "log_metadata({k}=...)", keep_value=True)
        elif self._in_pipeline(site) and self.object_kind(site.call.func, site) == "step":
            found = _uses(keywords, needs.CALL_KEYWORD_FACTS, "{k}=")
        else:
            found = []
        return self._missing(found)

    def _zenml_path(self, expr: cst.BaseExpression, site: CallSite) -> str | None:
        """``expr``'s qualified name when it may be ZenML's: what the module's top level
        makes of it is cheap and decides; the code's own scopes only confirm."""
        if not isinstance(expr, (cst.Name, cst.Attribute)):
            return None
        first = qualname_of(self.project.resolve_expr(self.module, expr)) or ""
        # Not ZenML's at the top level: an import inside the function may still make it
        # so (rare, and only then worth a look at the function's scopes).
        if not first.startswith("zenml") and not _INDENTED_IMPORT.search(self.module.text):
            return None
        return self.names.qualname(expr, site)

    def _missing(self, uses: list[FactUse]) -> list[FactUse]:
        return [use for use in uses if self.missing(use.fact)]

    def _in_pipeline(self, site: CallSite) -> bool:
        """Whether the call stands in the body of a pipeline this module defines."""
        if self._pipelines is None:
            pipelines = self.definitions.pipelines_in(self.module)
            self._pipelines = {id(p.function) for p in pipelines}
        return any(id(function) in self._pipelines for function in site.functions)

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


_CONFIGURING = zenml_api.STEP_COPY_METHODS | {"configure"}
#: A word each use of a fact's keyword or method holds, for a cheap look at a module.
_WORDS: tuple[tuple[str, Fact], ...] = (
    *((f".{m}", f) for m, f in needs.METHOD_FACTS.items()),
    *((k, f) for k, f in needs.PIPELINE_OPTION_FACTS.items()),
    *((k, f) for k, f in needs.CALL_KEYWORD_FACTS.items()),
    *((k, f) for k, f in needs.LOG_METADATA_KEYWORD_FACTS.items()),
    *((m, f) for m, f in needs.CONTEXT_METHOD_FACTS.items()),
    ("list_artifact_versions", releases.LIST_ARTIFACT_VERSIONS),
)


#: Keywords of calls (decorators, ``log_metadata``, steps) and the fact each needs.
_CALL_KEYWORDS: Mapping[str, Fact] = {
    **needs.PIPELINE_OPTION_FACTS,
    **needs.LOG_METADATA_KEYWORD_FACTS,
    **needs.CALL_KEYWORD_FACTS,
}


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


def _guarded_calls(tree: cst.Module) -> set[int]:
    """The ids of the calls in ``if TYPE_CHECKING:`` and handled ``try`` bodies: the
    statements are walked, and only those bodies to their last node."""
    found: set[int] = set()
    stack: list[cst.CSTNode] = list(tree.body)
    while stack:
        node = stack.pop()
        guarded = _guarded_parts(node)
        if guarded:
            found.update(id(n) for part in guarded for n in _every_call(part))
        if isinstance(node, _STATEMENTS):
            stack.extend(_children(node))
    return found


def _guarded_parts(node: cst.CSTNode) -> list[cst.CSTNode]:
    if _type_checking(node):
        assert isinstance(node, cst.If)
        return [node.body]
    if isinstance(node, (cst.Try, cst.TryStar)) and _handles_failure(node):
        return [node.body]
    return []


def _every_call(node: cst.CSTNode) -> Iterator[cst.Call]:
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, cst.Call):
            yield current
        stack.extend(cst_utils.child_nodes(current))
