"""Where a name comes from: `import ... from "m"`, `require("m")` and their destructurings.

`module_source(model, binding)` answers `(specifier, export)` for a binding that holds a module or
one of its exports, so rules can recognise `setInterval` from `timers` or `Server` from
`socket.io` whatever local name it was given. `export` is `"*"` for the whole module (a namespace
import, `import x = require("m")`, or `require("m")`), `"default"` for a default import, and the
exported name otherwise.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING, Iterable

import tree_sitter as ts

from leaklint.semantic.scope import Binding, BindingKind
from leaklint.syntax import string_value, text, unwrap, walk

if TYPE_CHECKING:
    from leaklint.semantic.model import SemanticModel


@lru_cache(maxsize=32)
def _quoted(specifiers: frozenset[str]) -> re.Pattern[bytes]:
    """A string literal spelled exactly like one of `specifiers`: `module_source` compares a
    specifier as written (escapes are not decoded), so every import of one holds this text."""
    names = b"|".join(re.escape(s.encode("utf-8")) for s in sorted(specifiers))
    return re.compile(rb"[\"'`](?:" + names + rb")[\"'`]")


@lru_cache(maxsize=32)
def _needles(specifiers: frozenset[str]) -> tuple[bytes, ...]:
    """The specifiers that hold no other one: every specifier contains one of them (`lodash/memoize`
    and `lodash.memoize` hold `lodash`, `node:timers` holds `timers`), so a source that contains
    none of them imports none of the specifiers. One search of the source each."""
    out: list[bytes] = []
    for s in sorted({s.encode("utf-8") for s in specifiers}, key=len):
        if not any(n in s for n in out):
            out.append(s)
    return tuple(out)


def import_bindings(model: "SemanticModel", source: bytes, specifiers: Iterable[str]) -> list[Binding]:
    """The bindings an `import` of one of `specifiers` declares, and those of a declaration whose
    value is a `require`/`import()` of one (or a member of it): found from the specifiers' string
    literals, not by looking at every binding. Candidates: `module_source` tells what each holds."""
    out: list[Binding] = []
    specifiers = frozenset(specifiers)
    if not any(n in source for n in _needles(specifiers)):
        return out  # a plain search first: the pattern, which starts with a quote, scans slower
    root = model.root
    for m in _quoted(specifiers).finditer(source):
        node = root.descendant_for_byte_range(m.start(), m.end())
        for _ in range(8):  # string, arguments, call, await, parentheses, member, declarator
            if node is None or node.type in ("variable_declarator", "import_statement"):
                break
            node = node.parent
        if node is None or node.type not in ("variable_declarator", "import_statement"):
            continue
        names = node.child_by_field_name("name") if node.type == "variable_declarator" else next(
            (c for c in node.named_children if c.type in ("import_clause", "import_require_clause")), None)
        if names is None:
            continue
        for n in walk(names):
            if n.type in ("identifier", "shorthand_property_identifier_pattern"):
                binding = model.resolve(n)
                if binding is not None and binding.node == n and binding not in out:
                    out.append(binding)
    return out


def module_source(model: "SemanticModel", binding: Binding | None) -> tuple[str, str] | None:
    """`(module specifier, exported name)` for an imported or required binding, else None."""
    if binding is None or binding.node is None:
        return None
    if binding.kind is BindingKind.IMPORT:
        return _import_source(binding)
    if binding.kind not in (BindingKind.VAR, BindingKind.LET, BindingKind.CONST):
        return None
    declarator = binding.declaration
    if declarator is None or declarator.type != "variable_declarator":
        return None
    value = unwrap(declarator.child_by_field_name("value"))
    if value is None:
        return None
    export = "*"
    if value.type == "member_expression":
        export = text(value.child_by_field_name("property"))
        value = unwrap(value.child_by_field_name("object"))
    specifier = required_module(model, value)
    if specifier is None:
        return None
    name = declarator.child_by_field_name("name")
    if name is not None and name.type == "identifier":
        return specifier, export
    if export != "*" or name is None or name.type != "object_pattern" or binding.node.parent is None:
        return None
    # `const { Server } = require("socket.io")`, `const { Server: IO } = require(...)`
    parent = binding.node.parent
    if binding.node.type == "shorthand_property_identifier_pattern" and parent == name:
        return specifier, text(binding.node)
    if parent.type == "pair_pattern" and parent.parent == name and parent.child_by_field_name("value") == binding.node:
        key = parent.child_by_field_name("key")
        return specifier, string_value(key) or text(key)
    return None


def required_module(model: "SemanticModel", node: ts.Node | None) -> str | None:
    """The specifier of `require("m")` (the global `require`) or `await import("m")`, else None."""
    node = unwrap(node)
    if node is not None and node.type == "await_expression":
        node = unwrap(node.named_child(0))
    if node is None or node.type != "call_expression":
        return None
    fn = unwrap(node.child_by_field_name("function"))
    if fn is None or not (model.is_global_name(fn, "require") or fn.type == "import"):
        return None
    args = node.child_by_field_name("arguments")
    if args is None or args.named_child_count < 1:
        return None
    return string_value(args.named_child(0))


def _import_source(binding: Binding) -> tuple[str, str] | None:
    decl = binding.declaration
    stmt = decl
    while stmt is not None and stmt.type not in ("import_statement", "program"):
        stmt = stmt.parent
    if stmt is None or stmt.type != "import_statement" or decl is None:
        return None
    source = stmt.child_by_field_name("source")
    if source is not None:
        specifier = string_value(source)
    else:  # `import x = require("m")`
        req = next((c for c in stmt.named_children if c.type == "import_require_clause"), None)
        src = req.child_by_field_name("source") if req is not None else None
        specifier = string_value(src)
    if specifier is None:
        return None
    if decl.type == "import_specifier":
        name = decl.child_by_field_name("name")
        return specifier, string_value(name) or text(name)
    if decl.type == "import_clause":
        return specifier, "default"
    return specifier, "*"  # namespace import, `import x = require("m")`
