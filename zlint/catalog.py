"""Every rule's code, name, summary, default, fix kind and hints, without importing the rules.

The rule classes import LibCST (0.1 s); settings, output formats and the cached re-check
only need these few facts, so they read them here. ``zlint/_catalog.py`` is generated from
the classes by ``python -m zlint.docs``, and a test fails when it is stale.
"""

from __future__ import annotations

from dataclasses import dataclass

from zlint._catalog import HINTS, ROWS
from zlint.types import Applicability

DOCS_URL = "https://github.com/zlint-dev/zlint/blob/main/rules/{code}.md"

# The codes the engine reports itself, not through a rule's ``check``.
#: A file that cannot be read, decoded or parsed (and a file whose analysis timed out).
UNPARSABLE_FILE = "ZL000"
#: A suppression comment that suppressed nothing; judged after every other rule ran.
UNUSED_SUPPRESSION = "ZL900"
#: A malformed suppression comment, or one naming an unknown code.
INVALID_SUPPRESSION = "ZL901"
SUPPRESSION_CODES = frozenset({UNUSED_SUPPRESSION, INVALID_SUPPRESSION})


@dataclass(frozen=True)
class RuleInfo:
    code: str
    name: str
    summary: str
    default_enabled: bool
    fix: Applicability | None

    @property
    def url(self) -> str:
        return DOCS_URL.format(code=self.code)


RULES: tuple[RuleInfo, ...] = tuple(
    RuleInfo(code, name, summary, default, Applicability(fix) if fix else None)
    for code, name, summary, default, fix in ROWS
)
_BY_KEY = {key: rule for rule in RULES for key in (rule.code, rule.name)}


def info(key: str) -> RuleInfo | None:
    """The rule with this code (``ZL001``, any case) or kebab name, or None."""
    return _BY_KEY.get(key.upper() if key[:2].lower() == "zl" else key)


def hints(selected: frozenset[str]) -> tuple[str, ...]:
    """What makes a reported file worth a LibCST tree for the ``selected`` rules (see
    :mod:`zlint.fastpath.prefilter`); other files are only syntax-checked."""
    return tuple(sorted({hint for code in selected for hint in HINTS.get(code, ())}))


def default_rules() -> tuple[RuleInfo, ...]:
    return tuple(r for r in RULES if r.default_enabled)
