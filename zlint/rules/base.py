"""The base class every rule derives from."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from zlint.fastpath.prefilter import ZENML_SYNTAX
from zlint.types import Applicability

if TYPE_CHECKING:
    from zlint.engine import RuleContext


class Rule:
    """A check with a permanent code (``ZL001``) and a kebab-case name.

    The class docstring is the rule's documentation, in Ruff's sections; ``rules/ZLnnn.md``
    is generated from it.
    """

    code: ClassVar[str]
    name: ClassVar[str]
    summary: ClassVar[str]
    #: Rules that are noisy or a matter of taste are off unless selected.
    default_enabled: ClassVar[bool] = True
    fix: ClassVar[Applicability | None] = None
    #: What a file's text must contain for this rule to find anything in it: words, or the
    #: sentinels of :mod:`zlint.fastpath.prefilter`. Files matching no selected rule's hints are only
    #: syntax-checked, never given to LibCST.
    hints: ClassVar[tuple[str, ...]] = (ZENML_SYNTAX,)

    def check(self, ctx: RuleContext) -> None:
        raise NotImplementedError
