"""How ZL001's fix tells repeated calls apart: the ``[tool.zlint]`` keys ``fix-strategy``,
``metadata-api``, ``fix-parameter`` and ``metadata-key``, and the command line's
``--strategy``.

Kept apart from :mod:`zlint.config` so that the rules read their options from one small,
plain object; ``config`` only calls :func:`from_table` and stores the result.
"""

from __future__ import annotations

import keyword
from dataclasses import dataclass
from typing import Any

#: Keep the names, write a per-call value into the output's metadata (safe).
METADATA = "metadata"
#: Turn the name into a template filled per call with ``with_options(substitutions=...)``.
SUBSTITUTION = "substitution"
#: Generate one loadable step per call with a factory (unique ``__name__``, ``globals()``).
FACTORY = "factory"
STRATEGIES = (METADATA, SUBSTITUTION, FACTORY)

#: ``get_step_context().add_output_metadata(output_name=..., metadata=...)``.
ADD_OUTPUT_METADATA = "add_output_metadata"
#: ``log_metadata(metadata=..., infer_artifact=True, artifact_name=...)``.
LOG_METADATA = "log_metadata"
METADATA_APIS = (ADD_OUTPUT_METADATA, LOG_METADATA)

#: The configuration keys this module reads, as written in ``[tool.zlint]``.
KEYS = ("fix-strategy", "metadata-api", "fix-parameter", "metadata-key")

#: Step parameters ZenML refuses (``RuntimeError: Reserved argument name``).
_RESERVED = frozenset({"id", "after"})


@dataclass(frozen=True)
class FixOptions:
    strategy: str = METADATA
    metadata_api: str = ADD_OUTPUT_METADATA
    #: The step parameter (and the substitution key) that carries each call's value.
    parameter: str = "prefix"
    #: The metadata key the parameter is written under.
    metadata_key: str = "custom_prefix"


DEFAULT = FixOptions()


def from_table(table: dict[str, Any]) -> FixOptions:
    """The options of a ``[tool.zlint]`` table; ValueError names the key that is wrong."""
    defaults = FixOptions()
    strategy = _choice(table, "fix-strategy", STRATEGIES, defaults.strategy)
    api = _choice(table, "metadata-api", METADATA_APIS, defaults.metadata_api)
    parameter = _text(table, "fix-parameter", defaults.parameter)
    if not parameter.isidentifier() or keyword.iskeyword(parameter) or parameter in _RESERVED:
        raise ValueError(f"fix-parameter {parameter!r} cannot be a step parameter name")
    key = _text(table, "metadata-key", defaults.metadata_key)
    if not key:
        raise ValueError("metadata-key must not be empty")
    return FixOptions(strategy, api, parameter, key)


def describe(options: FixOptions) -> list[tuple[str, str]]:
    """``name: value`` rows for ``--show-settings``."""
    return [
        ("fix-strategy", options.strategy),
        ("metadata-api", options.metadata_api),
        ("fix-parameter", options.parameter),
        ("metadata-key", options.metadata_key),
    ]


def _choice(table: dict[str, Any], key: str, choices: tuple[str, ...], default: str) -> str:
    value = table.get(key, default)
    if value not in choices:
        raise ValueError(f"{key} must be one of {', '.join(map(repr, choices))}, not {value!r}")
    return str(value)


def _text(table: dict[str, Any], key: str, default: str) -> str:
    value = table.get(key, default)
    if not isinstance(value, str):
        raise ValueError(f"{key} must be a string, not {type(value).__name__}")
    return value
