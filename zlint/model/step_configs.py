"""A step's own cache settings: its decorator's ``enable_cache`` and ``cache_policy``, and the
``step.configure(...)`` calls that change them for every call of the step.

Under ZenML 0.98 a module-level ``clean.configure(enable_cache=False)`` (run when its module
is imported) turns caching off for every call of ``clean``: repeated identical calls are
not merged. ``configure`` changes the one shared step object, so it wins over the
decorator. zlint trusts such a call only where it surely runs before the pipeline: a
statement at the top level of the step's own module or of a module the pipeline's module
imports (directly or through other imports, their packages' ``__init__`` included). A
``configure`` anywhere else (in a function, under an ``if``, in a script not imported)
makes the setting unknown, and rules that need it stay quiet.

Every project file is searched for ``.configure(`` next to ``enable_cache`` or
``cache_policy`` (as :mod:`zlint.model.run_config` searches for pipelines configured
elsewhere); only files that match are parsed.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path

import libcst as cst

from zlint.inputs import source
from zlint.model import cst_utils, zenml_api
from zlint.model.constants import assigned_once, const_value
from zlint.model.definitions import StepDef
from zlint.model.fast_visit import fast_visit
from zlint.model.invocations import (
    DEFAULT_POLICY,
    UNKNOWN,
    Flag,
    Policy,
    PolicySetting,
    StepCaching,
)
from zlint.model.modules import ImportFrom, ImportModule, ModuleInfo
from zlint.model.project import Project
from zlint.model.symbols import ModuleSym, ValueSym, qualname_of

#: The text a file must hold to be parsed for ``configure`` calls (and the word a changed
#: file is searched for by the result cache).
SEARCHED_WORD = ".configure"
_CONFIGURE = re.compile(r"\.\s*configure\s*\(")
CACHE_KEYWORDS = ("enable_cache", "cache_policy")
#: Modules followed when collecting what a pipeline module imports.
MAX_IMPORTED = 5000
#: ``CachePolicy`` keywords whose value is the same for every call of one run, so they
#: cannot set two calls' cache keys apart (``include_step_parameters`` is read on its own).
#: ``include_artifact_values`` counts only while artifact ids stay in the key.
_NEUTRAL_POLICY_KEYWORDS = frozenset(
    {"include_step_code", "source_dependencies", "include_artifact_values"}
)


@dataclass(frozen=True)
class Configured:
    """The step a ``configure`` call's receiver names; ``exact`` when the receiver is the
    step itself, not a copy (``with_options``) or one of several objects of a step class."""

    step: StepDef
    exact: bool


#: What the receiver of a ``configure`` call written in a module names (None: no step).
Resolver = Callable[[ModuleInfo, cst.BaseExpression], Configured | None]


@dataclass(frozen=True)
class ConfigureCall:
    module: ModuleInfo
    call: cst.Call
    #: A statement of the module body itself: it runs once, when the module is imported.
    at_top_level: bool
    #: It configures the step itself (see :class:`Configured`).
    exact: bool = True


class StepConfigs:
    """The project's ``step.configure(enable_cache=..., cache_policy=...)`` calls, found
    once per check, and what each pipeline module imports."""

    def __init__(
        self,
        project: Project,
        read_text: Callable[[Path], str | source.SourceError] = source.read_text,
    ) -> None:
        self.project = project
        self._read_text = read_text
        self._calls: dict[int, list[ConfigureCall]] | None = None
        self._imported: dict[Path, frozenset[Path]] = {}

    def of(self, step: StepDef, resolve: Resolver) -> list[ConfigureCall]:
        if self._calls is None:
            self._calls = self._scan(resolve)
        return self._calls.get(id(step), [])

    def _scan(self, resolve: Resolver) -> dict[int, list[ConfigureCall]]:
        found: dict[int, list[ConfigureCall]] = {}
        for path in sorted(self.project.files):
            if path.suffix not in (".py", ".pyi"):
                continue
            text = self._read_text(path)
            if not isinstance(text, str) or not _CONFIGURE.search(text):
                continue
            if not any(word in text for word in CACHE_KEYWORDS):
                continue
            module = self.project.module(path)
            if module is None or module.tree is None:
                continue
            for configure in _configure_calls(module):
                func = configure.call.func
                assert isinstance(func, cst.Attribute)
                target = resolve(module, func.value)
                if target is not None:
                    exact = replace(configure, exact=target.exact)
                    found.setdefault(id(target.step), []).append(exact)
        return found

    def imported_by(self, module: ModuleInfo) -> frozenset[Path]:
        """The project modules importing ``module`` runs (with their packages' ``__init__``),
        following module-level imports; ``module`` itself included."""
        if module.path not in self._imported:
            self._imported[module.path] = frozenset(self._import_closure(module))
        return self._imported[module.path]

    def _import_closure(self, start: ModuleInfo) -> set[Path]:
        seen: set[Path] = {start.path}
        pending = [start]
        while pending and len(seen) < MAX_IMPORTED:
            for found in self._imports_of(pending.pop()):
                for path in (found.path, *self._packages_of(found.path)):
                    if path in seen:
                        continue
                    seen.add(path)
                    info = self.project.module(path)
                    if info is not None:
                        pending.append(info)
        return seen

    def _imports_of(self, module: ModuleInfo) -> Iterator[ModuleInfo]:
        imports = [*module.bindings.values(), *(star for _, star in module.star_imports)]
        for binding in imports:
            if isinstance(binding, ImportModule):
                sym = self.project.resolve_module(module, binding.dotted)
                if isinstance(sym, ModuleSym):
                    yield sym.info
            elif isinstance(binding, ImportFrom):
                base = self.project.import_base(module, binding)
                if isinstance(base, ModuleSym):
                    yield base.info
                    member = self.project.member(base, binding.name)
                    if isinstance(member, ModuleSym):
                        yield member.info

    def _packages_of(self, path: Path) -> Iterator[Path]:
        folder = path.parent
        while folder.is_relative_to(self.project.root) and folder != path:
            init = folder / "__init__.py"
            if init not in self.project.files:
                return
            if init != path:
                yield init
            if folder == self.project.root:
                return
            folder = folder.parent


def _configure_calls(module: ModuleInfo) -> list[ConfigureCall]:
    """``x.configure(...)`` calls that set ``enable_cache`` or ``cache_policy``."""
    tree = module.tree
    assert tree is not None
    top_level = {
        id(small.value)
        for stmt in tree.body
        if isinstance(stmt, cst.SimpleStatementLine)
        for small in stmt.body
        if isinstance(small, cst.Expr)
    }
    calls: list[ConfigureCall] = []

    class Finder(cst.CSTVisitor):
        def visit_Call(self, node: cst.Call) -> None:
            func = node.func
            if not (isinstance(func, cst.Attribute) and func.attr.value == "configure"):
                return
            if any(cst_utils.keyword(node, word) for word in CACHE_KEYWORDS) or any(
                arg.star == "**" for arg in node.args
            ):
                calls.append(ConfigureCall(module, node, id(node) in top_level))

    fast_visit(tree, Finder())
    return calls


# --------------------------------------------------------------------------- reading settings


def step_caching(
    project: Project,
    step: StepDef,
    configures: list[ConfigureCall],
    imported: frozenset[Path],
) -> StepCaching:
    """The step's own settings for a pipeline whose module imports ``imported``: the
    decorator's, unless ``configure`` calls change them (they must all surely run and
    agree, else the setting is unknown)."""
    enable = flag_of(project, step.module, step.options.get("enable_cache"))
    policy = policy_of(project, step.module, step.options.get("cache_policy"))
    for keyword in CACHE_KEYWORDS:
        settings = [
            _configured(project, configure, keyword, imported)
            for configure in configures
            if cst_utils.keyword(configure.call, keyword) is not None
            or any(arg.star == "**" for arg in configure.call.args)
        ]
        if not settings:
            continue
        agreed = settings[0] if all(s == settings[0] for s in settings) else UNKNOWN
        if keyword == "enable_cache":
            enable = agreed if not isinstance(agreed, Policy) else UNKNOWN
        else:
            policy = agreed if not isinstance(agreed, bool) else UNKNOWN
    return StepCaching(enable, policy)


def _configured(
    project: Project, configure: ConfigureCall, keyword: str, imported: frozenset[Path]
) -> Flag | PolicySetting:
    if not configure.at_top_level or configure.module.path not in imported:
        return UNKNOWN  # it may or may not run before the pipeline does
    if not configure.exact:
        return UNKNOWN  # it changes one object of the step, maybe not the one called
    arg = cst_utils.keyword(configure.call, keyword)
    if arg is None:
        return UNKNOWN  # `**options` may set it
    if keyword == "enable_cache":
        return flag_of(project, configure.module, arg.value)
    return policy_of(project, configure.module, arg.value)


def flag_of(project: Project, module: ModuleInfo, node: cst.BaseExpression | None) -> Flag:
    """An ``enable_cache=`` value: True or False (a module constant too), None when not
    set (``None`` leaves the setting to the next level), else unknown."""
    if node is None:
        return None
    known = const_value(project, module, node)
    if known is None:
        return UNKNOWN
    if known.value is None or isinstance(known.value, bool):
        return known.value
    return UNKNOWN


def policy_of(
    project: Project, module: ModuleInfo, node: cst.BaseExpression | None, depth: int = 0
) -> PolicySetting:
    """A ``cache_policy=`` value written as ``CachePolicy(...)`` with keywords zlint reads,
    ``CachePolicy.default()``, ``"default"``, or a module constant holding one of those;
    None when not set, else unknown."""
    if node is None or cst_utils.is_name(node, "None"):
        return None
    if cst_utils.literal_string(node) == "default":
        return DEFAULT_POLICY
    if isinstance(node, (cst.Name, cst.Attribute)) and depth < 10:
        sym = project.resolve_expr(module, node)
        name = node.value if isinstance(node, cst.Name) else node.attr.value
        if isinstance(sym, ValueSym) and sym.scope is None and assigned_once(sym.module, name):
            return policy_of(project, sym.module, sym.node, depth + 1)
        return UNKNOWN
    if not isinstance(node, cst.Call):
        return UNKNOWN
    func = node.func
    if isinstance(func, cst.Attribute) and func.attr.value == "default" and not node.args:
        owner = qualname_of(project.resolve_expr(module, func.value))
        return DEFAULT_POLICY if owner in zenml_api.CACHE_POLICY else UNKNOWN
    if qualname_of(project.resolve_expr(module, func)) not in zenml_api.CACHE_POLICY:
        return UNKNOWN
    return _policy_arguments(project, module, node)


def _policy_arguments(project: Project, module: ModuleInfo, call: cst.Call) -> PolicySetting:
    include_parameters = True
    for arg in call.args:
        keyword = arg.keyword.value if arg.keyword is not None else None
        if keyword in _NEUTRAL_POLICY_KEYWORDS:
            continue
        if keyword != "include_step_parameters":
            return UNKNOWN  # positional, `**`, or a keyword that may differ per call
        known = const_value(project, module, arg.value)
        if known is None or not isinstance(known.value, bool):
            return UNKNOWN
        include_parameters = known.value
    return Policy(include_parameters)
