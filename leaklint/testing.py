"""Corpus annotations: expectations written on the line they check.

    seen.push(e);            // expect: growing-array
    // expect: uncleared-timer            (alone on its line: applies to the next code line)
    setInterval(poll, 1000);
    const t = setInterval(poll, 1000); clearInterval(t);   // ok: uncleared-timer
    x.on("a", f);            // todo-expect: listener-leak -- why it is missed today
    y.set(k, v);             // todo-ok: unbounded-cache -- why it is reported today
    // corpus: source-type=module, filename=app.tsx         (first comment only)

`expect: [COL] ID[, ID...] ["message substring"]`: exactly one finding of each id starts on the
target line (at that 1-based column when given). `ok: ID`: no such finding there.
`todo-expect: ID`: the finding is known to be missing (fails once it appears).
`todo-ok: ID`: a known false positive (fails once it disappears). Matching is all-or-nothing:
every finding needs an `expect` or `todo-ok`. Annotations are read from comment nodes only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from leaklint.findings import Finding
from leaklint.syntax import LineIndex, parse
from leaklint.files import dialect_for
from leaklint.syntax import Dialect

_ANNOT = re.compile(r"^\s*(expect|ok|todo-expect|todo-ok|corpus):\s*(.*)$", re.S)


@dataclass
class Annotation:
    kind: str
    rule_ids: tuple[str, ...]
    line: int  # target line
    column: int | None
    substring: str | None
    note: str
    comment_line: int


@dataclass
class CorpusFile:
    path: Path
    annotations: list[Annotation] = field(default_factory=list)
    options: dict[str, str] = field(default_factory=dict)


def _comment_body(raw: str) -> str:
    if raw.startswith("//"):
        return raw[2:]
    if raw.startswith("/*"):
        return raw[2:-2] if raw.endswith("*/") else raw[2:]
    return raw


def read_annotations(path: Path, source: bytes | None = None) -> CorpusFile:
    source = path.read_bytes() if source is None else source
    dialect = dialect_for(path) or Dialect.JS
    parsed = parse(source, dialect, str(path))
    lines = parsed.lines
    cf = CorpusFile(path)
    # comment nodes, via a cursor walk
    comments = []
    cursor = parsed.root.walk()
    stack_done = False
    while not stack_done:
        node = cursor.node
        if node.type == "comment":
            comments.append(node)
        if cursor.goto_first_child():
            continue
        while not cursor.goto_next_sibling():
            if not cursor.goto_parent():
                stack_done = True
                break
    code_lines = _code_lines(source, comments, lines)
    for c in comments:
        body = _comment_body((c.text or b"").decode("utf-8", "replace"))
        m = _ANNOT.match(body)
        if not m:
            continue
        kind, rest = m.group(1), m.group(2).strip()
        line = lines.line_of(c.start_byte)
        if kind == "corpus":
            for part in re.split(r"[,\s]+", rest):
                if "=" in part:
                    k, v = part.split("=", 1)
                    cf.options[k.strip()] = v.strip()
            continue
        alone = line not in code_lines
        target = line
        if alone:
            end_line = lines.line_of(max(c.end_byte - 1, c.start_byte))
            target = next((n for n in sorted(code_lines) if n > end_line), end_line + 1)
        note = ""
        if " -- " in rest:
            rest, note = rest.split(" -- ", 1)
        substring = None
        sm = re.search(r'"([^"]*)"', rest)
        if sm:
            substring = sm.group(1)
            rest = rest[: sm.start()] + rest[sm.end():]
        tokens = [t for t in re.split(r"[,\s]+", rest.strip()) if t]
        column = None
        if tokens and tokens[0].isdigit():
            column = int(tokens.pop(0))
        cf.annotations.append(Annotation(kind, tuple(tokens), target, column, substring, note.strip(), line))
    return cf


def _code_lines(source: bytes, comments, lines: LineIndex) -> set[int]:
    """Lines that hold something other than comments and white space."""
    mask = bytearray(source)
    for c in comments:
        for i in range(c.start_byte, c.end_byte):
            if mask[i] not in (10, 13):
                mask[i] = 32
    out = set()
    for n in range(1, lines.line_count + 1):
        start = lines.starts[n - 1]
        end = lines.starts[n] if n < lines.line_count else len(mask)
        if bytes(mask[start:end]).strip():
            out.add(n)
    return out


def match(cf: CorpusFile, findings: list[Finding], rule_ids: set[str] | None = None) -> list[str]:
    """Problems (empty when the file's findings and annotations agree in both directions)."""
    problems: list[str] = []
    remaining = list(findings)
    name = cf.path.name

    def take(rule: str, line: int, column: int | None, substring: str | None) -> Finding | None:
        for f in remaining:
            if f.rule_id == rule and f.span.line == line and (column is None or f.span.column == column) \
                    and (substring is None or substring in f.message):
                remaining.remove(f)
                return f
        return None

    for a in cf.annotations:
        for rule in a.rule_ids:
            if rule_ids is not None and rule not in rule_ids:
                continue
            if a.kind == "expect":
                if take(rule, a.line, a.column, a.substring) is None:
                    problems.append(f"{name}:{a.line}: expected {rule}"
                                    + (f" at column {a.column}" if a.column else "")
                                    + (f' with "{a.substring}"' if a.substring else "") + ", not reported")
            elif a.kind == "todo-ok":
                if take(rule, a.line, a.column, a.substring) is None:
                    problems.append(f"{name}:{a.line}: todo-ok {rule} no longer reported: make it `ok:`")
    for a in cf.annotations:
        for rule in a.rule_ids:
            if a.kind in ("ok", "todo-expect"):
                hit = [f for f in remaining if f.rule_id == rule and f.span.line == a.line]
                if hit:
                    word = "ok" if a.kind == "ok" else "todo-expect (now found: make it `expect:`)"
                    problems.append(f"{name}:{a.line}: {word} {rule}, but reported: {hit[0].message}")
                    for h in hit:
                        remaining.remove(h)
    for f in remaining:
        if rule_ids is not None and f.rule_id not in rule_ids:
            continue
        problems.append(f"{name}:{f.span.line}:{f.span.column}: unexpected {f.rule_id}: {f.message}")
    return problems
