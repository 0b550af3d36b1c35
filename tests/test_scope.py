"""Name resolution: caret assertions in corpus/scope, checked against `SemanticModel.resolve()`.

The stack-graphs convention: a comment line with a caret `^` points at a column of the closest
code line above it (other assertion lines in between are skipped), and says what the name there
resolves to:

    let count = 0;
    function inc() { count++; }
    //               ^ defined: 1
    /**/ total = 5;
    //   ^ defined:

`defined: N` means the binding declared on line N (for an implicit `arguments`, the line of its
function); `defined:` with nothing after it means no binding in the file (a global, known or
implicit). An optional binding kind follows in parentheses: `defined: 4 (catch)`.
`no-reference` says the identifier is neither a reference nor a declaration (labels, type names,
JSX tag names). Assertions are read from comment nodes; `/**/` pads a caret under column 0.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pytest
import tree_sitter as ts

from leaklint.files import dialect_for, source_type_for, source_type_of
from leaklint.semantic.model import SemanticModel
from leaklint.syntax import Dialect, parse
from leaklint.testing import read_annotations

SCOPE_CORPUS = Path(__file__).resolve().parent.parent / "corpus" / "scope"
FILES = sorted(p for p in SCOPE_CORPUS.iterdir() if dialect_for(p) is not None)

_ASSERTION = re.compile(r"^//\s*(\^)\s*(?:defined:(?P<lines>[\d,\s]*)(?:\((?P<kind>[\w-]+)\))?|(?P<none>no-reference))\s*$")
NAME_TYPES = frozenset({"identifier", "shorthand_property_identifier", "shorthand_property_identifier_pattern",
                        "type_identifier", "statement_identifier", "property_identifier"})


@dataclass(frozen=True)
class Assertion:
    line: int  # 1-based line of the name
    column: int  # 0-based column of the caret
    comment_line: int
    defined: tuple[int, ...] | None  # None: `no-reference`
    kind: str | None


def read_assertions(source: bytes, comments: list[ts.Node]) -> list[Assertion]:
    lines = source.split(b"\n")
    own_line = {c.start_point[0] for c in comments if c.start_point[0] == c.end_point[0]
                and not lines[c.start_point[0]][: c.start_point[1]].strip()
                and not lines[c.start_point[0]][c.end_point[1]:].strip()}
    out = []
    for c in comments:
        text = c.text.decode("utf-8")
        m = _ASSERTION.match(text)
        if m is None:
            continue
        row = c.start_point[0]
        assert row in own_line, f"line {row + 1}: a caret assertion must be alone on its line"
        target = row - 1
        while target >= 0 and (target in own_line or not lines[target].strip()):
            target -= 1
        assert target >= 0, f"line {row + 1}: no code line above the assertion"
        column = c.start_point[1] + m.start(1)
        defined = None if m.group("none") else tuple(int(n) for n in re.split(r"[,\s]+", m.group("lines")) if n)
        out.append(Assertion(target + 1, column, row + 1, defined, m.group("kind")))
    return out


def _model(path: Path) -> tuple[bytes, SemanticModel]:
    source = path.read_bytes()
    name = read_annotations(path, source).options.get("filename", path.name)
    return source, _model_of(source, name)


def _name_at(root: ts.Node, line: int, column: int) -> ts.Node | None:
    node = root.descendant_for_point_range((line - 1, column), (line - 1, column))
    return node if node is not None and node.type in NAME_TYPES else None


def check_file(path: Path) -> list[str]:
    source, model = _model(path)
    assertions = read_assertions(source, model.comments)
    problems = []
    for a in assertions:
        where = f"{path.name}:{a.comment_line} (name at {a.line}:{a.column + 1})"
        node = _name_at(model.root, a.line, a.column)
        if node is None:
            problems.append(f"{where}: the caret is not under a name")
            continue
        name = node.text.decode()
        if a.defined is None:
            if model.reference(node) is not None or model.resolve(node) is not None:
                problems.append(f"{where}: `{name}` should not be a reference or a declaration")
            continue
        if node.type in ("identifier", "shorthand_property_identifier", "shorthand_property_identifier_pattern") \
                and model.reference(node) is None and model.resolve(node) is None:
            problems.append(f"{where}: `{name}` is not a reference")
            continue
        binding = model.resolve(node)
        if binding is None:
            if a.defined:
                problems.append(f"{where}: `{name}` resolves to a global, expected line {a.defined[0]}")
            continue
        decl = binding.node if binding.node is not None else binding.declaration
        got = decl.start_point[0] + 1 if decl is not None else 0
        if got not in a.defined or len(a.defined) != 1:
            expected = f"line {a.defined[0]}" if a.defined else "a global"
            problems.append(f"{where}: `{name}` resolves to the {binding.kind.value} of line {got}, expected {expected}")
        elif a.kind is not None and binding.kind.value != a.kind:
            problems.append(f"{where}: `{name}` resolves to a {binding.kind.value}, expected a {a.kind}")
    if not assertions:
        problems.append(f"{path.name}: no assertions")
    return problems


@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_scope_file(path: Path) -> None:
    problems = check_file(path)
    assert not problems, "\n".join(problems)


def test_scope_corpus_is_not_empty() -> None:
    assert len(FILES) >= 5


def test_assertion_reader_finds_the_line_above() -> None:
    source = b"let a = 1;\n\nf(a);\n//^ defined: 1\n// ^ defined: 1 (let)\n/**/ b = 2;\n//   ^ defined:\n"
    parsed = parse(source, Dialect.JS)
    model = SemanticModel(parsed, source_type_for("x.js", source))
    got = read_assertions(source, model.comments)
    assert [(a.line, a.column, a.defined, a.kind) for a in got] == [
        (3, 2, (1,), None), (3, 3, (1,), "let"), (6, 5, (), None)]


def test_a_wrong_assertion_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "wrong.js"
    path.write_text("let a = 1;\nfunction f(a) { return a; }\n//                     ^ defined: 1\n")
    assert check_file(path) == [
        "wrong.js:3 (name at 2:24): `a` resolves to the param of line 2, expected line 1"]


def test_deep_nesting_does_not_overflow() -> None:
    # no Python recursion over the tree: a 3000-term expression and 2000 nested blocks bind fine
    source = ("x = " + " + ".join(["a"] * 3000) + ";\n" + "{" * 2000 + "let y = 1; y;" + "}" * 2000 + "\n").encode()
    parsed = parse(source, Dialect.JS)
    model = SemanticModel(parsed, source_type_for("x.js", source))
    assert len(model.unresolved) == 3001
    assert [r.name for r in model.implicit_globals] == ["x"]


def _model_of(source: str | bytes, name: str = "x.js") -> SemanticModel:
    raw = source.encode() if isinstance(source, str) else source
    parsed = parse(raw, dialect_for(name) or Dialect.JS, name)
    return SemanticModel(parsed, source_type_of(parsed, name))


def _refs(model: SemanticModel, name: str) -> list[tuple[int, bool, bool]]:
    """(line, read, write) of each reference to the one binding called `name`."""
    (binding,) = [b for b in model.bindings() if b.name == name]
    return [(r.node.start_point[0] + 1, r.is_read, r.is_write) for r in binding.references]


def test_references_are_found_by_name_inside_the_scope_only() -> None:
    model = _model_of(
        "function f() {\n"
        "  let cache = {};\n"                       # 2: the declaration's own write
        "  const o = { cache: 1, 'cache': 2 };\n"   # property names are no references
        "  o.cache = cache;\n"                      # 4: a read (o.cache is a property)
        "  // cache in a comment, 'cache' in a string\n"
        "  return () => ({ cache, cacheSize: 1 });\n"  # 6: shorthand read; cacheSize is another name
        "}\n"
        "function g() { let cache = 2; cache++; }\n"  # another binding of the same name
    )
    (outer,) = [b for b in model.bindings() if b.name == "cache" and b.scope.node.start_point[0] == 0]
    assert [(r.node.start_point[0] + 1, r.is_read, r.is_write) for r in outer.references] == [
        (2, False, True), (4, True, False), (6, True, False)]


def test_whole_file_word_index_gives_the_same_references() -> None:
    """Past a search budget a file's words are indexed once; the references found stay the same."""
    source = "var a = 1, b = [];\nfunction f(x) { b.push(a + x); a = x; return function () { a++; }; }\n"
    searched, indexed = _model_of(source), _model_of(source)
    indexed._binder._searched = 10**9  # as after many searches of a large file
    for name in ("a", "b", "x"):
        assert _refs(searched, name) == _refs(indexed, name)
    assert _refs(indexed, "a") == [(1, False, True), (2, True, False), (2, False, True), (2, True, True)]


def test_calls_named_by_the_callee_last_name_in_source_order() -> None:
    model = _model_of("a.on('x', f);\non('y');\nb.c.push(1); (d).push(2);\nf.push;\nnew on();\n")
    assert [(c.start_point[0] + 1, c.text.decode()) for c in model.calls_named("push", "on", "on")] == [
        (1, "a.on('x', f)"), (2, "on('y')"), (3, "b.c.push(1)"), (3, "(d).push(2)")]
    assert model.calls_named("missing") == []


def test_global_references_skip_locals_of_the_same_name() -> None:
    model = _model_of("setInterval(f, 1);\nfunction g(setInterval) { setInterval(f); }\nwindow.setInterval;\n")
    assert [(r.node.start_point[0] + 1, r.name) for r in model.global_references("setInterval", "window")] == [
        (1, "setInterval"), (3, "window")]


def test_using_declarations_are_block_scoped() -> None:
    model = _model_of("{ using res = open(); res; }\nres;\n")
    (binding,) = [b for b in model.bindings() if b.name == "res"]
    assert binding.kind.value == "using" and binding.scope.kind.value == "block"
    assert [r.node.start_point[0] + 1 for r in model.global_references("res")] == [2]


def test_comments_are_in_source_order() -> None:
    model = _model_of("/* a */ x = 1; // b\nfunction f() { /* c */ }\n// d\n")
    assert [c.text.decode() for c in model.comments] == ["/* a */", "// b", "/* c */", "// d"]


def test_all_references_include_writes_in_destructuring_assignments() -> None:
    model = _model_of("let a, b;\n({ a, x: { b = 1 } } = o);\n")
    assert [(r.name, r.is_read, r.is_write) for r in model.all_references()] == [
        ("a", False, True), ("b", False, True), ("o", True, False)]
    assert [r.name for r in model.unresolved] == ["o"]


def test_writes_are_known_without_resolving_reads() -> None:
    src = ("let n = 0;\nfunction f(k) { n += k; g(n); }\n"
           "for (n of xs) {}\n[n] = ys;\nn++;\nconsole.log(n);\n")
    model = _model_of(src)
    n = model.module_scope.variables["n"]
    writes = [(r.node.start_point[0] + 1, r.is_init) for r in n.writes]
    assert writes == [(1, True), (2, False), (3, False), (4, False), (5, False)]
    # asking for the writes left the reads unresolved; the full list agrees with them
    assert [(r.node.start_point[0] + 1, r.is_init) for r in n.references if r.is_write] == writes
    assert [r.node.start_point[0] + 1 for r in n.references if r.is_read] == [2, 2, 5, 6]


def test_use_strict_is_found_after_comments_and_other_directives() -> None:
    strict = _model_of("function f() {\n  // why\n  'use asm';\n  'use strict';\n  x = 1;\n}\n")
    assert strict.implicit_globals == []
    sloppy = _model_of("function f() {\n  g();\n  'use strict';\n  x = 1;\n}\n")
    assert [r.name for r in sloppy.implicit_globals] == ["x"]


def test_calls_named_finds_plain_member_and_wrapped_callees_in_source_order() -> None:
    model = _model_of("on(a);\nx.y.on(b).on(c);\n(z.on)(d);\n(on as any)(e);\nfunction f() { on!(g); }\n"
                      "type T = typeof on;\nhandler.off(h);\n", "x.ts")
    assert [c.text.decode() for c in model.calls_named("on")] == [
        "on(a)", "x.y.on(b).on(c)", "x.y.on(b)", "(z.on)(d)", "(on as any)(e)", "on!(g)"]
    assert [c.text.decode() for c in model.calls_named("off", "on")][-1] == "handler.off(h)"
    assert model.calls_named("missing") == []
    body = next(s.node for s in model.scopes if s.node.type == "function_declaration")
    assert [c.text.decode() for c in model.calls_within(body)] == ["on!(g)"]


def test_assignment_groups_hold_every_assignment_of_their_shape() -> None:
    source = ("o[k] = 1;\no[k] += 1;\no[k]++;\nthis.x = 1;\n(this as any).y = 2;\na.b += 's';\na.b = 1;\n"
              "x = x.concat(y);\nx = [...x, ...y, z];\nx = ([...x]) as T[];\n(o as any)[k] = 1;\n(p[k]) = 1;\nx = f();\n"
              "type T = { [k: string]: number };\n")
    model = _model_of(source, "x.ts")

    def texts(*groups: str, **kw: tuple[str, ...]) -> list[str]:
        return [n.text.decode() for n in model.assignments(*groups, **kw)]

    assert texts("assign.subscript") == ["o[k] = 1", "(o as any)[k] = 1", "o[k] += 1", "o[k]++"]
    assert texts("assign.this") == ["this.x = 1", "(this as any).y = 2"]
    assert texts("assign.augmember") == ["a.b += 's'"]
    # a spread matches once per element: each assignment is listed once
    assert texts("assign.copy") == ["x = x.concat(y)", "x = [...x, ...y, z]", "x = ([...x]) as T[]"]
    assert texts("assign.wrapped") == ["(p[k]) = 1"]
    # several groups: each node once, type by type, in source order within a type
    assert texts("assign.subscript", "assign.wrapped") == [
        "o[k] = 1", "(o as any)[k] = 1", "(p[k]) = 1", "o[k] += 1", "o[k]++"]
    assert texts("assign.subscript", types=("update_expression",)) == ["o[k]++"]


def test_calls_of_a_name_the_binder_does_not_index_are_found_alike() -> None:
    """`calls_named` answers any name; the binder's query keeps the callees rules ask about, and a
    call of another name (a local alias of `setInterval`, say) is found by a search of all calls."""
    from leaklint.semantic.binder import INDEXED_CALLEES

    template = ("NAME(a);\nx.y.NAME(b).NAME(c);\n(z.NAME)(d);\n(NAME as any)(e);\nfunction f() { NAME!(g); }\n"
                "type T = typeof NAME;\ndeclare function w(): ReturnType<typeof NAME>;\nNAME;\nnew NAME();\n")
    assert "on" in INDEXED_CALLEES and "every" not in INDEXED_CALLEES
    indexed = _model_of(template.replace("NAME", "on"), "x.ts")
    other = _model_of(template.replace("NAME", "every"), "x.ts")
    assert [c.text.decode().replace("on", "every") for c in indexed.calls_named("on")] == [
        c.text.decode() for c in other.calls_named("every")]
    assert len(other.calls_named("every")) == 6
    assert [c.start_byte for c in other.calls_named("every", "on")] == [c.start_byte for c in other.calls_named("every")]


def test_every_callee_name_rules_ask_about_is_indexed() -> None:
    """A name missing from `INDEXED_CALLEES` would still be found, by a slower search of every call."""
    from leaklint.rules import listener_leak, uncleared_timer
    from leaklint.rules.implicit_global import GROWTH_METHODS
    from leaklint.semantic.binder import INDEXED_CALLEES
    from leaklint.semantic.collections import ARRAY_GROWTH_CALLS

    asked = (set(ARRAY_GROWTH_CALLS) | GROWTH_METHODS | {"set", "add", "assign", "memoize", "listen", "createServer"}
             | listener_leak.ADD_METHODS | listener_leak.REMOVE_METHODS | listener_leak.JQUERY_METHODS
             | {listener_leak.REMOVE_ALL, "setMaxListeners"} | uncleared_timer.TIMER_FUNCTIONS
             | {"emit", "emitWithAck"})
    assert asked <= INDEXED_CALLEES


def test_import_bindings_are_found_from_the_specifier_strings() -> None:
    from leaklint.semantic.imports import import_bindings, module_source

    model = _model_of(
        'import every, { setInterval as tick, clearInterval } from "timers";\n'
        "import * as t from 'node:timers';\n"
        'const { setTimeout: later, setImmediate } = require("timers");\n'
        "const interval = require(`timers`).setInterval;\n"
        "async function f() { const lazy = (await import('timers')).setTimeout; }\n"
        'const other = require("timers/promises");\n'
        "// timers, 'timersx', \"node:timers2\"\n", "x.mjs")
    found = import_bindings(model, model._binder.source, {"timers", "node:timers"})
    assert [(b.name, module_source(model, b)) for b in found] == [
        ("every", ("timers", "default")), ("tick", ("timers", "setInterval")),
        ("clearInterval", ("timers", "clearInterval")), ("t", ("node:timers", "*")),
        ("later", ("timers", "setTimeout")), ("setImmediate", ("timers", "setImmediate")),
        ("interval", ("timers", "setInterval")), ("lazy", ("timers", "setTimeout"))]


def test_import_search_needles_cover_every_specifier() -> None:
    """The plain search before the specifier pattern looks for fewer strings than there are
    specifiers: each specifier must still contain one of them, or its imports would be missed."""
    from leaklint.rules.unbounded_memoize import LIBRARY_SPECIFIERS
    from leaklint.rules.uncleared_timer import TIMER_MODULES
    from leaklint.semantic.imports import _needles, import_bindings

    for specifiers in (LIBRARY_SPECIFIERS, TIMER_MODULES):
        needles = _needles(specifiers)
        assert len(needles) < len(specifiers)
        assert all(any(n in s.encode() for n in needles) for s in specifiers)
    for spec in sorted(LIBRARY_SPECIFIERS):  # a file that imports one library only still finds it
        model = _model_of(f'const m = require("{spec}");\n', "x.js")
        assert [b.name for b in import_bindings(model, model._binder.source, LIBRARY_SPECIFIERS)] == ["m"], spec
