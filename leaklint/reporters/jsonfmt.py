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
    out = {
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
    if f.evidence:
        out["evidence"] = f.evidence
    return out


def _notification(n: Notification) -> dict[str, Any]:
    ends = _ends(n.span) if n.span else {"start": None, "end": None}
    return {"kind": n.kind.value, "path": n.path, "message": n.message, "level": n.level.value, **ends}


def _heap(report: Report) -> dict[str, Any]:
    diff = report.heap
    assert diff is not None
    return {
        "snapshots": [{"path": s.path, "bytes": s.file_bytes, "nodes": s.nodes, "edges": s.edges,
                       "self_size": s.self_size} for s in diff.snapshots],
        "thresholds": {"min_growth": diff.thresholds.min_growth, "min_ratio": diff.thresholds.min_ratio},
        "constructors": [{"name": c.name, "count": [c.count_before, c.count_after], "count_delta": c.count_delta,
                          "self_size": [c.size_before, c.size_after], "self_size_delta": c.size_delta,
                          "new": c.new, "deleted": c.deleted} for c in diff.constructors],
        "growing": [{"kind": g.kind, "holder": g.holder, "label": g.label, "names": list(g.names),
                     "sizes": list(g.sizes), "unit": g.unit, "count": g.count, "node_id": g.node_id,
                     "retainer_path": list(g.path),
                     "origins": [{"script": o.script, "line": o.line, "column": o.column, "function": o.function}
                                 for o in g.origins],
                     "confirms": diff.links.get(i, [])} for i, g in enumerate(diff.growing)],
        "internal_left_out": diff.internal,
    }


def to_dict(report: Report) -> dict[str, Any]:
    out = {
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
    if report.heap is not None:
        out["heap"] = _heap(report)
    return out


def write(report: Report, out: TextIO) -> None:
    out.write(json.dumps(to_dict(report), indent=2, sort_keys=True) + "\n")
