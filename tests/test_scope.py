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

from leaklint.files import dialect_for, source_type_for
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
    parsed = parse(source, dialect_for(name) or Dialect.JS, str(path))
    module_syntax = any(c.type in ("import_statement", "export_statement") for c in parsed.root.children)
    model = SemanticModel(parsed, source_type_for(name, source, module_syntax))
    return source, model


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
