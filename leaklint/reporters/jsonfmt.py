"""Stable, versioned JSON (`"version": 1`); keys sorted, indent 2.

Named `jsonfmt` so that it never shadows the standard library's `json`.
"""

from __future__ import annotations

import json
from collections import Counter
from typing import Any, TextIO

from leaklint.findings import Finding, Notification, Span
from leaklint.report import Report

SCHEMA_VERSION = 1


def _ends(span: Span) -> dict[str, Any]:
    return {"start": {"line": span.line, "column": span.column},
            "end": {"line": span.end_line, "column": span.end_column}}


def _finding(f: Finding) -> dict[str, Any]:
    return {
        "rule": f.rule_id,
        "message_id": f.message_id,
        "message": f.message,
        "hint": f.hint,
        "path": f.path,
        **_ends(f.span),
        "severity": f.severity.value,
        "confidence": f.confidence.value,
        "fingerprint": f.fingerprint,
        "related": [{"message": r.message, "path": f.path, **_ends(r.span)} for r in f.related],
    }


def _notification(n: Notification) -> dict[str, Any]:
    ends = _ends(n.span) if n.span else {"start": None, "end": None}
    return {"kind": n.kind.value, "path": n.path, "message": n.message, "level": n.level.value, **ends}


def to_dict(report: Report) -> dict[str, Any]:
    return {
        "version": SCHEMA_VERSION,
        "tool": {"name": "leaklint", "version": report.version},
        "findings": [_finding(f) for f in report.findings],
        "notifications": [_notification(n) for n in report.notifications],
        "summary": {
            "files": report.files_checked,
            "findings": len(report.findings),
            "by_rule": dict(Counter(f.rule_id for f in report.findings)),
        },
    }


def write(report: Report, out: TextIO) -> None:
    out.write(json.dumps(to_dict(report), indent=2, sort_keys=True) + "\n")
