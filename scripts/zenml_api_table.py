#!/usr/bin/env python3
"""Static table of ZenML's public API across releases, read from the wheels.

Stdlib only (zipfile + ast): nothing from the wheels is imported or executed.

For every wheel `zenml-<version>-py3-none-any.whl` in the wheel folder it records,
for each public name zlint matches:

* every module path that defines or re-exports the name (the defining module, every
  package ``__init__`` that binds it at import time, and every module whose
  ``__all__`` lists it), with the origin each path resolves to by following
  ``from x import y [as z]``, relative imports and ``from x import *`` (honouring
  ``__all__``), statically;
* for functions: the parameters (name, kind, default) of the implementation (the
  definition that is not an ``@overload``) and any deprecation text logged in its body;
* for classes: bases, fields (class-level annotations), ``__init__`` parameters, public
  methods, and the parameters of selected methods (``with_options``, ``configure``,
  ``map``, ``add_output_metadata``, ``list_artifact_versions``, ...), including methods
  inherited from bases that resolve inside the wheel.

It then derives, from the per-release records alone, the first release in which each
fact appears or changes, and writes:

* ``api_table.json``: {"versions": [...], "names": {name: {version: {...}}},
  "extras": {version: {...}}, "facts": {fact: {"values": {version: value},
  "changes": [{"version": v, "from": old, "to": new}]}}}
* ``api_first_appearance.md``: the fact change list as Markdown.

and, for zlint itself, ``zlint/model/_zenml_paths.py``: every module path of every name
above in every release, compactly (``zlint/model/zenml_api.py`` reads it).

Usage (from the repository root)::

    python3 scripts/zenml_api_table.py --wheels DIR [--out DIR] [--paths FILE]
    python3 scripts/zenml_api_table.py --from-table DIR/api_table.json

``--wheels`` reads every wheel (``pip download --no-deps zenml==V -d DIR``; about 20 minutes
for 89 wheels on two busy cores); ``--from-table`` rebuilds the paths module from an
``api_table.json`` written before.
"""

from __future__ import annotations

import argparse
import ast
import contextlib
import json
import re
import sys
import zipfile
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

# ---------------------------------------------------------------------------
# What to look up
# ---------------------------------------------------------------------------

#: Public names zlint matches (plain names: every module that exports them is found).
NAMES: list[str] = [
    "step",
    "pipeline",
    "BaseStep",
    "BasePipeline",
    "Pipeline",
    "DynamicPipeline",
    "BaseParameters",
    "Output",
    "ArtifactConfig",
    "log_metadata",
    "bulk_log_metadata",
    "log_artifact_metadata",
    "log_step_metadata",
    "log_model_metadata",
    "add_tags",
    "get_step_context",
    "get_pipeline_context",
    "StepContext",
    "Client",
    "CachePolicy",
    "save_artifact",
    "load_artifact",
    "register_artifact",
    "ExternalArtifact",
    "Model",
    "ModelVersion",
    "link_artifact_to_model",
    "unmapped",
    "wait",
    "format_name_template",
    "MetadataType",
]

#: Methods whose parameters are recorded when the class defines or inherits them.
METHODS: dict[str, list[str]] = {
    "BaseStep": [
        "__init__",
        "__call__",
        "with_options",
        "configure",
        "map",
        "product",
        "submit",
        "entrypoint",
    ],
    "BasePipeline": ["__init__", "run", "connect", "with_options", "configure"],
    "Pipeline": ["__init__", "__call__", "with_options", "configure", "run"],
    "DynamicPipeline": ["__init__", "with_options", "configure"],
    "StepContext": [
        "add_output_metadata",
        "add_output_tags",
        "remove_output_tags",
        "get_output_metadata",
    ],
    "Client": ["list_artifact_versions", "list_artifacts", "get_artifact_version", "get_artifact"],
    "ArtifactConfig": ["__init__"],
    "ExternalArtifact": ["__init__"],
    "CachePolicy": ["__init__"],
    "Model": ["__init__"],
    "ModelVersion": ["__init__"],
}

DEPRECATION_RE = re.compile(r"deprecat", re.IGNORECASE)

#: Packages whose same-named objects are unrelated to the pipeline API (the CLI's
#: `pipeline` command group, the analytics `Client`, model-registry `ModelVersion`,
#: server/store internals, integrations): never reported as export paths.
EXCLUDED_PREFIXES = (
    "zenml.cli",
    "zenml.analytics",
    "zenml.zen_server",
    "zenml.zen_stores",
    "zenml.integrations",
    "zenml.model_registries",
    "zenml._hub",
    "zenml.mlstacks",
)


# ---------------------------------------------------------------------------
# Wheel reading and static import resolution
# ---------------------------------------------------------------------------


class Wheel:
    """The `zenml` package of one wheel, read with zipfile and ast."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.zip = zipfile.ZipFile(path)
        self.version = path.name.split("-")[1]
        # module name -> (member name, is_package)
        self.modules: dict[str, tuple[str, bool]] = {}
        for member in self.zip.namelist():
            if not member.endswith(".py") or not member.startswith("zenml/"):
                continue
            parts = member[:-3].split("/")
            if parts[-1] == "__init__":
                self.modules[".".join(parts[:-1])] = (member, True)
            else:
                self.modules[".".join(parts)] = (member, False)
        self._text: dict[str, str] = {}
        self._tree: dict[str, ast.Module | None] = {}
        self._scope: dict[str, ModuleScope] = {}

    def text(self, module: str) -> str:
        if module not in self._text:
            member, _ = self.modules[module]
            self._text[module] = self.zip.read(member).decode("utf-8", "replace")
        return self._text[module]

    def tree(self, module: str) -> ast.Module | None:
        if module not in self._tree:
            try:
                self._tree[module] = ast.parse(self.text(module))
            except SyntaxError:
                self._tree[module] = None
        return self._tree[module]

    def scope(self, module: str) -> ModuleScope:
        if module not in self._scope:
            self._scope[module] = ModuleScope(self, module)
        return self._scope[module]

    def is_package(self, module: str) -> bool:
        return self.modules[module][1]


def _is_type_checking(test: ast.expr) -> bool:
    src = ast.unparse(test)
    return "TYPE_CHECKING" in src


def _top_level_statements(body: Sequence[ast.stmt]) -> Iterable[ast.stmt]:
    """Statements that run at import time (if/try arms, not TYPE_CHECKING)."""
    for node in body:
        if isinstance(node, ast.If):
            if _is_type_checking(node.test):
                # `if TYPE_CHECKING: ... else: ...` -> only the else arm runs
                yield from _top_level_statements(node.orelse)
                continue
            yield from _top_level_statements(node.body)
            yield from _top_level_statements(node.orelse)
        elif isinstance(node, ast.Try) or (
            sys.version_info >= (3, 11) and isinstance(node, getattr(ast, "TryStar", ()))
        ):
            yield from _top_level_statements(node.body)
            for h in node.handlers:
                yield from _top_level_statements(h.body)
            yield from _top_level_statements(node.orelse)
            yield from _top_level_statements(node.finalbody)
        elif isinstance(node, (ast.With,)):
            yield from _top_level_statements(node.body)
        else:
            yield node


class ModuleScope:
    """Import-time bindings of one module."""

    def __init__(self, wheel: Wheel, module: str) -> None:
        self.wheel = wheel
        self.module = module
        # name -> list of bindings, in source order
        self.bindings: dict[str, list[tuple[str, Any]]] = {}
        self.star_imports: list[str] = []
        self.all: list[str] | None = None
        tree = wheel.tree(module)
        if tree is None:
            return
        for node in _top_level_statements(tree.body):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                self._bind(node.name, ("def", node))
            elif isinstance(node, ast.ClassDef):
                self._bind(node.name, ("class", node))
            elif isinstance(node, ast.ImportFrom):
                src = self._absolute(node)
                if src is None:
                    continue
                for alias in node.names:
                    if alias.name == "*":
                        self.star_imports.append(src)
                    else:
                        self._bind(alias.asname or alias.name, ("import", (src, alias.name)))
            elif isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.asname:
                        self._bind(alias.asname, ("module", alias.name))
            elif isinstance(node, (ast.Assign, ast.AnnAssign)):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                for t in targets:
                    if isinstance(t, ast.Name):
                        if t.id == "__all__" and node.value is not None:
                            with contextlib.suppress(Exception):
                                self.all = list(ast.literal_eval(node.value))
                        elif node.value is not None:
                            self._bind(t.id, ("assign", node))
            elif (
                isinstance(node, ast.AugAssign)
                and isinstance(node.target, ast.Name)
                and node.target.id == "__all__"
            ):
                with contextlib.suppress(Exception):
                    self.all = (self.all or []) + list(ast.literal_eval(node.value))

    def _bind(self, name: str, binding: tuple[str, Any]) -> None:
        self.bindings.setdefault(name, []).append(binding)

    def _absolute(self, node: ast.ImportFrom) -> str | None:
        if not node.level:
            return node.module
        parts = self.module.split(".")
        if not self.wheel.is_package(self.module):
            parts = parts[:-1]
        if node.level > 1:
            parts = parts[: len(parts) - (node.level - 1)]
        base = ".".join(parts)
        return f"{base}.{node.module}" if node.module else base

    def exported_names(self) -> list[str]:
        if self.all is not None:
            return self.all
        return [n for n in self.bindings if not n.startswith("_")]


class Origin:
    """Where a name is finally defined."""

    def __init__(self, module: str, name: str, kind: str, node: Any) -> None:
        self.module, self.name, self.kind, self.node = module, name, kind, node

    @property
    def qualname(self) -> str:
        return f"{self.module}.{self.name}"


def resolve(wheel: Wheel, module: str, name: str, _seen: set | None = None) -> Origin | None:
    """Follow imports statically until the name's definition (or give up)."""
    seen = _seen if _seen is not None else set()
    key = (module, name)
    if key in seen or module not in wheel.modules:
        return None
    seen.add(key)
    scope = wheel.scope(module)
    bindings = scope.bindings.get(name)
    if bindings:
        # The last binding that resolves wins (import-time order); a fallback
        # `name = None` in an except arm does not hide a successful import.
        resolved: list[Origin] = []
        for kind, payload in bindings:
            if kind in ("def", "class"):
                resolved.append(Origin(module, name, kind, payload))
            elif kind == "assign":
                value = payload.value
                if isinstance(value, ast.Constant) and value.value is None:
                    continue
                if isinstance(value, ast.Name) and value.id != name:
                    o = resolve(wheel, module, value.id, seen)
                    resolved.append(o or Origin(module, name, "assign", payload))
                else:
                    resolved.append(Origin(module, name, "assign", payload))
            elif kind == "import":
                src, src_name = payload
                o = resolve(wheel, src, src_name, seen)
                if o is None and f"{src}.{src_name}" in wheel.modules:
                    o = Origin(f"{src}.{src_name}", "", "module", None)
                if o is not None:
                    resolved.append(o)
                else:
                    resolved.append(Origin(src, src_name, "external", None))
        if resolved:
            return resolved[-1]
        return None
    for src in scope.star_imports:
        if src in wheel.modules and name in wheel.scope(src).exported_names():
            o = resolve(wheel, src, name, seen)
            if o is not None:
                return o
    return None


def candidate_exporters(wheel: Wheel, name: str) -> list[str]:
    """Modules that define the name at top level, packages that bind it, or list it in __all__."""
    word = re.compile(rf"\b{re.escape(name)}\b")
    define = re.compile(
        rf"^(?:async\s+def|def|class)\s+{re.escape(name)}\b|^{re.escape(name)}\s*[:=]",
        re.MULTILINE,
    )
    quoted = re.compile(rf"""["']{re.escape(name)}["']""")
    out = []
    for module, (_member, is_pkg) in wheel.modules.items():
        if any(module == p or module.startswith(p + ".") for p in EXCLUDED_PREFIXES):
            continue
        text = wheel.text(module)
        if not word.search(text):
            continue
        if define.search(text) or is_pkg or ("__all__" in text and quoted.search(text)):
            out.append(module)
    return sorted(out)


# ---------------------------------------------------------------------------
# Describing definitions
# ---------------------------------------------------------------------------


def _default(node: ast.expr | None) -> str | None:
    return None if node is None else ast.unparse(node)


def describe_args(fn: ast.FunctionDef) -> list[dict[str, Any]]:
    a = fn.args
    params: list[dict[str, Any]] = []
    positional = list(a.posonlyargs) + list(a.args)
    defaults: list[ast.expr | None] = [None] * (len(positional) - len(a.defaults)) + list(
        a.defaults
    )
    for i, arg in enumerate(positional):
        kind = "posonly" if i < len(a.posonlyargs) else "pos_or_kw"
        params.append({"name": arg.arg, "kind": kind, "default": _default(defaults[i])})
    if a.vararg:
        params.append({"name": a.vararg.arg, "kind": "var_pos", "default": None})
    for arg, d in zip(a.kwonlyargs, a.kw_defaults, strict=False):
        params.append({"name": arg.arg, "kind": "kw_only", "default": _default(d)})
    if a.kwarg:
        params.append({"name": a.kwarg.arg, "kind": "var_kw", "default": None})
    return params


def _is_overload(fn: ast.FunctionDef) -> bool:
    return any(ast.unparse(d).split(".")[-1] == "overload" for d in fn.decorator_list)


def deprecation_texts(fn: ast.AST) -> list[str]:
    """String fragments about deprecation in a function body (logged notices, warnings)."""
    texts: list[str] = []
    for node in ast.walk(fn):
        if isinstance(node, ast.Call):
            fname = ast.unparse(node.func)
            if not any(k in fname for k in ("warning", "warn", "deprecat")):
                continue
            parts: list[str] = []
            for arg in list(node.args) + [k.value for k in node.keywords]:
                for sub in ast.walk(arg):
                    if isinstance(sub, ast.Constant) and isinstance(sub.value, str):
                        parts.append(sub.value)
            joined = "".join(parts)
            if DEPRECATION_RE.search(joined) or "deprecat" in fname.lower():
                texts.append(" ".join(joined.split()))
    for dec in getattr(fn, "decorator_list", []):
        if "deprecat" in ast.unparse(dec).lower():
            texts.append("decorator: " + ast.unparse(dec))
    return texts


def module_function_impl(wheel: Wheel, origin: Origin) -> ast.FunctionDef | None:
    """The last non-overload top-level def of the name in its module."""
    tree = wheel.tree(origin.module)
    impl = None
    for node in _top_level_statements(tree.body):
        if (
            isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
            and node.name == origin.name
            and not _is_overload(node)
        ):
            impl = node
    return impl


def class_methods(cls: ast.ClassDef) -> dict[str, ast.FunctionDef]:
    out: dict[str, ast.FunctionDef] = {}
    for node in cls.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            if _is_overload(node) and node.name in out:
                continue
            if _is_overload(node):
                out.setdefault(node.name, node)
            else:
                out[node.name] = node
    return out


def class_fields(cls: ast.ClassDef) -> list[dict[str, Any]]:
    fields = []
    for node in cls.body:
        if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            ann = ast.unparse(node.annotation)
            if ann.startswith("ClassVar") or node.target.id.startswith("_"):
                continue
            fields.append(
                {
                    "name": node.target.id,
                    "annotation": ann,
                    "default": _default(node.value),
                }
            )
    return fields


def class_mro(wheel: Wheel, origin: Origin, depth: int = 0) -> list[Origin]:
    """The class and the bases that resolve inside the wheel (depth-first, no duplicates)."""
    out = [origin]
    if depth > 8:
        return out
    for base in origin.node.bases:
        name = ast.unparse(base).split("[")[0]
        if "." in name:
            head, _, attr = name.rpartition(".")
            o = None
            # module alias (`import x.y as m` is rare here); try it as a module path
            if head in wheel.modules:
                o = resolve(wheel, head, attr)
        else:
            o = resolve(wheel, origin.module, name)
        if o is not None and o.kind == "class":
            for sub in class_mro(wheel, o, depth + 1):
                if all(sub.qualname != s.qualname for s in out):
                    out.append(sub)
    return out


def describe_origin(wheel: Wheel, origin: Origin, name: str) -> dict[str, Any]:
    d: dict[str, Any] = {"origin": origin.qualname, "kind": origin.kind}
    if origin.kind == "def":
        impl = module_function_impl(wheel, origin)
        if impl is not None:
            d["params"] = describe_args(impl)
            dep = deprecation_texts(impl)
            if dep:
                d["deprecation"] = dep
            d["returns"] = _default(impl.returns)
    elif origin.kind == "class":
        mro = class_mro(wheel, origin)
        d["bases"] = [ast.unparse(b) for b in origin.node.bases]
        d["mro"] = [o.qualname for o in mro]
        fields: list[dict[str, Any]] = []
        seen_fields = set()
        methods: dict[str, tuple[str, ast.FunctionDef]] = {}
        for o in mro:
            for f in class_fields(o.node):
                if f["name"] not in seen_fields:
                    seen_fields.add(f["name"])
                    fields.append(dict(f, defined_in=o.qualname))
            for mname, fn in class_methods(o.node).items():
                methods.setdefault(mname, (o.qualname, fn))
        d["fields"] = fields
        d["methods"] = sorted(
            m for m in methods if not m.startswith("_") or m in ("__init__", "__call__")
        )
        wanted = METHODS.get(name, [])
        d["method_params"] = {}
        for m in wanted:
            if m in methods:
                where, fn = methods[m]
                info = {"defined_in": where, "params": describe_args(fn)}
                dep = deprecation_texts(fn)
                if dep:
                    info["deprecation"] = dep
                d["method_params"][m] = info
        dep = deprecation_texts(origin.node.body[0]) if origin.node.body else []
    elif origin.kind == "assign":
        d["value"] = ast.unparse(origin.node.value)[:600]
    return d


# ---------------------------------------------------------------------------
# Per-wheel extraction
# ---------------------------------------------------------------------------


def primary_path(paths: dict[str, str], name: str) -> str | None:
    """The path zlint users most likely import: zenml.<name>, then shortest."""
    pref = [f"zenml.{name}", f"zenml.client.{name}"]
    for p in pref:
        if p in paths:
            return p
    return sorted(paths, key=lambda p: (p.count("."), p))[0] if paths else None


def extract_wheel(path: Path) -> tuple[str, dict[str, Any], dict[str, Any]]:
    wheel = Wheel(path)
    names: dict[str, Any] = {}
    for name in NAMES:
        paths: dict[str, str] = {}
        origins: dict[str, dict[str, Any]] = {}
        for module in candidate_exporters(wheel, name):
            scope = wheel.scope(module)
            listed = scope.all is not None and name in scope.all
            bound = name in scope.bindings
            is_pkg = wheel.is_package(module)
            if not bound and not listed and not (is_pkg and scope.star_imports):
                continue
            o = resolve(wheel, module, name)
            if o is None or o.kind in ("external", "module"):
                continue
            defines = o.module == module
            if not (defines or is_pkg or listed):
                continue
            paths[f"{module}.{name}"] = o.qualname
            if o.qualname not in origins:
                origins[o.qualname] = describe_origin(wheel, o, name)
        if not paths:
            continue
        prim = primary_path(paths, name)
        entry = {
            "paths": sorted(paths),
            "path_origin": dict(sorted(paths.items())),
            "primary": prim,
            "origins": origins,
        }
        po = origins[paths[prim]]
        if "params" in po:
            entry["params"] = [p["name"] for p in po["params"]]
        if "fields" in po:
            entry["fields"] = [f["name"] for f in po["fields"]]
        names[name] = entry

    extras = extract_extras(wheel)
    return wheel.version, names, extras


def extract_extras(wheel: Wheel) -> dict[str, Any]:
    """Things that are not names: reserved step arguments, dynamic pipeline modules, ..."""
    ex: dict[str, Any] = {}
    # reserved argument names passed to validate_entrypoint_function / validate_reserved_arguments
    reserved = set()
    for module in wheel.modules:
        if not module.startswith(
            ("zenml.steps", "zenml.new.steps", "zenml.pipelines", "zenml.new.pipelines")
        ):
            continue
        text = wheel.text(module)
        if "reserved_arguments" not in text:
            continue
        for node in ast.walk(wheel.tree(module)):
            if isinstance(node, ast.Call):
                for kw in node.keywords:
                    if kw.arg == "reserved_arguments":
                        with contextlib.suppress(Exception):
                            reserved.update(ast.literal_eval(kw.value))
    ex["reserved_step_arguments"] = sorted(reserved)
    ex["has_zenml_new"] = any(m == "zenml.new" or m.startswith("zenml.new.") for m in wheel.modules)
    ex["dynamic_modules"] = sorted(
        m
        for m in wheel.modules
        if ".dynamic" in m and "webhooks" not in m and "migrations" not in m
    )[:20]
    # zenml/__init__.py __all__
    ex["zenml_all"] = wheel.scope("zenml").all
    # placeholders: how output names are formatted (substitution support)
    fnt = None
    for module in ("zenml.utils.string_utils",):
        if module in wheel.modules:
            for node in wheel.tree(module).body:
                if isinstance(node, ast.FunctionDef) and node.name == "format_name_template":
                    fnt = [p["name"] for p in describe_args(node)]
    ex["format_name_template_params"] = fnt
    # MetadataType union members
    if "zenml.metadata.metadata_types" in wheel.modules:
        for node in wheel.tree("zenml.metadata.metadata_types").body:
            if isinstance(node, ast.Assign) and any(
                isinstance(t, ast.Name) and t.id == "MetadataType" for t in node.targets
            ):
                v = node.value
                if isinstance(v, ast.Subscript):
                    elts = v.slice.elts if isinstance(v.slice, ast.Tuple) else [v.slice]
                    ex["MetadataType_members"] = [ast.unparse(e) for e in elts]
            if isinstance(node, ast.FunctionDef) and node.name == "validate_metadata":
                src = ast.unparse(node)
                ex["validate_metadata"] = {
                    "json_dumps_size_check": "json.dumps" in src,
                    "unsupported_type_warns": "not of a supported" in src,
                    "unsupported_value_kept": _kept_after_warning(node),
                }
    # where output artifact names are formatted at run time (step runner)
    for module in ("zenml.orchestrators.step_runner",):
        if module in wheel.modules:
            text = wheel.text(module)
            ex["step_runner_formats_output_names"] = (
                "format_name_template" in text or "_evaluate_artifact_names" in text
            )
    # default artifact names: f-strings containing "::" in the run-time modules
    patterns = set()
    for module in wheel.modules:
        if not module.startswith(
            ("zenml.orchestrators", "zenml.artifacts", "zenml.steps", "zenml.new.steps")
        ):
            continue
        text = wheel.text(module)
        if "::" not in text:
            continue
        for node in ast.walk(wheel.tree(module)):
            if isinstance(node, ast.JoinedStr):
                src = ast.unparse(node)
                if ("::" in src and "output" in src) or (
                    "::" in src and "name" in src and src.count("::") == 2
                ):
                    patterns.add(f"{module}: {src}")
    ex["default_artifact_name_fstrings"] = sorted(patterns)
    ex["messages"] = message_locations(wheel)
    return ex


#: Error/notice texts whose presence in a release tells which behaviour it has.
MESSAGE_NEEDLES = [
    "Duplicate invocation ID",
    "Duplicate step ID",
    "Reserved argument name",
    "Could not format the name template",
    "Unsupported way to call the `log_metadata`",
    "There is more than one output",
    "is not of a supported type",
    "Mapping over step inputs",
    "Unable to resolve dynamic pipeline source",
    "You can only sort by valid fields of this resource",
    "Given version already exists",
    "same name and version already exists",
    "must be defined as top-level",
    "has multiple outputs",
    'f"map:{',  # dynamic .map() invocation ids `map:<invocation>:<index>` (0.94.3)
    'MAP_INVOCATION_ID_PREFIX = "map:"',  # the same, as a constant (0.94.4+)
    "due to failure in step",  # local orchestrator runs on and raises RuntimeError at the end
]


def message_locations(wheel: Wheel) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for needle in MESSAGE_NEEDLES:
        mods = [m for m in wheel.modules if needle in wheel.text(m)]
        out[needle] = sorted(mods)
    return out


def _kept_after_warning(fn: ast.FunctionDef) -> bool | None:
    """In validate_metadata: is `validated_metadata[key] = value` reached after an unsupported-type warning?"""
    for node in ast.walk(fn):
        if isinstance(node, ast.For):
            body = node.body
            for i, stmt in enumerate(body):
                if isinstance(stmt, ast.Try) and "not of a supported" in ast.unparse(stmt):
                    handler_src = " ".join(ast.unparse(h) for h in stmt.handlers)
                    if "continue" in handler_src:
                        return False
                    rest = " ".join(ast.unparse(s) for s in body[i + 1 :])
                    return "validated_metadata[key] = value" in rest
    return None


# ---------------------------------------------------------------------------
# Derived facts and their change points
# ---------------------------------------------------------------------------


def vkey(v: str) -> tuple[int, ...]:
    return tuple(int(x) for x in v.split("."))


def _origin_of(names: dict[str, Any], name: str, path: str) -> str | None:
    e = names.get(name)
    if not e:
        return None
    return e["path_origin"].get(path)


def _method_params(names, name, method) -> list[str] | None:
    e = names.get(name)
    if not e:
        return None
    for path in [e["primary"]] + e["paths"]:
        o = e["origins"][e["path_origin"][path]]
        mp = o.get("method_params", {}).get(method)
        if mp:
            return [p["name"] for p in mp["params"]]
    return None


def _func_params(names, name, path=None) -> list[str] | None:
    e = names.get(name)
    if not e:
        return None
    p = path or e["primary"]
    if p not in e["path_origin"]:
        return None
    o = e["origins"][e["path_origin"][p]]
    return [x["name"] for x in o.get("params", [])] or None


def _deprecation(names, name, path=None) -> str | None:
    e = names.get(name)
    if not e:
        return None
    p = path or e["primary"]
    o = e["origins"][e["path_origin"][p]]
    d = o.get("deprecation")
    return " | ".join(d) if d else "none"


def _first_positional(params: list[dict[str, Any]] | None) -> str | None:
    if not params:
        return None
    for p in params:
        if p["name"] in ("self", "cls"):
            continue
        if p["kind"] in ("posonly", "pos_or_kw"):
            return p["name"]
        return None
    return None


def derive_facts(
    versions: list[str], table: dict[str, dict[str, Any]], extras: dict[str, dict[str, Any]]
) -> dict[str, Any]:
    """fact -> {version: value}; values are JSON-able and compared for changes."""
    facts: dict[str, dict[str, Any]] = {}

    def put(fact: str, v: str, value: Any) -> None:
        facts.setdefault(fact, {})[v] = value

    for v in versions:
        names = {n: table[n][v] for n in table if v in table[n]}
        ex = extras[v]
        for n in NAMES:
            put(f"{n}: export paths", v, names[n]["paths"] if n in names else None)
        put("zenml.step origin", v, _origin_of(names, "step", "zenml.step"))
        put("zenml.steps.step origin", v, _origin_of(names, "step", "zenml.steps.step"))
        put(
            "zenml.steps.step is zenml.step",
            v,
            _origin_of(names, "step", "zenml.steps.step") is not None
            and _origin_of(names, "step", "zenml.steps.step")
            == _origin_of(names, "step", "zenml.step"),
        )
        put("zenml.pipeline origin", v, _origin_of(names, "pipeline", "zenml.pipeline"))
        put(
            "zenml.pipelines.pipeline origin",
            v,
            _origin_of(names, "pipeline", "zenml.pipelines.pipeline"),
        )
        put(
            "zenml.pipelines.pipeline is zenml.pipeline",
            v,
            _origin_of(names, "pipeline", "zenml.pipelines.pipeline") is not None
            and _origin_of(names, "pipeline", "zenml.pipelines.pipeline")
            == _origin_of(names, "pipeline", "zenml.pipeline"),
        )
        put("zenml.steps.BaseStep origin", v, _origin_of(names, "BaseStep", "zenml.steps.BaseStep"))
        put("zenml.new.* modules present", v, ex["has_zenml_new"])
        put(
            "@step params",
            v,
            _func_params(names, "step", "zenml.step")
            if "zenml.step" in names.get("step", {}).get("path_origin", {})
            else None,
        )
        put(
            "legacy zenml.steps.step params (when not zenml.step)",
            v,
            _func_params(names, "step", "zenml.steps.step")
            if names.get("step")
            and "zenml.steps.step" in names["step"]["path_origin"]
            and _origin_of(names, "step", "zenml.steps.step")
            != _origin_of(names, "step", "zenml.step")
            else None,
        )
        put(
            "@pipeline params",
            v,
            _func_params(names, "pipeline", "zenml.pipeline")
            if "zenml.pipeline" in names.get("pipeline", {}).get("path_origin", {})
            else None,
        )
        put(
            "legacy zenml.pipelines.pipeline params (when not zenml.pipeline)",
            v,
            _func_params(names, "pipeline", "zenml.pipelines.pipeline")
            if names.get("pipeline")
            and "zenml.pipelines.pipeline" in names["pipeline"]["path_origin"]
            and _origin_of(names, "pipeline", "zenml.pipelines.pipeline")
            != _origin_of(names, "pipeline", "zenml.pipeline")
            else None,
        )
        put(
            "@step has substitutions",
            v,
            "substitutions" in (_func_params(names, "step", "zenml.step") or []),
        )
        put(
            "@pipeline has substitutions",
            v,
            "substitutions" in (_func_params(names, "pipeline", "zenml.pipeline") or []),
        )
        put(
            "@pipeline has dynamic",
            v,
            "dynamic" in (_func_params(names, "pipeline", "zenml.pipeline") or []),
        )
        put(
            "@step has cache_policy",
            v,
            "cache_policy" in (_func_params(names, "step", "zenml.step") or []),
        )
        put(
            "zenml.log_metadata params",
            v,
            _func_params(names, "log_metadata", "zenml.log_metadata")
            if names.get("log_metadata")
            and "zenml.log_metadata" in names["log_metadata"]["path_origin"]
            else None,
        )
        put(
            "log_metadata has infer_artifact",
            v,
            "infer_artifact" in (_func_params(names, "log_metadata") or []),
        )
        for fn in ("log_artifact_metadata", "log_step_metadata", "log_model_metadata"):
            put(f"{fn} params", v, _func_params(names, fn))
            put(f"{fn} deprecation notice", v, _deprecation(names, fn))
        put("add_tags params", v, _func_params(names, "add_tags"))
        for fn in (
            "save_artifact",
            "load_artifact",
            "register_artifact",
            "unmapped",
            "get_step_context",
        ):
            put(f"{fn} params", v, _func_params(names, fn))
        put(
            "BaseStep methods (map/product/submit)",
            v,
            [
                m
                for m in ("map", "product", "submit")
                if m
                in (
                    names.get("BaseStep", {})
                    .get("origins", {})
                    .get(_origin_of(names, "BaseStep", "zenml.steps.BaseStep") or "", {})
                    .get("methods", [])
                )
            ]
            if names.get("BaseStep")
            else None,
        )
        for m in ("with_options", "configure", "__call__", "map"):
            put(f"BaseStep.{m} params", v, _method_params(names, "BaseStep", m))
        put(
            "BaseStep.with_options has substitutions",
            v,
            "substitutions" in (_method_params(names, "BaseStep", "with_options") or []),
        )
        for m in ("with_options", "configure", "__init__"):
            put(f"Pipeline.{m} params", v, _method_params(names, "Pipeline", m))
        put(
            "StepContext.add_output_metadata params",
            v,
            _method_params(names, "StepContext", "add_output_metadata"),
        )
        put(
            "StepContext.add_output_tags params",
            v,
            _method_params(names, "StepContext", "add_output_tags"),
        )
        e = names.get("Client")
        lav = None
        if e:
            o = e["origins"].get("zenml.client.Client", {})
            mp = o.get("method_params", {}).get("list_artifact_versions")
            if mp:
                lav = mp["params"]
        put("Client.list_artifact_versions params", v, [p["name"] for p in lav] if lav else None)
        put("Client.list_artifact_versions first positional", v, _first_positional(lav))
        la = None
        if e:
            mp = (
                e["origins"]
                .get("zenml.client.Client", {})
                .get("method_params", {})
                .get("list_artifacts")
            )
            if mp:
                la = mp["params"]
        put("Client.list_artifacts params", v, [p["name"] for p in la] if la else None)
        put("Client.list_artifacts first positional", v, _first_positional(la))
        st = names.get("step")
        if st:
            for path in ("zenml.step", "zenml.steps.step"):
                o = st["origins"].get(st["path_origin"].get(path, ""), {})
                put(f"{path} return annotation", v, o.get("returns"))
        put(
            "StepContext methods",
            v,
            (names.get("StepContext") or {})
            .get("origins", {})
            .get(
                (names.get("StepContext") or {})
                .get("path_origin", {})
                .get("zenml.steps.StepContext", ""),
                {},
            )
            .get("methods"),
        )
        put("ArtifactConfig fields", v, names.get("ArtifactConfig", {}).get("fields"))
        put(
            "ArtifactConfig origin",
            v,
            _origin_of(
                names, "ArtifactConfig", (names.get("ArtifactConfig") or {}).get("primary", "")
            ),
        )
        put("CachePolicy fields", v, names.get("CachePolicy", {}).get("fields"))
        put("ExternalArtifact fields", v, names.get("ExternalArtifact", {}).get("fields"))
        put("reserved step argument names", v, ex["reserved_step_arguments"])
        put("MetadataType members", v, ex.get("MetadataType_members"))
        put("validate_metadata", v, ex.get("validate_metadata"))
        put("format_name_template params", v, ex.get("format_name_template_params"))
        put("zenml.__all__", v, ex.get("zenml_all"))
        put("dynamic pipeline modules", v, ex.get("dynamic_modules"))
        put("default artifact name f-strings", v, ex.get("default_artifact_name_fstrings"))
        msgs = ex.get("messages") or {}
        put(
            "dynamic .map() invocation ids use the `map:<id>:<index>` form",
            v,
            bool(msgs.get('f"map:{') or msgs.get('MAP_INVOCATION_ID_PREFIX = "map:"')),
        )
        for needle, mods in msgs.items():
            put(f"message text present: {needle!r}", v, mods or None)

    out: dict[str, Any] = {}
    for fact, values in facts.items():
        changes = []
        prev = object()
        for v in versions:
            cur = values.get(v)
            if cur != prev:
                change: dict[str, Any] = {"version": v, "to": cur}
                if prev is not object and isinstance(prev, list) and isinstance(cur, list):
                    change["added"] = [x for x in cur if x not in prev]
                    change["removed"] = [x for x in prev if x not in cur]
                changes.append(change)
                prev = cur
        out[fact] = {"values": values, "changes": changes}
    return out


def write_markdown(path: Path, versions: list[str], facts: dict[str, Any]) -> None:
    lines = [
        "# ZenML public API across releases: where each fact first appears or changes",
        "",
        "Generated by `scripts/zenml_api_table.py` from the wheels "
        f"({versions[0]} .. {versions[-1]}, {len(versions)} releases), statically (zipfile + ast).",
        "Each line: the release where the value first holds, then the value (or what was added/removed).",
        "",
    ]
    for fact, data in facts.items():
        lines.append(f"## {fact}")
        lines.append("")
        for ch in data["changes"]:
            v = ch["version"]
            if "added" in ch and (ch["added"] or ch["removed"]):
                parts = []
                if ch["added"]:
                    parts.append(
                        "added "
                        + ", ".join(
                            f"`{x}`" if not isinstance(x, dict) else json.dumps(x)
                            for x in ch["added"]
                        )
                    )
                if ch["removed"]:
                    parts.append(
                        "removed "
                        + ", ".join(
                            f"`{x}`" if not isinstance(x, dict) else json.dumps(x)
                            for x in ch["removed"]
                        )
                    )
                lines.append(f"- **{v}**: " + "; ".join(parts))
            else:
                val = json.dumps(ch["to"])
                if len(val) > 400:
                    val = val[:400] + "..."
                lines.append(f"- **{v}**: `{val}`")
        lines.append("")
    path.write_text("\n".join(lines))


# ---------------------------------------------------------------------------
# The compact module zlint reads: every path of every name, per release
# ---------------------------------------------------------------------------

#: Where zlint reads the paths from (relative to the repository root).
PATHS_MODULE = Path("zlint/model/_zenml_paths.py")

Span = tuple[str, "str | None", str]


def path_spans(
    versions: list[str], table: dict[str, dict[str, Any]]
) -> dict[str, dict[str, list[Span]]]:
    """name -> path -> [(first release, first release where it no longer holds or None,
    the object it is)], one span per run of releases with the same object."""
    found: dict[str, dict[str, list[Span]]] = {}
    for name in NAMES:
        per_release = table.get(name, {})
        paths = sorted({p for v in versions for p in per_release.get(v, {}).get("path_origin", {})})
        found[name] = {path: _spans(versions, per_release, path) for path in paths}
    return found


def _spans(versions: list[str], per_release: dict[str, Any], path: str) -> list[Span]:
    spans: list[Span] = []
    current: tuple[str, str] | None = None  # (since, origin)
    for v in versions:
        origin = per_release.get(v, {}).get("path_origin", {}).get(path)
        if current is not None and origin != current[1]:
            spans.append((current[0], v, current[1]))
            current = None
        if current is None and origin is not None:
            current = (v, origin)
    if current is not None:
        spans.append((current[0], None, current[1]))
    return spans


def render_paths_module(versions: list[str], table: dict[str, dict[str, Any]]) -> str:
    """The text of :data:`PATHS_MODULE` (stable: the same table gives the same text)."""
    lines = [
        '"""Generated by `scripts/zenml_api_table.py` from the ZenML wheels '
        f"{versions[0]} .. {versions[-1]}. Do not edit.",
        "",
        "Every module path that defined or re-exported each name zlint matches, in every",
        "release read: (first release, first release where it no longer holds or None, the",
        'object it is there: its defining path). See zlint/model/zenml_api.py."""',
        "",
        "# fmt: off",
        "RELEASES: tuple[str, ...] = (",
    ]
    lines += [f"    {v!r}," for v in versions]
    lines += [")", "PATHS: dict[str, dict[str, tuple[tuple[str, str | None, str], ...]]] = {"]
    for name, paths in path_spans(versions, table).items():
        if not paths:
            continue
        lines.append(f"    {name!r}: {{")
        for path, spans in paths.items():
            shown = "".join(f"({a!r}, {b!r}, {c!r}), " for a, b, c in spans)
            lines.append(f"        {path!r}: ({shown.rstrip()}),")
        lines.append("    },")
    lines.append("}")
    return "\n".join(lines) + "\n"


def read_table(path: Path) -> tuple[list[str], dict[str, dict[str, Any]]]:
    """The releases and names of an ``api_table.json`` this script wrote."""
    data = json.loads(path.read_text(encoding="utf-8"))
    return list(data["versions"]), data["names"]


def main(argv: list[str] | None = None) -> int:
    repo = Path(__file__).resolve().parent.parent
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--wheels", type=Path, help="folder of zenml-<version>-py3-none-any.whl")
    ap.add_argument(
        "--from-table", type=Path, help="an api_table.json written before, instead of wheels"
    )
    ap.add_argument(
        "--out", type=Path, help="write api_table.json and api_first_appearance.md here"
    )
    ap.add_argument(
        "--paths",
        type=Path,
        default=repo / PATHS_MODULE,
        help=f"the module zlint reads (default: {PATHS_MODULE})",
    )
    ap.add_argument("--only", nargs="*", help="restrict to these versions")
    args = ap.parse_args(argv)
    if (args.wheels is None) == (args.from_table is None):
        ap.error("give exactly one of --wheels and --from-table")
    if args.from_table is not None:
        versions, table = read_table(args.from_table)
    else:
        versions, table = _read_wheels(args.wheels, args.only, args.out)
    args.paths.write_text(render_paths_module(versions, table), encoding="utf-8")
    print(f"wrote {args.paths}", file=sys.stderr)
    return 0


def _read_wheels(
    folder: Path, only: list[str] | None, out: Path | None
) -> tuple[list[str], dict[str, dict[str, Any]]]:
    wheels = sorted(
        folder.glob("zenml-*-py3-none-any.whl"), key=lambda p: vkey(p.name.split("-")[1])
    )
    if only:
        wheels = [w for w in wheels if w.name.split("-")[1] in only]
    table: dict[str, dict[str, Any]] = {n: {} for n in NAMES}
    extras: dict[str, dict[str, Any]] = {}
    versions: list[str] = []
    for w in wheels:
        v, names, ex = extract_wheel(w)
        versions.append(v)
        extras[v] = ex
        for n, e in names.items():
            table[n][v] = e
        print(f"{v}: {len(names)} names", file=sys.stderr)
    if out is not None:
        facts = derive_facts(versions, table, extras)
        result = {
            "generated_by": "scripts/zenml_api_table.py (static: zipfile + ast)",
            "versions": versions,
            "names": table,
            "extras": extras,
            "facts": facts,
        }
        (out / "api_table.json").write_text(json.dumps(result, indent=1, sort_keys=False))
        write_markdown(out / "api_first_appearance.md", versions, facts)
        print(f"wrote {out / 'api_table.json'} and api_first_appearance.md", file=sys.stderr)
    return versions, table


if __name__ == "__main__":
    sys.exit(main())
