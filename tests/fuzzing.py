"""Generators and properties for fuzzing the analyzer (used by tests/test_fuzz.py and scripts/fuzz.py).

Two sources of input:

* mutated corpus files: a seed (every file under `corpus/`, plus any files named in the
  `LEAKLINT_FUZZ_SEEDS` list file) cut, spliced, duplicated, re-encoded and sprinkled with tokens
  and raw bytes;
* grammar-shaped programs: random statements and expressions built from the constructs the rules
  and the semantic model look at (timers, listeners, collections, classes, exports, JSX, types),
  and single statements nested hundreds of levels deep (recursion and quadratic walks).

Properties:

* `check_never_raises`: no exception escapes `check_text` (the suite runs with LEAKLINT_STRICT=1,
  so a rule's internal error is an exception too), and every finding is well formed;
* `check_stable_under_edits`: inserting blank lines and comment lines before statements moves
  findings down by the number of lines inserted and keeps their rule ids, messages and fingerprints.
"""

from __future__ import annotations

import codecs
import os
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from hypothesis import strategies as st

from leaklint.api import check_text
from leaklint.checker import decode_source
from leaklint.files import dialect_for
from leaklint.findings import FileResult
from leaklint.settings import Settings
from leaklint.syntax import EXTENSIONS, LineIndex, parse, walk

ROOT = Path(__file__).resolve().parent.parent
MAX_SEED_BYTES = 24_000
SEEDS_ENV = "LEAKLINT_FUZZ_SEEDS"
FILENAMES = ("fuzz.js", "fuzz.mjs", "fuzz.cjs", "fuzz.jsx", "fuzz.ts", "fuzz.tsx", "fuzz.mts", "fuzz.cts")
SETTINGS = Settings()


def _seed_paths() -> list[Path]:
    paths = sorted(p for p in (ROOT / "corpus").rglob("*") if p.suffix in EXTENSIONS and p.is_file())
    extra = os.environ.get(SEEDS_ENV)
    if extra:
        paths += [Path(line.strip()) for line in Path(extra).read_text().splitlines() if line.strip()]
    return paths


def load_seeds() -> list[tuple[str, bytes]]:
    """(file name, content) of every seed small enough to mutate quickly."""
    seeds = []
    for p in _seed_paths():
        try:
            raw = p.read_bytes()
        except OSError:
            continue
        if len(raw) <= MAX_SEED_BYTES:
            seeds.append((p.name, raw))
    return seeds


# --- mutated corpus files --------------------------------------------------------------------------

TOKENS = (
    "{", "}", "(", ")", "[", "]", ";", ",", ".", "=>", "=", "+=", "?.", "??=", "...", ":", "?", "<", ">", "/",
    "`", "${", "'", '"', "/*", "*/", "//", "\n", "\r\n", "\r", "\t", " ", "\u2028", "\ufeff", "é", "😀",
    "function", "function*", "async ", "await ", "yield ", "class ", "extends ", "static ", "get ", "new ",
    "return ", "var ", "let ", "const ", "using ", "if (x) ", "else ", "for (;;) ", "for (const k in o) ",
    "while (a) ", "do ", "try {} catch (e) {}", "switch (a) { case 1: }", "with (o) ", "delete ", "typeof ",
    "this", "super", "arguments", "module.exports = ", "exports.x = ", "export default ", "export ",
    "import x from 'y';", "import('z')", "require('fs')", "'use strict';", "#private", "@decorator ",
    "setInterval(() => {}, 10)", "setTimeout(f, 1)", "clearInterval(t)", "requestAnimationFrame(f)",
    "window.addEventListener('resize', h)", "el.removeEventListener('x', h)", "emitter.on('data', cb)",
    "socket.emit('ev', data, (ack) => {})", "cache.set(k, v)", "cache.delete(k)", "list.push(x)",
    "new Map()", "new Set()", "new WeakMap()", "globalThis.x = 1", "window.store = []", "leak = 1",
    "useEffect(() => { const id = setInterval(f); }, [])", "<div onClick={f}>", "</div>", "<A />", "<>",
    ": number", " as any", "<T>", "interface I { a: string }", "type T = {}", "enum E { A }",
    "declare global { var g: any }", "namespace N {}", "!", "satisfies T",
    "// leaklint-disable-next-line", "// leaklint-disable-line growing-array", "/* leaklint-disable */",
    "/* leaklint-enable */", "// leaklint-disable-next-line no-such-rule -- why", "// expect: growing-array",
)

RAW_BYTES = (b"\x00", b"\xff", b"\xfe", b"\xc3", b"\xe2\x82", b"\xf0\x9f\x98", b"\x80", b"\xed\xa0\x80",
             b"\x1b", b"\x0c", b"\x0b")


@st.composite
def mutated_source(draw: st.DrawFn, seeds: list[tuple[str, bytes]]) -> tuple[str, bytes]:
    name, raw = draw(st.sampled_from(seeds))
    data = bytearray(raw)
    for _ in range(draw(st.integers(0, 6))):
        kind = draw(st.sampled_from(("delete", "duplicate", "token", "bytes", "swap", "truncate", "splice")))
        n = len(data)
        i = draw(st.integers(0, n))
        j = min(n, i + draw(st.integers(0, 80)))
        if kind == "delete":
            del data[i:j]
        elif kind == "duplicate":
            data[i:i] = data[i:j]
        elif kind == "token":
            data[i:i] = draw(st.sampled_from(TOKENS)).encode()
        elif kind == "bytes":
            data[i:i] = draw(st.sampled_from(RAW_BYTES))
        elif kind == "swap":
            k = draw(st.integers(0, n))
            a, b = sorted((i, k))
            data[:] = data[:a] + data[b:] + data[a:b]
        elif kind == "truncate":
            del data[i:]
        elif kind == "splice":
            _, other = draw(st.sampled_from(seeds))
            k = draw(st.integers(0, len(other)))
            data[i:i] = other[k:k + draw(st.integers(1, 400))]
    out = bytes(data)
    encoding = draw(st.sampled_from(("as-is", "as-is", "as-is", "crlf", "cr", "bom", "utf-16")))
    if encoding == "crlf":
        out = out.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")
    elif encoding == "cr":
        out = out.replace(b"\r\n", b"\n").replace(b"\n", b"\r")
    elif encoding == "bom":
        out = codecs.BOM_UTF8 + out
    elif encoding == "utf-16":
        out = codecs.BOM_UTF16_LE + out.decode("utf-8", "replace").encode("utf-16-le")
    filename = draw(st.sampled_from((name,) + FILENAMES))
    if dialect_for(filename) is None:
        filename = "fuzz.js"
    return filename, out


# --- grammar-shaped programs -----------------------------------------------------------------------

NAMES = ("a", "b", "cache", "list", "items", "emitter", "bus", "timer", "id", "handler", "el", "socket", "app",
         "state", "store", "x", "k", "v", "e", "cb", "data", "leak", "self", "window", "global", "globalThis",
         "document", "process", "module", "exports", "setInterval", "setTimeout", "clearInterval", "Map",
         "Set", "WeakMap", "arguments", "require", "React", "useEffect", "io", "server", "http")
METHODS = ("on", "once", "off", "addEventListener", "removeEventListener", "addListener", "removeListener",
           "push", "unshift", "splice", "pop", "shift", "set", "get", "delete", "clear", "add", "has", "emit",
           "subscribe", "unsubscribe", "get", "post", "use", "listen", "createServer", "then", "map",
           "setInterval", "setTimeout", "clearTimeout", "destroy", "close", "length", "size", "prototype")
STRINGS = ("'data'", "'message'", "'resize'", "'/'", "'/api'", "'connection'", "\"ev\"", "`t`", "`x${a}y`", "''")


@cache
def _ident() -> st.SearchStrategy[str]:
    return st.sampled_from(NAMES)


@cache
def _expression(depth: int) -> st.SearchStrategy[str]:
    leaf = st.one_of(
        _ident(), st.sampled_from(STRINGS),
        st.sampled_from(("0", "1", "1000", "null", "undefined", "true", "this", "[]", "{}", "new Map()",
                         "new Set()", "/re/g", "this.items", "x.y.z")),
    )
    if depth <= 0:
        return leaf
    sub = st.deferred(lambda: _expression(depth - 1))
    args = st.lists(sub, max_size=3).map(", ".join)
    body = st.deferred(lambda: _block(depth - 1))
    return st.one_of(
        leaf,
        st.tuples(sub, st.sampled_from(METHODS)).map(lambda t: f"{t[0]}.{t[1]}"),
        st.tuples(sub, st.sampled_from(METHODS), args).map(lambda t: f"{t[0]}.{t[1]}({t[2]})"),
        st.tuples(_ident(), args).map(lambda t: f"{t[0]}({t[1]})"),
        st.tuples(st.sampled_from(("Map", "Set", "WeakMap", "EventEmitter", "Worker", "MutationObserver",
                                   "Store", "C")), args).map(lambda t: f"new {t[0]}({t[1]})"),
        st.tuples(sub, sub).map(lambda t: f"{t[0]}[{t[1]}]"),
        st.tuples(sub, st.sampled_from(("=", "+=", "||=", "??=")), sub).map(lambda t: f"{t[0]} {t[1]} {t[2]}"),
        st.tuples(sub, st.sampled_from(("+", "&&", "??", "===", ",", "instanceof")), sub)
        .map(lambda t: f"({t[0]} {t[1]} {t[2]})"),
        st.tuples(st.lists(_ident(), max_size=2).map(", ".join), body).map(lambda t: f"({t[0]}) => {t[1]}"),
        st.tuples(_ident(), sub).map(lambda t: f"{t[0]} => {t[1]}"),
        st.tuples(st.sampled_from(("function", "async function", "function*")), body)
        .map(lambda t: f"{t[0]} ({'e'}) {t[1]}"),
        st.lists(sub, max_size=3).map(lambda xs: "[" + ", ".join(xs) + "]"),
        st.lists(st.tuples(_ident(), sub), max_size=3)
        .map(lambda ps: "{" + ", ".join(f"{k}: {v}" for k, v in ps) + "}"),
        st.tuples(sub, sub, sub).map(lambda t: f"({t[0]} ? {t[1]} : {t[2]})"),
        sub.map(lambda e: f"`a${{{e}}}b`"),
        sub.map(lambda e: f"(await {e})"),
        sub.map(lambda e: f"({e} as any)"),
        st.tuples(st.sampled_from(("div", "App", "span")), sub).map(lambda t: f"<{t[0]} onClick={{{t[1]}}} />"),
        st.deferred(lambda: _class(depth - 1)),
    )


@cache
def _class(depth: int) -> st.SearchStrategy[str]:
    expr = _expression(depth)
    body = _block(depth)
    member = st.one_of(
        st.tuples(st.sampled_from(("constructor", "start", "stop", "handle", "get", "static init", "async run")),
                  body).map(lambda t: f"{t[0]}() {t[1]}"),
        st.tuples(st.sampled_from(("items", "#cache", "static registry", "timer", "handler")), expr)
        .map(lambda t: f"{t[0]} = {t[1]};"),
        body.map(lambda b: f"static {b}"),
    )
    return st.tuples(st.sampled_from(("C", "Store", "")), st.lists(member, max_size=4)).map(
        lambda t: f"class {t[0]} {{ " + " ".join(t[1]) + " }")


@cache
def _statement(depth: int) -> st.SearchStrategy[str]:
    expr = _expression(max(0, depth - 1))
    simple = st.one_of(
        expr.map(lambda e: f"{e};"),
        st.tuples(st.sampled_from(("var", "let", "const")), _ident(), expr).map(lambda t: f"{t[0]} {t[1]} = {t[2]};"),
        expr.map(lambda e: f"return {e};"),
        st.sampled_from(("'use strict';", "break;", "continue;", "debugger;", ";", "import x from 'y';",
                         "import { a as b } from 'c';", "export { a };", "const { a, ...rest } = b;",
                         "const [p, q = 1] = list;", "// a comment", "/* block */", "label: x;",
                         "interface I<T> { a: T; m(): void }", "type U = { [k: string]: number } | null;",
                         "enum E { A, B = 2 }", "declare const g: Map<string, number>;",
                         "declare global { var cache: Map<string, any>; }", "import fs = require('fs');",
                         "export = cache;", "abstract class A { abstract m(): void; private x?: number; }",
                         "@sealed class Dec { @watch() prop = []; }", "declare module 'm' { export const v: 1; }")),
    )
    if depth <= 0:
        return simple
    body = st.deferred(lambda: _block(depth - 1))
    return st.one_of(
        simple,
        st.tuples(expr, body).map(lambda t: f"if ({t[0]}) {t[1]}"),
        st.tuples(expr, body, body).map(lambda t: f"if ({t[0]}) {t[1]} else {t[2]}"),
        st.tuples(_ident(), expr, body).map(lambda t: f"for (const {t[0]} of {t[1]}) {t[2]}"),
        st.tuples(_ident(), body).map(lambda t: f"for (var {t[0]} = 0; {t[0]} < 9; {t[0]}++) {t[1]}"),
        st.tuples(expr, body).map(lambda t: f"while ({t[0]}) {t[1]}"),
        st.tuples(_ident(), st.lists(_ident(), max_size=2).map(", ".join), body)
        .map(lambda t: f"function {t[0]}({t[1]}) {t[2]}"),
        st.tuples(body, body).map(lambda t: f"try {t[0]} catch (e) {t[1]} finally {{}}"),
        st.tuples(expr, body).map(lambda t: f"switch ({t[0]}) {{ case 1: {t[1]} default: }}"),
        st.deferred(lambda: _class(depth - 1)).map(lambda c: c if c.startswith("class  ") else c + ";"),
        st.tuples(st.sampled_from(("export ", "export default ", "module.exports = ", "exports.f = ")),
                  st.tuples(_ident(), body).map(lambda t: f"function {t[0]}() {t[1]}"))
        .map(lambda t: t[0] + t[1]),
        st.tuples(expr, body).map(lambda t: f"with ({t[0]}) {t[1]}"),
        body,
    )


@cache
def _block(depth: int) -> st.SearchStrategy[str]:
    return st.lists(st.deferred(lambda: _statement(depth)), max_size=4).map(lambda ss: "{ " + "\n".join(ss) + " }")


@st.composite
def grammar_program(draw: st.DrawFn, max_depth: int = 3) -> tuple[str, bytes]:
    statements = draw(st.lists(_statement(max_depth), min_size=1, max_size=8))
    return draw(st.sampled_from(FILENAMES)), "\n".join(statements).encode("utf-8")


# statement wrappers for deeply nested programs: each opens a body that holds the next one
WRAPPERS = (
    ("f(function () { ", " });"), ("f(() => { ", " });"), ("{ ", " }"), ("if (a) { ", " } else {}"),
    ("x = [function () { ", " }];"), ("class C { m() { ", " } }"), ("el.on('x', () => { ", " });"),
    ("setInterval(() => { ", " }, 10);"), ("module.exports = function () { ", " };"), ("const o = { m() { ", " } };"),
    ("try { ", " } catch (e) {}"), ("for (const k of ks) { ", " }"), ("new Promise((r) => { ", " });"),
    ("export function g() { ", " }"), ("useEffect(() => { ", " }, []);"), ("(function () { ", " })();"),
    ("x = `${(() => { ", " })()}`;"), ("namespace N { ", " }"), ("switch (a) { case 1: ", " }"),
    ("label: while (a) { ", " }"), ("async function* g() { ", " }"), ("class D { static { ", " } }"),
)
INNERMOST = ("leak = 1;", "cache.set(k, v);", "list.push(x);", "setInterval(f, 1);", "this.items.push(x);",
             "window.addEventListener('r', h);", "socket.emit('e', d, (a) => {});", "memo[k] = v;", "return;")


@st.composite
def nested_program(draw: st.DrawFn, max_depth: int = 300) -> tuple[str, bytes]:
    """One statement nested up to `max_depth` levels deep in functions, blocks, classes and callbacks."""
    wrappers = draw(st.lists(st.sampled_from(WRAPPERS), min_size=1, max_size=max_depth))
    inner = draw(st.sampled_from(INNERMOST))
    src = "".join(w[0] for w in wrappers) + inner + "".join(w[1] for w in reversed(wrappers))
    return draw(st.sampled_from(FILENAMES)), src.encode("utf-8")


def any_source(seeds: list[tuple[str, bytes]]) -> st.SearchStrategy[tuple[str, bytes]]:
    return st.one_of(mutated_source(seeds), grammar_program(), nested_program())


# --- properties ------------------------------------------------------------------------------------


def check_never_raises(filename: str, raw: bytes) -> FileResult:
    """Analyse and check that the result is well formed; any exception is a bug."""
    result = check_text(raw, filename, SETTINGS, report_unused=True)
    source = decode_source(raw, filename)[0]
    lines = LineIndex(source) if source is not None else None
    for f in result.findings + result.suppressed:
        s = f.span
        assert lines is not None, "findings in a file that was not analysed"
        assert 1 <= s.line <= s.end_line <= lines.line_count, f
        assert s.column >= 1 and s.end_column >= 1 and (s.end_line > s.line or s.end_column >= s.column), f
        assert f.fingerprint and f.message and f.path == filename, f
    keys = [f.sort_key for f in result.findings]
    assert keys == sorted(keys)
    return result


@dataclass(frozen=True)
class Edit:
    """Insert `text` (whole lines) at the start of 1-based line `line`."""

    line: int
    text: str


EDIT_TEXTS = ("\n", "\n\n", "// an unrelated note\n", "/* a block\n   comment */\n", "\t\n", "  // indented\n")


def edit_points(filename: str, source: bytes) -> list[int]:
    """Lines where a whole line can be inserted without changing the program: lines that begin
    (after indentation) with a statement, in a file that parses without error."""
    dialect = dialect_for(filename)
    assert dialect is not None
    parsed = parse(source, dialect)
    if parsed.root.has_error:
        return []
    lines = parsed.lines
    points: set[int] = set()
    for node in walk(parsed.root):
        t = node.type
        if not node.is_named or not t.endswith(("_statement", "_declaration")):
            continue
        line = lines.line_of(node.start_byte)
        start = lines.starts[line - 1]
        if source[start:node.start_byte].strip(b" \t") == b"":
            points.add(line)
    return sorted(points)


def apply_edits(source: bytes, edits: list[Edit]) -> bytes:
    lines = LineIndex(source)
    out = bytearray(source)
    for e in sorted(edits, key=lambda e: e.line, reverse=True):
        at = lines.starts[e.line - 1]
        text = e.text.encode()
        if source[at - 1:at] == b"\r":  # after a lone CR a bare LF would only complete that line break
            text = text.replace(b"\n", b"\r\n")
        out[at:at] = text
    return bytes(out)


def check_stable_under_edits(filename: str, source: bytes, edits: list[Edit]) -> None:
    """Findings after the edits are the findings before, moved down by the lines inserted above them."""
    before = check_text(source, filename, SETTINGS)
    after = check_text(apply_edits(source, edits), filename, SETTINGS)

    def shift(line: int) -> int:
        return line + sum(e.text.count("\n") for e in edits if e.line <= line)

    def key(f, moved: bool) -> tuple:
        s = f.span
        m = shift if moved else (lambda n: n)
        related = tuple((m(r.span.line), r.span.column, r.message) for r in f.related)
        return (f.rule_id, f.message_id, f.message, f.fingerprint, m(s.line), s.column, m(s.end_line),
                s.end_column, related)

    expected = sorted(key(f, True) for f in before.findings)
    actual = sorted(key(f, False) for f in after.findings)
    assert actual == expected, (edits, expected, actual)
