"""Checking one file: decode, parse, bind, run the enabled rules, fingerprint, suppress."""

from __future__ import annotations

import codecs
import hashlib
import os
import time
import traceback
from dataclasses import replace

from leaklint.docs import load_docs
from leaklint.files import dialect_for, source_type_for
from leaklint.findings import FileResult, Finding, Notification, NotificationKind, Severity
from leaklint.rules import REGISTRY
from leaklint.rules.base import RuleContext
from leaklint.semantic.model import DEFAULT_ENVIRONMENTS, SemanticModel, known_globals
from leaklint.settings import Settings
from leaklint.suppression import apply as apply_suppressions, parse_directives
from leaklint.syntax import Dialect, LineIndex, first_error, parse

BINARY_SNIFF = 8000


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
    counts: dict[tuple[str, str, str], int] = {}
    out = []
    for f in sorted(findings, key=lambda f: f.sort_key):
        text = " ".join(lines.line_text(f.span.line).split())
        key = (f.rule_id, f.message_id, text)
        n = counts.get(key, 0)
        counts[key] = n + 1
        digest = hashlib.sha256(f"{f.rule_id}\0{f.message_id}\0{text}\0{n}".encode()).hexdigest()[:32]
        out.append(replace(f, fingerprint=digest))
    return out


def check_source(
    raw: bytes,
    path: str,
    settings: Settings,
    enabled: tuple[str, ...],
    report_unused: bool = False,
    real_path: str | None = None,
) -> FileResult:
    """Check one file's bytes. `path` is how it is reported; `real_path` locates package.json."""
    result = FileResult(path)
    if len(raw) > settings.max_file_size:
        result.notifications.append(Notification(
            NotificationKind.SKIPPED, path,
            f"file is {len(raw):,} bytes, over the {settings.max_file_size:,}-byte limit (max-file-size); not analysed"))
        return result
    source, notes = decode_source(raw, path)
    result.notifications.extend(notes)
    if source is None:
        return result
    dialect = dialect_for(path) or dialect_for(real_path or "") or Dialect.JS
    started = time.monotonic()
    parsed = parse(source, dialect, path)
    err = first_error(parsed.root)
    if err is not None:
        result.notifications.append(Notification(
            NotificationKind.PARSE_ERROR, path,
            "syntax error" + (" (missing " + err.type + ")" if err.is_missing else "")
            + "; analysed what could be parsed", Severity.WARNING, parsed.lines.node_span(err)))
    module_syntax = any(c.type in ("import_statement", "export_statement") for c in parsed.root.children)
    source_type = source_type_for(real_path or path, source, module_syntax)
    envs = DEFAULT_ENVIRONMENTS + settings.environments
    model = SemanticModel(parsed.root, source_type, known_globals(envs, settings.globals))
    docs = load_docs()
    findings: list[Finding] = []
    for rule_id in enabled:
        module = REGISTRY.get(rule_id)
        if module is None:
            continue
        if time.monotonic() - started > settings.timeout:
            result.notifications.append(Notification(
                NotificationKind.SKIPPED, path,
                f"time budget of {settings.timeout:g}s exceeded; rule `{rule_id}` and later rules not run"))
            break
        ctx = RuleContext(docs[rule_id], parsed, model, settings)
        try:
            module.check(ctx)
        except RecursionError:
            if strict_mode():
                raise
            result.notifications.append(Notification(
                NotificationKind.INTERNAL_ERROR, path, f"rule `{rule_id}` gave up: input nested too deeply"))
            continue
        except Exception as e:  # one rule's bug must not hide the other rules' findings
            if strict_mode():
                raise
            frame = traceback.extract_tb(e.__traceback__)[-1]
            result.notifications.append(Notification(
                NotificationKind.INTERNAL_ERROR, path,
                f"rule `{rule_id}` failed: {type(e).__name__}: {e} "
                f"({os.path.basename(frame.filename)}:{frame.lineno}); please report this", Severity.ERROR))
            continue
        findings.extend(ctx.findings)
    findings = fingerprint_findings(findings, parsed.lines)
    directives = parse_directives(model.comments, parsed.lines)
    kept, suppressed, notes = apply_suppressions(findings, directives, set(docs), path, parsed.lines,
                                                 report_unused, set(enabled))
    result.findings = sorted(kept, key=lambda f: f.sort_key)
    result.suppressed = sorted(suppressed, key=lambda f: f.sort_key)
    result.notifications.extend(notes)
    return result
