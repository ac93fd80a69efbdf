"""The ``zlint`` command line. ``main(argv)`` returns the exit code, like Ruff's:
0 nothing found, 1 findings, 2 a usage, configuration or internal error."""

from __future__ import annotations

import dataclasses
import gc
import json
import sys
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import click

from zlint import __version__, catalog, config
from zlint.fastpath import cache
from zlint.fixes import options as _fix_options
from zlint.formats import output
from zlint.inputs import files, source
from zlint.model.module_index import ModuleIndex
from zlint.model.releases import Target, describe_exactly
from zlint.options import Exit, RunOptions
from zlint.results import CheckResult, InternalError, unparsable
from zlint.types import Diagnostic, Span

# The analysis, fixing and stdin modules are imported where they are used: a re-check
# answered from the cache never loads LibCST's parser and codemod machinery.


def _split_codes(values: Sequence[str]) -> tuple[str, ...]:
    return tuple(part.strip() for v in values for part in v.split(",") if part.strip())


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="zlint")
def cli() -> None:
    """Find ZenML pipeline code whose artifacts collide or that fails at run time."""


class _CheckCommand(click.Command):
    """Takes ``--add-ignore=REASON`` as well as a bare ``--add-ignore``: click would read the
    word after a bare one as its value, though it is a path."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        rewritten: list[str] = []
        for index, arg in enumerate(args):
            if arg == "--":
                rewritten.extend(args[index:])
                break
            if arg.startswith("--add-ignore="):
                reason = arg.split("=", 1)[1]
                rewritten.extend(["--add-ignore", f"--add-ignore-reason={reason}"])
            else:
                rewritten.append(arg)
        return super().parse_args(ctx, rewritten)


@cli.command(cls=_CheckCommand)
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--select", multiple=True, help="Rule codes or names to enable (replaces the default set)."
)
@click.option("--extend-select", multiple=True, help="Rules to enable on top of the selection.")
@click.option("--ignore", multiple=True, help="Rules to disable.")
@click.option(
    "--extend-include",
    multiple=True,
    help="Also check files matching these patterns (`*.md`: Python blocks of Markdown pages).",
)
@click.option(
    "--output-format",
    type=click.Choice(output.FORMAT_CHOICES),
    default=output.DEFAULT_FORMAT,
    show_default=True,
    envvar="ZLINT_OUTPUT_FORMAT",
    help="How to show the findings (`text` is an alias of `concise`).",
)
@click.option(
    "-o",
    "--output-file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the findings to this file instead of the terminal.",
)
@click.option(
    "--force-exclude",
    is_flag=True,
    help="Apply exclude and extend-exclude to paths named explicitly too (for pre-commit).",
)
@click.option("--exit-zero", is_flag=True, help="Exit with 0 even when there are findings.")
@click.option("--statistics", is_flag=True, help="Show counts per rule instead of findings.")
@click.option("-v", "--verbose", is_flag=True, help="Show tracebacks of internal errors.")
@click.option("--fix", is_flag=True, help="Apply fixes, then report what remains.")
@click.option("--unsafe-fixes", is_flag=True, default=None, help="Also apply unsafe fixes.")
@click.option("--diff", is_flag=True, help="Print the fixes as a diff; write nothing.")
@click.option("--fix-only", is_flag=True, help="Apply fixes; do not report what remains.")
@click.option("--show-fixes", is_flag=True, help="List the fixes applied, per file.")
@click.option(
    "--config",
    "config_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Use this pyproject.toml or zlint.toml (its folder is the project root).",
)
@click.option("--isolated", is_flag=True, help="Ignore every configuration file.")
@click.option("--show-settings", is_flag=True, help="Print the resolved settings and exit.")
@click.option("--show-files", is_flag=True, help="Print the files that would be checked and exit.")
@click.option(
    "--add-ignore",
    is_flag=True,
    help="Add a `# zlint: ignore[CODE]` comment for every finding; "
    "`--add-ignore=REASON` writes REASON after it.",
)
@click.option("--add-ignore-reason", hidden=True, default=None)
@click.option(
    "--strategy",
    type=click.Choice(_fix_options.STRATEGIES),
    default=None,
    help="How the ZL001 fix tells repeated calls apart (overrides fix-strategy).",
)
@click.option(
    "--zenml-version",
    metavar="SPEC",
    default=None,
    help="The ZenML release(s) the project runs: `0.85`, `==0.85.0`, `>=0.70,<0.80` "
    "(overrides zenml-version; default: learned from lock and requirements files).",
)
@click.option(
    "--no-cache",
    is_flag=True,
    envvar="ZLINT_NO_CACHE",
    help="Neither read nor write the result cache.",
)
@click.option(
    "--cache-dir",
    type=click.Path(file_okay=False, path_type=Path),
    envvar=cache.ENV_VAR,
    help=f"Where the result cache lives (default: {cache.DEFAULT_DIR_NAME} in the project root).",
)
@click.option(
    "--stdin-filename",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Read the source from stdin and check it as this file of its project.",
)
def check(paths: tuple[Path, ...], **flags: Any) -> None:
    """Check PATHS (default: the current folder) for ZenML pipeline problems.

    `-` reads the source from stdin (`--stdin-filename` names it)."""
    options = RunOptions(**{name: flags.pop(name) for name in _RUN_OPTIONS})
    sys.exit(_run(paths, options, _Flags(**flags)))


#: The flags that are run options (the others choose the settings or the command).
_RUN_OPTIONS = tuple(f.name for f in dataclasses.fields(RunOptions))


@dataclass(frozen=True)
class _Flags:
    """The flags of ``check`` and ``fix`` that choose the settings, or another command."""

    select: tuple[str, ...]
    extend_select: tuple[str, ...]
    ignore: tuple[str, ...]
    extend_include: tuple[str, ...]
    config_file: Path | None
    isolated: bool
    show_settings: bool
    strategy: str | None
    add_ignore: bool
    add_ignore_reason: str | None
    stdin_filename: Path | None
    zenml_version: str | None

    @property
    def adds_ignores(self) -> bool:
        return self.add_ignore or self.add_ignore_reason is not None


def _run(paths: tuple[Path, ...], options: RunOptions, flags: _Flags) -> int:
    stdin_path = None
    if flags.stdin_filename is not None or [str(p) for p in paths] == ["-"]:
        from zlint import stdin

        stdin_path = stdin.target(paths, flags.stdin_filename)
    targets = [p.absolute() for p in (paths or (Path("."),))]
    if stdin_path is not None:
        targets = [stdin_path]
    settings = _settings(targets, flags)
    if options.verbose and not flags.show_settings:
        click.echo(f"zlint: {_target_line(settings.zenml_target)}", err=True)
    if flags.show_settings:
        click.echo(config.describe(settings))
        return Exit.CLEAN
    if stdin_path is not None:
        if flags.adds_ignores:
            raise click.UsageError("--add-ignore cannot be used with standard input")
        from zlint import stdin

        return stdin.run(stdin_path, settings, options, stdin.read())
    found = files.discover(targets, settings, force_exclude=options.force_exclude)
    if options.show_files:
        for path in found.reported:
            click.echo(output.display_path(path))
        return Exit.CLEAN
    if flags.adds_ignores:
        if options.fixing:
            raise click.UsageError(
                "--add-ignore cannot be combined with --fix, --diff or --fix-only"
            )
        return _add_ignore(settings, found, flags.add_ignore_reason or "", options)
    if options.fixing:
        return _fix(settings, found, options)
    return _check(settings, found, options)


def _settings(targets: list[Path], flags: _Flags) -> config.Settings:
    """The project's settings with the command line's layered on top."""
    try:
        settings = config.resolve_settings(
            targets, config_file=flags.config_file, isolated=flags.isolated
        )
        settings = config.with_overrides(
            settings,
            select=_split_codes(flags.select) or None,
            extend_select=_split_codes(flags.extend_select),
            ignore=_split_codes(flags.ignore),
            extend_include=_split_codes(flags.extend_include),
            zenml_version=flags.zenml_version,
        )
    except config.ConfigError as exc:
        raise click.UsageError(str(exc)) from exc
    settings, warnings = config.infer_zenml_target(settings, targets)
    for warning in warnings:
        click.echo(f"zlint: warning: {warning}", err=True)
    if flags.strategy is not None:
        chosen = replace(settings.fix_options, strategy=flags.strategy)
        settings = replace(settings, fix_options=chosen)
    return settings


def _check(settings: config.Settings, found: files.Discovery, options: RunOptions) -> int:
    store = None
    if not options.no_cache:
        store = cache.Cache(options.cache_dir or cache.default_dir(settings.root))
    result = _check_cached(settings, found, store)
    diagnostics = sorted(
        [*result.diagnostics, *(_problem(path, reason) for path, reason in found.problems)],
        key=Diagnostic.sort_key,
    )
    _print_results(diagnostics, settings, options)
    output.report_problems([], result.errors, verbose=options.verbose, hint=True)
    if result.errors:
        return Exit.ERROR
    return Exit.FINDINGS if diagnostics and not options.exit_zero else Exit.CLEAN


@dataclass(frozen=True)
class _Checked:
    diagnostics: list[Diagnostic]
    errors: list[InternalError]


def _check_cached(
    settings: config.Settings, found: files.Discovery, store: cache.Cache | None
) -> _Checked:
    """The findings of a check, from the cache when no input changed since they were stored."""
    key = ""
    if store is not None:
        selected = settings.selected
        key = cache.run_key(settings, selected, found.reported, [*found.project, *found.reported])
        project = [*found.project, *found.reported]
        stored = store.load(
            key, settings.root, lambda: ModuleIndex(settings.root, settings.src, project)
        )
        if stored is not None:
            return _Checked(stored, [])
    # Workers sort the files while this process imports LibCST and the rules (0.2 s).
    from zlint.fastpath import plain_check, triage
    from zlint.inputs import embedded

    sorting = triage.start(
        settings, found.reported, found.project, embedded.read_text, parallel=True
    )
    result: CheckResult
    if len(found.reported) < triage.PARALLEL_MIN_FILES and not sorting.first_wanted():
        # No file needs a tree (a commit of plain modules): no LibCST, no rules.
        result = plain_check.plain_check(
            settings, found.reported, sorting.verdicts, sorting.hints, sorting.chooser.names
        )
    else:
        from zlint import engine

        result = engine.check_project(
            settings,
            found.reported,
            found.project,
            sorting=sorting,
            batch_size=engine.BATCH_SIZE,
        )
    # A time limit depends on the machine's load: such a run is not worth keeping.
    timed_out = any(d.message.startswith(source.TIMED_OUT) for d in result.diagnostics)
    if store is not None and not result.errors and not timed_out:
        store.store(key, settings.root, result, also_read=settings.zenml_target.read)
    return _Checked(result.diagnostics, result.errors)


def _fix(settings: config.Settings, found: files.Discovery, options: RunOptions) -> int:
    from zlint.fixing import loop

    result = loop.fix_project(
        settings,
        found.reported,
        found.project,
        unsafe=options.unsafe(settings),
        dry_run=options.diff,
        fixable=settings.fixable_codes,
        unfixable=settings.unfixable_codes,
    )
    if options.diff:
        text = output.unified_diff(result.original, result.changed)
        if text:
            click.echo(text, nl=False)
        output.report_problems(result.problems, result.errors, verbose=options.verbose)
        if result.errors:
            return Exit.ERROR
        return Exit.FINDINGS if result.changed else Exit.CLEAN
    remaining = sorted(
        [*result.remaining, *(_problem(path, reason) for path, reason in found.problems)],
        key=Diagnostic.sort_key,
    )
    if options.show_fixes:
        click.echo(output.fixes_summary(result.fixed))
    if not options.fix_only:
        _print_results(remaining, settings, replace(options, statistics=False))
    click.echo(f"Fixed {result.applied} error{'s' if result.applied != 1 else ''}.", err=True)
    output.report_problems(result.problems, result.errors, verbose=options.verbose)
    if result.errors:
        return Exit.ERROR
    if options.fix_only or options.exit_zero:
        return Exit.CLEAN
    return Exit.FINDINGS if remaining else Exit.CLEAN


def _add_ignore(
    settings: config.Settings, found: files.Discovery, reason: str, options: RunOptions
) -> int:
    """``--add-ignore``: suppress every current finding with a trailing comment, written
    atomically like fixes; what cannot be suppressed (unparsable files) is printed."""
    if settings.require_suppression_reason and not reason.strip():
        raise click.UsageError(
            "require-suppression-reason is on: give the reason as --add-ignore=REASON"
        )
    from zlint import engine
    from zlint.fixing import add_ignore

    result = engine.check_project(settings, found.reported, found.project)
    if result.errors:
        output.report_problems([], result.errors, verbose=options.verbose)
        click.echo("zlint: nothing was written", err=True)
        return Exit.ERROR
    added = add_ignore.add_ignores(result.diagnostics, reason)
    failed = [*added.problems, *add_ignore.write(added)]
    written = set(added.texts) - {path for path, _ in failed}
    count = sum(added.counts[path] for path in written)
    click.echo(
        f"Added {count} suppression{'s' if count != 1 else ''} "
        f"to {len(written)} file{'s' if len(written) != 1 else ''}.",
        err=True,
    )
    left = sorted(
        [*added.left, *(_problem(path, reason) for path, reason in found.problems)],
        key=Diagnostic.sort_key,
    )
    if left:
        shown = RunOptions(output_format=options.output_format, unsafe_fixes=False)
        _print_results(left, settings, shown)
    output.report_problems(failed, [], verbose=options.verbose)
    if failed:
        return Exit.ERROR
    return Exit.FINDINGS if left else Exit.CLEAN


def _problem(path: Path, reason: str) -> Diagnostic:
    return unparsable(path, reason, Span.at(1, 1))


def _print_results(
    diagnostics: list[Diagnostic], settings: config.Settings, options: RunOptions
) -> None:
    if options.statistics:
        if diagnostics or options.output_file is not None:
            output.emit(output.statistics(diagnostics), options.output_file)
        return
    output.print_diagnostics(
        diagnostics,
        options.output_format,
        root=settings.root,
        output_file=options.output_file,
        unsafe_fixes=options.unsafe(settings),
        zenml_target=settings.zenml_target.record(),
    )


def _target_line(target: Target) -> str:
    """``ZenML target: 0.85.0 (==0.85.0, from uv.lock)``, for ``--verbose``."""
    spec = target.spec or "any version"
    return f"ZenML target: {describe_exactly(target.releases)} ({spec}, from {target.source})"


def _fix_command() -> click.Command:
    """``zlint fix`` is ``zlint check --fix`` with the same options."""
    assert check.callback is not None
    callback = check.callback

    def run(**kwargs: object) -> None:
        callback(**kwargs, fix=True)

    return _CheckCommand(
        name="fix",
        params=[p for p in check.params if p.name != "fix"],
        callback=run,
        help="Fix what can be fixed in PATHS, then report what remains.",
    )


cli.add_command(_fix_command())


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--cache-dir",
    type=click.Path(file_okay=False, path_type=Path),
    envvar=cache.ENV_VAR,
    help=f"The cache to remove (default: {cache.DEFAULT_DIR_NAME} in the project root).",
)
def clean(paths: tuple[Path, ...], cache_dir: Path | None) -> None:
    """Remove the result cache of the project holding PATHS (default: the current folder)."""
    root = config.find_project_root([p.absolute() for p in (paths or (Path("."),))])
    folder = cache_dir.absolute() if cache_dir is not None else cache.default_dir(root)
    if cache.clean(folder):
        click.echo(f"Removed {output.display_path(folder)}", err=True)


@cli.command()
@click.argument("code", required=False)
@click.option("--all", "all_rules", is_flag=True, help="Show every rule's documentation.")
@click.option(
    "--output-format",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="Markdown text, or JSON in Ruff's shape.",
)
def rule(code: str | None, all_rules: bool, output_format: str) -> None:
    """Show the documentation of one rule (code or name), or of every rule with --all."""
    from zlint import docs
    from zlint.rules import registry

    if (code is None) == (not all_rules):
        raise click.UsageError("give a rule code or name, or --all")
    chosen = registry.RULES
    if code is not None:
        found = registry.rule_class(code)
        if found is None:
            raise click.UsageError(f"unknown rule {code!r}; `zlint rules` lists them")
        chosen = (found,)
    if output_format == "json":
        items = [docs.explanation(r) for r in chosen]
        click.echo(json.dumps(items if all_rules else items[0], indent=2))
    else:
        click.echo("\n".join(docs.rule_text(r) for r in chosen))


@cli.command(name="rules")
def list_rules() -> None:
    """List every rule with its code, name and whether it is on by default."""
    for item in catalog.RULES:
        default = "" if item.default_enabled else "  (off by default)"
        click.echo(f"{item.code}  {item.name:<36} {item.summary}{default}")


def main(argv: Sequence[str] | None = None) -> int:
    """Run zlint with ``argv`` (default: ``sys.argv[1:]``) and return the exit code."""
    # Deeply nested (often generated) code needs more than Python's default 1,000 frames
    # in LibCST's recursive visitors; Python 3.11+ frames do not use the C stack.
    sys.setrecursionlimit(max(sys.getrecursionlimit(), 20_000))
    # The cyclic garbage collector keeps walking every live LibCST node (millions on a large
    # project) while freeing nothing: the trees hold no cycles. Pausing it for the run cut a
    # cold check of the zenml source by about two thirds at the same peak memory.
    collecting = gc.isenabled()
    gc.disable()
    try:
        cli.main(
            args=list(argv) if argv is not None else None, prog_name="zlint", standalone_mode=False
        )
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else Exit.ERROR
    except click.exceptions.Abort:
        click.echo("Aborted.", err=True)
        return Exit.ERROR
    except click.ClickException as exc:
        exc.show()
        return Exit.ERROR
    finally:
        if collecting:
            gc.enable()
    return Exit.CLEAN


if __name__ == "__main__":
    raise SystemExit(main())
