"""The public API: the CLI, the language server and the tests all go through here."""

from __future__ import annotations

import errno
import os
import stat
import time
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterable

from leaklint import __version__
from leaklint.checker import cacheable, check_source, too_big
from leaklint.docs import load_docs
from leaklint.files import SourceFile, discover, source_type_context
from leaklint.findings import FileResult, Notification, NotificationKind, Severity
from leaklint.report import Report
from leaklint.rules import REGISTRY
from leaklint.settings import Settings

if TYPE_CHECKING:  # the cache is imported by the runs that use one: a check of stdin never does
    from leaklint.cache import Cache, Manifest


def _enabled(settings: Settings) -> tuple[str, ...]:
    return settings.enabled_rules(REGISTRY)


def check_text(
    source: str | bytes,
    path: str = "<stdin>.js",
    settings: Settings | None = None,
    report_unused: bool = False,
) -> FileResult:
    """Check one in-memory file (for editors and tests)."""
    settings = settings or Settings()
    raw = source.encode("utf-8") if isinstance(source, str) else source
    enabled = settings.rules_for(path, _enabled(settings))
    return check_source(raw, path, settings, enabled, report_unused, real_path=path)


def check_file(sf: SourceFile, settings: Settings, report_unused: bool = False, cache: Cache | None = None) -> FileResult:
    ready = _prepare(sf, settings)
    if isinstance(ready, FileResult):
        return ready
    raw, enabled = ready
    key = None
    if cache is not None:
        key = _cache_key(cache, sf, raw, enabled, report_unused)
        hit = cache.get(key)
        if hit is not None:
            return hit
    result = check_source(raw, sf.display, settings, enabled, report_unused, real_path=str(sf.path))
    if cache is not None and key is not None and cacheable(result):
        cache.put(key, result)
        if cache.disabled_reason:
            result.notifications.append(Notification(NotificationKind.CONFIG, sf.display, cache.disabled_reason,
                                                     Severity.NOTE))
    return result


def _cache_key(cache: Cache, sf: SourceFile, raw: bytes, enabled: tuple[str, ...], report_unused: bool) -> str:
    return cache.key(sf.display, raw, repr((enabled, report_unused, source_type_context(sf.path, sf.real))))


def _cached(sf: SourceFile, settings: Settings, report_unused: bool, cache: Cache, manifest: Manifest,
            seen: dict[str, tuple[os.stat_result, int, str]]) -> FileResult | None:
    """The result of `sf` when it needs no analysis: unchanged since the manifest saw it, in the
    cache, unreadable, or with no rule enabled. The file's status before it is read goes to
    `seen`, for the manifest to record with the result."""
    checked_ns = time.time_ns()  # before the file is looked at: see `Manifest.RACY_NS`
    try:
        st = os.stat(sf.path)
    except OSError:
        st = None
    if st is not None and stat.S_ISREG(st.st_mode):
        context = repr(source_type_context(sf.path, sf.real))
        hit = manifest.get(sf.display, st, context)
        if hit is not None:
            return hit
        seen[sf.display] = (st, checked_ns, context)
    ready = _prepare(sf, settings, st)
    if isinstance(ready, FileResult):
        return ready
    raw, enabled = ready
    return cache.get(_cache_key(cache, sf, raw, enabled, report_unused))


def _prepare(sf: SourceFile, settings: Settings,
             st: os.stat_result | None = None) -> tuple[bytes, tuple[str, ...]] | FileResult:
    """The file's bytes and the rules enabled for it, or its whole result when there is nothing to
    analyse. `st`: the file's status if the caller has just taken it."""
    enabled = settings.rules_for(sf.display, _enabled(settings))
    try:
        if st is None:
            st = os.stat(sf.path)
        if stat.S_ISDIR(st.st_mode):
            return FileResult(sf.display, notifications=[Notification(
                NotificationKind.UNREADABLE, sf.display, "is a directory, not a file", Severity.ERROR)])
        if not stat.S_ISREG(st.st_mode):
            return FileResult(sf.display, notifications=[Notification(
                NotificationKind.SKIPPED, sf.display, "not a regular file (FIFO, socket or device); not read")])
        if st.st_size > settings.max_file_size:  # not even read into memory
            return FileResult(sf.display, notifications=[too_big(sf.display, st.st_size, settings)])
        raw = sf.path.read_bytes()
    except OSError as e:
        if e.errno in (errno.ENOENT, errno.ELOOP):
            # found by discovery, gone now: a dangling or looping symbolic link in a folder, or a file
            # deleted during the run (named paths that do not resolve are errors of discovery)
            why = ("symbolic link loop" if e.errno == errno.ELOOP else
                   "broken symbolic link" if sf.path.is_symlink() else "file deleted during the run")
            return FileResult(sf.display, notifications=[Notification(
                NotificationKind.SKIPPED, sf.display, f"{why}; not checked")])
        return FileResult(sf.display, notifications=[Notification(
            NotificationKind.UNREADABLE, sf.display, f"cannot read: {e.strerror or e}", Severity.ERROR)])
    if not enabled:
        return FileResult(sf.display)
    return raw, enabled


def collect(results: Iterable[FileResult], settings: Settings, files_checked: int,
            extra_notes: list[Notification] | None = None,
            source_line: Callable[[str, int], str] | None = None) -> Report:
    findings, notes, suppressed = [], list(extra_notes or ()), []
    cache_notes: set[str] = set()
    for r in results:
        findings.extend(r.findings)
        suppressed.extend(r.suppressed)
        for n in r.notifications:
            if n.kind is NotificationKind.CONFIG and n.message.startswith("cache disabled"):
                if n.message in cache_notes:
                    continue  # one notification for the run, not one per file
                cache_notes.add(n.message)
                n = Notification(n.kind, "", n.message, n.level)
            notes.append(n)
    findings.sort(key=lambda f: f.sort_key)
    suppressed.sort(key=lambda f: f.sort_key)
    notes.sort(key=lambda n: n.sort_key)
    return Report(
        findings=findings,
        notifications=notes,
        files_checked=files_checked,
        rules=dict(load_docs()),
        enabled=_enabled(settings),
        root=Path.cwd(),
        source_line=source_line or _line_reader(),
        version=__version__,
        suppressed=suppressed,
    )


# below this many bytes to analyse, starting workers costs more than they save: on 2 CPUs, 150 KB
# of files took 0.180 s in one process and 0.190 s with two workers, 435 KB 0.244 s and 0.227 s
# (bench/README.md). An explicit `--jobs` is always obeyed.
PARALLEL_MIN_BYTES = 256 * 1024


def default_jobs() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


def _work_batch(args: tuple) -> list[FileResult]:
    """A worker's share: several small files, or one large one (see `_batches`)."""
    files, settings, report_unused, cache_dir = args
    from leaklint.cache import Cache

    cache = Cache(cache_dir, settings.cache_key()) if cache_dir is not None else None
    return [check_file(sf, settings, report_unused, cache) for sf in files]


def _batches(files: list[SourceFile], sizes: list[int], jobs: int) -> list[list[SourceFile]]:
    """Consecutive files (largest first) grouped into batches of about 1/64 of each worker's
    share of the bytes, 200 files at most. With one task per file the parent process, which
    hands out tasks and collects results on the workers' CPUs, cost the full corpus 3 s of CPU
    (12 s -> 10 s of wall time on 2 CPUs with batches); the large files stay alone and go
    first, so that none is left to finish on its own at the end."""
    target = max(1, sum(sizes) // (jobs * 64))
    out: list[list[SourceFile]] = []
    batch: list[SourceFile] = []
    weight = 0
    for sf, size in zip(files, sizes):
        batch.append(sf)
        weight += size
        if weight >= target or len(batch) >= 200:
            out.append(batch)
            batch, weight = [], 0
    if batch:
        out.append(batch)
    return out


def check_paths(
    paths: Iterable[str],
    settings: Settings | None = None,
    report_unused: bool = False,
    jobs: int | None = None,
    cache_dir: Path | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> Report:
    """Discover and check files and folders; missing paths become notifications.

    `jobs` > 1 checks files in a process pool; the report is the same whatever the number of
    workers. By default there is one worker per CPU, when the files to analyse are large enough
    to pay for starting them (`PARALLEL_MIN_BYTES`). `cache_dir` enables the per-file result cache.
    """
    settings = settings or Settings()
    errors: list[tuple[str, str]] = []
    files = discover(paths, settings.exclude_spec(), settings.base, settings.respect_gitignore, errors,
                     settings.force_exclude)
    notes = [Notification(NotificationKind.UNREADABLE, p, msg, Severity.ERROR) for p, msg in errors]
    chosen = jobs is not None
    jobs = default_jobs() if jobs is None else max(1, jobs)
    results: list[FileResult] = []
    todo = files
    cache: Cache | None = None
    manifest: Manifest | None = None
    seen: dict[str, tuple[os.stat_result, int, str]] = {}  # status of each file before it was read
    if cache_dir is not None:
        from leaklint.cache import Cache, Manifest

        cache = Cache(cache_dir, settings.cache_key())
        # hits are read here: an unchanged tree starts no worker and analyses nothing
        manifest = Manifest(cache, report_unused)
        todo = []
        for f in files:
            hit = _cached(f, settings, report_unused, cache, manifest, seen)
            if hit is None:
                todo.append(f)
            else:
                results.append(hit)
        if progress and results:
            progress(len(results), len(files))
    # biggest files first: one large file does not finish last on its own, and the largest trees
    # are built while the heap is still small (a lower peak than building them after many files)
    # a file the cache look-up has just stat'ed is not stat'ed again for its size
    sized = sorted(((f, seen[f.display][0].st_size if f.display in seen else _size(f.path)) for f in todo),
                   key=lambda t: -t[1])
    if jobs == 1 or len(todo) < 2 or (not chosen and sum(n for _, n in sized) < PARALLEL_MIN_BYTES):
        for f, _ in sized:
            results.append(check_file(f, settings, report_unused, cache))
            if progress:
                progress(len(results), len(files))
    else:
        from concurrent.futures import ProcessPoolExecutor

        batches = _batches([f for f, _ in sized], [n for _, n in sized], jobs)
        tasks = [(batch, settings, report_unused, cache_dir) for batch in batches]
        with ProcessPoolExecutor(max_workers=min(jobs, len(todo))) as pool:
            for batch_results in pool.map(_work_batch, tasks, chunksize=1):
                results.extend(batch_results)
                if progress:
                    progress(len(results), len(files))
    if manifest is not None:
        for r in results:
            status = seen.get(r.path)
            if status is not None and cacheable(r):
                manifest.record(r.path, *status, r)
        now = time.time_ns()
        manifest.save(now)
        cache.prune(now)
    report = collect(results, settings, len(files), notes)
    report.files = tuple(f.path for f in files)
    return report


def _size(p: Path) -> int:
    try:
        return p.stat().st_size
    except OSError:
        return 0


def _line_reader() -> Callable[[str, int], str]:
    """Reads source lines for code frames, each file once per report (no cache outlives the report,
    so a long-lived process neither keeps every file nor shows lines of an older version)."""
    cache: dict[str, list[str]] = {}

    def read_line(path: str, line: int) -> str:
        lines = cache.get(path)
        if lines is None:
            try:
                raw = Path(path).read_bytes()
            except OSError:
                raw = b""
            from leaklint.checker import decode_source, displayable_line
            from leaklint.syntax import LineIndex

            raw = decode_source(raw, path)[0] or b""  # the text the columns count in (no BOM, UTF-8)
            idx = LineIndex(raw)
            lines = cache[path] = [displayable_line(idx.line_text(i)) for i in range(1, idx.line_count + 1)]
        return lines[line - 1] if 0 < line <= len(lines) else ""

    return read_line
