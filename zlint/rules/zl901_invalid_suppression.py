from __future__ import annotations

from typing import TYPE_CHECKING

from zlint import catalog
from zlint.rules.base import ReportedByEngine

if TYPE_CHECKING:
    pass


class InvalidSuppression(ReportedByEngine):
    """## What it does
    Finds suppression comments zlint cannot use: an unknown rule code or name
    (`# zlint: ignore[ZL999]`, or a `ZL` code in `# noqa: ...`), a misspelled directive
    (`# zlint: ignroe[ZL001]`), a list that is never closed (`# zlint: ignore[ZL001`), a
    `# zlint: ignore` that names no rule, and, with `require-suppression-reason = true`, a
    suppression without a reason after its codes.

    Every comment starting with `# zlint:` is read as a directive. Other tools' codes in a
    `# noqa` are not judged.

    ## Why is this bad?
    A malformed or misspelled comment suppresses nothing, so the finding it was meant to
    hide is still reported, or it hides less than its author thought. An unknown code
    usually is a typo (`ZL01` for `ZL001`) or a rule that was renamed. A suppression
    without a reason leaves the next reader guessing whether it is still needed.

    ## Example
    ```python
    from zenml import log_artifact_metadata

    log_artifact_metadata(metadata={"rows": 10})  # zlint: ignroe[ZL013]
    log_artifact_metadata(metadata={"cols": 3})  # zlint: ignore[ZL13] until we move to 0.99
    ```

    ## Use instead
    ```python
    from zenml import log_artifact_metadata

    log_artifact_metadata(metadata={"rows": 10})  # zlint: ignore[ZL013] until we move to 0.99
    log_artifact_metadata(metadata={"cols": 3})  # zlint: ignore[deprecated-metadata-api] ditto
    ```

    ## ZenML versions
    Not about ZenML: the same for every release.

    ## Fix safety
    There is no fix: only the author knows which rule was meant, and why.
    """

    code = catalog.INVALID_SUPPRESSION
    name = "invalid-suppression"
    summary = "A suppression comment with an unknown code, a malformed directive or no reason"
    # Files whose text has none of these hold no suppression comment of ours.
    hints = ("zlint", "ZLINT", "ZL")
