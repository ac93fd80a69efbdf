"""A trivial Fixit rule for bench/bench.py: it flags calls of ``print``.

It measures what Fixit costs by itself (walking every file, parsing it with LibCST, visiting
the tree), so that zlint's time can be compared with a LibCST linter doing almost nothing.
Fixit is installed only in the benchmark's own venv, never in the project's.
"""

from typing import ClassVar

import libcst as cst
from fixit import Invalid, LintRule, Valid


class NoPrintCall(LintRule):
    """Flags ``print(...)`` calls."""

    VALID: ClassVar[list[Valid]] = [Valid("log('hello')")]
    INVALID: ClassVar[list[Invalid]] = [Invalid("print('hello')")]

    def visit_Call(self, node: cst.Call) -> None:
        if isinstance(node.func, cst.Name) and node.func.value == "print":
            self.report(node, "print() call")
