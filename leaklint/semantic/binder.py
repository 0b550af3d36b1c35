"""The binder: one tree-sitter query, one sweep in byte order, reads resolved on demand.

tree-sitter walks the tree in C and hands back only what the binder needs: the nodes that open
scopes, the names in declaring and assigning positions (already classified by the query), the
ranges that hold no runtime names (TypeScript types, `declare`), every identifier, comments and
the node kinds rules index. One sweep over those captures in byte order, with a stack of open
scopes, declares every binding in its scope; block, `for` and `switch` scopes are created only
when something is declared in them. Writes are resolved at the end of the sweep. Reads are never
turned into objects up front: `reference_at` resolves one identifier when a rule asks, and
`references_of` resolves the identifiers of one binding's name inside its scope. Python never
visits every node and never recurses.

Semantics follow eslint-scope, since ESLint's `no-undef` / `no-implicit-globals` are what users
compare with: `var` hoists to the nearest function/module/global scope, function declarations to
the top of their block, `let`/`const`/`class` are block-scoped, every declaration of a scope is
visible to all its references (hoisted and later declarations included), a parameter default does
not see the function body's declarations, and an unresolved *write* in sloppy code creates an
implicit global. One deliberate difference, where the runtime and ESLint disagree: in sloppy code
a function declared in a block is also a `var` of its function (Annex B.3.3), so assigning it
after the block creates no global. TypeScript-only syntax (types, interfaces, the contents of
`declare namespace`/`declare module`) creates no runtime references.
"""

from __future__ import annotations

import bisect
import operator
import re
from functools import cached_property, lru_cache

import tree_sitter as ts

from leaklint.semantic.scope import (
    VARIABLE_SCOPE_KINDS,
    Binding,
    BindingKind,
    Reference,
    Scope,
    ScopeKind,
    SourceType,
)
from leaklint.syntax import WRAPPER_TYPES, string_value

CLASS_TYPES = frozenset({"class_declaration", "class", "abstract_class_declaration"})
# nodes indexed for the rules and the lifetime analysis: only kinds some analysis lists (each
# capture costs the query about a microsecond); calls are indexed by their callee's name instead
# (see `calls`), assignments also by the shape of their target (see `_assignment_patterns`)
INDEXED = frozenset({"assignment_expression", "export_statement", "return_statement"})
# TypeScript-only subtrees: no runtime names inside (and every node kind named `*_type` or `*_annotation`)
TYPE_ONLY = (
    "type_annotation",
    "type_arguments",
    "type_parameters",
    "interface_declaration",
    "type_alias_declaration",
    "implements_clause",
    "method_signature",
    "abstract_method_signature",
    "property_signature",
    "index_signature",
    "call_signature",
    "construct_signature",
    "nested_type_identifier",
    "type_query",
    "type_predicate",
    "asserts",
    "enum_body",
    "function_signature",
)
_FUNCS = ("[(function_declaration) (function_expression) (arrow_function) (method_definition)"
          " (generator_function_declaration) (generator_function)]")
# (node kinds a pattern needs, pattern): patterns whose kinds a grammar lacks are left out
_PATTERNS: list[tuple[tuple[str, ...], str]] = [
    # scopes (a function's body block shares the function's scope)
    ((), _FUNCS + " @scope.function"),
    (("class_static_block",), "(class_static_block) @scope.static"),
    ((), "[(class_declaration) (class)] @scope.class"),
    (("abstract_class_declaration",), "(abstract_class_declaration) @scope.class"),
    ((), "(statement_block) @block"),  # a scope only when something is declared in it: see `_declaring_blocks`
    ((), "[(for_statement) (for_in_statement)] @scope.for"),
    ((), "(catch_clause) @scope.catch"),
    ((), "(switch_body) @scope.switch"),
    ((), "(with_statement) @scope.with"),
    (("internal_module",), "[(internal_module) (module)] @scope.tsmodule"),
    # declarations: names, or patterns that hold names
    ((), "(variable_declaration (variable_declarator name: (_) @bind.var))"),
    ((), '(lexical_declaration kind: "let" (variable_declarator name: (_) @bind.let))'),
    ((), '(lexical_declaration kind: "const" (variable_declarator name: (_) @bind.const))'),
    (("using_declaration",), "(using_declaration (variable_declarator name: (_) @bind.using))"),
    ((), '(for_in_statement kind: "var" left: (_) @forin.var)'),
    ((), '(for_in_statement kind: "let" left: (_) @forin.let)'),
    ((), '(for_in_statement kind: "const" left: (_) @forin.const)'),
    ((), "(for_in_statement !kind left: (_) @write.forin)"),
    ((), "(formal_parameters (_) @bind.param)"),
    ((), "(arrow_function parameter: (identifier) @bind.arrowparam)"),
    ((), "(catch_clause parameter: (_) @bind.catch)"),
    ((), "[(function_declaration name: (identifier) @decl.function)"
         " (generator_function_declaration name: (identifier) @decl.function)]"),
    ((), "[(function_expression name: (identifier) @decl.fname) (generator_function name: (identifier) @decl.fname)]"),
    ((), "(class_declaration name: (_) @decl.class)"),
    (("abstract_class_declaration",), "(abstract_class_declaration name: (_) @decl.class)"),
    ((), "(class name: (_) @decl.classexpr)"),
    ((), "[(import_clause (identifier) @decl.import) (namespace_import (identifier) @decl.import)"
         " (import_specifier alias: (identifier) @decl.import)"
         " (import_specifier name: (identifier) @decl.import !alias)]"),
    ((), "(import_specifier name: (identifier) @notref alias: (_))"),
    (("import_require_clause",), "(import_require_clause (identifier) @decl.import)"),
    (("import_alias",), "(import_alias . (identifier) @decl.import)"),
    (("enum_declaration",), "(enum_declaration name: (identifier) @decl.enum)"),
    (("internal_module",), "[(internal_module name: (_) @decl.namespace) (module name: (_) @decl.namespace)]"),
    (("function_signature",), "(function_signature name: (identifier) @decl.signature)"),
    (("ambient_declaration",), "(ambient_declaration) @ambient"),
    (("ambient_declaration",), "(ambient_declaration [(internal_module body: (_) @ambient.body)"
                               " (module body: (_) @ambient.body)])"),
    # writes to names (`a.b = 1` writes no variable: not captured)
    ((), "(assignment_expression left: [(identifier) (object_pattern) (array_pattern) (parenthesized_expression)]"
         " @write) @write.expr"),
    ((), "[(augmented_assignment_expression left: [(identifier) (parenthesized_expression)] @rw)"
         " (update_expression argument: [(identifier) (parenthesized_expression)] @rw)] @rw.expr"),
    (("non_null_expression",), "(assignment_expression left: [(non_null_expression) (as_expression)"
                               " (satisfies_expression)] @write) @write.expr"),
    (("non_null_expression",), "[(augmented_assignment_expression left: [(non_null_expression) (as_expression)"
                               " (satisfies_expression)] @rw) (update_expression argument: [(non_null_expression)"
                               " (as_expression) (satisfies_expression)] @rw)] @rw.expr"),
    # calls by the name they call: `f(...)` and `a.b.f(...)` are both calls of "f"; a callee in
    # parentheses or a TypeScript wrapper is unwrapped in Python
    ((), "(call_expression function: (parenthesized_expression)) @call.wrapped"),
    # `new C(...)` by the name it constructs (see `SemanticModel.constructions`)
    ((), "(new_expression constructor: (identifier)) @construct"),
    (("non_null_expression",), "(call_expression function: [(non_null_expression) (as_expression)"
                               " (satisfies_expression)]) @call.wrapped"),
    (("type_assertion",), "(call_expression function: (type_assertion)) @call.wrapped"),
    # names that are not references
    ((), "(export_specifier alias: (_) @notref)"),
    ((), "(export_statement (export_clause (export_specifier name: (_) @notref)) source: (_))"),
    ((), "(namespace_export (_) @notref)"),
    (("jsx_opening_element",), "[(jsx_opening_element name: (identifier) @jsxname)"
                               " (jsx_self_closing_element name: (identifier) @jsxname)"
                               " (jsx_closing_element name: (_) @norefs)]"),
    (("jsx_namespace_name",), "(jsx_namespace_name) @norefs"),
]

_SCOPE_KIND = {
    "scope.function": ScopeKind.FUNCTION, "scope.static": ScopeKind.FUNCTION, "scope.class": ScopeKind.CLASS,
    "scope.block": ScopeKind.BLOCK, "scope.for": ScopeKind.FOR, "scope.catch": ScopeKind.CATCH,
    "scope.switch": ScopeKind.SWITCH, "scope.with": ScopeKind.WITH, "scope.tsmodule": ScopeKind.TS_MODULE,
}
# tuples, not sets: a test of a set calls Enum.__hash__, Python code, for every scope
_VARIABLE_SCOPE_KINDS = tuple(VARIABLE_SCOPE_KINDS)
# scopes created only when something is declared in them
_LAZY = (ScopeKind.BLOCK, ScopeKind.FOR, ScopeKind.SWITCH)
_KIND = {
    "var": BindingKind.VAR, "let": BindingKind.LET, "const": BindingKind.CONST, "using": BindingKind.USING,
    "param": BindingKind.PARAM, "arrowparam": BindingKind.PARAM, "catch": BindingKind.CATCH,
    "import": BindingKind.IMPORT, "function": BindingKind.FUNCTION, "signature": BindingKind.FUNCTION,
    "fname": BindingKind.FUNCTION_NAME, "class": BindingKind.CLASS, "classexpr": BindingKind.CLASS,
    "enum": BindingKind.ENUM, "namespace": BindingKind.NAMESPACE,
}
# capture order at one byte: scopes open first, then ranges, then names
_ORDER = {"scope": 0, "ambient": 1, "norefs": 1}
# names declared in the scope around the function/class/namespace whose scope they start in
_OUTER = frozenset({"decl.function", "decl.class", "decl.namespace"})
# the captures that declare in the innermost scope around them, which may be a block
_BLOCK_SCOPED = ("bind.let", "bind.const", "bind.using", "decl.function", "decl.class", "decl.enum",
                 "decl.namespace", "decl.signature", "decl.import", "ambient")
# names a `declare` statement declares (its namespace and module bodies declare nothing)
_AMBIENT_DECLS = frozenset({"bind.var", "bind.let", "bind.const", "decl.signature", "decl.class",
                            "decl.namespace", "decl.enum", "decl.function"})
# wrappers an assignment target may sit in: `(a) = 1`, `a! = 1`, `(a as T) = 1`
_TARGET_WRAPPERS = frozenset({"parenthesized_expression", "non_null_expression", "as_expression",
                              "satisfies_expression"})
_PATTERN_CONTAINERS = frozenset({"object_pattern", "array_pattern", "rest_pattern", "pattern"})
_NAME_TYPES = ("identifier", "shorthand_property_identifier_pattern")
_REF_TYPES = ("identifier", "shorthand_property_identifier")


def has_use_strict(body: ts.Node | None) -> bool:
    """Whether a program or function body opens with a `'use strict'` directive."""
    if body is None or body.type not in ("statement_block", "program"):
        return False
    # the directive prologue only: never the list of all the body's statements
    child = body.named_child(0) if body.named_child_count else None
    while child is not None:
        t = child.type
        if t != "comment" and t != "hash_bang_line":
            if t != "expression_statement":
                return False
            expr = child.named_child(0)
            if expr is None or expr.type != "string":
                return False
            if string_value(expr) == "use strict":
                return True
        child = child.next_named_sibling
    return False


# the callee names rules ask `SemanticModel.calls_named` about: the query keeps the calls of
# these names only (a call of another name is found by a search of all calls when asked), which
# spares building a map of every call of the file (250,000 in typescript.js)
INDEXED_CALLEES = frozenset({
    "push", "unshift", "splice", "concat", "set", "add", "assign",  # growth
    "on", "addListener", "prependListener", "addEventListener", "bind",  # listeners
    "off", "removeListener", "removeEventListener", "unbind", "removeAllListeners", "setMaxListeners",
    "setInterval", "setTimeout", "clearInterval", "clearTimeout", "listen", "createServer",  # timers
    "emit", "emitWithAck", "memoize",
})


def _assignment_patterns(wrappers: list[str]) -> str:
    """Assignments grouped by the shape of their target, so that rules need not test every one
    (`SemanticModel.assignments`; each group a superset, the rule's own test decides):
    `o[k] = v` / `o[k] += v` / `o[k]++` (assign.subscript), `this.x = v` (assign.this), `a.b += v`
    (assign.augmember), `x = x.concat(...)` / `x = [...x, v]` (assign.copy), a wrapped target
    such as `(a)[k] = v` or `(this as T).x = v` (assign.wrapped)."""
    w = " ".join(f"({k})" for k in wrappers)
    named = "left: [(identifier) (member_expression)]"
    return "\n".join((
        "[(assignment_expression left: (subscript_expression))"
        " (augmented_assignment_expression left: (subscript_expression))"
        " (update_expression argument: (subscript_expression))] @index.assign.subscript",
        f"[(assignment_expression left: (member_expression object: [(this) {w}]))"
        f" (augmented_assignment_expression left: (member_expression object: [(this) {w}]))] @index.assign.this",
        "(augmented_assignment_expression left: (member_expression)) @index.assign.augmember",
        f"[(assignment_expression left: [{w}]) (augmented_assignment_expression left: [{w}])"
        f" (update_expression argument: [{w}])] @index.assign.wrapped",
        f"(assignment_expression {named} right: (call_expression function: (member_expression"
        f' property: (property_identifier) @_concat)) (#eq? @_concat "concat")) @index.assign.copy',
        f"(assignment_expression {named} right: (call_expression function: [{w}])) @index.assign.copy",
        f"(assignment_expression {named} right: (array (spread_element))) @index.assign.copy",
        f"(assignment_expression {named} right: [{w}]) @index.assign.copy",
    ))


@lru_cache(maxsize=None)
def binder_query(language: ts.Language) -> ts.Query:
    """The one query the binder runs, compiled once per grammar."""

    def has(kind: str) -> bool:
        return bool(language.id_for_node_kind(kind, True))

    parts = [p for kinds, p in _PATTERNS if all(has(k) for k in kinds)]
    named = {language.node_kind_for_id(i) for i in range(language.node_kind_count)
             if language.node_kind_is_named(i) and language.node_kind_is_visible(i)}
    ranges = [k for k in TYPE_ONLY if k in named]
    ranges += sorted(k for k in named if (k.endswith("_type") or k.endswith("_annotation")) and k not in ranges)
    if ranges:
        parts.append("[" + " ".join(f"({k})" for k in ranges) + "] @norefs")
    parts.append(_assignment_patterns([k for k in WRAPPER_TYPES if has(k)]))
    names = " ".join(f'"{n}"' for n in sorted(INDEXED_CALLEES))
    parts.append("(call_expression function: [(identifier) @callee (member_expression property: (_) @callee)]"
                 f" (#any-of? @callee {names})) @call")
    parts.append("[" + " ".join(f"({k}) @index.{k}" for k in sorted(INDEXED) if k in named) + "]")
    return ts.Query(language, "\n".join(parts))


class Binder:
    """Builds the scopes and bindings of one file; resolves references on demand."""

    def __init__(self, root: ts.Node, source_type: SourceType, source: bytes, language: ts.Language) -> None:
        self.root = root
        self.source_type = source_type
        self.source = source
        self.language = language
        self.scopes: list[Scope] = []
        self.scope_by_node: dict[int, Scope] = {}
        # indexed nodes by type, with the scope they occur in (None until asked: see `SemanticModel.nodes`)
        self.index: dict[str, list[tuple[ts.Node, Scope | None]]] = {}
        # the calls of the names rules ask about (`f()`, `a.b.f()`) and the calls whose callee is in
        # parentheses or a TypeScript wrapper, outside types and `declare`: see `SemanticModel.calls_named`
        self.calls: list[ts.Node] = []
        self.wrapped_calls: list[ts.Node] = []
        self.constructs: list[ts.Node] = []  # `new C(...)` whose constructor is a plain name
        self.writes: list[Reference] = []  # every write that is not a declaration's own
        self.global_scope: Scope
        self.module_scope: Scope  # the scope top-level declarations go to
        # where each word of the source starts, built only once name-by-name searching has cost more
        # than one pass over the whole file
        self._words: dict[bytes, list[int]] | None = None
        self._searched = 0
        self._not_refs: set[int] = set()  # start bytes of identifiers that are names, not references
        self._norefs_starts: list[int] = []  # outermost ranges with no references, sorted
        self._norefs_ends: list[int] = []
        self._refs: dict[int, Reference | None] = {}  # start byte -> its reference (None: not one)
        self._scope_starts: list[int] = []
        self._scopes_sorted: list[Scope] = []
        self._annex_b: list[Binding] = []  # block-level function declarations in sloppy code
        self._body_start: dict[int, int] = {}

    # --- scopes ---------------------------------------------------------------------------------

    def _new_scope(self, kind: ScopeKind, node: ts.Node, parent: Scope | None, strict: bool) -> Scope:
        scope = Scope(kind, node, parent, strict)
        scope.variable_scope = scope if (kind in _VARIABLE_SCOPE_KINDS or parent is None) else parent.variable_scope
        scope.resolver = self
        if parent is not None:
            parent.children.append(scope)
            scope.dynamic = parent.dynamic or kind is ScopeKind.WITH
        self.scopes.append(scope)
        self.scope_by_node[node.id] = scope
        return scope

    def _materialize(self, stack: list[list], i: int) -> Scope:
        """The scope of `stack[i]`, created (with its unmaterialised ancestors) if it does not exist yet."""
        if stack[i][3] is not None:
            return stack[i][3]
        j = i
        while stack[j][3] is None:  # the nearest existing ancestor (the bottom entry always exists)
            j -= 1
        parent = stack[j][3]
        for k in range(j + 1, i + 1):
            entry, outer = stack[k], stack[k - 1]
            if outer[1] is ScopeKind.FUNCTION or outer[1] is ScopeKind.TS_MODULE:
                body = outer[2].child_by_field_name("body")
                if body is not None and body.start_byte == entry[2].start_byte:
                    entry[3] = parent  # a function's body block is the function's scope
                    continue
            parent = entry[3] = self._new_scope(entry[1], entry[2], parent, parent.is_strict)
        return parent

    def scope_at(self, pos: int) -> Scope:
        """The innermost scope whose node contains byte `pos`."""
        i = bisect.bisect_right(self._scope_starts, pos) - 1
        scope = self._scopes_sorted[i] if i >= 0 else self.module_scope
        while scope.parent is not None and not (scope.node.start_byte <= pos < scope.node.end_byte):
            scope = scope.parent
        if scope is self.global_scope:
            return self.module_scope
        return scope

    # --- the sweep ------------------------------------------------------------------------------

    def bind(self) -> "Binder":
        root = self.root
        st = self.source_type
        strict_program = st is SourceType.MODULE or has_use_strict(root)
        glob = self._new_scope(ScopeKind.GLOBAL, root, None, strict_program and st is SourceType.SCRIPT)
        self.global_scope = glob
        if st is SourceType.SCRIPT:
            top = glob
        else:
            # ES module scope, or the function scope Node wraps around a CommonJS module
            top = self._new_scope(ScopeKind.MODULE, root, glob, strict_program)
        self.module_scope = top

        caps = ts.QueryCursor(binder_query(self.language)).captures(root)
        caps.pop("_concat", None)
        caps["scope.block"] = self._declaring_blocks(caps)
        caps.pop("block", None)
        index = self.index
        for name in [n for n in caps if n.startswith("index.")]:
            # captures come grouped by pattern, not in source order: `SemanticModel` sorts on first use
            nodes = caps.pop(name)
            if name.startswith("index.assign."):  # `[...a, ...b]` matches once per spread: each node once
                nodes = {n.id: n for n in nodes}.values()
            index[name[6:]] = [(n, None) for n in nodes]
        caps.pop("callee", None)  # the name the predicate tests; the call is what is kept
        self.calls = caps.pop("call", [])
        self.wrapped_calls = caps.pop("call.wrapped", [])
        self.constructs = caps.pop("construct", [])
        # an assignment starts where its target does; `x++` too, and `++x` ends where `x` does
        assigned = {n.start_byte: n for n in caps.pop("write.expr", ())}
        updated_from: dict[int, ts.Node] = {}
        updated_to: dict[int, ts.Node] = {}
        for n in caps.pop("rw.expr", ()):
            if n.type == "update_expression":
                updated_from[n.start_byte] = n
                updated_to[n.end_byte] = n
            else:
                assigned[n.start_byte] = n
        # in byte order; at one byte scopes open first, then ranges, then names, outer before inner
        top_end = len(self.source) + 1
        events: list[tuple[int, str, ts.Node]] = []
        add = events.append
        for name, nodes in caps.items():
            order = _ORDER.get(name.partition(".")[0], 2)
            for n in nodes:
                add((((n.start_byte << 2 | order) << 40) + top_end - n.end_byte, name, n))
        events.sort(key=_first)

        # the open scope candidates: [end byte, kind, node, scope or None until materialised]
        stack: list[list] = [[top_end, top.kind, root, top]]
        norefs_until = -1
        ambient_until, ambient_global, ambient_body_until = -1, False, -1
        not_refs = self._not_refs
        # (name written, also read, the assignment target it is part of, or the for-in/of statement)
        targets: list[tuple[ts.Node, bool, ts.Node]] = []
        for key, name, node in events:
            start = key >> 42
            order = (key >> 40) & 3
            negend = (key & 0xFFFFFFFFFF) - top_end
            while stack[-1][0] <= start:
                stack.pop()
            if order == 0:  # a scope opens
                if start < norefs_until or start < ambient_until:
                    continue
                self._open(name, node, stack, -negend)
                continue
            if order == 1:  # a range without references
                if name == "ambient":
                    if start >= ambient_until:
                        # `declare global { ... }` declares globals
                        first = node.child(1)
                        ambient_until, ambient_global = -negend, first is not None and first.type == "global"
                elif name == "ambient.body":
                    ambient_body_until = max(ambient_body_until, -negend)
                elif start >= norefs_until:
                    norefs_until = -negend
                if not self._norefs_ends or start >= self._norefs_ends[-1]:
                    self._norefs_starts.append(start)
                    self._norefs_ends.append(-negend)
                continue
            if start < ambient_until:
                if start >= ambient_body_until and name in _AMBIENT_DECLS and node.type == "identifier":
                    target = glob if ambient_global else self._materialize(stack, len(stack) - 1)
                    self._declare(target, node, BindingKind.DECLARED, node.parent)
                continue
            if start < norefs_until and name != "decl.signature":
                continue
            group, _, sub = name.partition(".")
            if group == "write" or group == "rw":
                # `for (x in o)`: the statement is the write; an assignment is its own write
                target = stack[-1][2] if sub == "forin" else node
                for n, _ in self._pattern_names(node):
                    targets.append((n, group == "rw", target))
            elif group == "notref":
                not_refs.add(start)
            elif group == "jsxname":
                # eslint-scope: `<Foo>` and `<a.b>` reference a variable, `<div>` does not
                first = self.source[start:start + 1]
                if not (first.isupper() or first == b"_" or first == b"$"):
                    not_refs.add(start)
            elif group == "bind" or group == "forin":
                self._bind_names(group, sub, node, stack)
            else:  # decl.*: a single name
                kind = _KIND[sub]
                if name in _OUTER:
                    scope = self._materialize(stack, len(stack) - 2)
                    declaration = stack[-1][2]
                    if sub == "namespace":
                        node = self._namespace_name(node)
                        if node is None:
                            continue
                elif sub in ("fname", "classexpr"):
                    scope = self._materialize(stack, len(stack) - 1)
                    declaration = stack[-1][2]
                elif sub == "import":
                    scope = self._materialize(stack, len(stack) - 1)
                    declaration = node.parent  # the specifier, clause or `import x = ...`
                else:
                    scope = self._materialize(stack, len(stack) - 1)
                    declaration = None
                binding = self._declare(scope, node, kind, declaration)
                if sub == "function" and not scope.is_strict and scope.variable_scope is not scope:
                    self._annex_b.append(binding)  # a sloppy function in a block: also a `var` (Annex B.3.3)

        self._hoist_block_functions()
        glob_or_top = [s for s in self.scopes if not (s is glob and top is not glob)]
        self._scopes_sorted = sorted(glob_or_top, key=lambda s: (s.node.start_byte, -s.node.end_byte))
        self._scope_starts = [s.node.start_byte for s in self._scopes_sorted]
        if self._norefs_starts:  # types or `declare`: nothing in them is runtime code
            for t, entries in index.items():
                index[t] = [e for e in entries if not self.in_norefs(e[0].start_byte)]
            self.calls = [n for n in self.calls if not self.in_norefs(n.start_byte)]
            self.wrapped_calls = [n for n in self.wrapped_calls if not self.in_norefs(n.start_byte)]
            self.constructs = [n for n in self.constructs if not self.in_norefs(n.start_byte)]
        for node, rw, target in targets:
            start = node.start_byte
            if start in self._refs:
                continue
            if target.type == "for_in_statement":
                write_expr = target
            elif rw:
                write_expr = assigned.get(target.start_byte) or updated_from.get(target.start_byte) \
                    or updated_to.get(target.end_byte)
            else:
                write_expr = assigned.get(target.start_byte)
            ref = Reference(node.text.decode("utf-8", "replace"), node, self.scope_at(start), rw, True, write_expr)
            self._refs[start] = ref
            self._resolve(ref)
            self.writes.append(ref)
        return self

    @staticmethod
    def _declaring_blocks(caps: dict[str, list[ts.Node]]) -> list[ts.Node]:
        """The blocks that may declare something: those that are the innermost block around a
        block-scoped declaration (a superset of the blocks that are its scope, since a `for` or
        `switch` in between may be). The others (most blocks) never enter the sweep. Found by
        positions, in one merge of the blocks and the declarations in byte order: climbing from a
        declaration to its block with `Node.parent` costs a descent from the root per step."""
        blocks = caps.get("block")
        if not blocks:
            return []
        positions = sorted(n.start_byte for cap in _BLOCK_SCOPED for n in caps.get(cap, ()))
        if not positions:
            return []
        blocks.sort(key=_start)
        starts = [b.start_byte for b in blocks]
        ends = [b.end_byte for b in blocks]
        marked: set[int] = set()
        open_: list[int] = []  # indices of the blocks around the current position, innermost last
        j, count = 0, len(blocks)
        for pos in positions:
            while j < count and starts[j] <= pos:
                while open_ and ends[open_[-1]] <= starts[j]:
                    open_.pop()
                open_.append(j)
                j += 1
            while open_ and ends[open_[-1]] <= pos:
                open_.pop()
            if open_:
                marked.add(open_[-1])
        return [blocks[i] for i in sorted(marked)]

    def _open(self, name: str, node: ts.Node, stack: list[list], end: int) -> None:
        kind = _SCOPE_KIND[name]
        entry = [end, kind, node, None]
        stack.append(entry)
        if kind in _LAZY:
            return
        parent = self._materialize(stack, len(stack) - 2)
        strict = parent.is_strict
        if kind is ScopeKind.CLASS or name == "scope.static":
            strict = True
        elif kind is ScopeKind.FUNCTION and not strict:
            strict = has_use_strict(node.child_by_field_name("body"))
        entry[3] = scope = self._new_scope(kind, node, parent, strict)
        if kind is ScopeKind.WITH:
            scope.dynamic = True

    def _bind_names(self, group: str, sub: str, node: ts.Node, stack: list[list]) -> None:
        """Declare the names of a declarator, parameter, catch or for-in/of binding position."""
        kind = _KIND[sub]
        owner = stack[-1][2]
        if kind is BindingKind.VAR:
            i = len(stack) - 1
            while stack[i][3] is None or stack[i][3].variable_scope is not stack[i][3]:
                i -= 1
            scope = stack[i][3]
        else:
            scope = self._materialize(stack, len(stack) - 1)
        if group == "forin":
            declaration, value = owner, None  # the for-in/of statement writes each name
        elif sub in ("var", "let", "const", "using"):
            declaration = node.parent  # the declarator whose name the node is
            value = declaration.child_by_field_name("value") if declaration is not None else None
        elif sub == "param":
            declaration, value = owner.child_by_field_name("parameters"), None
        else:  # an arrow function's single parameter, a catch parameter
            declaration, value = owner, None
        t = node.type
        if t == "identifier":
            if group == "forin":
                self._declare(scope, node, kind, declaration, None, written=True)
            else:
                self._declare(scope, node, kind, declaration, value)
            return
        # a pattern: its names are written by the declaration, never bound to its whole value
        written_all = group == "forin" or value is not None
        for n, defaulted in self._pattern_names(node):
            self._declare(scope, n, kind, declaration, None, written=written_all or defaulted)

    def _pattern_names(self, pattern: ts.Node) -> list[tuple[ts.Node, bool]]:
        """The names a binding or assignment pattern writes, each with whether a default value writes
        it. A name alone is a pattern of one name; in an assignment, a target may sit in parentheses
        or a TypeScript assertion (`[(a), b!] = x`)."""
        out: list[tuple[ts.Node, bool]] = []
        work = [(pattern, False)]
        while work:
            node, defaulted = work.pop()
            t = node.type
            if t in _NAME_TYPES:
                out.append((node, defaulted))
            elif t in _PATTERN_CONTAINERS:
                work.extend((c, defaulted) for c in reversed(node.named_children))
            elif t == "pair_pattern":
                v = node.child_by_field_name("value")
                if v is not None:
                    work.append((v, defaulted))
            elif t == "assignment_pattern" or t == "object_assignment_pattern":
                v = node.child_by_field_name("left")
                if v is not None:
                    work.append((v, True))
            elif t in _TARGET_WRAPPERS:
                v = node.named_child(0)
                if v is not None:
                    work.append((v, defaulted))
            elif t == "required_parameter" or t == "optional_parameter":
                v = node.child_by_field_name("pattern")
                if v is not None:
                    work.append((v, defaulted))
            # defaults, computed keys, member expressions, decorators, types: reads or nothing
        return out

    @staticmethod
    def _namespace_name(name: ts.Node) -> ts.Node | None:
        """The name `namespace A.B.C` declares: `A`."""
        while name is not None and name.type in ("nested_identifier", "member_expression"):
            name = name.named_child(0)
        return name if name is not None and name.type == "identifier" else None

    def _declare(
        self,
        scope: Scope,
        name_node: ts.Node,
        kind: BindingKind,
        declaration: ts.Node | None,
        init: ts.Node | None = None,
        written: bool = False,
    ) -> Binding:
        """Declare a name; `init` is its value (`let x = v`), `written` marks a declaration that
        assigns without a value of its own (`const {a} = o`, `for (const k in o)`, `(a = 1) =>`)."""
        self._not_refs.add(name_node.start_byte)
        name = name_node.text.decode("utf-8", "replace")
        if kind is BindingKind.VAR:
            scope = scope.variable_scope
        existing = scope.variables.get(name)
        if existing is not None and existing.kind is not BindingKind.FUNCTION_NAME:
            # redeclaration (`var x; var x;`, overloads, declaration merging): one binding
            if existing.init is None and init is not None:
                existing.init = init
            binding = existing
        else:
            # a declaration inside a named function expression shadows the function's own name
            binding = Binding(name, kind, scope, name_node, declaration, init)
            scope.variables[name] = binding
        if init is not None or written:
            binding.add_reference(Reference(name, name_node, scope, False, True, declaration, True, binding))
        return binding

    def _hoist_block_functions(self) -> None:
        """Annex B.3.3: in sloppy code a function declared in a block is also a `var` of the
        enclosing function (or script), unless a `let`/`const`/`class` of the same name in between
        would clash. ESLint's scope manager keeps it in the block; the runtime does not, and an
        assignment to the name after the block creates no global."""
        for b in self._annex_b:
            target = b.scope.variable_scope
            if b.name in target.variables:
                continue
            s = b.scope.parent
            while s is not None and s is not target:
                other = s.variables.get(b.name)
                if other is not None and other.kind is not BindingKind.CATCH:
                    break
                s = s.parent
            else:
                target.variables[b.name] = Binding(b.name, BindingKind.FUNCTION, target, b.node, b.declaration)

    def release(self) -> None:
        """Break the cycles between scopes, bindings and references (see `SemanticModel.release`)."""
        for scope in self.scopes:
            for binding in scope.variables.values():
                binding._refs = []
            scope.variables = {}
            scope.children = []
            scope.parent = None
            scope.variable_scope = None  # type: ignore[assignment]
            scope.resolver = None
        self.scopes = []
        self._scopes_sorted = []
        self._refs = {}
        self.writes = []
        self.calls = []
        self.wrapped_calls = []
        self.constructs = []

    # --- resolution -----------------------------------------------------------------------------

    def _resolve(self, ref: Reference) -> None:
        name = ref.name
        s: Scope | None = ref.scope
        while s is not None:
            b = s.variables.get(name)
            if b is None and name == "arguments" and self._has_arguments(s):
                b = s.variables["arguments"] = Binding("arguments", BindingKind.ARGUMENTS, s, None, s.node)
            if b is not None:
                if s.kind is ScopeKind.FUNCTION and b.node is not None and ref.node.start_byte < b.node.start_byte \
                        and s.parent is not None and ref.node.start_byte < self._body_start_of(s) <= b.node.start_byte:
                    # a parameter default does not see the function body's declarations:
                    # `function f(a = x) { var x; }` reads the outer `x`
                    s = s.parent
                    continue
                ref.binding = b
                b.add_reference(ref)
                return
            s = s.parent

    def _body_start_of(self, scope: Scope) -> int:
        start = self._body_start.get(id(scope))
        if start is None:
            body = scope.node.child_by_field_name("body")
            start = self._body_start[id(scope)] = body.start_byte if body is not None else -1
        return start

    def _has_arguments(self, scope: Scope) -> bool:
        """Non-arrow functions have an implicit `arguments`, and so does the function Node wraps
        around a CommonJS module."""
        if scope.kind is ScopeKind.FUNCTION:
            return scope.node.type != "arrow_function" and scope.node.type != "class_static_block"
        return scope.kind is ScopeKind.MODULE and self.source_type is SourceType.COMMONJS

    @cached_property
    def comments(self) -> list[ts.Node]:
        """Every comment, in source order (found when first asked: only suppressions read them)."""
        caps = ts.QueryCursor(_comment_query(self.language)).captures(self.root)
        return sorted(caps.get("comment", ()), key=_start)

    def in_norefs(self, pos: int) -> bool:
        """Whether byte `pos` is inside TypeScript types or `declare` (no runtime code there)."""
        i = bisect.bisect_right(self._norefs_starts, pos) - 1
        return i >= 0 and pos < self._norefs_ends[i]

    def reference_at(self, node: ts.Node) -> Reference | None:
        """The reference an identifier makes (created and resolved on first request); None if it is none."""
        start = node.start_byte
        try:
            return self._refs[start]
        except KeyError:
            pass
        ref = None
        if start not in self._not_refs and node.type in _REF_TYPES and not self.in_norefs(start):
            name = node.text.decode("utf-8", "replace")
            # tree-sitter reads `await (a, b)(c)` as a call of a function named `await`
            if name != "await":
                ref = Reference(name, node, self.scope_at(start), True, False)
                self._resolve(ref)
        self._refs[start] = ref
        return ref

    def references_of(self, binding: Binding) -> None:
        """Resolve every identifier that could refer to `binding`: those of its name inside its scope."""
        node = binding.scope.node
        for n in self._identifiers(binding.name, node.start_byte, node.end_byte):
            self.reference_at(n)

    def references_named(self, names: tuple[str, ...]) -> list[Reference]:
        """The references made by identifiers with these names, anywhere in the file, in source order."""
        out = []
        for name in names:
            for n in self._identifiers(name, 0, len(self.source)):
                ref = self.reference_at(n)
                if ref is not None:
                    out.append(ref)
        out.sort(key=lambda r: r.node.start_byte)
        return out

    def all_references(self) -> list[Reference]:
        """Every reference in the file (resolves them all: only for whole-file questions)."""
        caps = ts.QueryCursor(_identifier_query(self.language)).captures(self.root)
        out = []
        for n in sorted(caps.get("id", ()), key=_start):
            ref = self.reference_at(n)
            if ref is not None:
                out.append(ref)
        return out

    def _identifiers(self, name: str, lo: int, hi: int) -> list[ts.Node]:
        """The identifier nodes spelled `name` that start in [lo, hi), in source order.

        The source text is searched for the name and each hit is checked against the tree (a hit in
        a string, a comment or a longer word is no identifier of that name)."""
        word = name.encode("utf-8")
        if self._words is None and self._searched > _INDEX_AFTER * len(self.source):
            self._words = {}
            for m in _WORD.finditer(self.source):
                self._words.setdefault(m.group(), []).append(m.start())
        if self._words is not None:
            starts = self._words.get(word, [])
            starts = starts[bisect.bisect_left(starts, lo):bisect.bisect_left(starts, hi)]
        else:
            self._searched += hi - lo
            src = self.source
            starts = [i for m in _word_pattern(word).finditer(src, lo, hi)
                      if (i := m.start()) == 0 or src[i - 1] not in _WORD_BYTES]
        out = []
        end_of = len(word)
        find = self.root.descendant_for_byte_range
        for start in starts:
            n = find(start, start + end_of)
            if n is not None and n.start_byte == start and n.end_byte == start + end_of and n.type in _REF_TYPES:
                out.append(n)
        return out


# how many times its own length of source the name searches may scan before the whole-file word
# index is built instead. Building it costs as much as 30 to 70 searches of the whole file (measured
# on typescript.js, 9 MB); paying for searches until they have cost about that much, then building
# it (rent, then buy), never costs much more than twice the cheaper of the two
_INDEX_AFTER = 48
# a word of JavaScript source (identifier characters; any non-ASCII byte counts as one)
_WORD = re.compile(rb"[A-Za-z_$\\\x80-\xff][\w$\\\x80-\xff]*")


@lru_cache(maxsize=4096)
def _word_pattern(word: bytes) -> re.Pattern[bytes]:
    return re.compile(re.escape(word) + rb"(?![\w$\x80-\xff])")  # the byte before is checked by the caller


_WORD_BYTES = frozenset(b"$\\_0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ") | frozenset(range(0x80, 0x100))


@lru_cache(maxsize=None)
def _comment_query(language: ts.Language) -> ts.Query:
    return ts.Query(language, "(comment) @comment")


@lru_cache(maxsize=None)
def _identifier_query(language: ts.Language) -> ts.Query:
    return ts.Query(language, "[(identifier) (shorthand_property_identifier) (shorthand_property_identifier_pattern)] @id")


_first = operator.itemgetter(0)


def _start(node: ts.Node) -> int:
    return node.start_byte

