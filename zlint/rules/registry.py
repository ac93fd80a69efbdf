"""The one registry of rule classes, ordered by code.

Adding a rule: import its class here and put it in ``RULES`` at its code's place, then run
``python -m zlint.docs`` (CONTRIBUTING.md has the whole checklist). Facts about the rules that
need no rule class (codes, names, defaults) come from :mod:`zlint.catalog`, which is
generated from this list."""

from __future__ import annotations

import re

from zlint.rules.base import Rule
from zlint.rules.zl000_unparsable_file import UnparsableFile
from zlint.rules.zl001_repeated_step_artifact_collision import RepeatedStepArtifactCollision
from zlint.rules.zl002_shared_artifact_name import SharedArtifactName
from zlint.rules.zl003_duplicate_invocation_id import DuplicateInvocationId
from zlint.rules.zl004_unloadable_step_factory import UnloadableStepFactory
from zlint.rules.zl005_missing_name_substitution import MissingNameSubstitution
from zlint.rules.zl006_run_scoped_artifact_name import RunScopedArtifactName
from zlint.rules.zl007_fixed_artifact_version import FixedArtifactVersion
from zlint.rules.zl008_cache_merged_calls import CacheMergedCalls
from zlint.rules.zl009_invalid_metadata_call import InvalidMetadataCall
from zlint.rules.zl010_reserved_step_parameter import ReservedStepParameter
from zlint.rules.zl011_unknown_output_name import UnknownOutputName
from zlint.rules.zl012_order_dependent_default_names import OrderDependentDefaultNames
from zlint.rules.zl013_deprecated_metadata_api import DeprecatedMetadataApi
from zlint.rules.zl014_positional_artifact_query import PositionalArtifactQuery
from zlint.rules.zl015_unavailable_zenml_api import UnavailableZenmlApi
from zlint.rules.zl900_unused_suppression import UnusedSuppression
from zlint.rules.zl901_invalid_suppression import InvalidSuppression

RULES: tuple[type[Rule], ...] = (
    UnparsableFile,
    RepeatedStepArtifactCollision,
    SharedArtifactName,
    DuplicateInvocationId,
    UnloadableStepFactory,
    MissingNameSubstitution,
    RunScopedArtifactName,
    FixedArtifactVersion,
    CacheMergedCalls,
    InvalidMetadataCall,
    ReservedStepParameter,
    UnknownOutputName,
    OrderDependentDefaultNames,
    DeprecatedMetadataApi,
    PositionalArtifactQuery,
    UnavailableZenmlApi,
    UnusedSuppression,
    InvalidSuppression,
)


def _check_registry(rules: tuple[type[Rule], ...]) -> None:
    codes = [rule.code for rule in rules]
    if codes != sorted(codes):
        raise AssertionError("RULES must be ordered by code")
    seen: set[str] = set()
    for rule in rules:
        if not re.fullmatch(r"ZL\d{3}", rule.code):
            raise AssertionError(f"bad rule code {rule.code!r}")
        if not re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", rule.name):
            raise AssertionError(f"bad rule name {rule.name!r}")
        for key in (rule.code, rule.name):
            if key in seen:
                raise AssertionError(f"duplicate rule key {key!r}")
            seen.add(key)


_check_registry(RULES)
_BY_KEY: dict[str, type[Rule]] = {k: r for r in RULES for k in (r.code, r.name)}


def rule_class(key: str) -> type[Rule] | None:
    """The rule class with this code (``ZL001``, any case) or kebab name, or None."""
    return _BY_KEY.get(key.upper() if key[:2].lower() == "zl" else key)
