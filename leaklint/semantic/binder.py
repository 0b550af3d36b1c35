"""The binder: one TreeCursor pass that builds scopes, bindings and references.

Semantics follow eslint-scope, since ESLint's `no-undef` / `no-implicit-globals` are what users
compare with: `var` hoists to the nearest function/module/global scope, function declarations to
the top of their block, `let`/`const`/`class` are block-scoped, references are resolved after the
whole file has been bound (so hoisted and later declarations are seen), a parameter default does
not see the function body's declarations, and an unresolved *write* in sloppy code creates an
implicit global. One deliberate difference, where the runtime and ESLint disagree: in sloppy code
a function declared in a block is also a `var` of its function (Annex B.3.3), so assigning it
after the block creates no global. TypeScript-only syntax (types, interfaces, the contents of
`declare namespace`/`declare module`) creates no runtime references.

The walk is iterative (a cursor and an explicit stack): a 3000-term expression or 10,000 levels
of nesting cannot overflow Python's recursion limit.
"""

from __future__ import annotations

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
from leaklint.syntax import FUNCTION_TYPES, string_value

# modes: how an identifier met in this position is classified
EXPR = 0  # a read
NONE = 1  # not a variable at all (labels, property names, type-only positions)
DECL = 2  # declares a binding; info = (kind, declaration node, scope override or None)
ASSIGN = 3  # a plain write (assignment target, for-in target); info = write node
RW = 4  # read and write (`x += 1`, `x++`); info = write node
AMBIENT = 5  # inside `declare ...`: declarations without runtime references; info = declare-global flag
SKIP = 6  # subtree is never visited

CLASS_TYPES = frozenset({"class_declaration", "class", "abstract_class_declaration"})
PATTERN_CONTAINERS = frozenset({"object_pattern", "array_pattern", "rest_pattern", "pattern"})
# TypeScript-only subtrees: no runtime names inside
TYPE_ONLY = frozenset(
    {
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
        "type_identifier",
        "nested_type_identifier",
        "predefined_type",
        "type_query",
        "type_predicate",
        "asserts",
        "accessibility_modifier",
        "override_modifier",
        "enum_body",
    }
)
# nodes worth indexing for the rules and the lifetime analysis
INDEXED = frozenset(
    {
        "call_expression",
        "new_expression",
        "assignment_expression",
        "augmented_assignment_expression",
        "update_expression",
        "export_statement",
        "return_statement",
        "field_definition",
        "public_field_definition",
        "for_statement",
        "for_in_statement",
        "while_statement",
        "do_statement",
        "delete_expression",
    }
    | FUNCTION_TYPES
    | CLASS_TYPES
)

_DECL_KIND = {
    "var": BindingKind.VAR,
    "let": BindingKind.LET,
    "const": BindingKind.CONST,
    "using": BindingKind.USING,
    "await": BindingKind.USING,  # `await using`
}


def _is_skipped_type(t: str) -> bool:
    return t in TYPE_ONLY or t.endswith("_type") or t.endswith("_annotation")


def has_use_strict(body: ts.Node | None) -> bool:
    """Whether a program or function body opens with a `'use strict'` directive."""
    if body is None or body.type not in ("statement_block", "program"):
        return False
    for child in body.named_children:
        t = child.type
        if t == "comment" or t == "hash_bang_line":
            continue
        if t != "expression_statement":
            return False
        expr = child.named_child(0)
        if expr is None or expr.type != "string":
            return False
        if string_value(expr) == "use strict":
            return True
    return False


class Binder:
    """Builds the scope tree of one file. Use `bind()`; the result lives on the instance."""

    def __init__(self, root: ts.Node, source_type: SourceType) -> None:
        self.root = root
        self.source_type = source_type
        self.scopes: list[Scope] = []
        self.scope_by_node: dict[int, Scope] = {}
        self.index: dict[str, list[tuple[ts.Node, Scope]]] = {}
        self.comments: list[ts.Node] = []
        self._annex_b: list[Binding] = []  # block-level function declarations in sloppy code
        self.global_scope: Scope
        self.module_scope: Scope  # the scope top-level declarations go to

    # --- scopes ---------------------------------------------------------------------------------

    def _push(self, kind: ScopeKind, node: ts.Node, parent: Scope | None, strict: bool) -> Scope:
        scope = Scope(kind, node, parent, strict)
        scope.variable_scope = scope if (kind in VARIABLE_SCOPE_KINDS or parent is None) else parent.variable_scope
        if parent is not None:
            parent.children.append(scope)
            scope.dynamic = parent.dynamic
        self.scopes.append(scope)
        self.scope_by_node[node.id] = scope
        return scope

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
        assigns without a value of its own (`const {a} = o`, `for (const k in o)`)."""
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
            ref = Reference(name, name_node, scope, False, True, declaration, True, binding)
            binding.references.append(ref)
        return binding

    def _reference(self, scope: Scope, node: ts.Node, read: bool, write: bool, write_expr: ts.Node | None) -> None:
        name = node.text.decode("utf-8", "replace")
        if name == "await" and not write:
            return  # tree-sitter reads `await (a, b)(c)` as a call of a function named `await`
        scope.references.append(Reference(name, node, scope, read, write, write_expr))

    # --- the walk -------------------------------------------------------------------------------

    def bind(self) -> "Binder":
        root = self.root
        st = self.source_type
        strict_program = st is SourceType.MODULE or has_use_strict(root)
        glob = self._push(ScopeKind.GLOBAL, root, None, strict_program and st is SourceType.SCRIPT)
        self.global_scope = glob
        if st is SourceType.SCRIPT:
            top = glob
        else:
            # ES module scope, or the function scope Node wraps around a CommonJS module
            top = Scope(ScopeKind.MODULE, root, glob, strict_program)
            top.variable_scope = top
            glob.children.append(top)
            self.scopes.append(top)
        self.module_scope = top
        self.scope_by_node[root.id] = top

        index = self.index
        comments = self.comments
        cursor = root.walk()
        # stack entries: (node type, mode, info, scope, popped-scope flag, node)
        stack: list[tuple] = [("program", EXPR, None, top, False, root)]
        if not cursor.goto_first_child():
            self._resolve()
            return self
        while True:
            node = cursor.node
            ptype, pmode, pinfo, scope, _, pnode = stack[-1]
            new_scope = scope
            if not node.is_named:
                # keywords and punctuation: nothing to bind, no children
                while not cursor.goto_next_sibling():
                    if not cursor.goto_parent():
                        self._resolve()
                        return self
                    stack.pop()
                    if not stack:
                        self._resolve()
                        return self
                continue
            t = node.type
            descend = True
            mode, info = self._child_mode(ptype, pmode, pinfo, cursor.field_name, t, pnode, node, scope)
            if mode == SKIP:
                descend = False
            elif t == "identifier" or t == "shorthand_property_identifier_pattern":
                descend = False
                if mode == EXPR:
                    self._reference(scope, node, True, False, None)
                elif mode == DECL:
                    kind, decl, override = info[0], info[1], info[2]
                    target = override if override is not None else scope
                    if ptype == "variable_declarator":
                        self._declare(target, node, kind, decl, decl.child_by_field_name("value"))
                    elif decl is not None and (
                            len(info) > 3 or ptype == "assignment_pattern" or ptype == "object_assignment_pattern"
                            or decl.type == "for_in_statement"
                            or (decl.type == "variable_declarator" and decl.child_by_field_name("value") is not None)):
                        # a default value, a for-in/of variable, or a name in a destructuring
                        # pattern: written, but not with the declarator's whole initialiser
                        self._declare(target, node, kind, decl, None, True)
                    else:
                        self._declare(target, node, kind, decl)
                elif mode == ASSIGN:
                    self._reference(scope, node, False, True, info)
                elif mode == RW:
                    self._reference(scope, node, True, True, info)
                elif mode == AMBIENT:
                    self._ambient_name(node, ptype, scope, info)
            elif t == "shorthand_property_identifier":
                descend = False
                if mode != NONE and mode != AMBIENT:
                    self._reference(scope, node, True, False, None)
            elif t == "comment":
                descend = False
                comments.append(node)
            elif mode == AMBIENT or mode == NONE:
                pass
            else:
                if t in INDEXED:
                    lst = index.get(t)
                    if lst is None:
                        index[t] = lst = []
                    lst.append((node, scope))
                new_scope = self._open_scope(t, node, scope, ptype)

            if descend and cursor.goto_first_child():
                stack.append((t, mode, info, new_scope, new_scope is not scope, node))
                continue
            # no children (or skipped): move on to the next sibling, climbing as needed
            while not cursor.goto_next_sibling():
                if not cursor.goto_parent():
                    self._resolve()
                    return self
                stack.pop()
                if not stack:
                    self._resolve()
                    return self

    def _open_scope(self, t: str, node: ts.Node, scope: Scope, parent_type: str | None = None) -> Scope:
        if t in FUNCTION_TYPES:
            strict = scope.is_strict or has_use_strict(node.child_by_field_name("body"))
            if t in ("function_declaration", "generator_function_declaration"):
                name = node.child_by_field_name("name")
                if name is not None:
                    b = self._declare(scope, name, BindingKind.FUNCTION, node)
                    if not scope.is_strict and scope.variable_scope is not scope:
                        self._annex_b.append(b)  # a sloppy function in a block: also a `var` (Annex B.3.3)
            fscope = self._push(ScopeKind.FUNCTION, node, scope, strict)
            if t in ("function_expression", "function", "generator_function"):
                name = node.child_by_field_name("name")
                if name is not None:
                    self._declare(fscope, name, BindingKind.FUNCTION_NAME, node)
            return fscope
        if t == "statement_block":
            # node.parent costs a walk from the root in tree-sitter: take the type the walk already knows
            if parent_type is None:
                parent = node.parent
                parent_type = parent.type if parent is not None else None
            if parent_type is not None and (parent_type in FUNCTION_TYPES or parent_type in ("internal_module", "module")):
                return scope  # a function's body shares the function scope
            return self._push(ScopeKind.BLOCK, node, scope, scope.is_strict)
        if t in CLASS_TYPES:
            name = node.child_by_field_name("name")
            if t != "class" and name is not None:
                self._declare(scope, name, BindingKind.CLASS, node)
            cscope = self._push(ScopeKind.CLASS, node, scope, True)
            if t == "class" and name is not None:
                self._declare(cscope, name, BindingKind.CLASS, node)
            return cscope
        if t == "for_statement" or t == "for_in_statement":
            return self._push(ScopeKind.FOR, node, scope, scope.is_strict)
        if t == "catch_clause":
            return self._push(ScopeKind.CATCH, node, scope, scope.is_strict)
        if t == "switch_body":
            return self._push(ScopeKind.SWITCH, node, scope, scope.is_strict)
        if t == "with_statement":
            w = self._push(ScopeKind.WITH, node, scope, scope.is_strict)
            w.dynamic = True
            return w
        if t == "class_static_block":
            return self._push(ScopeKind.FUNCTION, node, scope, True)
        if t in ("internal_module", "module"):
            name = node.child_by_field_name("name")
            if name is not None and name.type == "identifier":
                self._declare(scope, name, BindingKind.NAMESPACE, node)
            elif name is not None and name.type == "nested_identifier":
                first = name.named_child(0)
                while first is not None and first.type == "nested_identifier":
                    first = first.named_child(0)
                if first is not None and first.type == "identifier":
                    self._declare(scope, first, BindingKind.NAMESPACE, node)
            return self._push(ScopeKind.TS_MODULE, node, scope, scope.is_strict)
        if t == "enum_declaration":
            name = node.child_by_field_name("name")
            if name is not None:
                self._declare(scope, name, BindingKind.ENUM, node)
        return scope

    def _child_mode(
        self,
        ptype: str,
        pmode: int,
        pinfo,
        fname: str | None,
        t: str,
        pnode: ts.Node,
        node: ts.Node,
        scope: Scope,
    ) -> tuple[int, object]:
        if pmode == AMBIENT:
            if fname == "body" and (ptype == "internal_module" or ptype == "module"):
                return SKIP, None  # `declare namespace N { ... }`: only `N` is declared outside
            return AMBIENT, pinfo
        if _is_skipped_type(t):
            return SKIP, None
        if pmode == DECL or pmode == ASSIGN or pmode == RW:
            # inside a binding or assignment pattern
            if ptype in PATTERN_CONTAINERS or ptype == "array_pattern":
                return pmode, pinfo
            if ptype == "pair_pattern":
                return (pmode, pinfo) if fname == "value" else (EXPR, None)
            if ptype in ("assignment_pattern", "object_assignment_pattern"):
                if fname != "left":
                    return EXPR, None
                if pmode == DECL and len(pinfo) == 3:
                    return DECL, (*pinfo, True)  # names in a pattern with a default value are written
                return pmode, pinfo
            if ptype in ("required_parameter", "optional_parameter"):
                return (pmode, pinfo) if fname == "pattern" else (EXPR, None)
            if ptype in ("parenthesized_expression", "non_null_expression", "as_expression", "satisfies_expression"):
                return pmode, pinfo
            return EXPR, None
        # pmode is EXPR (or NONE)
        if ptype == "variable_declarator":
            if fname == "name":
                return DECL, (pinfo, pnode, None)
            return EXPR, None
        if t == "variable_declarator":
            if ptype == "variable_declaration":
                return EXPR, BindingKind.VAR
            if ptype == "lexical_declaration":
                kind_node = pnode.child_by_field_name("kind")
                kind = _DECL_KIND.get(kind_node.type if kind_node is not None else "let", BindingKind.LET)
                return EXPR, kind
            return EXPR, BindingKind.VAR
        if ptype == "formal_parameters":
            if t in ("identifier", "object_pattern", "array_pattern", "assignment_pattern", "rest_pattern",
                     "required_parameter", "optional_parameter"):
                return DECL, (BindingKind.PARAM, pnode, None)
            return EXPR, None
        if ptype == "arrow_function" and fname == "parameter":
            return DECL, (BindingKind.PARAM, pnode, None)
        if ptype == "catch_clause" and fname == "parameter":
            return DECL, (BindingKind.CATCH, pnode, None)
        if ptype == "assignment_expression" and fname == "left":
            return ASSIGN, pnode
        if ptype == "augmented_assignment_expression" and fname == "left":
            return RW, pnode
        if ptype == "update_expression" and fname == "argument":
            return RW, pnode
        if ptype == "for_in_statement" and fname == "left":
            kind_node = pnode.child_by_field_name("kind")
            if kind_node is not None:
                kind = _DECL_KIND.get(kind_node.type, BindingKind.VAR)
                return DECL, (kind, pnode, None)
            return ASSIGN, pnode
        if fname == "name":
            if ptype == "internal_module" or ptype == "module":
                return SKIP, None  # declared when the scope opened (`namespace A.B` too)
            if t == "identifier" and (ptype in FUNCTION_TYPES or ptype in CLASS_TYPES or ptype in (
                "enum_declaration", "function_signature",
            )):
                return NONE, None  # declared when the scope opened
            if ptype in ("jsx_opening_element", "jsx_self_closing_element"):
                # eslint-scope: `<Foo>` and `<a.b>` reference a variable, `<div>` and `<svg:rect>` do not
                if t == "identifier":
                    first = node.text[:1]
                    return (EXPR if first.isupper() or first == b"_" or first == b"$" else NONE), None
                if t == "member_expression":
                    base = node.child_by_field_name("object")
                    while base is not None and base.type == "member_expression":
                        base = base.child_by_field_name("object")
                    return (SKIP if base is not None and base.text == b"this" else EXPR), None
                return SKIP, None
            if ptype == "jsx_closing_element":
                return SKIP, None  # the opening tag holds the reference
        if ptype in ("import_clause", "namespace_import", "import_require_clause"):
            return (DECL, (BindingKind.IMPORT, pnode, None)) if t == "identifier" else (EXPR, None)
        if ptype == "import_specifier":
            local = "alias" if pnode.child_by_field_name("alias") is not None else "name"
            return ((DECL, (BindingKind.IMPORT, pnode, None)) if fname == local else (NONE, None))
        if ptype == "import_alias":
            # TypeScript `import A = B.C`: declares `A`, reads `B`
            if t == "identifier" and node == pnode.named_child(0):
                return DECL, (BindingKind.IMPORT, pnode, None)
            return EXPR, None
        if t == "import_statement" and ptype != "program":
            return NONE, None
        if ptype == "namespace_export":
            return NONE, None  # `export * as ns from "m"` names nothing local
        if ptype == "export_specifier":
            if fname == "alias":
                return NONE, None
            # `export { a } from "m"` names nothing local
            stmt = pnode.parent.parent if pnode.parent is not None else None
            if stmt is not None and stmt.child_by_field_name("source") is not None:
                return NONE, None
            return EXPR, None
        if t == "ambient_declaration":
            first = node.child(1)
            return AMBIENT, bool(first is not None and first.type == "global")
        if t == "function_signature":
            name = node.child_by_field_name("name")
            if name is not None:
                self._declare(scope, name, BindingKind.FUNCTION, node)
            return SKIP, None
        if t in ("statement_identifier", "property_identifier", "private_property_identifier", "meta_property"):
            return NONE, None
        if t == "jsx_namespace_name":
            return SKIP, None  # `xlink:href`, `<svg:rect>`: names, not variables
        if ptype == "enum_declaration":
            return NONE, None
        return EXPR, None

    def _ambient_name(self, node: ts.Node, ptype: str, scope: Scope, declare_global: bool) -> None:
        if ptype not in ("variable_declarator", "function_signature", "class_declaration",
                         "abstract_class_declaration", "internal_module", "module", "enum_declaration",
                         "function_declaration"):
            return
        parent = node.parent
        if parent is None or parent.child_by_field_name("name") != node:
            return
        target = self.global_scope if declare_global else scope
        self._declare(target, node, BindingKind.DECLARED, parent)

    # --- resolution -----------------------------------------------------------------------------

    def _resolve(self) -> None:
        self._hoist_block_functions()
        # (scope, name) -> what the name resolves to from that scope; every scope on a lookup's path
        # is remembered, so deeply nested scopes cost linear rather than quadratic time
        memo: dict[tuple[int, str], Binding | None] = {}
        body_start: dict[int, int] = {}
        for scope in self.scopes:
            for ref in scope.references:
                found = self._lookup(scope, ref.name, memo)
                if found is not None and found.node is not None and found.scope.kind is ScopeKind.FUNCTION:
                    start = ref.node.start_byte
                    if start < found.node.start_byte:
                        fscope = found.scope
                        body = body_start.get(id(fscope))
                        if body is None:
                            b = fscope.node.child_by_field_name("body")
                            body = body_start[id(fscope)] = b.start_byte if b is not None else -1
                        if start < body <= found.node.start_byte and fscope.parent is not None:
                            # a parameter default does not see the function body's declarations:
                            # `function f(a = x) { var x; }` reads the outer `x`
                            found = self._lookup(fscope.parent, ref.name, memo)
                if found is not None:
                    ref.binding = found
                    found.references.append(ref)

    def _lookup(self, scope: Scope, name: str, memo: dict[tuple[int, str], Binding | None]) -> Binding | None:
        path: list[tuple[int, str]] = []
        found: Binding | None = None
        s: Scope | None = scope
        while s is not None:
            key = (id(s), name)
            if key in memo:
                found = memo[key]
                break
            path.append(key)
            b = s.variables.get(name)
            if b is not None:
                found = b
                break
            if name == "arguments" and self._has_arguments(s):
                found = Binding("arguments", BindingKind.ARGUMENTS, s, None, s.node)
                s.variables["arguments"] = found
                break
            s = s.parent
        for key in path:
            memo[key] = found
        return found

    def _has_arguments(self, scope: Scope) -> bool:
        """Non-arrow functions have an implicit `arguments`, and so does the function Node wraps
        around a CommonJS module."""
        if scope.kind is ScopeKind.FUNCTION:
            return scope.node.type != "arrow_function" and scope.node.type != "class_static_block"
        return scope.kind is ScopeKind.MODULE and self.source_type is SourceType.COMMONJS

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
