"""The ZenML requirement a package's metadata states: ``pyproject.toml`` (PEP 621's
``[project]``, PEP 735's ``[dependency-groups]``, Poetry's ``[tool.poetry]``), ``setup.cfg``
and ``setup.py`` (read with ``ast``: only literal lists count; nothing is run).

In each file the tables are tried in order, the main dependencies first; the first table
that requires ZenML is the answer. A table of groups (extras, dependency groups) admits
what any of its groups requiring ZenML admits: the project may be installed with any.
"""

from __future__ import annotations

import ast
import configparser
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from zlint.inputs.requirements import (
    ANY_VERSION,
    Found,
    Reading,
    Requirement,
    Unusable,
    combine,
    is_zenml,
    pep508_list,
    poetry,
)

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised only on Python 3.10
    import tomli as tomllib

#: Where a table is (``pyproject.toml [project.dependencies]``), and its groups: (group
#: name, requirements), one group with an empty name for a plain list.
Table = tuple[str, list[tuple[str, list[Requirement]]]]


def read_pyproject(path: Path, reading: Reading) -> Found | None:
    text = reading.text(path)
    if text is None:
        return None
    shown = reading.shown(path)
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise Unusable(f"{shown}: invalid TOML: {error}") from error
    return _first([*_pep621_tables(document, shown), *_poetry_tables(document, shown)])


def _first(tables: list[Table]) -> Found | None:
    """The requirement of the first table that requires ZenML."""
    for where, groups in tables:
        requiring = [(name, found) for name, found in groups if found]
        if not requiring:
            continue
        names = ", ".join(name for name, _ in requiring if name)
        source = f"{where} {names}" if names else where
        parts = [combine(found, source) for _, found in requiring]
        alternatives = tuple(s for part in parts for s in part.alternatives)
        if len(parts) == 1:
            return parts[0]
        return Found(alternatives, " | ".join(p.spec or "(any version)" for p in parts), source)
    return None


def _pep621_tables(document: dict[str, Any], shown: str) -> list[Table]:
    project = _table(document.get("project", {}), f"{shown} [project]")
    main = _list(project.get("dependencies", []), f"{shown} [project] dependencies")
    tables = [
        ("[project.optional-dependencies]", project.get("optional-dependencies", {})),
        ("[dependency-groups]", document.get("dependency-groups", {})),
    ]
    where = f"{shown} [project.dependencies]"
    return [
        (where, [("", pep508_list(main, where))]),
        *((f"{shown} {name}", _pep508_groups(table, f"{shown} {name}")) for name, table in tables),
    ]


def _pep508_groups(table: object, where: str) -> list[tuple[str, list[Requirement]]]:
    """The groups of a table of lists (extras, dependency groups); a group's entries that
    are not strings (``{include-group = "test"}``) are passed by."""
    return [
        (name, pep508_list(_list(lines, f"{where} {name}"), f"{where} {name}"))
        for name, lines in _table(table, where).items()
    ]


def _poetry_tables(document: dict[str, Any], shown: str) -> list[Table]:
    tool = _table(document.get("tool", {}), f"{shown} [tool]")
    settings = _table(tool.get("poetry", {}), f"{shown} [tool.poetry]")
    tables = [(f"{shown} [tool.poetry.dependencies]", settings.get("dependencies"))]
    for name, group in _table(settings.get("group", {}), f"{shown} [tool.poetry.group]").items():
        dependencies = _table(group, f"{shown} [tool.poetry.group.{name}]").get("dependencies")
        tables.append((f"{shown} [tool.poetry.group.{name}.dependencies]", dependencies))
    tables.append((f"{shown} [tool.poetry.dev-dependencies]", settings.get("dev-dependencies")))
    return [(where, [("", _poetry_table(table, where))]) for where, table in tables]


def _poetry_table(table: object, where: str) -> list[Requirement]:
    if not isinstance(table, dict):
        return []
    return [_poetry_entry(value, where) for name, value in table.items() if is_zenml(name)]


def _poetry_entry(value: object, where: str) -> Requirement:
    """``"^0.85"``, ``{version = "^0.85", extras = [...]}``, a list of such tables (one per
    Python version or platform: alternatives), or a git, path or URL source (no version)."""
    if isinstance(value, str):
        return poetry(value, where)
    if isinstance(value, dict):
        version = value.get("version")
        if isinstance(version, str):
            return poetry(version, where)
        return Requirement((ANY_VERSION,), "")
    if isinstance(value, list) and value:
        parts = [_poetry_entry(item, where) for item in value]
        alternatives = tuple(s for part in parts for s in part.alternatives)
        return Requirement(alternatives, " | ".join(p.written or "(any version)" for p in parts))
    raise Unusable(f"{where}: the zenml entry is neither a constraint nor a table")


def _table(value: object, where: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise Unusable(f"{where}: not a table")
    return value


def _list(value: object, where: str) -> list[Any]:
    if not isinstance(value, list):
        raise Unusable(f"{where}: not a list")
    return value


# --------------------------------------------------------------------------- setup.cfg


def read_setup_cfg(path: Path, reading: Reading) -> Found | None:
    text = reading.text(path)
    if text is None:
        return None
    shown = reading.shown(path)
    parser = configparser.ConfigParser(interpolation=None)
    try:
        parser.read_string(text, source=shown)
    except configparser.Error as error:
        raise Unusable(f"{shown}: not a valid setup.cfg: {error.message}") from error
    main = _cfg_lines(parser.get("options", "install_requires", fallback=""))
    extras = (
        parser["options.extras_require"] if parser.has_section("options.extras_require") else {}
    )
    extra_groups = [(name, pep508_list(_cfg_lines(lines), shown)) for name, lines in extras.items()]
    return _first(
        [
            (f"{shown} [options] install_requires", [("", pep508_list(main, shown))]),
            (f"{shown} [options.extras_require]", extra_groups),
        ]
    )


def _cfg_lines(value: str) -> list[str]:
    lines = (line.split(" #", 1)[0].strip() for line in value.splitlines())
    return [line for line in lines if line and not line.startswith(("#", ";"))]


# --------------------------------------------------------------------------- setup.py


def read_setup_py(path: Path, reading: Reading) -> Found | None:
    text = reading.text(path)
    if text is None:
        return None
    shown = reading.shown(path)
    try:
        tree = ast.parse(text, filename=shown)
    except (SyntaxError, ValueError) as error:
        raise Unusable(f"{shown}: not valid Python: {error}") from error
    for call in ast.walk(tree):
        if isinstance(call, ast.Call) and _is_setup(call.func):
            found = _first(list(_setup_tables(call, shown)))
            if found is not None:
                return found
    return None


def _is_setup(func: ast.expr) -> bool:
    return (isinstance(func, ast.Name) and func.id == "setup") or (
        isinstance(func, ast.Attribute) and func.attr == "setup"
    )


def _setup_tables(call: ast.Call, shown: str) -> Iterator[Table]:
    for keyword in call.keywords:
        where = f"{shown}:{keyword.value.lineno} {keyword.arg}"
        if keyword.arg == "install_requires":
            yield (where, [("", pep508_list(_literal_strings(keyword.value), where))])
        elif keyword.arg == "extras_require" and isinstance(keyword.value, ast.Dict):
            groups = [
                (key.value, pep508_list(_literal_strings(value), where))
                for key, value in zip(keyword.value.keys, keyword.value.values, strict=True)
                if isinstance(key, ast.Constant) and isinstance(key.value, str)
            ]
            yield (where, groups)


def _literal_strings(node: ast.expr) -> list[str]:
    """The strings of a list or tuple literal; a name or a call (read from a file) gives
    none: zlint does not run the setup script."""
    if not isinstance(node, (ast.List, ast.Tuple)):
        return []
    return [e.value for e in node.elts if isinstance(e, ast.Constant) and isinstance(e.value, str)]
