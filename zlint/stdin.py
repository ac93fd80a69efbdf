"""Checking and fixing source read from standard input, for editors (as Ruff does).

``zlint check --stdin-filename src/p.py -`` lints the text on stdin as if it were the file
``src/p.py`` of its project: the configuration is found from that file's folder, the rest of
the project is read from disk (so steps imported from other modules resolve), and the stdin
text stands in for the file on disk, which need not exist. ``zlint fix ... -`` prints the
whole source, fixed or not, to stdout and everything else to stderr; it writes no file.
Without ``--stdin-filename`` the text is named ``-``, in the current folder.
"""

from __future__ import annotations

import dataclasses
import sys
from collections.abc import Sequence
from pathlib import Path

import click

from zlint import config, engine
from zlint.fixing import loop
from zlint.fixing.write import encode_like
from zlint.formats import output
from zlint.inputs import embedded, files, source
from zlint.options import Exit, RunOptions
from zlint.types import Applicability, Diagnostic

#: The name of standard input on the command line, and of its text without --stdin-filename.
STDIN = "-"


def target(paths: Sequence[Path], stdin_filename: Path | None) -> Path | None:
    """The path the stdin text stands for, or None when zlint should not read stdin.

    As in Ruff, ``--stdin-filename`` means "read stdin" (other paths are ignored, with a
    warning), and so does a lone ``-``; a ``-`` among other paths is a file named ``-``.
    """
    if stdin_filename is not None:
        for path in paths:
            if str(path) != STDIN:
                click.echo(f"zlint: ignoring {path} in favour of standard input", err=True)
        return stdin_filename.absolute()
    if len(paths) == 1 and str(paths[0]) == STDIN:
        return Path.cwd() / STDIN
    return None


def read() -> bytes:
    stream = sys.stdin
    buffer = getattr(stream, "buffer", None)
    if buffer is not None:
        data: bytes = buffer.read()
        return data
    return stream.read().encode("utf-8")


def run(path: Path, settings: config.Settings, options: RunOptions, data: bytes) -> int:
    """Check (or fix) ``data`` as the file ``path``; returns the exit code."""
    excluded = options.force_exclude and files.is_force_excluded(path, settings)
    if options.show_files:
        if not excluded:
            click.echo(output.display_path(path))
        return Exit.CLEAN
    if excluded:  # Ruff's answer: no findings, and the source back unchanged when fixing
        if not options.fixing:
            _print(settings, path, "", [], options, err=False)
        elif not options.diff:
            click.echo(data, nl=False)
        return Exit.CLEAN
    text = source.decode(data)
    path = path.resolve()
    project = _project_files(settings, path)
    if options.fixing:
        return _fix(path, settings, options, data, text, project)
    reader = _reader(path, text)
    result = engine.check_project(settings, [path], project, reader)
    _print(settings, path, text, result.diagnostics, options, err=False)
    output.report_problems([], result.errors, verbose=options.verbose, hint=True)
    if result.errors:
        return Exit.ERROR
    return Exit.FINDINGS if result.diagnostics and not options.exit_zero else Exit.CLEAN


def _project_files(settings: config.Settings, path: Path) -> tuple[Path, ...]:
    """Every file of the project, the stdin file included (even when excluded or absent)."""
    found = files.discover((), settings)
    return tuple(sorted({*found.project, path}))


def _reader(path: Path, text: str | source.SourceError) -> engine.TextReader:
    """Reads the project's files as the engine does, but ``path`` from stdin."""

    def read_text(candidate: Path) -> str | source.SourceError:
        if candidate != path:
            return embedded.read_text(candidate)
        if isinstance(text, str) and embedded.is_embedded(path):
            return embedded.virtual_text(path, text)
        return text

    return read_text


def _fix(
    path: Path,
    settings: config.Settings,
    options: RunOptions,
    data: bytes,
    text: str | source.SourceError,
    project: tuple[Path, ...],
) -> int:
    result = loop.fix_project(
        settings,
        [path],
        project,
        unsafe=options.unsafe(settings),
        dry_run=True,  # nothing is written: the fixed source goes to stdout
        fixable=settings.fixable_codes,
        unfixable=settings.unfixable_codes,
        read_text=_reader(path, text),
        only_files=_fixable_files(path),
    )
    fixed = result.changed.get(path)
    if options.diff:
        diff = output.unified_diff(result.original, result.changed)
        if diff:
            click.echo(diff, nl=False)
    else:
        # Always the whole source, so an editor can replace its buffer with it.
        fixed_data = _encoded(fixed, data, result.problems) if fixed is not None else None
        click.echo(fixed_data if fixed_data is not None else data, nl=False)
        if options.show_fixes:
            click.echo(output.fixes_summary(result.fixed), err=True)
        if not options.fix_only:
            shown = fixed if fixed is not None else text
            _print(settings, path, shown, result.remaining, options, err=True)
        count = result.applied
        click.echo(f"Fixed {count} error{'s' if count != 1 else ''}.", err=True)
    output.report_problems(result.problems, result.errors, verbose=options.verbose, hint=True)
    if result.errors:
        return Exit.ERROR
    if options.diff:
        return Exit.FINDINGS if result.changed else Exit.CLEAN
    if options.fix_only or options.exit_zero:
        return Exit.CLEAN
    return Exit.FINDINGS if result.remaining else Exit.CLEAN


def _print(
    settings: config.Settings,
    path: Path,
    text: str | source.SourceError,
    diagnostics: list[Diagnostic],
    options: RunOptions,
    *,
    err: bool,
) -> None:
    """The findings in the chosen format; on stderr when stdout carries the source."""
    diagnostics = [_confined(d, _fixable_files(path)) for d in diagnostics]
    if options.statistics:
        if diagnostics or options.output_file is not None:
            _emit(output.statistics(diagnostics), options, err, color=False)
        return
    stream = sys.stderr if err else sys.stdout
    color = output.use_color(options.output_format, options.output_file, stream)
    sources = _StdinLines(path, text if isinstance(text, str) else "")
    report = output.Report(
        diagnostics,
        settings.root,
        color=color,
        unsafe_fixes=options.unsafe(settings),
        sources=sources,
        zenml_target=settings.zenml_target.record(),
    )
    _emit(output.render(report, options.output_format), options, err, color)


def _encoded(text: str, original: bytes, problems: list[tuple[Path | None, str]]) -> bytes | None:
    """The fixed text in the encoding of the input, or None (with the reason) when it does
    not fit that encoding: then the input is printed unchanged."""
    try:
        return encode_like(text, original)
    except UnicodeError as exc:
        problems.append((None, f"the fixed source does not fit its encoding; unchanged ({exc})"))
        return None


def _fixable_files(path: Path) -> frozenset[Path]:
    """What a fix of stdin may edit: only the stdin file, and not even that when it is a
    notebook or Markdown page (their fixes are written back from the bytes on disk)."""
    return frozenset() if embedded.is_embedded(path) else frozenset({path})


def _confined(diagnostic: Diagnostic, fixable: frozenset[Path]) -> Diagnostic:
    """A fix that also edits another file cannot be applied to stdin: display it only."""
    fix = diagnostic.fix
    if fix is None or fix.paths <= fixable or fix.applicability is Applicability.DISPLAY_ONLY:
        return diagnostic
    return dataclasses.replace(
        diagnostic, fix=dataclasses.replace(fix, applicability=Applicability.DISPLAY_ONLY)
    )


def _emit(text: str, options: RunOptions, err: bool, color: bool) -> None:
    if options.output_file is not None or not err:
        output.emit(text, options.output_file, color)
    elif text:
        click.echo(text, err=True, color=color)


class _StdinLines(output.SourceLines):
    """Source lines for the output formats, with the stdin text standing in for its file."""

    def __init__(self, path: Path, text: str) -> None:
        super().__init__()
        self._path = path
        self._text = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")

    def lines(self, path: Path) -> list[str] | None:
        return self._text if path == self._path else super().lines(path)
