"""How one run was asked to report and fix: the options the command line, standard input and
an editor share, and the exit codes every entry point returns (Ruff's)."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from pathlib import Path

from zlint.config import Settings


class Exit(enum.IntEnum):
    """What ``zlint`` exits with."""

    #: Nothing found (or ``--exit-zero``, ``--fix-only``).
    CLEAN = 0
    #: Findings remain; with ``--diff``, something would change.
    FINDINGS = 1
    #: A usage, configuration or internal error.
    ERROR = 2


@dataclass(frozen=True)
class RunOptions:
    """Everything about a run that is not a setting of the project (see :mod:`zlint.config`)."""

    output_format: str = "full"
    #: Write the findings there instead of the terminal.
    output_file: Path | None = None
    #: Counts per rule instead of the findings.
    statistics: bool = False
    exit_zero: bool = False
    #: Show tracebacks of internal errors.
    verbose: bool = False
    #: Apply exclude and extend-exclude to paths named explicitly too.
    force_exclude: bool = False
    #: Print the files that would be checked, and stop.
    show_files: bool = False
    fix: bool = False
    #: Print the fixes as a diff; write nothing.
    diff: bool = False
    #: Apply fixes; do not report what remains.
    fix_only: bool = False
    #: List the fixes applied, per file.
    show_fixes: bool = False
    #: ``--unsafe-fixes`` as given; None lets the settings' ``unsafe-fixes`` decide.
    unsafe_fixes: bool | None = None
    #: Neither read nor write the result cache.
    no_cache: bool = False
    cache_dir: Path | None = None

    @property
    def fixing(self) -> bool:
        """Whether the run applies (or shows) fixes rather than only reporting."""
        return self.fix or self.diff or self.fix_only

    def unsafe(self, settings: Settings) -> bool:
        """Whether unsafe fixes are applied (and shown as applicable)."""
        return self.unsafe_fixes if self.unsafe_fixes is not None else settings.unsafe_fixes
