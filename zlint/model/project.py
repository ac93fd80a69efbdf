"""The whole project: which files exist, lazily parsed modules, and name resolution.

Modules are parsed only when something needs them (a reported file, or an import chain that
reaches them), so a run on one changed file still sees the steps it imports without parsing
the rest of the tree. Nothing here imports or executes user code.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

import libcst as cst

from zlint.inputs import source
from zlint.model import zenml_api
from zlint.model.module_index import MODULE_SUFFIXES, ModuleIndex
from zlint.model.modules import (
    Assignment,
    Binding,
    Deferred,
    DeferredMember,
    Definition,
    ImportFrom,
    ImportModule,
    ModuleInfo,
    build_module_info,
    class_member,
    namespace_package,
)
from zlint.model.surface import build_surface_info
from zlint.model.symbols import (
    ClassSym,
    External,
    FunctionSym,
    ModuleSym,
    Symbol,
    ValueSym,
)

Loader = Callable[[Path], "source.ParsedSource | source.SourceError"]
Reader = Callable[[Path], "str | source.SourceError"]
#: The files that are modules, in the order imports prefer them: a ``.pyi`` stub next to its
#: ``.py`` is never the module; a stub alone is (its definitions resolve, bodies are ``...``).


class Project:
    def __init__(
        self,
        root: Path,
        src_roots: Sequence[Path],
        files: Iterable[Path],
        loader: Loader = source.load,
        reader: Reader | None = None,
        index: ModuleIndex | None = None,
        compiles: Callable[[Path, str], bool] = lambda path, text: False,
    ) -> None:
        self.root = root
        self.src_roots = tuple(src_roots)
        # `index`: the same files' index, built already (by the sorting of reported files).
        self.index = index if index is not None else ModuleIndex(root, src_roots, files)
        self.files = self.index.files
        self.dirs = self.index.dirs
        self._loader = loader
        #: Reads a module's text for an :mod:`ast` surface; None: every module gets a tree.
        self._reader = reader
        #: Whether CPython is known to compile a module's text already (no need to check).
        self._compiles = compiles
        self._modules: dict[Path, ModuleInfo | None] = {}
        self.errors: dict[Path, source.SourceError] = {}
        self._names: dict[tuple[Path, str], Symbol | None] = {}
        self._resolving: set[tuple[Path, str]] = set()

    # -- modules -------------------------------------------------------------------------

    def module(self, path: Path, *, parse_now: bool = False) -> ModuleInfo | None:
        """The module at ``path`` (a file, or a namespace package folder). Its LibCST tree
        is built now with ``parse_now`` (a reported file: LibCST's errors are findings),
        else, when the project has a ``reader``, the first time something asks for it."""
        if path in self._modules:
            known = self._modules[path]
            if parse_now and known is not None:
                known.tree  # noqa: B018 (builds the tree of a module read by `ast` so far)
            return known
        info: ModuleInfo | None
        if path in self.dirs and path not in self.files:
            info = namespace_package(path, self.qualname_for(path))
        elif self._reader is not None and not parse_now:
            info = self._surface(path, self._reader)
        else:
            info = self._parsed(path)
        self._modules[path] = info
        return info

    def _parsed(self, path: Path) -> ModuleInfo | None:
        loaded = self._loader(path)
        if isinstance(loaded, source.SourceError):
            self.errors[path] = loaded
            return None
        return build_module_info(path, self.qualname_for(path), loaded.text, loaded.module)

    def _surface(self, path: Path, reader: Reader) -> ModuleInfo | None:
        """A module read only to resolve names: its surface from :mod:`ast` (ten times
        cheaper than LibCST), the same errors as :meth:`_parsed` for what Python refuses."""
        text = reader(path)
        if isinstance(text, source.SourceError) or len(text) > source.MAX_TREE_CHARS:
            return self._parsed(path)
        error = None if self._compiles(path, text) else source.check_syntax(text)
        tree = source.parse_ast(text) if error is None else None
        if tree is None:
            return self._parsed(path)

        def parse() -> cst.Module | None:
            parsed = source.parse(text, syntax_checked=True)
            return None if isinstance(parsed, source.SourceError) else parsed

        return build_surface_info(path, self.qualname_for(path), text, tree, parse)

    def qualname_for(self, path: Path) -> str:
        """The dotted module name of a file, relative to the deepest source root holding it."""
        base = max(
            (r for r in (*self.src_roots, self.root) if path.is_relative_to(r)),
            key=lambda r: len(r.parts),
            default=path.parent,
        )
        parts = list(path.relative_to(base).parts)
        if parts and parts[-1].endswith(MODULE_SUFFIXES):
            parts[-1] = parts[-1].rsplit(".", 1)[0]
        if parts and parts[-1] == "__init__":
            parts.pop()
        return ".".join(parts)

    def _find_module(self, base: Path, parts: Sequence[str]) -> Path | None:
        return self.index.find_module(base, parts)

    def module_files(self, importer: Path, dotted: str, level: int = 0) -> list[Path]:
        return self.index.module_files(importer, dotted, level)

    def _module_sym(self, path: Path | None) -> ModuleSym | None:
        info = self.module(path) if path is not None else None
        return ModuleSym(info) if info is not None else None

    # -- imports -------------------------------------------------------------------------

    def resolve_module(self, importer: ModuleInfo, dotted: str) -> Symbol:
        """An absolute import: source roots first, then the importing file's own folders."""
        parts = dotted.split(".")
        for root in self.src_roots:
            found = self._module_sym(self._find_module(root, parts))
            if found is not None:
                return found
        # Projects run as `python run.py` from their own folder import their siblings.
        folder: Path | None = importer.folder
        while folder is not None and folder.is_relative_to(self.root):
            found = self._module_sym(self._find_module(folder, parts))
            if found is not None:
                return found
            folder = folder.parent if folder != folder.parent else None
        return External(dotted)

    def resolve_dotted(self, dotted: str) -> Symbol | None:
        """A dotted path such as ``mylib.tracing.tracked_step`` from the source roots: the
        longest module prefix found in the project, then attributes (re-exports followed)."""
        parts = dotted.split(".")
        for split in range(len(parts), 0, -1):
            for root in self.src_roots:
                sym: Symbol | None = self._module_sym(self._find_module(root, parts[:split]))
                if sym is None:
                    continue
                for attr in parts[split:]:
                    sym = self.member(sym, attr)
                return sym
        return None

    def import_base(self, importer: ModuleInfo, imp: ImportFrom) -> Symbol | None:
        """The module ``from <module> import ...`` reads names from."""
        return self._import_base(importer, imp)

    def _import_base(self, importer: ModuleInfo, imp: ImportFrom) -> Symbol | None:
        if imp.level == 0:
            return self.resolve_module(importer, imp.module)
        base = importer.folder
        for _ in range(imp.level - 1):
            base = base.parent
        if not imp.module:
            inits = [base / f"__init__{suffix}" for suffix in MODULE_SUFFIXES]
            package = next((init for init in inits if init in self.files), base)
            return self._module_sym(package)
        return self._module_sym(self._find_module(base, imp.module.split(".")))

    # -- names ---------------------------------------------------------------------------

    def resolve_name(self, module: ModuleInfo, name: str) -> Symbol | None:
        """What a module-level name refers to, following imports, stars and aliases."""
        key = (module.path, name)
        if key in self._names:
            return self._names[key]
        if key in self._resolving:  # an import cycle: give up on this name, not the run
            return None
        self._resolving.add(key)
        try:
            result = self._resolve_name_uncached(module, name)
        finally:
            self._resolving.discard(key)
        self._names[key] = result
        return result

    def _resolve_name_uncached(self, module: ModuleInfo, name: str) -> Symbol | None:
        binding = module.bindings.get(name)
        bound_at = module.binding_position.get(name, -1)
        # A star import after the name's own binding rebinds it; one before it does not.
        for position, star in reversed(module.star_imports):
            if position < bound_at:
                break
            found = self._from_star(module, star, name)
            if found is not None:
                return found
        if binding is not None:
            return self._binding_symbol(module, name, binding)
        return None

    def _from_star(self, module: ModuleInfo, star: ImportFrom, name: str) -> Symbol | None:
        base = self._import_base(module, star)
        if isinstance(base, ModuleSym):
            return self.member(base, name) if base.info.exports(name) else None
        if isinstance(base, External) and f"{base.qualname}.{name}" in zenml_api.STAR_EXPORTS:
            # Outside the project only the names zlint knows a package exports are trusted.
            return External(f"{base.qualname}.{name}")
        return None

    def _binding_symbol(self, module: ModuleInfo, name: str, binding: Binding) -> Symbol | None:
        if isinstance(binding, ImportModule):
            return self.resolve_module(module, binding.dotted)
        if isinstance(binding, ImportFrom):
            base = self._import_base(module, binding)
            return self.member(base, binding.name) if base is not None else None
        if isinstance(binding, Definition):
            # The binding, not its node: a module read by `ast` builds no tree for this.
            qualname = f"{module.qualname}.{name}" if module.qualname else name
            if binding.is_function:
                return FunctionSym(module, binding, qualname)
            return ClassSym(module, binding, qualname)
        assert isinstance(binding, Assignment)
        if binding.type_alias:
            # ZenML does not look into a `TypeAliasType`: not the annotation it stands for.
            return External(zenml_api.TYPE_ALIAS_INSTANCE)
        if binding.reference:
            return self._resolve_reference(module, binding.dotted) if binding.dotted else None
        return ValueSym(module, binding)

    def assignment_of(
        self, module: ModuleInfo, name: str, depth: int = 0
    ) -> tuple[ModuleInfo, Assignment] | None:
        """The module-level assignment ``name`` stands for in ``module``, following
        ``from m import name`` to the module that assigns it (not star imports)."""
        binding = module.bindings.get(name)
        if isinstance(binding, Assignment):
            return module, binding
        if isinstance(binding, ImportFrom) and depth < 20:
            base = self._import_base(module, binding)
            if isinstance(base, ModuleSym):
                return self.assignment_of(base.info, binding.name, depth + 1)
        return None

    def _resolve_reference(self, module: ModuleInfo, dotted: str) -> Symbol | None:
        """What :meth:`resolve_expr` gives for the name or attribute chain ``dotted``."""
        head, *attrs = dotted.split(".")
        found = self.resolve_name(module, head)
        sym = (
            found if found is not None or head in module.bindings else External(f"builtins.{head}")
        )
        for attr in attrs:
            sym = self.member(sym, attr)
        return sym

    def member(self, base: Symbol | None, attr: str) -> Symbol | None:
        """``base.attr`` for a module, an external name, or a class attribute."""
        if isinstance(base, External):
            return External(f"{base.qualname}.{attr}")
        if isinstance(base, ModuleSym):
            found = self.resolve_name(base.info, attr)
            if found is None and base.info.is_package:
                found = self._module_sym(self._find_module(base.info.folder, [attr]))
            return found
        if isinstance(base, ClassSym):
            return self._class_attribute(base, attr)
        return None

    def _class_attribute(self, cls: ClassSym, attr: str) -> Symbol | None:
        qualname = f"{cls.qualname}.{attr}"
        source = cls.source
        deferred = source.source if isinstance(source, Definition) else None
        if isinstance(deferred, Deferred) and deferred.members is not None:
            # A class read by `ast`: what the attribute is, without building the tree.
            assert isinstance(source, Definition)
            kind = deferred.members.get(attr)
            member = DeferredMember(source, attr)
            if kind == "function":
                return FunctionSym(cls.module, Definition(member, True), qualname)
            if kind == "class":
                return ClassSym(cls.module, Definition(member, False), qualname)
            return ValueSym(cls.module, Assignment(member), cls) if kind == "value" else None
        found = class_member(cls.node, attr)
        if isinstance(found, cst.FunctionDef):
            return FunctionSym(cls.module, found, qualname)
        if isinstance(found, cst.ClassDef):
            return ClassSym(cls.module, found, qualname)
        return ValueSym(cls.module, found, cls) if found is not None else None

    def resolve_expr(self, module: ModuleInfo, expr: cst.BaseExpression) -> Symbol | None:
        """A ``name`` or ``a.b.c`` expression at module scope; unbound names are builtins."""
        if isinstance(expr, cst.Name):
            found = self.resolve_name(module, expr.value)
            return (
                found
                if found is not None or expr.value in module.bindings
                else (External(f"builtins.{expr.value}"))
            )
        if isinstance(expr, cst.Attribute):
            return self.member(self.resolve_expr(module, expr.value), expr.attr.value)
        return None
