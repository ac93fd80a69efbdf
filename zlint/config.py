"""Project settings: ``zlint.toml`` or the ``[tool.zlint]`` table of ``pyproject.toml``, plus
command-line overrides.

The configuration file is the closest one at or above the checked paths (see
:func:`resolve_settings`); its folder is the project root. Rule keys are stored as the user
wrote them (a code in any case, or a kebab name) and turned into codes only when asked, so
the rule registry is consulted at call time rather than at import.
"""

from __future__ import annotations

import difflib
import functools
import os
import re
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from pathspec import GitIgnoreSpec

from zlint import catalog
from zlint.fixes import options as _fix_options
from zlint.model.releases import KNOWN_RELEASES, Release, Target, default_target

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised only on Python 3.10
    import tomli as tomllib

DEFAULT_EXCLUDE: tuple[str, ...] = (
    ".git",
    ".venv",
    "venv",
    ".tox",
    ".nox",
    "node_modules",
    "site-packages",
    "__pycache__",
    "dist",
    ".zlint_cache",
)

#: Selects every rule, including the ones that are off by default.
ALL = "ALL"

_TABLE = "[tool.zlint]"
#: The file that holds the same keys as ``[tool.zlint]`` at its top level.
ZLINT_TOML = "zlint.toml"
PYPROJECT = "pyproject.toml"
_STRING_LIST_KEYS = (
    "select",
    "extend-select",
    "ignore",
    "exclude",
    "extend-exclude",
    "extend-include",
    "src",
    "step-decorators",
    "pipeline-decorators",
)
_BOOL_KEYS = ("unsafe-fixes", "require-suppression-reason")
_KNOWN_KEYS = (
    *_STRING_LIST_KEYS,
    "per-file-ignores",
    "fixable",
    "unfixable",
    *_BOOL_KEYS,
    *_fix_options.KEYS,
    "zenml-version",
)
_KEYS_ACCEPTING_ALL = frozenset({"select", "extend-select", "fixable"})


class ConfigError(Exception):
    """A setting that cannot be used; the message names the file (if any) and the key."""


@dataclass(frozen=True)
class Settings:
    root: Path
    config_file: Path | None
    select: tuple[str, ...] | None
    extend_select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...] = ()
    exclude: tuple[str, ...] | None = None
    extend_exclude: tuple[str, ...] = ()
    #: Patterns of files checked besides ``*.py`` and ``*.ipynb`` (``*.md``: Markdown pages).
    extend_include: tuple[str, ...] = ()
    src: tuple[Path, ...] = ()
    step_decorators: tuple[str, ...] = ()
    pipeline_decorators: tuple[str, ...] = ()
    #: Rules whose fixes ``zlint fix`` may apply (None: all) and rules it must not fix.
    fixable: tuple[str, ...] | None = None
    unfixable: tuple[str, ...] = ()
    #: Apply unsafe fixes without ``--unsafe-fixes``.
    unsafe_fixes: bool = False
    #: A suppression comment without a reason after its codes is ZL901.
    require_suppression_reason: bool = False
    #: How ZL001's fix tells repeated calls apart (fix-strategy, metadata-api, ...).
    fix_options: _fix_options.FixOptions = _fix_options.DEFAULT
    #: The ZenML releases the project may run on (see :mod:`zlint.model.releases`).
    zenml_target: Target = field(default_factory=default_target)

    @functools.cached_property
    def selected(self) -> frozenset[str]:
        """Codes of the enabled rules: (select or the defaults) + extend-select - ignore;
        resolved once per settings object."""
        if self.select is None:
            base = {rule.code for rule in catalog.default_rules()}
        else:
            base = _codes(self.select)
        return frozenset((base | _codes(self.extend_select)) - _codes(self.ignore))

    @functools.cached_property
    def fixable_codes(self) -> frozenset[str] | None:
        """Codes ``zlint fix`` may fix; None means every rule (``fixable`` unset or ``ALL``)."""
        if self.fixable is None or ALL in self.fixable:
            return None
        return frozenset(_codes(self.fixable))

    @functools.cached_property
    def unfixable_codes(self) -> frozenset[str]:
        return frozenset(_codes(self.unfixable))


# --------------------------------------------------------------------------- project root


def find_project_root(paths: Sequence[Path]) -> Path:
    """The nearest folder at or above the paths' common folder holding pyproject.toml or .git.

    Without such a folder, the common folder itself. No paths means the current directory.
    """
    common = _common_folder(paths)
    for folder in (common, *common.parents):
        if (folder / PYPROJECT).is_file() or (folder / ".git").exists():
            return folder
    return common


def _common_folder(paths: Sequence[Path]) -> Path:
    # A file (or a path that does not exist yet) stands for the folder it sits in.
    folders = [p if p.is_dir() else p.parent for p in (path.resolve() for path in paths)]
    if not folders:
        return Path.cwd().resolve()
    return Path(os.path.commonpath(folders))


# --------------------------------------------------------------------------- discovery


def find_config_file(paths: Sequence[Path]) -> Path | None:
    """The closest configuration file at or above the paths' common folder, or None.

    In each folder, from the common folder upwards, a ``zlint.toml`` wins, then a
    ``pyproject.toml`` that has a ``[tool.zlint]`` table (one without it is passed by). The
    search ends at the repository root (the first folder holding ``.git``), so a stray
    configuration file above the repository never applies, nor makes zlint walk its folder.
    """
    common = _common_folder(paths)
    for folder in (common, *common.parents):
        found = config_in(folder)
        if found is not None:
            return found
        if (folder / ".git").exists():
            return None
    return None


def config_in(folder: Path) -> Path | None:
    """The configuration file of ``folder`` itself, if it has one."""
    zlint_toml = folder / ZLINT_TOML
    if zlint_toml.is_file():
        return zlint_toml
    pyproject = folder / PYPROJECT
    if pyproject.is_file() and _zlint_table(pyproject) is not None:
        return pyproject
    return None


def resolve_settings(
    paths: Sequence[Path], *, config_file: Path | None = None, isolated: bool = False
) -> Settings:
    """The settings for a run on ``paths``, as the command line resolves them.

    ``config_file`` (``--config``) is used instead of searching, and its folder is the
    project root. ``isolated`` (``--isolated``) reads no configuration file at all. Otherwise
    the closest configuration file (:func:`find_config_file`) applies and its folder is the
    root; without one, the defaults apply and the root is :func:`find_project_root`.
    """
    if isolated:
        if config_file is not None:
            raise ConfigError("--config and --isolated cannot be used together")
        return default_settings(find_project_root(paths))
    if config_file is not None:
        if not config_file.is_file():
            raise ConfigError(f"--config: {_display(config_file)}: no such file")
        return load_config_file(config_file, explicit=True)
    found = find_config_file(paths)
    if found is None:
        return default_settings(find_project_root(paths))
    return load_config_file(found)


# --------------------------------------------------------------------------- loading


def default_settings(root: Path) -> Settings:
    root = root.resolve()
    return Settings(root=root, config_file=None, select=None, src=_default_src(root))


def load_config_file(path: Path, *, explicit: bool = False) -> Settings:
    """Settings from one configuration file; its folder is the project root.

    A file named ``pyproject.toml`` holds them in ``[tool.zlint]``; any other file (a
    ``zlint.toml``) at its top level. ``explicit`` (``--config``): a pyproject.toml without
    the table is an error rather than the defaults.
    """
    path = path.resolve()
    if path.name == PYPROJECT:
        table = _zlint_table(path)
        if table is None:
            if explicit:
                raise ConfigError(f"{_display(path)}: has no {_TABLE} table")
            return default_settings(path.parent)
        return _settings_from_table(path.parent, path, table, f"{_display(path)}: {_TABLE}")
    return _settings_from_table(path.parent, path, _read_toml(path), f"{_display(path)}:")


def _default_src(root: Path) -> tuple[Path, ...]:
    return (root, root / "src")


def _zlint_table(pyproject: Path) -> dict[str, Any] | None:
    document = _read_toml(pyproject)
    tool = document.get("tool")
    if not isinstance(tool, dict) or "zlint" not in tool:
        return None
    table = tool["zlint"]
    if not isinstance(table, dict):
        raise ConfigError(f"{_display(pyproject)}: {_TABLE} must be a table")
    return table


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        text = path.read_bytes().decode("utf-8")
    except OSError as error:
        raise ConfigError(f"{_display(path)}: cannot read: {error.strerror}") from error
    except UnicodeDecodeError as error:
        raise ConfigError(f"{_display(path)}: invalid TOML: not UTF-8 text") from error
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(_toml_error_message(path, error)) from error


def _toml_error_message(path: Path, error: tomllib.TOMLDecodeError) -> str:
    # Before Python 3.14 the position is only available inside the message text.
    reason = str(error)
    position = re.search(r"\s*\(at line (\d+), column (\d+)\)$", reason)
    if position is None:
        return f"{_display(path)}: invalid TOML: {reason}"
    line, column = position.groups()
    return f"{_display(path)}:{line}:{column}: invalid TOML: {reason[: position.start()]}"


def _display(path: Path) -> str:
    """The path as the user most likely typed it: relative to the working folder if inside it."""
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def _settings_from_table(
    root: Path, config_file: Path, table: dict[str, Any], where: str
) -> Settings:
    """``where`` starts every message: the file, and the table when it is not the whole file."""
    _reject_unknown_keys(where, table)
    lists = {key: _string_list(where, key, table[key]) for key in _STRING_LIST_KEYS if key in table}
    for key in ("select", "extend-select", "ignore"):
        _check_rule_keys(f"{where} {key}", lists.get(key, ()), allow_all=key in _KEYS_ACCEPTING_ALL)
    for key in ("exclude", "extend-exclude", "extend-include"):
        for pattern in lists.get(key, ()):
            _check_pattern(f"{where} {key}", pattern)
    for key in ("step-decorators", "pipeline-decorators"):
        _check_qualified_names(f"{where} {key}", lists.get(key, ()))
    per_file_ignores = _per_file_ignores(where, table.get("per-file-ignores", {}))
    fixable = _string_list(where, "fixable", table["fixable"]) if "fixable" in table else None
    unfixable = _string_list(where, "unfixable", table.get("unfixable", []))
    _check_rule_keys(f"{where} fixable", fixable or (), allow_all=True)
    _check_rule_keys(f"{where} unfixable", unfixable, allow_all=False)
    flags = {key: _bool(where, key, table.get(key, False)) for key in _BOOL_KEYS}
    select = lists.get("select")
    exclude = lists.get("exclude")
    src = lists.get("src")
    return Settings(
        root=root,
        config_file=config_file,
        select=None if select is None else _normalise_all(select),
        extend_select=_normalise_all(lists.get("extend-select", ())),
        ignore=lists.get("ignore", ()),
        per_file_ignores=per_file_ignores,
        exclude=exclude,
        extend_exclude=lists.get("extend-exclude", ()),
        extend_include=lists.get("extend-include", ()),
        src=_default_src(root) if src is None else tuple((root / s).resolve() for s in src),
        step_decorators=lists.get("step-decorators", ()),
        pipeline_decorators=lists.get("pipeline-decorators", ()),
        fixable=None if fixable is None else _normalise_all(fixable),
        unfixable=unfixable,
        unsafe_fixes=flags["unsafe-fixes"],
        require_suppression_reason=flags["require-suppression-reason"],
        fix_options=_fix_options_of(where, table),
        zenml_target=_zenml_target(where, config_file, table.get("zenml-version")),
    )


def _zenml_target(where: str, config_file: Path, value: object) -> Target:
    """``zenml-version = "0.85.0"``: the one release the project runs on (the default: the
    newest release zlint knows)."""
    if value is None:
        return default_target()
    text = value.removeprefix("==").strip() if isinstance(value, str) else ""
    try:
        release = Release.parse(text)
    except ValueError:
        release = None
    if release is None or release not in KNOWN_RELEASES:
        known = f"{KNOWN_RELEASES[0]} to {KNOWN_RELEASES[-1]}"
        raise ConfigError(
            f"{where} zenml-version must be a ZenML release zlint knows ({known}), not {value!r}"
        )
    table = f" {_TABLE}" if config_file.name == PYPROJECT else ""
    return Target((release,), f"=={release}", f"{config_file.name}{table}")


def _fix_options_of(where: str, table: dict[str, Any]) -> _fix_options.FixOptions:
    try:
        return _fix_options.from_table(table)
    except ValueError as error:
        raise ConfigError(f"{where} {error}") from error


def _bool(where: str, key: str, value: object) -> bool:
    if not isinstance(value, bool):
        raise ConfigError(f"{where} {key} must be true or false, not {_describe(value)}")
    return value


def _reject_unknown_keys(where: str, table: dict[str, Any]) -> None:
    for key in table:
        if key not in _KNOWN_KEYS:
            raise ConfigError(f"{where} unknown key {key!r}{_suggestion(key, _KNOWN_KEYS)}")


def _suggestion(word: str, choices: Iterable[str]) -> str:
    # Underscores are the commonest slip (TOML users expect snake_case), so compare without them.
    close = difflib.get_close_matches(word.replace("_", "-"), list(choices), n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _string_list(where: str, key: str, value: object) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ConfigError(f"{where} {key} must be a list of strings, got {_describe(value)}")
    return tuple(value)


def _describe(value: object) -> str:
    if isinstance(value, list):
        # The list's non-string members are the ones worth pointing at.
        kinds = sorted({type(item).__name__ for item in value if not isinstance(item, str)})
        if kinds:
            return f"a list containing {', '.join(kinds)}"
    return type(value).__name__


def _per_file_ignores(where: str, value: object) -> tuple[tuple[str, tuple[str, ...]], ...]:
    if not isinstance(value, dict):
        raise ConfigError(f"{where} per-file-ignores must be a table, got {_describe(value)}")
    entries: list[tuple[str, tuple[str, ...]]] = []
    for pattern, codes in value.items():
        key = f'per-file-ignores."{pattern}"'
        _check_pattern(f"{where} {key}", pattern)
        keys = _string_list(where, key, codes)
        _check_rule_keys(f"{where} {key}", keys, allow_all=False)
        entries.append((pattern, keys))
    return tuple(entries)


def _check_pattern(where: str, pattern: str) -> None:
    try:
        _spec(pattern)
    except ValueError as error:  # pathspec's GitWildMatchPatternError derives from ValueError
        raise ConfigError(f"{where}: invalid pattern: {error}") from error


def _check_qualified_names(where: str, names: Sequence[str]) -> None:
    for name in names:
        if not all(part.isidentifier() for part in name.split(".")):
            raise ConfigError(f"{where}: {name!r} is not a dotted Python name")


# --------------------------------------------------------------------------- rule keys


def _normalise_all(keys: Sequence[str]) -> tuple[str, ...]:
    return tuple(ALL if key.upper() == ALL else key for key in keys)


def _check_rule_keys(where: str, keys: Sequence[str], *, allow_all: bool) -> None:
    for key in keys:
        if allow_all and key.upper() == ALL:
            continue
        if catalog.info(key) is None:
            raise ConfigError(f"{where}: unknown rule {key!r}{_suggestion(key, _rule_keys())}")


def _rule_keys() -> list[str]:
    return [key for rule in catalog.RULES for key in (rule.code, rule.name)]


def _codes(keys: Iterable[str]) -> set[str]:
    codes: set[str] = set()
    for key in keys:
        if key.upper() == ALL:
            codes.update(rule.code for rule in catalog.RULES)
            continue
        rule = catalog.info(key)
        if rule is None:
            raise ConfigError(f"unknown rule {key!r}")
        codes.add(rule.code)
    return codes


def ignored_codes_for(settings: Settings, path: Path) -> frozenset[str]:
    """Codes that per-file-ignores switch off for ``path`` (relative paths are taken from root)."""
    target = path if path.is_absolute() else settings.root / path
    try:
        relative = target.relative_to(settings.root).as_posix()
    except ValueError:
        return frozenset()
    matching = (
        codes for pattern, codes in settings.per_file_ignores if _spec(pattern).match_file(relative)
    )
    return frozenset(_codes(key for codes in matching for key in codes))


@functools.lru_cache(maxsize=256)
def _spec(pattern: str) -> GitIgnoreSpec:
    # Called once per file and pattern; compiling the pattern each time would dominate.
    return GitIgnoreSpec.from_lines([pattern])


# --------------------------------------------------------------------------- overrides


def with_overrides(
    settings: Settings,
    *,
    select: Sequence[str] | None = None,
    extend_select: Sequence[str] = (),
    ignore: Sequence[str] = (),
    exclude: Sequence[str] | None = None,
    extend_exclude: Sequence[str] = (),
    extend_include: Sequence[str] = (),
) -> Settings:
    """Command-line flags layered on the file's settings, the way Ruff layers them.

    ``--select`` starts afresh: the file's select, extend-select and ignore no longer apply.
    Otherwise the flags add to the file, and a rule named by ``--extend-select`` is enabled
    even if the file ignores it, because the later layer wins.
    """
    _check_rule_keys("--select", select or (), allow_all=True)
    _check_rule_keys("--extend-select", extend_select, allow_all=True)
    _check_rule_keys("--ignore", ignore, allow_all=False)
    for pattern in exclude or ():
        _check_pattern("--exclude", pattern)
    for pattern in extend_exclude:
        _check_pattern("--extend-exclude", pattern)
    for pattern in extend_include:
        _check_pattern("--extend-include", pattern)
    settings = _with_rule_overrides(settings, select, extend_select, ignore)
    if exclude is not None:
        settings = replace(settings, exclude=tuple(exclude))
    return replace(
        settings,
        extend_exclude=(*settings.extend_exclude, *extend_exclude),
        extend_include=(*settings.extend_include, *extend_include),
    )


def _with_rule_overrides(
    settings: Settings,
    select: Sequence[str] | None,
    extend_select: Sequence[str],
    ignore: Sequence[str],
) -> Settings:
    if select is not None:
        return replace(
            settings,
            select=_normalise_all(select),
            extend_select=_normalise_all(extend_select),
            ignore=tuple(ignore),
        )
    re_enabled = _codes(extend_select)
    kept_ignores = tuple(key for key in settings.ignore if not _codes([key]) <= re_enabled)
    return replace(
        settings,
        extend_select=(*settings.extend_select, *_normalise_all(extend_select)),
        ignore=(*kept_ignores, *ignore),
    )


def exclusion_patterns(settings: Settings) -> tuple[str, ...]:
    """The gitignore-style patterns (relative to root) that keep files out of a walk."""
    base = DEFAULT_EXCLUDE if settings.exclude is None else settings.exclude
    return (*base, *settings.extend_exclude)


# --------------------------------------------------------------------------- showing


def describe(settings: Settings) -> str:
    """The resolved settings, one ``name: value`` line each (``--show-settings``)."""

    def listed(items: Iterable[object]) -> str:
        text = ", ".join(str(item) for item in items)
        return text or "(none)"

    fixable = settings.fixable_codes
    per_file = [
        f"{pattern} = {listed(sorted(_codes(keys)))}" for pattern, keys in settings.per_file_ignores
    ]
    rows = [
        ("root", str(settings.root)),
        ("config-file", str(settings.config_file) if settings.config_file else "(none)"),
        ("selected-codes", listed(sorted(settings.selected))),
        ("exclude", listed(exclusion_patterns(settings))),
        ("per-file-ignores", "; ".join(per_file) or "(none)"),
        ("src", listed(settings.src)),
        ("step-decorators", listed(settings.step_decorators)),
        ("pipeline-decorators", listed(settings.pipeline_decorators)),
        ("fixable", "ALL" if fixable is None else listed(sorted(fixable))),
        ("unfixable", listed(sorted(settings.unfixable_codes))),
        ("unsafe-fixes", str(settings.unsafe_fixes).lower()),
        ("require-suppression-reason", str(settings.require_suppression_reason).lower()),
        ("extend-include", listed(settings.extend_include)),
        *_fix_options.describe(settings.fix_options),
    ]
    return "\n".join(f"{name}: {value}" for name, value in rows)
