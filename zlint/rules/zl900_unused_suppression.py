from __future__ import annotations

from typing import TYPE_CHECKING

from zlint import catalog
from zlint.rules.base import ReportedByEngine
from zlint.types import Applicability

if TYPE_CHECKING:
    pass


class UnusedSuppression(ReportedByEngine):
    """## What it does
    Finds suppression comments that suppressed nothing in this run: a code in
    `# zlint: ignore[...]` or `# zlint: file-ignore[...]` with no finding of that rule where
    the comment applies, and a zlint code listed in `# noqa: ...`.

    Only the codes of rules that ran are judged: rules that are selected, did not fail, and
    are not switched off for the file by `per-file-ignores`. A suppression of a rule that is
    not selected is left alone, so `--select ZL014,ZL900` judges only `ZL014` and `ZL900`
    codes (and `--select ZL900` alone only suppressions of ZL900 itself, as in the example
    below). Other tools' codes in a `# noqa` (`E501`, `F401`) and a bare `# noqa` are never
    judged. Listing `ZL900` in a comment keeps its other codes from being reported as
    unused; a `ZL900` code that kept nothing is reported like any other.

    ZL900 judges a run over the whole project only (for example `zlint check` in the project
    root) and only when no internal error occurred: a run on some files, as pre-commit makes,
    can miss findings that a pipeline in another file produces, so a suppression that looks
    unused there may not be. It is off unless selected (`--extend-select ZL900`).

    ## Why is this bad?
    A suppression that hides nothing is noise, and it is a trap: when the code changes and
    the problem comes back, the stale comment hides it without anyone having looked. After a
    fix or a zlint upgrade the comment should go.

    ## Example
    ```python
    def load() -> list[int]:
        # zlint: ignore[unused-suppression] nothing on the next line is reported
        return [1, 2, 3]
    ```

    ## Use instead
    ```python
    def load() -> list[int]:
        return [1, 2, 3]
    ```

    ## ZenML versions
    Not about ZenML: the same for every release.

    ## Fix safety
    The fix removes the unused codes and keeps the comment's other codes (other tools'
    included) and its reason; a comment left with no code goes entirely, with its line when
    it had one of its own. It is safe: the codes it removes suppressed nothing in a run that
    saw the whole project.
    """

    code = catalog.UNUSED_SUPPRESSION
    name = "unused-suppression"
    summary = "A suppression comment (or a zlint code in `# noqa`) that suppressed nothing"
    default_enabled = False
    fix = Applicability.SAFE
    # Files whose text has none of these cannot hold a suppression comment of ours.
    hints = ("zlint", "ZLINT", "ZL", "noqa", "NOQA")
