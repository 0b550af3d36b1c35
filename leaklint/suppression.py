"""Inline suppressions, read from comment nodes only (never from strings that look like comments).

    // leaklint-disable-next-line RULE[, RULE] -- reason
    foo();  // leaklint-disable-line RULE
    /* leaklint-disable RULE */   ... to the end of the file, or to /* leaklint-enable RULE */

No rule ids means every rule. Unknown ids are reported; with `--report-unused-suppressions`,
directives that suppressed nothing are reported as `unused-suppression` findings.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

import tree_sitter as ts

from leaklint.findings import Finding, Notification, NotificationKind, Severity
from leaklint.syntax import LineIndex

_DIRECTIVE = re.compile(r"^leaklint-(disable-next-line|disable-line|disable|enable)(?=\s|$)(.*)$", re.S)
# what looks like a directive but is none (`leaklint-disable-nextline`): reported, not ignored
_NEAR_MISS = re.compile(r"^(leaklint-(?:disable|enable)\S*)")
KINDS = "leaklint-disable-next-line, leaklint-disable-line, leaklint-disable or leaklint-enable"
UNUSED_RULE_ID = "unused-suppression"


@dataclass(slots=True)
class Directive:
    kind: str  # disable-next-line | disable-line | disable | enable | malformed
    rules: tuple[str, ...]  # () = all rules
    line: int  # line of the comment
    end_line: int  # last line of the comment
    start_byte: int
    end_byte: int
    used: set[str] = field(default_factory=set)
    # for `disable`: the last line covered (inclusive) for every rule, set by an `enable` without
    # ids; and per rule, set by an `enable` that names it (`disable a, b` ... `enable a`)
    until: int | None = None
    until_rule: dict[str, int] = field(default_factory=dict)
    malformed: str | None = None  # a near-miss such as `leaklint-disable-nextline`


def parse_directives(comments: list[ts.Node], lines: LineIndex) -> list[Directive]:
    """Directives in comment order; malformed ones are kept with `malformed` set (they cover nothing)."""
    out: list[Directive] = []
    for c in comments:
        raw = (c.text or b"").decode("utf-8", "replace")
        if "leaklint-" not in raw:
            continue
        if raw.startswith("//"):
            body = raw[2:]
        elif raw.startswith("/*"):
            body = raw[2:-2] if raw.endswith("*/") else raw[2:]
        else:
            continue
        body = body.strip().lstrip("*").strip()
        line, end_line = lines.line_of(c.start_byte), lines.line_of(max(c.end_byte - 1, c.start_byte))
        m = _DIRECTIVE.match(body)
        if not m:
            near = _NEAR_MISS.match(body)
            if near:
                out.append(Directive("malformed", (), line, end_line, c.start_byte, c.end_byte,
                                     malformed=near.group(1)))
            continue
        kind, rest = m.group(1), m.group(2)
        rest = rest.split(" -- ", 1)[0].split("--", 1)[0] if "--" in rest else rest
        ids = tuple(r for r in re.split(r"[\s,]+", rest.strip()) if r)
        out.append(Directive(kind, ids, line, end_line, c.start_byte, c.end_byte))
    # close `disable` ranges with the matching `enable`
    open_: list[Directive] = []
    for d in out:
        if d.kind == "disable":
            open_.append(d)
        elif d.kind == "enable":
            for o in open_:
                if not d.rules:
                    o.until = d.line
                    continue
                for r in d.rules:
                    if not o.rules or r in o.rules:
                        o.until_rule.setdefault(r, d.line)
            # a range closed for every rule is done with
            open_ = [o for o in open_ if o.until is None and not (o.rules and set(o.rules) <= o.until_rule.keys())]
    return out


def _covers(d: Directive, line: int, rule_id: str) -> bool:
    if d.kind == "disable-next-line":
        return line == d.end_line + 1
    if d.kind == "disable-line":
        return d.line <= line <= d.end_line
    if d.kind == "disable":
        until = d.until_rule.get(rule_id, d.until)
        return line >= d.line and (until is None or line <= until)
    return False


def apply(
    findings: list[Finding],
    directives: list[Directive],
    known_rules: set[str],
    path: str,
    lines: LineIndex,
    report_unused: bool,
    enabled: set[str],
) -> tuple[list[Finding], list[Finding], list[Notification]]:
    """Split findings into (kept, suppressed); also returns notifications for unknown ids.

    With `report_unused`, unused directives are added to `kept` as `unused-suppression` findings.
    """
    if not directives:
        return findings, [], []
    kept: list[Finding] = []
    suppressed: list[Finding] = []
    # line directives by the lines they cover, so that a file with thousands of findings and
    # directives costs linear time; `disable` ranges are few and checked one by one
    by_line: dict[int, list[int]] = {}
    ranges: list[int] = []
    for i, d in enumerate(directives):
        if d.kind == "disable-next-line":
            by_line.setdefault(d.end_line + 1, []).append(i)
        elif d.kind == "disable-line":
            for line in range(d.line, d.end_line + 1):
                by_line.setdefault(line, []).append(i)
        elif d.kind == "disable":
            ranges.append(i)
    for f in findings:
        hit = None
        for i in sorted(by_line.get(f.span.line, []) + ranges):  # the first directive in the file wins
            d = directives[i]
            if not _covers(d, f.span.line, f.rule_id):
                continue
            if not d.rules or f.rule_id in d.rules:
                hit = d
                break
        if hit is None:
            kept.append(f)
        else:
            hit.used.add(f.rule_id)
            suppressed.append(replace(f, suppressed=True))
    notes: list[Notification] = []
    for d in directives:
        if d.malformed is not None:
            notes.append(Notification(NotificationKind.CONFIG, path, f"unknown directive `{d.malformed}`; expected {KINDS}",
                                      Severity.WARNING, lines.span(d.start_byte, d.end_byte)))
        for r in d.rules:
            if r not in known_rules and r != UNUSED_RULE_ID:
                notes.append(Notification(NotificationKind.CONFIG, path,
                                          f"unknown rule id `{r}` in leaklint-{d.kind} directive",
                                          Severity.WARNING, lines.span(d.start_byte, d.end_byte)))
    if report_unused:
        from leaklint.docs import load_docs

        meta = load_docs()[UNUSED_RULE_ID]
        for d in directives:
            if d.kind == "enable" or d.malformed is not None:
                continue
            if d.rules:
                unused = [r for r in d.rules if r in enabled and r not in d.used]
            else:
                unused = [] if d.used else ["*"]
            if not unused:
                continue
            label = "all rules" if unused == ["*"] else ", ".join(f"`{r}`" for r in unused)
            kept.append(Finding(
                rule_id=UNUSED_RULE_ID, message_id="unused",
                message=meta.messages["unused"].format(kind=d.kind, rules=label),
                hint=meta.hints.get("unused", ""), path=path, span=lines.span(d.start_byte, d.end_byte),
                severity=meta.severity, confidence=meta.confidence,
            ))
    return kept, suppressed, notes
