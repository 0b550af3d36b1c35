"""The public API: the CLI, the language server and the tests all go through here."""

from __future__ import annotations

from pathlib import Path
from typing import Callable, Iterable

from leaklint import __version__
from leaklint.checker import check_source
from leaklint.docs import load_docs
from leaklint.files import SourceFile, discover
from leaklint.findings import FileResult, Notification, NotificationKind, Severity
from leaklint.report import Report
from leaklint.rules import REGISTRY
from leaklint.settings import Settings


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


def check_file(sf: SourceFile, settings: Settings, report_unused: bool = False) -> FileResult:
    enabled = settings.rules_for(sf.display, _enabled(settings))
    try:
        if sf.path.is_dir():
            return FileResult(sf.display, notifications=[Notification(
                NotificationKind.UNREADABLE, sf.display, "is a directory, not a file", Severity.ERROR)])
        raw = sf.path.read_bytes()
    except OSError as e:
        return FileResult(sf.display, notifications=[Notification(
            NotificationKind.UNREADABLE, sf.display, f"cannot read: {e.strerror or e}", Severity.ERROR)])
    if not enabled:
        return FileResult(sf.display)
    return check_source(raw, sf.display, settings, enabled, report_unused, real_path=str(sf.path))


def collect(results: Iterable[FileResult], settings: Settings, files_checked: int,
            extra_notes: list[Notification] | None = None,
            source_line: Callable[[str, int], str] | None = None) -> Report:
    findings, notes, suppressed = [], list(extra_notes or ()), []
    for r in results:
        findings.extend(r.findings)
        notes.extend(r.notifications)
        suppressed.extend(r.suppressed)
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
        source_line=source_line or _read_line,
        version=__version__,
        suppressed=suppressed,
    )


def check_paths(paths: Iterable[str], settings: Settings | None = None, report_unused: bool = False) -> Report:
    """Discover and check files and folders; missing paths become notifications."""
    settings = settings or Settings()
    errors: list[tuple[str, str]] = []
    files = discover(paths, settings.exclude_spec(), settings.base, settings.respect_gitignore, errors)
    notes = [Notification(NotificationKind.UNREADABLE, p, msg, Severity.ERROR) for p, msg in errors]
    results = [check_file(f, settings, report_unused) for f in files]
    return collect(results, settings, len(files), notes)


_LINE_CACHE: dict[str, list[str]] = {}


def _read_line(path: str, line: int) -> str:
    lines = _LINE_CACHE.get(path)
    if lines is None:
        try:
            raw = Path(path).read_bytes()
        except OSError:
            raw = b""
        from leaklint.syntax import LineIndex

        idx = LineIndex(raw)
        lines = [idx.line_text(i) for i in range(1, idx.line_count + 1)]
        _LINE_CACHE[path] = lines
    return lines[line - 1] if 0 < line <= len(lines) else ""
