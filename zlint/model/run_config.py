"""Configuration a pipeline may get outside its definition, where zlint cannot read values.

``training.with_options(enable_cache=False, substitutions=...)()``, ``training.configure(...)``
and YAML run configurations (``config_path=``) can change caching and name substitutions.
Rules that depend on those settings stay quiet for such pipelines rather than guess.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable
from pathlib import Path

from zlint.inputs import source

#: YAML keys of a ZenML run configuration that change what zlint reasons about.
_YAML_KEYS = re.compile(r"^\s*(substitutions|enable_cache)\s*:", re.MULTILINE)
#: Folders never searched for run configurations.
_SKIPPED = frozenset({"node_modules", "site-packages", "__pycache__", "venv", "dist"})


#: ``name.configure(`` or ``name.with_options(``: the names a text may reconfigure.
_CONFIGURED = re.compile(r"\b(\w+)\s*\.\s*(?:with_options|configure)\s*\(")


class ConfigScan:
    """What :func:`reconfigured` found in each file and YAML tree, for the next search of
    the same run (a run checked in batches searches once per batch)."""

    def __init__(self) -> None:
        self.yaml: dict[Path, bool] = {}
        self.configured: dict[Path, frozenset[str]] = {}


def reconfigured(
    root: Path,
    files: Iterable[Path],
    pipeline_names: set[str],
    read_text: Callable[[Path], str | source.SourceError] = source.read_text,
    scan: ConfigScan | None = None,
) -> set[str]:
    """The pipeline function names that may be configured out of zlint's sight: all of them
    when a YAML file under ``root`` sets substitutions or caching. ``read_text`` reads the
    Python files (``zlint fix`` and stdin pass one that sees their own texts)."""
    if not pipeline_names:
        return set()
    scan = scan if scan is not None else ConfigScan()
    if root not in scan.yaml:
        scan.yaml[root] = _yaml_configures(root)
    if scan.yaml[root]:
        return set(pipeline_names)
    found: set[str] = set()
    for path in files:
        names = scan.configured.get(path)
        if names is None:
            text = read_text(path)  # size-limited, and safe on odd files
            names = frozenset(_CONFIGURED.findall(text)) if isinstance(text, str) else frozenset()
            scan.configured[path] = names
        found.update(names & pipeline_names)
    return found


def _yaml_configures(root: Path) -> bool:
    for folder, dirs, names in os.walk(root):
        dirs[:] = [d for d in dirs if d not in _SKIPPED and not d.startswith(".")]
        for name in names:
            if not name.endswith((".yaml", ".yml")):
                continue
            try:
                text = (Path(folder) / name).read_text(encoding="utf-8", errors="replace")
            except OSError:
                continue
            if _YAML_KEYS.search(text):
                return True
    return False
