"""SARIF 2.1.0 for GitHub code scanning.

The log is built from sarif-om objects and turned into JSON data by `to_sarif` below rather than
by jschema_to_python, which drops every value equal to its schema default: an explicit
`"level": "warning"` would vanish, and a result without a level takes its rule's level instead.
(sarif-om also calls SARIF's `Suppression.status` `state`, which the schema rejects; it is
never set here.)
"""

from __future__ import annotations

import functools
import gzip
import json
import re
from pathlib import Path
from typing import Any, TextIO
from urllib.parse import quote

import attr
import sarif_om as om

from leaklint.docs import RuleMeta
from leaklint.findings import Finding, Notification, NotificationKind, Severity, Span
from leaklint.report import Report

SARIF_VERSION = "2.1.0"
SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://pypi.org/project/leaklint/"
FINGERPRINT_KEY = "leaklint/v1"
SRCROOT = "%SRCROOT%"
# GitHub code scanning rejects a run with more results, or a file bigger once gzip-compressed.
MAX_RESULTS = 25_000
MAX_GZIP_BYTES = 10_000_000
HEAP_GROWTH = "heap-growth"  # findings made from heap snapshots, not by a rule over source code
# GitHub's limit for rule short and full descriptions.
MAX_DESCRIPTION = 1024

# Properties written even when equal to the sarif-om default: a result without `level` takes
# the level of its rule's configuration, not "warning".
_ALWAYS_WRITTEN = frozenset({"level"})
_PROBLEM_SEVERITY = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.NOTE: "recommendation"}


@functools.cache
def _fields(cls: type) -> tuple[tuple[str, str, Any], ...]:
    """(attribute, SARIF property name, default) for each field of a sarif-om class."""
    return tuple(
        (f.name, f.metadata["schema_property_name"],
         f.default.factory() if isinstance(f.default, attr.Factory) else f.default)
        for f in attr.fields(cls)
    )


def to_sarif(value: Any) -> Any:
    """JSON data for a graph of sarif-om objects (plain dicts and lists may be mixed in).

    Attributes are named by their `schema_property_name` metadata. None means absent; a value
    equal to its sarif-om default (`rank: -1`, `language: "en-US"`, ...) adds nothing and is
    left out too, except for the properties in `_ALWAYS_WRITTEN`.
    """
    if attr.has(type(value)):
        out: dict[str, Any] = {}
        for field, name, default in _fields(type(value)):
            item = getattr(value, field)
            if item is None or (item == default and name not in _ALWAYS_WRITTEN):
                continue
            out[name] = to_sarif(item)
        return out
    if isinstance(value, dict):
        return {key: to_sarif(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [to_sarif(item) for item in value]
    return value


def camel_case(rule_id: str) -> str:
    return "".join(part[:1].upper() + part[1:] for part in re.split(r"[-_]", rule_id))


def _utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def clip(text: str, limit: int = MAX_DESCRIPTION) -> str:
    """`text` cut to at most `limit` UTF-16 code units, at a space when there is one, plus '…'."""
    if _utf16_len(text) <= limit:
        return text
    units, end = 1, 0  # one unit for the ellipsis
    for end, ch in enumerate(text):
        units += _utf16_len(ch)
        if units > limit:
            break
    cut = text[:end]
    head, space, _ = cut.rpartition(" ")
    return (head if space and head.strip() else cut).rstrip() + "…"


def root_uri(root: Path) -> str:
    uri = root.absolute().as_uri()
    return uri if uri.endswith("/") else uri + "/"


def _rule(meta: RuleMeta) -> om.ReportingDescriptor:
    return om.ReportingDescriptor(
        id=meta.id,
        name=camel_case(meta.id),
        short_description=om.MultiformatMessageString(text=clip(meta.summary)),
        full_description=om.MultiformatMessageString(text=clip(meta.full_description or meta.summary)),
        help=om.MultiformatMessageString(text=meta.plain_help or meta.summary, markdown=meta.markdown.strip()),
        default_configuration=om.ReportingConfiguration(level=meta.severity.value),
        properties={
            "tags": list(dict.fromkeys(meta.tags)),
            "precision": meta.precision,
            "problem.severity": _PROBLEM_SEVERITY[meta.severity],
        },
    )


def _location(path: str, span: Span | None, **extra: Any) -> om.Location:
    region = None
    if span:
        region = om.Region(start_line=span.line, start_column=span.column,
                           end_line=span.end_line, end_column=span.end_column)
    artifact = om.ArtifactLocation(uri=quote(path, safe="/"), uri_base_id=SRCROOT)
    return om.Location(physical_location=om.PhysicalLocation(artifact_location=artifact, region=region), **extra)


def _result(f: Finding, rule_index: dict[str, int], *, suppressed: bool) -> om.Result:
    related = [_location(f.path, r.span, id=i, message=om.Message(text=r.message))
               for i, r in enumerate(f.related, start=1)]
    properties: dict[str, Any] = {"confidence": f.confidence.value}
    level = f.severity.value
    if f.evidence and f.rule_id != HEAP_GROWTH:  # heap snapshots show the leak happening
        properties["confirmedByHeap"] = f.evidence
        level = "error"
    elif f.evidence:
        properties["heapEvidence"] = f.evidence
    return om.Result(
        rule_id=f.rule_id,
        rule_index=rule_index.get(f.rule_id),
        level=level,
        message=om.Message(text=f.message),
        locations=[_location(f.path, f.span)],
        related_locations=related or None,
        partial_fingerprints={FINGERPRINT_KEY: f.fingerprint} if f.fingerprint else None,
        properties=properties,
        suppressions=[om.Suppression(kind="inSource")] if suppressed else None,
    )


def _notification(kind: str, level: str, message: str, locations: list[om.Location] | None = None) -> om.Notification:
    return om.Notification(descriptor=om.ReportingDescriptorReference(id=kind), level=level,
                           message=om.Message(text=message), locations=locations)


def _tool_notification(n: Notification) -> om.Notification:
    return _notification(n.kind.value, n.level.value, n.message, [_location(n.path, n.span)] if n.path else None)


def _category(category: str) -> str:
    """GitHub reads `automationDetails.id` as "category/run-id": a bare name becomes the category."""
    return category if category.endswith("/") else category + "/"


def _log(report: Report, results: list[om.Result], notifications: list[om.Notification]) -> om.SarifLog:
    driver = om.ToolComponent(
        name="leaklint",
        version=report.version or None,
        information_uri=INFORMATION_URI,
        rules=[_rule(report.rules[rule_id]) for rule_id in sorted(report.rules)],
    )
    run = om.Run(
        tool=om.Tool(driver=driver),
        automation_details=om.RunAutomationDetails(id=_category(report.category)) if report.category else None,
        column_kind="utf16CodeUnits",
        original_uri_base_ids={SRCROOT: om.ArtifactLocation(uri=root_uri(report.root))},
        invocations=[om.Invocation(execution_successful=not report.errors, tool_execution_notifications=notifications or None)],
        results=results,
    )
    return om.SarifLog(schema_uri=SCHEMA_URI, version=SARIF_VERSION, runs=[run])


def _gzip_size(text: str) -> int:
    return len(gzip.compress(text.encode("utf-8"), compresslevel=6, mtime=0))


def _dumps(data: Any) -> str:
    return json.dumps(data, indent=2, sort_keys=True)


def _with_results(skeleton: str, results: list[str]) -> str:
    """`skeleton`, a dumped log whose run has `"results": []`, with the dumped `results` put in,
    laid out exactly as dumping the whole log would (results are dumped once, not per attempt)."""
    empty = '"results": []'
    if not results:
        return skeleton
    at = skeleton.index(empty)  # unique: quotes inside JSON strings are escaped
    outer = " " * (at - skeleton.rindex("\n", 0, at) - 1)
    pad = "\n" + outer + "  "
    items = ("," + pad).join(result.replace("\n", pad) for result in results)
    return f'{skeleton[:at]}"results": [{pad}{items}\n{outer}]{skeleton[at + len(empty):]}'


def render(report: Report, *, max_results: int = MAX_RESULTS, max_gzip_bytes: int = MAX_GZIP_BYTES) -> str:
    """The SARIF document. Active findings come first, then suppressed ones; when the upload
    limits are exceeded, the leading results that fit are kept and a `truncated` notification
    says how many were dropped."""
    index = {rule_id: i for i, rule_id in enumerate(sorted(report.rules))}
    found = [_result(f, index, suppressed=False) for f in report.findings]
    found += [_result(f, index, suppressed=True) for f in report.suppressed]
    results = [_dumps(to_sarif(result)) for result in found]
    notifications = [_tool_notification(n) for n in report.notifications]

    def document(kept: int) -> str:
        notes = list(notifications)
        if dropped := len(results) - kept:
            notes.append(_notification(
                NotificationKind.TRUNCATED.value, "warning",
                f"{dropped} of {len(results)} results were dropped to stay within GitHub code scanning's "
                f"upload limits ({max_results} results per run, {max_gzip_bytes} bytes gzip-compressed)"))
        return _with_results(_dumps(to_sarif(_log(report, [], notes))) + "\n", results[:kept])

    kept = min(len(results), max_results)
    text = document(kept)
    if _gzip_size(text) <= max_gzip_bytes:
        return text
    low, high = 0, kept - 1  # the largest count that fits lies in [low, high]
    while low < high:
        mid = (low + high + 1) // 2
        if _gzip_size(document(mid)) <= max_gzip_bytes:
            low = mid
        else:
            high = mid - 1
    return document(low)


def write(report: Report, out: TextIO) -> None:
    out.write(render(report))
