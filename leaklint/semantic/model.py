"""The semantic model of one file: what rules ask instead of re-deriving scopes from syntax."""

from __future__ import annotations

import json
from functools import cached_property, lru_cache
from importlib import resources
from typing import Iterator

import tree_sitter as ts

from leaklint.semantic.binder import INDEXED_CALLEES, Binder
from leaklint.semantic.lifetime import callee_name
from leaklint.syntax import FUNCTION_TYPES, ParsedFile, language
from leaklint.semantic.scope import Binding, Reference, Scope, ScopeKind, SourceType

DEFAULT_ENVIRONMENTS = ("builtin", "node", "commonjs", "browser", "shared-node-browser", "worker")


@lru_cache(maxsize=None)
def _globals_data() -> dict[str, dict[str, bool]]:
    with resources.files("leaklint.data").joinpath("globals.json").open("r", encoding="utf-8") as fh:
        return json.load(fh)


@lru_cache(maxsize=64)
def known_globals(environments: tuple[str, ...] = DEFAULT_ENVIRONMENTS, extra: tuple[str, ...] = ()) -> frozenset[str]:
    data = _globals_data()
    names: set[str] = set()
    for env in environments:
        names.update(data.get(env, ()))
    names.update(extra)
    return frozenset(names)


def environment_names() -> list[str]:
    return sorted(_globals_data())


def _outer_first(entry: tuple[ts.Node, object]) -> tuple[int, int]:
    return entry[0].start_byte, -entry[0].end_byte


ASSIGNMENT_TYPES = ("assignment_expression", "augmented_assignment_expression", "update_expression")


def _outer_first_node(node: ts.Node) -> tuple[int, int]:
    return node.start_byte, -node.end_byte


def _plain_callee_name(call: ts.Node) -> ts.Node | None:
    """The name node a call calls by: `f` of `f()`, `f` of `a.b.f()`; None for a wrapped callee."""
    fn = call.child_by_field_name("function")
    if fn is not None and fn.type == "member_expression":
        return fn.child_by_field_name("property")
    return fn if fn is not None and fn.type == "identifier" else None


@lru_cache(maxsize=None)
def _call_query(lang: ts.Language) -> ts.Query:
    return ts.Query(lang, "(call_expression) @call")


class SemanticModel:
    def __init__(self, parsed: ParsedFile, source_type: SourceType, globals_: frozenset[str] | None = None) -> None:
        root = parsed.root
        self.root = root
        self.source_type = source_type
        self._language = language(parsed.dialect)
        binder = Binder(root, source_type, parsed.source, self._language).bind()
        self._binder = binder
        self.global_scope: Scope = binder.global_scope
        self.module_scope: Scope = binder.module_scope
        self.scopes: list[Scope] = binder.scopes
        self._scope_by_node: dict[int, Scope] = binder.scope_by_node
        self._index = binder.index
        self._index_sorted: set[str] = set()
        self._calls: dict[str, list[ts.Node]] = {}  # callee name -> its calls, found on first request
        self._all_calls: list[ts.Node] | None = None  # every call, for names the binder does not index
        self.known_globals = globals_ if globals_ is not None else known_globals()

    # --- nodes ----------------------------------------------------------------------------------

    def nodes(self, *types: str) -> Iterator[tuple[ts.Node, Scope]]:
        """Indexed nodes of the given types with the scope they occur in, in source order per type."""
        for t in types:
            lst = self._indexed(t)
            if not lst:
                continue
            for i, (node, scope) in enumerate(lst):
                if scope is None:  # found by position the first time it is asked
                    scope = self.scope_at(node)
                    lst[i] = (node, scope)
                yield node, scope

    def _indexed(self, t: str) -> list[tuple[ts.Node, Scope | None]]:
        """The index entries of one node type, put in source order (outer first) on first use."""
        lst = self._index.get(t)
        if lst is None:
            return []
        if t not in self._index_sorted:
            self._index_sorted.add(t)
            lst.sort(key=_outer_first)
        return lst

    def release(self) -> None:
        """Break the model's reference cycles (scopes, bindings and references point at each other,
        the analyses cached on the model point back at it), so that its memory is returned as soon
        as the checker drops it rather than at the next cyclic garbage collection: otherwise the
        model of a 9 MB file is still alive while the next file is analysed. The model is not
        usable afterwards."""
        self._binder.release()
        self.__dict__.clear()

    @property
    def comments(self) -> list[ts.Node]:
        """Every comment of the file, in source order."""
        return self._binder.comments

    def nodes_of(self, *types: str) -> Iterator[ts.Node]:
        """Indexed nodes of the given types, in source order per type (`nodes` without the scopes)."""
        for t in types:
            for node, _ in self._indexed(t):
                yield node

    def assignments(self, *groups: str, types: tuple[str, ...] = ASSIGNMENT_TYPES) -> list[ts.Node]:
        """The assignments, compound assignments and updates of the binder's `groups`
        (`assign.subscript`, `assign.this`, ...: see `binder._assignment_patterns`) whose node type
        is one of `types`: each once, type by type in the order of `types`, in source order within a
        type (as `nodes_of(*types)` lists them). A group is a superset: the caller still tests each node."""
        found: dict[int, ts.Node] = {}
        for group in groups:
            for node, _ in self._indexed(group):
                found[node.id] = node
        if len(groups) > 1:
            nodes = sorted(found.values(), key=_outer_first_node)
        else:
            nodes = list(found.values())
        return [n for t in types for n in nodes if n.type == t]

    def calls_named(self, *names: str) -> list[ts.Node]:
        """Calls whose callee's last name is one of `names` (`a.b.on(...)` and `on(...)` are both
        calls of "on"), in source order (an outer call before a call inside its callee)."""
        found: list[ts.Node] = []
        for name in dict.fromkeys(names):
            calls = self._calls.get(name)
            if calls is None:
                calls = list(self._calls_by_name.get(name.encode("utf-8"), ()))
                if name not in INDEXED_CALLEES:
                    calls.extend(self._unindexed_calls(name))
                calls.sort(key=_outer_first_node)
                self._calls[name] = calls
            found.extend(calls)
        if len(names) > 1:
            found.sort(key=_outer_first_node)
        return found

    @cached_property
    def _calls_by_name(self) -> dict[bytes, list[ts.Node]]:
        """The binder's calls by their callee's name: the function's name, or the property's
        (`a.b.f()`); a wrapped callee (`(a.b)(...)`, `f!(...)`) by the name inside."""
        groups: dict[bytes, list[ts.Node]] = {}
        for call in self._binder.calls:
            name = _plain_callee_name(call)
            if name is not None:
                groups.setdefault(name.text, []).append(call)
        for call in self._binder.wrapped_calls:
            name = callee_name(call)
            if name:
                groups.setdefault(name.encode("utf-8"), []).append(call)
        return groups

    def constructions(self, name: str) -> list[ts.Node]:
        """`new name(...)` expressions (the constructor a plain identifier), outside types, in
        source order: whichever binding each name resolves to."""
        return self._constructions_by_name.get(name.encode("utf-8"), [])

    @cached_property
    def _constructions_by_name(self) -> dict[bytes, list[ts.Node]]:
        groups: dict[bytes, list[ts.Node]] = {}
        for expr in sorted(self._binder.constructs, key=_outer_first_node):
            ctor = expr.child_by_field_name("constructor")
            if ctor is not None:
                groups.setdefault(ctor.text, []).append(expr)
        return groups

    def _unindexed_calls(self, name: str) -> list[ts.Node]:
        """Calls of a name the binder does not index, plain or member (`f()`, `a.f()`), outside types
        and `declare`: from one query over the whole file, made on the first such name."""
        if self._all_calls is None:
            self._all_calls = self.calls_within(self.root)
        word = name.encode("utf-8")
        out = []
        for call in self._all_calls:
            callee = _plain_callee_name(call)  # a wrapped callee is among the binder's
            if callee is not None and callee.text == word and not self._binder.in_norefs(callee.start_byte):
                out.append(call)
        return out

    def calls_within(self, node: ts.Node) -> list[ts.Node]:
        """Every call inside `node`, in source order (found by a query over that range only)."""
        cursor = ts.QueryCursor(_call_query(self._language))
        cursor.set_byte_range(node.start_byte, node.end_byte)
        calls = cursor.captures(node).get("call", [])
        calls.sort(key=_outer_first_node)
        return calls

    def scope_of_function(self, fn: ts.Node) -> Scope | None:
        """The scope a function (or class, block...) node opens."""
        return self._scope_by_node.get(fn.id)

    def scope_at(self, node: ts.Node) -> Scope:
        """The innermost scope in which `node` occurs (for a function node: the scope around it)."""
        start, end = node.start_byte, node.end_byte
        s = self._binder.scope_at(start)
        # not a scope `node` opens itself, nor one opened by a node inside it at the same byte
        while s.parent is not None and s is not self.module_scope and \
                start <= s.node.start_byte and s.node.end_byte <= end:
            s = s.parent
        return s

    # --- references -----------------------------------------------------------------------------

    def _declared_by(self, identifier: ts.Node) -> Binding | None:
        """The binding an identifier declares: in a scope around it (the innermost first, as a block's
        function is before its Annex B copy in the function's scope) with the identifier as its node."""
        name = identifier.text.decode("utf-8", "replace")
        nid = identifier.id
        scope: Scope | None = self._binder.scope_at(identifier.start_byte)
        while scope is not None:
            b = scope.variables.get(name)
            if b is not None and b.node is not None and b.node.id == nid:
                return b
            scope = scope.parent
        return None

    def reference(self, identifier: ts.Node) -> Reference | None:
        """The reference an identifier makes; None for a declared name or a name that is no variable."""
        return self._binder.reference_at(identifier)

    def resolve(self, identifier: ts.Node) -> Binding | None:
        """The binding an identifier refers to or declares; None when it names a global."""
        ref = self._binder.reference_at(identifier)
        if ref is not None:
            return ref.binding
        return self._declared_by(identifier)

    def is_global_name(self, identifier: ts.Node | None, *names: str) -> bool:
        """True when `identifier` is a reference that resolves to the global of that name (not a local)."""
        if identifier is None or identifier.type != "identifier":
            return False
        ref = self._binder.reference_at(identifier)
        if ref is None or ref.binding is not None:
            return False
        return not names or ref.name in names

    def bindings(self) -> Iterator[Binding]:
        for scope in self.scopes:
            yield from scope.variables.values()

    def is_module_level(self, binding: Binding) -> bool:
        """Lives as long as the module: declared at the top of a module, CommonJS file or script."""
        s = binding.scope
        while s.kind is ScopeKind.TS_MODULE and s.parent is not None:
            s = s.parent
        return s is self.module_scope or s is self.global_scope

    @cached_property
    def unresolved(self) -> list[Reference]:
        """References that resolve to no binding in the file (globals, known or not). This resolves
        every identifier of the file: ask `global_references` for particular names."""
        return [r for r in self.all_references() if r.binding is None]

    def all_references(self) -> list[Reference]:
        """Every reference in the file, in source order (not the writes declarations make
        themselves). This resolves every identifier: for whole-file questions only."""
        return self._binder.all_references()

    def global_references(self, *names: str) -> list[Reference]:
        """References to the globals of these names (only identifiers of these names are resolved)."""
        return [r for r in self._binder.references_named(names) if r.binding is None]

    @cached_property
    def implicit_globals(self) -> list[Reference]:
        """Unresolved writes in sloppy code to names that are not known globals (eslint-scope's `implicit`)."""
        out = []
        for ref in self._binder.writes:
            if ref.binding is not None or ref.scope.is_strict or ref.scope.dynamic:
                continue
            if ref.name in self.known_globals:
                continue
            out.append(ref)
        return out

    # --- structure ------------------------------------------------------------------------------

    def enclosing_functions(self, node: ts.Node) -> Iterator[ts.Node]:
        """The chain of enclosing functions, innermost first: read from the scopes (every function
        opens one), since climbing with `Node.parent` costs a descent from the root per step."""
        s: Scope | None = self.scope_at(node)
        while s is not None:
            if s.kind is ScopeKind.FUNCTION and s.node.type in FUNCTION_TYPES:
                yield s.node
            s = s.parent

    def enclosing_function(self, node: ts.Node) -> ts.Node | None:
        return next(self.enclosing_functions(node), None)

    @cached_property
    def lifetime(self):
        """Which code runs repeatedly and which values are long-lived (see `lifetime.Lifetime`)."""
        from leaklint.semantic.lifetime import Lifetime

        return Lifetime(self)
