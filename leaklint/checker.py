"""Checking one file: decode, parse, bind, run the enabled rules, fingerprint, suppress."""

from __future__ import annotations

import codecs
import gc
import os
import re
import signal
import threading
import time
from contextlib import contextmanager
from dataclasses import replace
from typing import Callable, Iterator, TypeVar

from leaklint.docs import load_docs
from leaklint.files import dialect_for, source_type_of
from leaklint.findings import FileResult, Finding, Notification, NotificationKind, Severity
from leaklint.rules import REGISTRY
from leaklint.rules.base import RuleContext
from leaklint.semantic.model import DEFAULT_ENVIRONMENTS, SemanticModel, known_globals
from leaklint.settings import Settings
from leaklint.suppression import apply as apply_suppressions, parse_directives
from leaklint.syntax import Dialect, LineIndex, first_error, parse

BINARY_SNIFF = 8000
T = TypeVar("T")


def strict_mode() -> bool:
    """Raise instead of turning internal errors into notifications (the test suite sets this)."""
    return os.environ.get("LEAKLINT_STRICT", "") not in ("", "0")


def decode_source(raw: bytes, path: str) -> tuple[bytes | None, list[Notification]]:
    """Normalise a file's bytes to UTF-8 for the parser; None when it is not text at all."""
    notes: list[Notification] = []
    if raw.startswith(codecs.BOM_UTF8):
        return _valid_utf8(raw[len(codecs.BOM_UTF8):], path, notes), notes
    if raw.startswith(codecs.BOM_UTF16_LE) or raw.startswith(codecs.BOM_UTF16_BE):
        try:
            text = raw.decode("utf-16")
        except UnicodeDecodeError:
            text = raw.decode("utf-16", errors="replace")
            notes.append(Notification(NotificationKind.DECODE_ERROR, path,
                                      "invalid UTF-16; undecodable bytes were replaced"))
        notes.append(Notification(NotificationKind.DECODE_ERROR, path,
                                  "file is UTF-16; analysed after conversion to UTF-8", Severity.NOTE))
        return text.encode("utf-8"), notes
    if b"\x00" in raw[:BINARY_SNIFF]:
        notes.append(Notification(NotificationKind.SKIPPED, path, "binary file (contains NUL bytes); not analysed"))
        return None, notes
    return _valid_utf8(raw, path, notes), notes


def _valid_utf8(raw: bytes, path: str, notes: list[Notification]) -> bytes:
    try:
        raw.decode("utf-8")
        return raw
    except UnicodeDecodeError as e:
        lines = LineIndex(raw)
        notes.append(Notification(NotificationKind.DECODE_ERROR, path,
                                  f"invalid UTF-8 at byte {e.start}; analysed with the bad bytes replaced",
                                  Severity.WARNING, lines.span(e.start, e.start)))
        return raw.decode("utf-8", errors="replace").encode("utf-8")


def fingerprint_findings(findings: list[Finding], lines: LineIndex) -> list[Finding]:
    """Fingerprints that survive unrelated edits: rule, message id and the flagged line's text
    (whitespace-normalised), plus an ordinal among identical triples. No line numbers."""
    import hashlib  # here: a clean file, such as most an editor checks, never loads OpenSSL

    counts: dict[tuple[str, str, str], int] = {}
    out = []
    for f in sorted(findings, key=_findings_order):
        text = " ".join(lines.line_text(f.span.line).split())
        key = (f.rule_id, f.message_id, text)
        n = counts.get(key, 0)
        counts[key] = n + 1
        digest = hashlib.sha256(f"{f.rule_id}\0{f.message_id}\0{text}\0{n}".encode()).hexdigest()[:32]
        out.append(replace(f, fingerprint=digest))
    return out


class OverBudget(BaseException):
    """A file used up its time budget. A BaseException, so that no `except Exception` swallows it."""


TIME_BUDGET_MESSAGE = "analysis exceeded the time budget"


def _alarm_usable() -> bool:
    """SIGALRM can interrupt the check: POSIX, main thread, no interval timer already running, and
    a SIGALRM handler that Python can put back afterwards."""
    return (hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
            and signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0) and signal.getsignal(signal.SIGALRM) is not None)


def _within_budget(seconds: float, work: Callable[[Callable[[], None]], T]) -> T:
    """Run `work(check_clock)`, raising OverBudget once it has run for `seconds`.

    Where SIGALRM is usable a timer interrupts the work wherever it is; elsewhere (threads,
    Windows) the work calls `check_clock()` between its stages and the budget holds only there.
    The timer repeats after the deadline: Python drops an exception raised by a signal handler
    while a garbage-collector callback or a `__del__` runs, and one lost alarm must not let the
    work run on unbounded.
    """
    deadline = time.monotonic() + seconds

    def check_clock() -> None:
        if time.monotonic() > deadline:
            raise OverBudget

    if not _alarm_usable():
        return work(check_clock)

    def on_alarm(signum: int, frame: object) -> None:
        raise OverBudget

    previous = signal.signal(signal.SIGALRM, on_alarm)
    try:
        try:
            signal.setitimer(signal.ITIMER_REAL, seconds, 0.05)
            return work(check_clock)
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
    finally:
        signal.signal(signal.SIGALRM, previous)


def too_big(path: str, size: int, settings: Settings) -> Notification:
    return Notification(
        NotificationKind.SKIPPED, path,
        f"file is {size:,} bytes, over the {settings.max_file_size:,}-byte limit (max-file-size); not analysed")


def cacheable(result: FileResult) -> bool:
    """Whether a result depends only on the file's content and settings (not on the machine's speed
    or on an internal error), so that the result cache may keep it."""
    return not any(n.kind is NotificationKind.INTERNAL_ERROR
                   or (n.kind is NotificationKind.SKIPPED and n.message.startswith(TIME_BUDGET_MESSAGE))
                   for n in result.notifications)


def _internal_error(path: str, stage: str, e: BaseException) -> Notification:
    if isinstance(e, RecursionError):
        return Notification(NotificationKind.INTERNAL_ERROR, path, f"{stage} gave up: input nested too deeply")
    import traceback

    frame = traceback.extract_tb(e.__traceback__)[-1] if e.__traceback__ else None
    where = f" ({os.path.basename(frame.filename)}:{frame.lineno})" if frame else ""
    return Notification(NotificationKind.INTERNAL_ERROR, path,
                        f"{stage} failed: {type(e).__name__}: {e}{where}; please report this", Severity.ERROR)


@contextmanager
def _cyclic_gc_paused() -> Iterator[None]:
    """No cyclic garbage collection while one file is analysed. A model holds millions of objects
    for a large file, and each full collection walks them all (a quarter of the analysis of
    typescript.js, a sixth of a whole-corpus run); the model's cycles are broken by
    `SemanticModel.release` when its rules are done, so reference counting frees it, and the
    collector runs again between files for anything else."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def check_source(
    raw: bytes,
    path: str,
    settings: Settings,
    enabled: tuple[str, ...],
    report_unused: bool = False,
    real_path: str | None = None,
) -> FileResult:
    """Check one file's bytes. `path` is how it is reported; `real_path` locates package.json.

    Never raises for bad input: a file that is too big, not text, over its time budget or that
    trips an internal error gets a notification, and the other files' findings are unaffected.
    """
    result = FileResult(path)
    if len(raw) > settings.max_file_size:
        result.notifications.append(too_big(path, len(raw), settings))
        return result
    source, notes = decode_source(raw, path)
    result.notifications.extend(notes)
    if source is None:
        return result
    try:
        with _cyclic_gc_paused():
            return _within_budget(settings.timeout, lambda check_clock: _check(
                result, source, path, settings, enabled, report_unused, real_path, check_clock))
    except OverBudget:
        return FileResult(path, notifications=notes + [Notification(
            NotificationKind.SKIPPED, path,
            f"{TIME_BUDGET_MESSAGE} of {settings.timeout:g}s (timeout); not analysed")])
    except Exception as e:  # parsing or binding failed: this file only, never the whole run
        if strict_mode():
            raise
        return FileResult(path, notifications=notes + [_internal_error(path, "analysis", e)])


def _findings_order(f: Finding) -> tuple:
    """A total order, so that equal-looking findings come out (and get fingerprints) in one order."""
    s = f.span
    return (*f.sort_key, s.end_line, s.end_column, f.message_id,
            tuple((r.span.line, r.span.column, r.span.end_line, r.span.end_column, r.message) for r in f.related))


def _check(
    result: FileResult,
    source: bytes,
    path: str,
    settings: Settings,
    enabled: tuple[str, ...],
    report_unused: bool,
    real_path: str | None,
    check_clock: Callable[[], None],
) -> FileResult:
    dialect = dialect_for(path) or dialect_for(real_path or "") or Dialect.JS
    parsed = parse(source, dialect, path)
    err = first_error(parsed.root)
    if err is not None and dialect is Dialect.JS:
        # type annotations (Flow or TypeScript) in a JavaScript file: the TSX grammar may read it whole
        typed = parse(source, Dialect.TSX, path)
        if not typed.root.has_error:
            parsed, err = typed, None
            result.notifications.append(Notification(
                NotificationKind.PARSE_ERROR, path,
                "type annotations in a JavaScript file; parsed as TypeScript", Severity.NOTE))
    if err is not None:
        result.notifications.append(Notification(
            NotificationKind.PARSE_ERROR, path,
            "syntax error" + (" (missing " + err.type + ")" if err.is_missing else "")
            + "; analysed what could be parsed", Severity.WARNING, parsed.lines.node_span(err)))
    check_clock()
    source_type = source_type_of(parsed, real_path or path)
    envs = DEFAULT_ENVIRONMENTS + settings.environments
    model = SemanticModel(parsed, source_type, known_globals(envs, settings.globals))
    docs = load_docs()
    findings: list[Finding] = []
    for rule_id in enabled:
        module = REGISTRY.get(rule_id)
        if module is None:
            continue
        check_clock()
        ctx = RuleContext(docs[rule_id], parsed, model, settings)
        try:
            module.check(ctx)
        except Exception as e:  # one rule's bug must not hide the other rules' findings
            if strict_mode():
                raise
            result.notifications.append(_internal_error(path, f"rule `{rule_id}`", e))
            continue
        findings.extend(ctx.findings)
    findings = fingerprint_findings(findings, parsed.lines)
    # a directive names leaklint: a file that never does has none (and its comments are not looked for)
    directives = parse_directives(model.comments, parsed.lines) if b"leaklint" in parsed.source else []
    model.release()
    kept, suppressed, notes = apply_suppressions(findings, directives, set(docs), path, parsed.lines,
                                                 report_unused, set(enabled))
    # `unused-suppression` findings are made by the suppression stage: they need fingerprints too
    kept = [f for f in kept if f.fingerprint] + fingerprint_findings([f for f in kept if not f.fingerprint],
                                                                     parsed.lines)
    result.findings = sorted(map(_printable_finding, kept), key=_findings_order)
    result.suppressed = sorted(map(_printable_finding, suppressed), key=_findings_order)
    result.notifications.extend(replace(n, message=printable(n.message)) for n in notes)
    return result


# control characters, line breaks and bidirectional overrides ("Trojan Source"): the analysed code
# chooses the names and strings quoted in messages, and a report must not drive the terminal
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def printable(text: str) -> str:
    """`text` with characters that would act on a terminal or reorder the line shown as escapes."""
    if not _UNPRINTABLE.search(text):
        return text
    return _UNPRINTABLE.sub(lambda m: f"\\x{ord(m[0]):02x}" if ord(m[0]) < 0x100 else f"\\u{ord(m[0]):04x}", text)


_CODE_FRAME = {c: 0x2400 + c for c in range(0x20) if c != 0x09} | {0x7f: 0x2421} | {
    c: 0xFFFD for c in (*range(0x80, 0xA0), 0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A))}


def displayable_line(text: str) -> str:
    """A source line for a code frame: control characters shown as their symbols (`␛`), bidi
    controls as `�`; one character for one, so that columns still line up (tabs are kept)."""
    return text.translate(_CODE_FRAME)


def _printable_finding(f: Finding) -> Finding:
    if not (_UNPRINTABLE.search(f.message) or _UNPRINTABLE.search(f.hint)
            or any(_UNPRINTABLE.search(r.message) for r in f.related)):
        return f
    return replace(f, message=printable(f.message), hint=printable(f.hint),
                   related=tuple(replace(r, message=printable(r.message)) for r in f.related))
