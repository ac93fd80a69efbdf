"""The ``zlint`` command line. ``main(argv)`` returns the exit code, like Ruff's:
0 nothing found, 1 findings, 2 a usage, configuration or internal error."""

from __future__ import annotations

import gc
import json
import sys
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

import click

from zlint import __version__, catalog, config
from zlint.fastpath import cache
from zlint.fixes import options as _fix_options
from zlint.formats import output
from zlint.inputs import files, source
from zlint.model.module_index import ModuleIndex
from zlint.types import Diagnostic, Span

if TYPE_CHECKING:
    from zlint import engine

# The analysis, fixing and stdin modules are imported where they are used: a re-check
# answered from the cache never loads LibCST's parser and codemod machinery.

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


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
def check(
    paths: tuple[Path, ...],
    select: tuple[str, ...],
    extend_select: tuple[str, ...],
    ignore: tuple[str, ...],
    extend_include: tuple[str, ...],
    output_format: str,
    exit_zero: bool,
    statistics: bool,
    verbose: bool,
    fix: bool = False,
    unsafe_fixes: bool | None = None,
    diff: bool = False,
    fix_only: bool = False,
    show_fixes: bool = False,
    output_file: Path | None = None,
    force_exclude: bool = False,
    config_file: Path | None = None,
    isolated: bool = False,
    show_settings: bool = False,
    show_files: bool = False,
    add_ignore: bool = False,
    add_ignore_reason: str | None = None,
    strategy: str | None = None,
    stdin_filename: Path | None = None,
    no_cache: bool = False,
    cache_dir: Path | None = None,
) -> None:
    """Check PATHS (default: the current folder) for ZenML pipeline problems.

    `-` reads the source from stdin (`--stdin-filename` names it)."""
    stdin_path = None
    if stdin_filename is not None or [str(p) for p in paths] == ["-"]:
        from zlint import stdin

        stdin_path = stdin.target(paths, stdin_filename)
    targets = [p.absolute() for p in (paths or (Path("."),))]
    if stdin_path is not None:
        targets = [stdin_path]
    try:
        settings = config.resolve_settings(targets, config_file=config_file, isolated=isolated)
        settings = config.with_overrides(
            settings,
            select=_split_codes(select) or None,
            extend_select=_split_codes(extend_select),
            ignore=_split_codes(ignore),
            extend_include=_split_codes(extend_include),
        )
        if strategy is not None:
            chosen = replace(settings.fix_options, strategy=strategy)
            settings = replace(settings, fix_options=chosen)
        if show_settings:
            click.echo(config.describe(settings))
            sys.exit(EXIT_CLEAN)
    except config.ConfigError as exc:
        raise click.UsageError(str(exc)) from exc
    if stdin_path is not None:
        if add_ignore or add_ignore_reason is not None:
            raise click.UsageError("--add-ignore cannot be used with standard input")
        unsafe = unsafe_fixes if unsafe_fixes is not None else settings.unsafe_fixes
        from zlint import stdin

        stdin_options = stdin.Options(
            output_format=output_format, force_exclude=force_exclude, fix=fix, diff=diff,
            fix_only=fix_only, show_fixes=show_fixes, show_files=show_files, unsafe_fixes=unsafe,
            exit_zero=exit_zero, statistics=statistics, verbose=verbose, output_file=output_file,
        )  # fmt: skip
        sys.exit(stdin.run(stdin_path, settings, stdin_options, stdin.read()))
    found = files.discover(targets, settings, force_exclude=force_exclude)
    if show_files:
        for path in found.reported:
            click.echo(output.display_path(path))
        sys.exit(EXIT_CLEAN)
    if add_ignore or add_ignore_reason is not None:
        if fix or diff or fix_only:
            raise click.UsageError(
                "--add-ignore cannot be combined with --fix, --diff or --fix-only"
            )
        sys.exit(_add_ignore(settings, found, add_ignore_reason or "", output_format, verbose))
    if fix or diff or fix_only:
        options = FixOptions(
            unsafe_fixes, diff, fix_only, show_fixes, exit_zero, verbose, output_file
        )
        sys.exit(_fix(settings, found, options, output_format))
    store = None if no_cache else cache.Cache(cache_dir or cache.default_dir(settings.root))
    result = _check_cached(settings, found, store)
    diagnostics = sorted(
        [*result.diagnostics, *(_problem(path, reason) for path, reason in found.problems)],
        key=Diagnostic.sort_key,
    )
    _print_results(
        diagnostics,
        output_format,
        statistics,
        root=settings.root,
        output_file=output_file,
        unsafe_fixes=unsafe_fixes if unsafe_fixes is not None else settings.unsafe_fixes,
    )
    for error in result.errors:
        where = f" while checking {output.display_path(error.path)}" if error.path else ""
        click.echo(f"zlint: internal error in {error.where}{where}: {error.message}", err=True)
        if verbose:
            click.echo(error.traceback, err=True)
    if result.errors:
        if not verbose:
            click.echo("zlint: run with --verbose to see the traceback", err=True)
        sys.exit(EXIT_ERROR)
    sys.exit(EXIT_FINDINGS if diagnostics and not exit_zero else EXIT_CLEAN)


@dataclass(frozen=True)
class _Checked:
    diagnostics: list[Diagnostic]
    errors: list[engine.InternalError]


def _check_cached(
    settings: config.Settings, found: files.Discovery, store: cache.Cache | None
) -> _Checked:
    """The findings of a check, from the cache when no input changed since they were stored."""
    key = ""
    if store is not None:
        selected = config.selected_codes(settings)
        key = cache.run_key(settings, selected, found.reported, [*found.project, *found.reported])
        project = [*found.project, *found.reported]
        stored = store.load(
            key, settings.root, lambda: ModuleIndex(settings.root, settings.src, project)
        )
        if stored is not None:
            return _Checked(stored, [])
    # Workers sort the files while this process imports LibCST and the rules (0.2 s).
    from zlint import results
    from zlint.fastpath import plain_check, triage
    from zlint.inputs import embedded

    sorting = triage.start(
        settings, found.reported, found.project, embedded.read_text, parallel=True
    )
    result: results.CheckResult
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
        store.store(key, settings.root, result)
    return _Checked(result.diagnostics, result.errors)


@dataclass(frozen=True)
class FixOptions:
    unsafe: bool | None
    diff: bool
    fix_only: bool
    show_fixes: bool
    exit_zero: bool
    verbose: bool
    output_file: Path | None = None


def _fix(
    settings: config.Settings, found: files.Discovery, options: FixOptions, output_format: str
) -> int:
    unsafe = options.unsafe if options.unsafe is not None else settings.unsafe_fixes
    from zlint.fixing import loop

    result = loop.fix_project(
        settings,
        found.reported,
        found.project,
        unsafe=unsafe,
        dry_run=options.diff,
        fixable=config.fixable_codes(settings),
        unfixable=config.unfixable_codes(settings),
    )
    if options.diff:
        text = output.unified_diff(result.original, result.changed)
        if text:
            click.echo(text, nl=False)
        _report_problems(result.problems, result.errors, options.verbose)
        return EXIT_ERROR if result.errors else (EXIT_FINDINGS if result.changed else EXIT_CLEAN)
    remaining = sorted(
        [*result.remaining, *(_problem(path, reason) for path, reason in found.problems)],
        key=Diagnostic.sort_key,
    )
    if options.show_fixes:
        click.echo(output.fixes_summary(result.fixed))
    if not options.fix_only:
        _print_results(
            remaining,
            output_format,
            False,
            root=settings.root,
            output_file=options.output_file,
            unsafe_fixes=unsafe,
        )
    click.echo(f"Fixed {result.applied} error{'s' if result.applied != 1 else ''}.", err=True)
    _report_problems(result.problems, result.errors, options.verbose)
    if result.errors:
        return EXIT_ERROR
    if options.fix_only or options.exit_zero:
        return EXIT_CLEAN
    return EXIT_FINDINGS if remaining else EXIT_CLEAN


def _add_ignore(
    settings: config.Settings,
    found: files.Discovery,
    reason: str,
    output_format: str,
    verbose: bool,
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
        _report_problems([], result.errors, verbose)
        click.echo("zlint: nothing was written", err=True)
        return EXIT_ERROR
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
        _print_results(left, output_format, False, root=settings.root)
    _report_problems([(path, problem) for path, problem in failed], [], verbose)
    if failed:
        return EXIT_ERROR
    return EXIT_FINDINGS if left else EXIT_CLEAN


def _report_problems(
    problems: list[tuple[Path | None, str]], errors: list[engine.InternalError], verbose: bool
) -> None:
    for path, problem in problems:
        where = f"{output.display_path(path)}: " if path is not None else ""
        click.echo(f"zlint: {where}{problem}", err=True)
    for error in errors:
        where = f" while checking {output.display_path(error.path)}" if error.path else ""
        click.echo(f"zlint: internal error in {error.where}{where}: {error.message}", err=True)
        if verbose:
            click.echo(error.traceback, err=True)


def _problem(path: Path, reason: str) -> Diagnostic:
    from zlint.results import unparsable

    return unparsable(path, reason, Span.at(1, 1))


def _print_results(
    diagnostics: list[Diagnostic],
    output_format: str,
    statistics: bool,
    *,
    root: Path | None = None,
    output_file: Path | None = None,
    unsafe_fixes: bool = False,
) -> None:
    if statistics:
        if diagnostics or output_file is not None:
            output.emit(output.statistics(diagnostics), output_file)
        return
    output.print_diagnostics(
        diagnostics, output_format, root=root, output_file=output_file, unsafe_fixes=unsafe_fixes
    )


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
        return exc.code if isinstance(exc.code, int) else EXIT_ERROR
    except click.exceptions.Abort:
        click.echo("Aborted.", err=True)
        return EXIT_ERROR
    except click.ClickException as exc:
        exc.show()
        return EXIT_ERROR
    finally:
        if collecting:
            gc.enable()
    return EXIT_CLEAN


if __name__ == "__main__":
    raise SystemExit(main())
