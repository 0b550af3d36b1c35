"""The command line: a thin shell over `leaklint.api`.

Exit codes: 0 no findings, 1 findings, 2 usage, configuration or internal error (including a
path that does not exist).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from leaklint import __version__

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2
FORMATS = ("text", "concise", "json", "sarif", "github")

CHECK_EPILOG = """\b
Examples:
  leaklint check src/                         check a folder (node_modules, .git, .gitignored skipped)
  leaklint check app.js --format concise      one line per finding, for editors
  leaklint check . --format sarif -o out.sarif
  leaklint check --select listener-leak,uncleared-timer src/
  cat app.ts | leaklint check --stdin-filename app.ts -
  leaklint check . --write-baseline leaklint-baseline.json   record today's findings
  leaklint check . --baseline leaklint-baseline.json         report only new ones
"""


def _split_ids(values: tuple[str, ...]) -> tuple[str, ...]:
    out: list[str] = []
    for v in values:
        out.extend(x.strip() for x in v.split(",") if x.strip())
    return tuple(out)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="leaklint")
def cli() -> None:
    """leaklint: find memory-leak-prone JavaScript and TypeScript."""


@cli.command(epilog=CHECK_EPILOG)
@click.argument("paths", nargs=-1, type=str)
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True, help="Output format.")
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write the report to this file.")
@click.option("--select", multiple=True, help="Rule ids to run (comma-separated; ALL for every rule).")
@click.option("--ignore", multiple=True, help="Rule ids not to run (comma-separated).")
@click.option("--config", "config_path", type=click.Path(dir_okay=False), help="Config file (default: nearest).")
@click.option("--isolated", is_flag=True, help="Ignore configuration files.")
@click.option("--stdin-filename", help="Read the source from standard input and report it under this name.")
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when there are findings.")
@click.option("--report-unused-suppressions", is_flag=True, help="Report leaklint-disable comments that suppress nothing.")
@click.option("--no-gitignore", is_flag=True, help="Do not skip files that .gitignore excludes.")
@click.option("--force-exclude", is_flag=True,
              help="Apply `exclude` to files named on the command line too (for pre-commit).")
@click.option("--category", help="SARIF automationDetails.id (run category for GitHub code scanning).")
@click.option("-j", "--jobs", type=click.IntRange(min=1), help="Worker processes (default: one per CPU).")
@click.option("--no-cache", is_flag=True, help="Do not read or write the result cache.")
@click.option("--cache-dir", type=click.Path(file_okay=False), help="Cache location (default: .leaklint_cache next to the config, else in the current folder).")
@click.option("--debug", is_flag=True, help="Raise internal errors with a traceback.")
@click.option("--baseline", "baseline_path", type=click.Path(dir_okay=False),
              help="Report only findings not in this earlier JSON or SARIF report.")
@click.option("--write-baseline", type=click.Path(dir_okay=False),
              help="Write the findings to this baseline file and report none of them.")
@click.option("--heap", "heap_snapshots", multiple=True, metavar="FILE",
              help="A heap snapshot of the running code, oldest first (repeat, two or more): confirm findings "
                   "with the collections that grew, and report growth no finding explains (needs numpy).")
def check(paths, fmt, output, select, ignore, config_path, isolated, stdin_filename, exit_zero,
          report_unused_suppressions, no_gitignore, category, jobs, no_cache, cache_dir, debug,
          baseline_path=None, write_baseline=None, heap_snapshots=(), force_exclude=False) -> None:
    """Check files and folders for memory-leak-prone code."""
    _exit_with(debug, lambda: _run_check(
        paths, fmt, output, select, ignore, config_path, isolated, stdin_filename, exit_zero,
        report_unused_suppressions, no_gitignore, category, jobs, no_cache, cache_dir, baseline_path,
        write_baseline, heap_snapshots, force_exclude))


def _exit_with(debug: bool, run) -> None:
    """Exit with the code `run()` returns; an internal error is one line on stderr and exit 2 (a
    traceback only with --debug)."""
    if debug:
        os.environ["LEAKLINT_STRICT"] = "1"
    try:
        code = run()
    except click.exceptions.Exit:
        raise
    except click.ClickException:
        raise
    except Exception as e:  # never a traceback for users; --debug shows it
        if debug:
            raise
        click.echo(f"leaklint: internal error: {type(e).__name__}: {e} (rerun with --debug for details)", err=True)
        code = EXIT_ERROR
    sys.exit(code)


def _run_check(paths, fmt, output, select, ignore, config_path, isolated, stdin_filename, exit_zero,
               report_unused, no_gitignore, category, jobs=None, no_cache=False, cache_dir=None,
               baseline_path=None, write_baseline=None, heap_snapshots=(), force_exclude=False) -> int:
    from leaklint import api
    from leaklint.docs import load_docs
    from leaklint.semantic.model import environment_names
    from leaklint.settings import ConfigError, Settings, find_config, load_settings

    known = set(load_docs())
    sel, ign = _split_ids(select), _split_ids(ignore)
    for r in sel + ign:
        if r != "ALL" and r not in known:
            raise click.UsageError(f"unknown rule id `{r}`; run `leaklint rules` for the list")
    if stdin_filename is None and not paths:
        raise click.UsageError("no paths given (use `.` for the current folder, or --stdin-filename with `-`)")
    if len(heap_snapshots) == 1:
        raise click.UsageError("--heap needs two or more snapshots of the same process, oldest first")

    start = Path(stdin_filename).parent if stdin_filename else Path.cwd()
    try:
        settings = Settings()
        if not isolated:
            cfg = Path(config_path) if config_path else find_config(start)
            if config_path and not Path(config_path).is_file():
                raise ConfigError("config file not found", Path(config_path))
            if cfg is not None:
                settings = load_settings(cfg, known, set(environment_names()))
    except ConfigError as e:
        click.echo(f"leaklint: config error: {e}", err=True)
        return EXIT_ERROR
    if sel:
        settings = settings.with_overrides(select=sel)
    if ign:
        settings = settings.with_overrides(ignore=tuple(settings.ignore) + ign)
    if no_gitignore:
        settings = settings.with_overrides(respect_gitignore=False)
    if force_exclude:
        settings = settings.with_overrides(force_exclude=True)
    known_findings = None
    if baseline_path and not write_baseline:
        from leaklint.baseline import BaselineError, load as load_baseline

        try:
            known_findings = load_baseline(Path(baseline_path))
        except BaselineError as e:
            click.echo(f"leaklint: baseline error: {e}", err=True)
            return EXIT_ERROR

    if stdin_filename is not None:
        raw = sys.stdin.buffer.read()
        from leaklint.files import display_path

        name = display_path(Path(stdin_filename))
        result = api.check_text(raw, name, settings, report_unused)
        from leaklint.checker import decode_source, displayable_line
        from leaklint.syntax import LineIndex

        # the lines the columns count in: BOM and UTF-16 decoded, and only CR, LF, CRLF break lines
        index = LineIndex(decode_source(raw, name)[0] or b"")

        def source_line(p: str, n: int) -> str:  # only the lines a code frame shows are decoded
            return displayable_line(index.line_text(n)) if p == name and 0 < n <= index.line_count else ""

        report = api.collect([result], settings, 1, source_line=source_line)
    else:
        cdir = None
        if not no_cache and not os.environ.get("LEAKLINT_NO_CACHE"):
            cdir = _cache_folder(cache_dir, settings.config_path)
        report = api.check_paths(paths, settings, report_unused, jobs=jobs, cache_dir=cdir,
                                 progress=_progress_bar())
    report.category = category
    if heap_snapshots:
        checked = [Path(stdin_filename)] if stdin_filename is not None else list(report.files)
        if (code := _add_heap(report, heap_snapshots, checked)) is not None:
            return code
    if write_baseline:
        from leaklint.baseline import from_findings, write as write_baseline_file

        try:
            count = write_baseline_file(report.findings, Path(write_baseline))
        except OSError as e:
            click.echo(f"leaklint: cannot write baseline {write_baseline}: {e.strerror or e}", err=True)
            return EXIT_ERROR
        click.echo(f"leaklint: wrote {count} finding{'' if count == 1 else 's'} to {write_baseline}", err=True)
        known_findings = from_findings(report.findings)
    if known_findings is not None:
        report.findings, known = known_findings.split(report.findings)
        if known and fmt == "text" and not write_baseline:
            click.echo(f"leaklint: {len(known)} finding{'' if len(known) == 1 else 's'} in the baseline "
                       "not reported", err=True)

    return _write(report, fmt, output, exit_zero)


def _write(report, fmt: str, output: str | None, exit_zero: bool) -> int:
    """Write the report in `fmt` to `output` (or stdout) and return the exit code."""
    from leaklint.reporters import REPORTERS

    out_stream = None
    try:
        if output:
            out_dir = Path(output).parent
            if not out_dir.is_dir():
                click.echo(f"leaklint: cannot write {output}: directory {out_dir} does not exist", err=True)
                return EXIT_ERROR
            out_stream = open(output, "w", encoding="utf-8", newline="\n")
        REPORTERS[fmt](report, out_stream or sys.stdout)
    except OSError as e:
        click.echo(f"leaklint: cannot write {output}: {e.strerror or e}", err=True)
        return EXIT_ERROR
    finally:
        if out_stream is not None:
            out_stream.close()

    errors = report.errors
    if errors:
        if output or fmt in ("json", "sarif"):  # the report is not for people: say why on stderr too
            for n in errors:
                click.echo(f"leaklint: {n.path + ': ' if n.path else ''}{n.message}", err=True)
        return EXIT_ERROR
    if report.findings and not exit_zero:
        return EXIT_FINDINGS
    return EXIT_CLEAN


HEAP_EPILOG = """\b
Examples:
  node --heapsnapshot-signal=SIGUSR2 server.js      then `kill -USR2 <pid>` under load, twice or more
  leaklint heap diff Heap.1.heapsnapshot Heap.2.heapsnapshot
  leaklint heap diff a.heapsnapshot b.heapsnapshot c.heapsnapshot --source src/
  leaklint check src/ --heap a.heapsnapshot --heap b.heapsnapshot --format sarif -o out.sarif
"""


def _needs_numpy() -> None:
    try:
        import numpy  # noqa: F401
    except ModuleNotFoundError:
        click.echo("leaklint: heap snapshots need numpy: pip install 'leaklint[heap]'", err=True)
        sys.exit(EXIT_ERROR)


def _diff(snapshots, min_growth: int = 100, min_ratio: float = 0.1):
    """The comparison of the snapshots, or an exit code after saying why there is none."""
    from leaklint.heap import SnapshotError, Thresholds, diff_snapshots, read_snapshot

    def read(path):
        try:
            return read_snapshot(path)
        except SnapshotError as e:
            raise SnapshotError(f"{path}: {e}") from None

    try:
        return diff_snapshots(list(snapshots), Thresholds(min_growth, min_ratio), read)
    except SnapshotError as e:
        click.echo(f"leaklint: {e}", err=True)
        return EXIT_ERROR


def _add_heap(report, snapshots, checked: list[Path], min_growth: int = 100, min_ratio: float = 0.1) -> int | None:
    """Compare the snapshots into `report`: confirmed findings, `heap-growth` findings, the heap
    section. An exit code when the snapshots cannot be compared."""
    _needs_numpy()
    from leaklint.heap import link

    diff = _diff(snapshots, min_growth, min_ratio)
    if isinstance(diff, int):
        return diff
    findings, growth = link(diff, report.findings, Path.cwd(), checked)
    report.findings = sorted(findings + growth, key=lambda f: f.sort_key)
    report.heap = diff
    return None


@cli.group("heap")
def heap_group() -> None:
    """Compare V8 heap snapshots and link what grew to the source (needs numpy)."""


@heap_group.command("diff", epilog=HEAP_EPILOG)
@click.argument("snapshots", nargs=-1, type=str)
@click.option("--format", "fmt", type=click.Choice(("text", "json", "sarif")), default="text", show_default=True,
              help="Output format.")
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write the report to this file.")
@click.option("--source", "sources", multiple=True, metavar="PATH",
              help="Check these files or folders too, and link the growth to their findings (repeatable).")
@click.option("--min-growth", type=click.IntRange(min=1), default=100, show_default=True,
              help="Elements, entries or properties a collection must gain, first snapshot to last.")
@click.option("--min-ratio", type=click.FloatRange(min=0), default=0.1, show_default=True,
              help="Growth as a fraction of the collection's size in the first snapshot.")
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when there are findings.")
@click.option("--debug", is_flag=True, help="Raise internal errors with a traceback.")
def heap_diff(snapshots, fmt, output, sources, min_growth, min_ratio, exit_zero, debug) -> None:
    """Compare heap snapshots of one process (oldest first): constructors and growing collections.

    Reads the `.heapsnapshot` files that Node (`v8.writeHeapSnapshot()`,
    `--heapsnapshot-signal`) and Chrome DevTools write. Exit codes: 0 nothing grew, 1 growth or
    findings, 2 an unreadable snapshot or another error.
    """
    if len(snapshots) < 2:
        raise click.UsageError("give two or more heap snapshots of the same process, oldest first")
    _needs_numpy()
    _exit_with(debug, lambda: _run_heap_diff(snapshots, fmt, output, sources, min_growth, min_ratio, exit_zero))


def _run_heap_diff(snapshots, fmt, output, sources, min_growth, min_ratio, exit_zero) -> int:
    from leaklint import api
    from leaklint.docs import load_docs
    from leaklint.semantic.model import environment_names
    from leaklint.settings import ConfigError, Settings, find_config, load_settings

    settings = Settings()
    checked: list[Path] = []
    if sources:
        try:
            cfg = find_config(Path.cwd())
            if cfg is not None:
                settings = load_settings(cfg, set(load_docs()), set(environment_names()))
        except ConfigError as e:
            click.echo(f"leaklint: config error: {e}", err=True)
            return EXIT_ERROR
        report = api.check_paths(sources, settings)
        checked = list(report.files)
    else:
        report = api.collect([], settings, 0)
    if (code := _add_heap(report, snapshots, checked, min_growth, min_ratio)) is not None:
        return code
    return _write(report, fmt, output, exit_zero)


def _progress_bar():
    """Progress on stderr, only when stderr is a terminal (rich)."""
    if not sys.stderr.isatty():
        return None
    from rich.console import Console
    from rich.progress import Progress

    state: dict = {}

    def update(done: int, total: int) -> None:
        if total < 50:
            return
        if "p" not in state:
            state["p"] = Progress(console=Console(stderr=True), transient=True)
            state["p"].start()
            state["t"] = state["p"].add_task("checking", total=total)
        state["p"].update(state["t"], completed=done)
        if done >= total:
            state["p"].stop()

    return update


@cli.command("rules")
@click.option("--format", "fmt", type=click.Choice(("text", "json")), default="text", show_default=True)
def rules_cmd(fmt: str) -> None:
    """List every rule."""
    import json

    from leaklint.docs import load_docs

    docs = load_docs()
    if fmt == "json":
        click.echo(json.dumps([{"id": m.id, "summary": m.summary, "severity": m.severity.value,
                                "precision": m.precision, "status": m.status, "tags": list(m.tags)}
                               for m in docs.values()], indent=2))
        return
    width = max(len(i) for i in docs)
    for m in docs.values():
        click.echo(f"{m.id:<{width}}  {m.severity.value:<7}  {m.summary}")


@cli.command("rule")
@click.argument("rule_id")
def rule_cmd(rule_id: str) -> None:
    """Show a rule's document."""
    from leaklint.docs import load_docs

    docs = load_docs()
    meta = docs.get(rule_id)
    if meta is None:
        raise click.UsageError(f"unknown rule id `{rule_id}`; known rules: {', '.join(docs)}")
    body = meta.markdown.strip() + "\n"
    if sys.stdout.isatty():
        from rich.console import Console
        from rich.markdown import Markdown

        Console().print(Markdown(body))
    else:
        click.echo(body, nl=False)


def _cache_folder(cache_dir: str | None, config_path: Path | None) -> Path:
    """Where the cache is: `--cache-dir`, else `.leaklint_cache` next to the config, else in the current folder."""
    from leaklint.cache import DEFAULT_DIR

    if cache_dir:
        return Path(cache_dir)
    return (config_path.parent if config_path else Path.cwd()) / DEFAULT_DIR


@cli.command("clean")
@click.option("--cache-dir", type=click.Path(file_okay=False),
              help="Cache location (default: as for check, .leaklint_cache next to the config, else in the current folder).")
def clean_cmd(cache_dir: str | None) -> None:
    """Delete the result cache."""
    import shutil

    from leaklint.cache import is_cache_dir
    from leaklint.settings import find_config

    folder = _cache_folder(cache_dir, None if cache_dir else find_config(Path.cwd()))
    if not folder.exists():
        click.echo(f"leaklint: no cache at {folder}", err=True)
        return
    if not is_cache_dir(folder):  # never delete a folder leaklint did not make
        click.echo(f"leaklint: {folder} is not a leaklint cache (no .gitignore of leaklint's in it); left alone",
                   err=True)
        sys.exit(EXIT_ERROR)
    shutil.rmtree(folder, ignore_errors=True)
    if folder.exists():
        click.echo(f"leaklint: could not delete all of {folder}", err=True)
        sys.exit(EXIT_ERROR)
    click.echo(f"leaklint: deleted {folder}", err=True)


@cli.command("lsp")
@click.option("--stdio", is_flag=True, help="Talk over standard input and output (the default).")
def lsp_cmd(stdio: bool) -> None:
    """Run the language server (needs the lsp extra: pip install 'leaklint[lsp]')."""
    try:
        from leaklint.lsp import serve
    except ModuleNotFoundError as e:
        if e.name and e.name.split(".")[0] in ("pygls", "lsprotocol"):
            click.echo("leaklint: the language server needs pygls: pip install 'leaklint[lsp]'", err=True)
            sys.exit(EXIT_ERROR)
        raise
    serve()


@cli.group("daemon")
def daemon_cmd() -> None:
    """A resident leaklint that answers `check --stdin-filename` for editors (see README)."""


_IDLE = click.option("--idle-timeout", type=click.FloatRange(min=0, min_open=True), default=60, show_default=True,
                     help="Exit after this many minutes without a request.")


@daemon_cmd.command("run")
@_IDLE
def daemon_run(idle_timeout: float) -> None:
    """Serve in the foreground (Ctrl-C stops it)."""
    import signal

    from leaklint import daemon

    def on_term(signum: int, frame: object) -> None:
        raise KeyboardInterrupt  # leave through `serve`'s clean-up: the socket file is removed

    signal.signal(signal.SIGTERM, on_term)
    path = daemon.socket_path()
    server = daemon.Server(path, idle_timeout * 60)
    try:
        server.serve(ready=lambda: click.echo(f"leaklint: daemon {os.getpid()} listening on {path}", err=True))
    except daemon.DaemonError as e:
        click.echo(f"leaklint: {e}", err=True)
        sys.exit(EXIT_ERROR)
    except KeyboardInterrupt:
        pass


@daemon_cmd.command("start")
@_IDLE
def daemon_start(idle_timeout: float) -> None:
    """Start the daemon in the background, unless it is running already."""
    import time

    from leaklint import daemon

    if (up := daemon.request("status")) is not None:
        click.echo(f"leaklint: daemon {up.get('pid')} already running", err=True)
        return
    try:
        child = daemon.start_in_background(idle_timeout)
    except (OSError, daemon.DaemonError) as e:
        click.echo(f"leaklint: cannot start the daemon: {e}", err=True)
        sys.exit(EXIT_ERROR)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if (up := daemon.request("status", timeout=1.0)) is not None:
            click.echo(f"leaklint: daemon {up.get('pid')} started", err=True)
            return
        if child.poll() is not None:
            break
        time.sleep(0.05)
    try:
        with open(daemon.log_path(), errors="replace") as fh:
            why = fh.read().strip()
    except OSError:
        why = ""
    click.echo(f"leaklint: the daemon did not start{': ' + why if why else ''}", err=True)
    sys.exit(EXIT_ERROR)


@daemon_cmd.command("stop")
def daemon_stop() -> None:
    """Stop the running daemon."""
    import time

    from leaklint import daemon

    if daemon.request("stop") is None:
        click.echo("leaklint: no daemon running", err=True)
        return
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and os.path.exists(daemon.socket_path()):
        time.sleep(0.02)
    click.echo("leaklint: daemon stopped", err=True)


@daemon_cmd.command("status")
def daemon_status() -> None:
    """Say whether the daemon is running (exit 0) or not (exit 1)."""
    from leaklint import daemon

    up = daemon.request("status")
    if up is None:
        click.echo("leaklint: no daemon running", err=True)
        sys.exit(EXIT_FINDINGS)
    click.echo(f"leaklint: daemon {up.get('pid')} running (leaklint {up.get('version')}, {up.get('path')})")


def main(argv: list[str] | None = None) -> None:
    cli(args=argv, prog_name="leaklint")


if __name__ == "__main__":
    main()
