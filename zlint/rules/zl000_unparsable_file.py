from __future__ import annotations

from typing import TYPE_CHECKING

from zlint import catalog
from zlint.rules.base import ReportedByEngine

if TYPE_CHECKING:
    pass


class UnparsableFile(ReportedByEngine):
    """## What it does
    Reports a file that zlint cannot read, decode or parse, with the reason and, for a syntax
    error, the line and column where parsing stopped.

    ## Why is this bad?
    A file zlint cannot parse is a file it cannot check: any collision in it goes unnoticed.
    Python would refuse to import it too, so the pipeline it defines would not run.

    ## Example
    ```python
    from zenml import step

    @step
    def load() -> dict
        return {}
    ```

    ## Use instead
    ```python
    from zenml import step

    @step
    def load() -> dict:
        return {}
    ```

    ## ZenML versions
    The same on every release: a file Python cannot parse cannot be imported by any ZenML.

    ## Fix safety
    There is no fix. The rest of the project is still checked; only this file is skipped.
    """

    code = catalog.UNPARSABLE_FILE
    name = "unparsable-file"
    summary = "File cannot be read, decoded or parsed"
    hints = ()
