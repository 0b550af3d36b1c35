"""Linking heap growth to the source: static findings that a growing collection confirms, and
`heap-growth` findings for growth that no finding explains.

A growing collection is matched to a finding by name and by file. Its name is the variable or
property that holds it (`auditTrail`, `acks`, the event of a listener array); a finding carries
the names of what it is about (`Finding.subjects`: the collection, target or event its message
names, not the function its reason names). Its file is the script
of the functions the snapshot ties to the holder (those defined in the module that declares the
variable, or the class of the object that has the property); a snapshot taken on a server
(`/srv/app/src/cache.js`) matches a checkout (`src/cache.js`) by the trailing path components.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import replace
from pathlib import Path
from urllib.parse import unquote, urlparse

from leaklint.docs import load_docs
from leaklint.findings import Finding, Span
from leaklint.heap.diff import Growth, HeapDiff

RULE_ID = "heap-growth"
_BACKTICKS = re.compile(r"`([^`]+)`")
_NAME = re.compile(r"[A-Za-z_$][\w$]*")


def finding_names(f: Finding) -> set[str]:
    """The identifiers of what a finding is about (`cache`, `this.acks`, `'message'`): its subjects,
    never the names in the reason it gives (a growing `handler` is not the `queue` of a finding
    that grows "on every call of `handler`"), and none when its rule's message has no subject (a
    timer). Only a finding no rule made gives the names its message quotes in backticks."""
    if f.subjects is not None:  # a value is a name (`cache`), or a description that quotes names ("field `a` of `B`")
        quoted = [q for s in f.subjects for q in (_BACKTICKS.findall(s) if "`" in s else [s])]
    else:
        quoted = _BACKTICKS.findall(f.message)
    return {name for text in quoted for name in _NAME.findall(text)}


def script_path(script: str) -> str:
    """A script name as a path: `file:///srv/app/a.mjs` -> `/srv/app/a.mjs`."""
    if script.startswith("file://"):
        return unquote(urlparse(script).path)
    return script


def _common_tail(a: str, b: str) -> int:
    """How many trailing path components two paths share."""
    pa, pb = Path(a).parts, Path(b).parts
    n = 0
    while n < min(len(pa), len(pb)) and pa[-1 - n] == pb[-1 - n]:
        n += 1
    return n


def file_score(growth: Growth, path: str, root: Path) -> int:
    """How well a finding's file matches the scripts of a growth: 0 for no match, more for a longer
    shared tail, most for the same absolute file."""
    best = 0
    absolute = (root / path).resolve()
    for origin in growth.origins:
        script = script_path(origin.script)
        if script.startswith("node:") or not script:
            continue
        if Path(script).is_absolute() and Path(script) == absolute:
            return 1000
        best = max(best, _common_tail(script, str(absolute)))
    return best


def _matches(growth: Growth, findings: list[Finding], root: Path) -> list[Finding]:
    """The findings about this growth: those naming its holder, in its file when the snapshot
    says which file; when several match, those that agree best."""
    if not growth.names:
        return []
    key = growth.names[-1]
    scored: list[tuple[tuple[int, int], Finding]] = []
    for f in findings:
        if f.rule_id == RULE_ID:
            continue
        names = finding_names(f)
        if key not in names:
            continue
        where = file_score(growth, f.path, root) if growth.origins else 0
        if growth.origins and not where:
            continue
        scored.append(((where, len(names & set(growth.names))), f))
    if not scored:
        return []
    best = max(score for score, _ in scored)
    return [f for score, f in scored if score == best]


def evidence(growth: Growth) -> str:
    sizes = " → ".join(f"{n:,}" for n in growth.sizes)
    return f"{growth.kind} `{growth.holder}` grew {sizes} {growth.unit} across {len(growth.sizes)} heap snapshots"


def link(diff: HeapDiff, findings: list[Finding], root: Path | None = None,
         sources: list[Path] | None = None) -> tuple[list[Finding], list[Finding]]:
    """(`findings` with the confirmed ones carrying evidence, `heap-growth` findings).

    `sources` are the checked files: a growth that no finding explains is placed at the
    declaration of its variable when one of them declares it, else where the snapshot says."""
    root = root or Path.cwd()
    confirmed: dict[int, list[str]] = {}
    unexplained: list[Growth] = []
    for i, growth in enumerate(diff.growing):
        matched = _matches(growth, findings, root)
        if not matched:
            unexplained.append(growth)
            continue
        diff.links[i] = []
        for f in matched:
            confirmed.setdefault(id(f), []).append(evidence(growth))
            diff.links[i].append(f"{f.path}:{f.span.line}:{f.span.column}: {f.rule_id}")
    out = [replace(f, evidence="; ".join(confirmed[id(f)])) if id(f) in confirmed else f for f in findings]
    return out, [growth_finding(g, root, sources or []) for g in unexplained]


def growth_finding(growth: Growth, root: Path, sources: list[Path]) -> Finding:
    meta = load_docs()[RULE_ID]
    path, span = _location(growth, root, sources)
    data = {"holder": growth.holder, "kind": growth.kind, "before": f"{growth.sizes[0]:,}",
            "after": f"{growth.sizes[-1]:,}", "unit": growth.unit, "snapshots": len(growth.sizes)}
    message_id = "grows"
    return Finding(
        rule_id=RULE_ID,
        message_id=message_id,
        message=meta.messages[message_id].format(**data),
        hint=meta.hints.get(message_id, "").format(**data),
        path=path,
        span=span,
        severity=meta.severity,
        confidence=meta.confidence,
        fingerprint=hashlib.sha256(f"{RULE_ID}\0{growth.kind}\0{growth.holder}".encode()).hexdigest()[:32],
        evidence=evidence(growth),
    )


def _location(growth: Growth, root: Path, sources: list[Path]) -> tuple[str, Span]:
    """The declaration of the holder's variable in its file, else the first function the snapshot
    ties to the holder; `(heap)` when the snapshot gives no file that is here."""
    from leaklint.files import display_path

    for origin in growth.origins:
        path = _source_file(script_path(origin.script), root, sources)
        if path is None:
            continue
        span = declaration(path, growth.names[0]) if growth.holder.startswith("(module) ") else None
        return display_path(path), span or Span(origin.line, origin.column, origin.line, origin.column)
    return "(heap)", Span(1, 1, 1, 1)


def _source_file(script: str, root: Path, sources: list[Path]) -> Path | None:
    """The checked file that best matches a script name, else the script itself if it exists here."""
    if not script or script.startswith("node:"):
        return None
    same = [s for s in sources if s.name == Path(script).name]
    if same:
        return max(same, key=lambda s: _common_tail(script, str((root / s).resolve())))
    path = Path(script)
    return path if path.is_absolute() and path.is_file() else None


def declaration(path: Path, name: str) -> Span | None:
    """Where a module-level variable is declared in a source file, or None."""
    from leaklint.checker import decode_source
    from leaklint.files import dialect_for, source_type_of
    from leaklint.semantic.model import (
        DEFAULT_ENVIRONMENTS,
        SemanticModel,
        known_globals,
    )
    from leaklint.syntax import Dialect, parse

    try:
        raw = path.read_bytes()
    except OSError:
        return None
    source = decode_source(raw, str(path))[0]
    if source is None:
        return None
    parsed = parse(source, dialect_for(path) or Dialect.JS, str(path))
    model = SemanticModel(parsed, source_type_of(parsed, path), known_globals(DEFAULT_ENVIRONMENTS, ()))
    for binding in model.bindings():
        if binding.name == name and binding.node is not None and model.is_module_level(binding):
            return parsed.lines.node_span(binding.node)
    return None
