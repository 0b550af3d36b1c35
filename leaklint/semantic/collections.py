"""Collections: which array, object, Map or Set an expression denotes, and everything done to it.

The growth rules ask the same things about a collection: which one is this (`cache`,
`const c = cache; c[k]`, `this.items`, `state.items`, `const { items } = state`), what was it
created as (`[]`, `{}`, `new Map()`, an LRU cache...), and is it ever shrunk, reset, bounded or
handed to code we cannot see. `Collections` answers them for one file.

A collection is identified by a `Key`: a root (a binding, the instances of a class, a class's
static side, or `module.exports`) and a property path. Every expression that denotes the
collection is an *occurrence*; aliases (`const c = cache`, destructuring, a local function's
parameter) are followed, so what a helper does to its argument counts. Each occurrence is
classified by what its context does with it (a `Use`).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Callable, Iterable, Iterator

import tree_sitter as ts

from leaklint.semantic.binder import CLASS_TYPES
from leaklint.semantic.imports import module_source
from leaklint.semantic.lifetime import Holder, Repeat, call_arguments, callee_name, class_name
from leaklint.semantic.scope import Binding, BindingKind
from leaklint.syntax import FUNCTION_TYPES, climb, string_value, text, unwrap, walk

if TYPE_CHECKING:
    from leaklint.semantic.model import SemanticModel

FIELD_TYPES = frozenset({"field_definition", "public_field_definition"})

# what a collection was created as
ARRAY, OBJECT, MAP, SET, WEAK, BOUNDED, NODE_CACHE = "array", "object", "map", "set", "weak", "bounded", "node-cache"

# use kinds
GROW = "grow"  # the collection gets bigger: push, set, add, o[k] = v
SHRINK = "shrink"  # entries are removed: shift, pop, splice, delete, clear, length = n
RESET = "reset"  # replaced by a fresh value by code that runs repeatedly
INIT = "init"  # given its value by code that runs once
BOUND = "bound"  # its size is compared with a limit
ESCAPE = "escape"  # handed to code this file does not show (returned, exported, stored, passed)
# what makes a collection bounded: anything removed, a reset, a size check, or code we cannot see
STOPPERS = frozenset({SHRINK, RESET, BOUND, ESCAPE})
READ = "read"

ARRAY_GROW = frozenset({"push", "unshift"})
ARRAY_SHRINK = frozenset({"shift", "pop"})
MAP_SHRINK = frozenset({"delete", "clear"})
# a `NodeCache` is emptied by these
NODE_CACHE_SHRINK = frozenset({"del", "take", "flushAll", "flushStats", "close"})
# `a = a.slice(-100)`, `a = a.filter(...)`: reassignment to a smaller copy
SHRINKING_COPIES = frozenset({"slice", "filter", "splice", "subarray"})
# global functions that only read a collection handed to them
READING_GLOBALS = frozenset({"Object", "JSON", "Array", "console", "Promise", "String", "Number", "Boolean",
                             "Reflect", "Math", "structuredClone", "encodeURIComponent", "isNaN", "parseInt",
                             "parseFloat", "Buffer", "Symbol", "BigInt", "Date", "RegExp", "Error"})
# `res.json(list)`, `socket.emit('x', list)`, `logger.info(list)`: sinks that serialise what they get
READING_METHODS = frozenset({"json", "send", "end", "write", "emit", "render", "log", "info", "warn", "error",
                             "debug", "trace", "stringify", "inspect", "format", "resolve", "reject", "includes",
                             "indexOf", "has", "get", "equal", "deepEqual", "strictEqual", "deepStrictEqual"})
# packages whose caches are bounded (size or age) by construction
# (mnemonist counts when the import names an LRU: `mnemonist/lru-cache`, `{ LRUCache } from "mnemonist"`)
BOUNDED_PACKAGES = frozenset({"lru-cache", "quick-lru", "@alloc/quick-lru", "tiny-lru", "lru", "lru_map", "lru.min",
                              "ylru", "hashlru", "flru", "toad-cache", "@isaacs/ttlcache"})
# parents that store a collection somewhere else (the file no longer sees everything done to it)
STORING_PARENTS = frozenset({"pair", "array", "export_specifier", "export_statement", "assignment_expression",
                             "augmented_assignment_expression", "field_definition", "public_field_definition"})
# `hasOwnProperty.call(cache, key)`: a membership test
PROPERTY_TESTS = frozenset({"hasOwnProperty", "propertyIsEnumerable", "isPrototypeOf"})
# methods that print or register a warning: `logger.warn(...)`, `util.deprecate(fn, msg)`
DIAGNOSTIC_METHODS = frozenset({"warn", "warning", "deprecate", "emitWarning"})
CONSOLE_WARNINGS = frozenset({"warn", "error", "trace"})
RELATIONAL = frozenset({"<", "<=", ">", ">="})


@dataclass(frozen=True, slots=True)
class Key:
    """Identity of a collection: a root and a property path (`state.items` is (state, ("items",)))."""

    root: tuple  # ("binding", Binding) | ("this", class id) | ("class", class id) | ("exports",)
    path: tuple[str, ...] = ()

    def child(self, prop: str) -> "Key":
        return Key(self.root, self.path + (prop,))

    @property
    def parent(self) -> "Key | None":
        return Key(self.root, self.path[:-1]) if self.path else None


@dataclass(frozen=True, slots=True)
class Use:
    """One thing done to a collection."""

    kind: str  # GROW, SHRINK, RESET, INIT, BOUND, ESCAPE, READ
    op: str  # "push", "set", "[key] =", "delete", "length =", "returned", ...
    node: ts.Node  # the whole operation (call, assignment...), for locations
    key: ts.Node | None = None  # the key or element a GROW adds (`k` in `o[k] = v`, `x` in `s.add(x)`)
    value: ts.Node | None = None  # the value an INIT/RESET assigns


ARRAY_GROWTH_CALLS = ("push", "unshift", "splice", "concat")


def array_growth_targets(model: "SemanticModel") -> Iterator[ts.Node | None]:
    """Expressions that may denote a growing array: `<x>.push(...)`, `<x>[i] = v`, `<x> = <x>.concat(...)`,
    `<x> = [...<x>, v]`."""
    for node in model.calls_named(*ARRAY_GROWTH_CALLS):
        fn = unwrap(node.child_by_field_name("function"))
        if fn is not None and fn.type == "member_expression":
            yield fn.child_by_field_name("object")
    for node in model.assignments("assign.subscript", "assign.copy", "assign.wrapped", types=("assignment_expression",)):
        left = unwrap(node.child_by_field_name("left"))
        if left is None:
            continue
        if left.type == "subscript_expression":
            yield left.child_by_field_name("object")
        elif left.type in ("identifier", "member_expression") and _grows_by_copy(node.child_by_field_name("right")):
            yield left


def _grows_by_copy(value: ts.Node | None) -> bool:
    """`... = <y>.concat(...)` or `... = [..., ...<y>]`: the only assignments that can grow an array
    (the rest are resets or copies, see `Collections._classify_assignment`)."""
    value = unwrap(value)
    if value is None:
        return False
    if value.type == "call_expression":
        fn = unwrap(value.child_by_field_name("function"))
        return fn is not None and fn.type == "member_expression" and text(fn.child_by_field_name("property")) == "concat"
    return value.type == "array" and any(c.type == "spread_element" for c in value.named_children)


def cache_growth_targets(model: "SemanticModel") -> Iterator[ts.Node | None]:
    """Expressions that may denote a growing cache: `<x>.set(k, v)`, `<x>.add(v)`, `<x>[k] = v`,
    `Object.assign(<x>, ...)`."""
    for node in model.calls_named("set", "add", "assign"):
        fn = unwrap(node.child_by_field_name("function"))
        if fn is None or fn.type != "member_expression":
            continue
        if text(fn.child_by_field_name("property")) != "assign":
            yield fn.child_by_field_name("object")
        else:
            args = node.child_by_field_name("arguments")
            if args is not None and args.named_child_count > 1:
                yield args.named_child(0)
    for node in model.assignments("assign.subscript", "assign.wrapped"):
        target = unwrap(node.child_by_field_name("left") or node.child_by_field_name("argument"))
        if target is not None and target.type == "subscript_expression":
            yield target.child_by_field_name("object")


def is_static(member: ts.Node) -> bool:
    return any(c.type == "static" for c in member.children)


def this_class(node: ts.Node) -> tuple[ts.Node, bool] | None:
    """The class a `this` at `node` belongs to, and whether it is the static side; None when unknown."""
    a = node.parent
    while a is not None:
        t = a.type
        if t == "arrow_function":
            a = a.parent
            continue
        if t == "method_definition":
            body = a.parent
            if body is not None and body.type == "class_body" and body.parent is not None:
                return body.parent, is_static(a)
            return None  # an object literal's method: `this` is that object
        if t in FUNCTION_TYPES:
            return None  # a plain function: `this` depends on the call
        if t in FIELD_TYPES:
            body = a.parent
            if body is not None and body.parent is not None:
                return body.parent, is_static(a)
            return None
        if t == "class_static_block":
            body = a.parent
            return (body.parent, True) if body is not None and body.parent is not None else None
        a = a.parent
    return None


class Collections:
    """The collections of one file. Use `collections(model)` to get the shared instance."""

    def __init__(self, model: "SemanticModel") -> None:
        self.model = model
        self._classes: dict[int, ts.Node] = {}
        self._occurrences: dict[Key, list[ts.Node]] = {}
        self._uses: dict[Key, list[Use]] = {}
        self._keys: dict[int, Key | None] = {}  # node id -> the key of the expression
        self._this_nodes: dict[int, list[tuple[ts.Node, bool]]] = {}
        self._instances: dict[int, list[Binding]] | None = None

    @cached_property
    def array_targets(self) -> list[ts.Node]:
        """The file's `array_growth_targets`, found once for every rule that asks."""
        return [t for t in array_growth_targets(self.model) if t is not None]

    @cached_property
    def cache_targets(self) -> list[ts.Node]:
        """The file's `cache_growth_targets`, found once for every rule that asks."""
        return [t for t in cache_growth_targets(self.model) if t is not None]

    # --- identity -------------------------------------------------------------------------------

    def distinct_keys(self, targets: Iterable[ts.Node | None]) -> Iterator[Key]:
        """The collections the target expressions denote, each once, in the order first met."""
        seen: set[Key] = set()
        for target in targets:
            key = self.key_of(target)
            if key is not None and key not in seen:
                seen.add(key)
                yield key

    def key_of(self, expr: ts.Node | None) -> Key | None:
        """The collection an expression denotes (following aliases), or None when it is not trackable.
        Kept per node: several rules ask about the same growth targets."""
        if expr is None:
            return None
        try:
            return self._keys[expr.id]
        except KeyError:
            key = self._keys[expr.id] = self._key_of(expr, 0)
            return key

    def _key_of(self, expr: ts.Node | None, _depth: int) -> Key | None:
        expr = unwrap(expr)
        if expr is None or _depth > 16:
            return None
        t = expr.type
        if t in ("identifier", "shorthand_property_identifier"):
            binding = self.model.resolve(expr)
            if binding is None:
                return Key(("exports",)) if self.model.is_global_name(expr, "exports") else None
            return self._binding_key(binding, _depth)
        if t == "this":
            owner = this_class(expr)
            if owner is None:
                return None
            cls, static = owner
            self._classes[cls.id] = cls
            return Key(("class" if static else "this", cls.id))
        if t in ("member_expression", "subscript_expression"):
            prop = self._property(expr)
            if prop is None:
                return None
            obj = unwrap(expr.child_by_field_name("object"))
            if prop == "exports" and obj is not None and self.model.is_global_name(obj, "module"):
                return Key(("exports",))
            base = self._key_of(obj, _depth + 1)
            return base.child(prop) if base is not None else None
        return None

    @staticmethod
    def _property(member: ts.Node) -> str | None:
        if member.type == "member_expression":
            prop = member.child_by_field_name("property")
            return text(prop) if prop is not None else None
        return string_value(member.child_by_field_name("index"))

    def _binding_key(self, binding: Binding, depth: int) -> Key:
        source = self.alias_source(binding)
        if source is not None:
            key = self._key_of(source, depth + 1)
            if key is not None:
                return key
        destructured = self._destructured_from(binding)
        if destructured is not None:
            base = self._key_of(destructured[0], depth + 1)
            if base is not None:
                return base.child(destructured[1])
        if binding.kind is BindingKind.CLASS and binding.declaration is not None:
            self._classes[binding.declaration.id] = binding.declaration
            return Key(("class", binding.declaration.id))
        cls = self._instance_class(binding)
        if cls is not None:
            return Key(("this", cls.id))
        return Key(("binding", binding))

    def _single_write(self, binding: Binding) -> bool:
        writes = binding.writes
        return len(writes) == 1 and writes[0].is_init

    def alias_source(self, binding: Binding) -> ts.Node | None:
        """`const c = cache` (written once, by its declaration): the expression `c` stands for."""
        if binding.kind not in (BindingKind.CONST, BindingKind.LET, BindingKind.VAR) or binding.node is None:
            return None
        decl = binding.declaration
        if decl is None or decl.type != "variable_declarator" or decl.child_by_field_name("name") != binding.node:
            return None
        init = unwrap(binding.init)
        if init is None or init.type not in ("identifier", "member_expression", "subscript_expression", "this"):
            return None
        return init if self._single_write(binding) else None

    def _destructured_from(self, binding: Binding) -> tuple[ts.Node, str] | None:
        """`const { items } = state` / `const { items: it } = state`: (state, "items")."""
        node = binding.node
        if node is None or binding.kind not in (BindingKind.CONST, BindingKind.LET, BindingKind.VAR):
            return None
        if node.type == "shorthand_property_identifier_pattern":
            prop, pattern = text(node), node.parent
        elif node.parent is not None and node.parent.type == "pair_pattern" \
                and node.parent.child_by_field_name("value") == node:
            key = node.parent.child_by_field_name("key")
            prop, pattern = (string_value(key) or text(key)), node.parent.parent
        else:
            return None
        decl = pattern.parent if pattern is not None else None
        if pattern is None or pattern.type != "object_pattern" or decl is None or decl.type != "variable_declarator":
            return None
        init = decl.child_by_field_name("value")
        if init is None or not self._single_write(binding):
            return None
        return init, prop

    def _instance_class(self, binding: Binding) -> ts.Node | None:
        """`const store = new Store()` (written once, `Store` a class of this file): the class."""
        init = unwrap(binding.init)
        if init is None or init.type != "new_expression" or not self._single_write(binding):
            return None
        ctor = unwrap(init.child_by_field_name("constructor"))
        if ctor is None or ctor.type != "identifier":
            return None
        cls_binding = self.model.resolve(ctor)
        if cls_binding is None or cls_binding.kind is not BindingKind.CLASS or cls_binding.declaration is None:
            return None
        cls = cls_binding.declaration
        if cls.type not in CLASS_TYPES:
            return None
        self._classes[cls.id] = cls
        return cls

    def class_node(self, key: Key) -> ts.Node | None:
        if key.root[0] in ("this", "class"):
            return self._classes.get(key.root[1])
        return None

    def name(self, key: Key) -> str:
        """How messages name the collection: `cache`, `state.items`, `this.items`, `Store.registry`."""
        kind = key.root[0]
        if kind == "binding":
            head = key.root[1].name
        elif kind == "this":
            head = "this"
        elif kind == "class":
            cls = self.class_node(key)
            head = _class_name(cls) if cls is not None else "class"
        else:
            head = "module.exports" if not key.path else "exports"
        return ".".join((head,) + key.path)

    # --- lifetime -------------------------------------------------------------------------------

    def holder(self, key: Key) -> Holder | None:
        """Whether the collection lives as long as the process, and why (None: it does not)."""
        model = self.model
        kind = key.root[0]
        if kind == "binding":
            binding: Binding = key.root[1]
            if binding.kind not in (BindingKind.VAR, BindingKind.LET, BindingKind.CONST) or \
                    not model.is_module_level(binding):
                return None
            if not key.path:
                return Holder("module", "module-level", binding.declaration or binding.node, binding)
            return Holder("property", f"held by module-level `{binding.name}`", binding.declaration or binding.node,
                          binding)
        cls = self.class_node(key)
        if kind == "this" and cls is not None and key.path:
            if not model.lifetime.is_singleton(cls):
                return None
            return Holder("singleton", f"field of singleton `{_class_name(cls)}`", cls)
        if kind == "class" and cls is not None and key.path:
            return Holder("static", f"of `{_class_name(cls)}`", cls)
        if kind == "exports" and key.path:
            return Holder("exports", "exported", None)
        return None

    def evidence(self, key: Key, holder: Holder) -> list[tuple[str, ts.Node]]:
        """Where the collection is created and what keeps it alive, as (message, node) pairs."""
        name = self.name(key)
        out = []
        declared = self.declaration(key) or holder.node
        if declared is not None:
            out.append((f"`{name}` is created here", declared))
        cls = self.class_node(key)
        if holder.kind == "singleton" and cls is not None:
            out.extend((f"the only `{_class_name(cls)}` is created here", site)
                       for site in self.model.lifetime.instantiations(cls)[:1])
        return out

    # --- values ---------------------------------------------------------------------------------

    def values(self, key: Key, assignments: bool = True) -> list[ts.Node]:
        """The values given to the collection by code that runs once: initialisers, field
        definitions, properties of object literals, and (with `assignments`) assignments at start-up."""
        out: list[ts.Node] = []
        if key.root[0] == "binding" and not key.path:
            binding: Binding = key.root[1]
            if binding.init is not None and self.alias_source(binding) is None:
                out.append(binding.init)
        if key.path:
            parent = key.parent
            assert parent is not None
            for value in self.values(parent, assignments):
                pair = _object_pair(value, key.path[-1])
                if pair is not None:
                    out.append(pair.child_by_field_name("value"))
            out.extend(field.child_by_field_name("value") for field in self._fields(key))
        if assignments:
            out.extend(u.value for u in self.uses(key) if u.kind == INIT and u.value is not None)
        return out

    def _fields(self, key: Key) -> Iterator[ts.Node]:
        """Class field definitions with a value for `this.x` / `static x` keys."""
        cls = self.class_node(key)
        body = cls.child_by_field_name("body") if cls is not None and len(key.path) == 1 else None
        if body is None:
            return
        static = key.root[0] == "class"
        for member in body.named_children:
            if member.type not in FIELD_TYPES or is_static(member) != static:
                continue
            name = member.child_by_field_name("property") or member.child_by_field_name("name")
            if member.child_by_field_name("value") is not None and name is not None and \
                    (string_value(name) or text(name)) == key.path[0]:
                yield member

    def declaration(self, key: Key) -> ts.Node | None:
        """Where the collection is created, for evidence: its declarator, object property, class field
        or first assignment by code that runs once."""
        if key.root[0] == "binding" and not key.path:
            binding: Binding = key.root[1]
            return binding.declaration or binding.node
        sites = list(self._fields(key))
        if key.path:
            parent = key.parent
            assert parent is not None
            sites.extend(p for v in self.values(parent) if (p := _object_pair(v, key.path[-1])) is not None)
        sites.extend(u.node for u in self.uses(key) if u.kind == INIT)
        return min(sites, key=lambda n: n.start_byte) if sites else None

    def kind(self, key: Key) -> str | None:
        """What the collection was created as: ARRAY, OBJECT, MAP, SET, WEAK, BOUNDED, NODE_CACHE, or None."""
        kinds = {self.value_kind(v) for v in self.values(key, assignments=False)} - {None}
        if not kinds and key.root[0] == "binding" and not key.path and key.root[1].kind is BindingKind.CONST:
            return None  # a `const` holds its initialiser: no assignment gives it another value
        if not kinds:  # `let cache; ... cache = {}` at start-up
            kinds = {self.value_kind(v) for v in self.values(key)} - {None}
        for k in (WEAK, BOUNDED):
            if k in kinds:
                return k
        return kinds.pop() if len(kinds) == 1 else None

    def value_kind(self, value: ts.Node | None) -> str | None:
        """The kind of a fresh collection expression; `x || []` and `c ? {} : x` look at the fresh side."""
        value = unwrap(value)
        if value is None:
            return None
        t = value.type
        if t == "array":
            return ARRAY
        if t == "object":
            return OBJECT if value.named_child_count == 0 else None
        if t == "ternary_expression" or (t == "binary_expression" and text(
                value.child_by_field_name("operator")) in ("||", "??")):
            sides = [value.child_by_field_name(f) for f in ("left", "right", "consequence", "alternative")]
            kinds = {self.value_kind(s) for s in sides if s is not None} - {None}
            return kinds.pop() if len(kinds) == 1 else None
        if t not in ("new_expression", "call_expression"):
            return None
        fn = unwrap(value.child_by_field_name("constructor") or value.child_by_field_name("function"))
        if fn is None:
            return None
        model = self.model
        if fn.type == "identifier":
            binding = model.resolve(fn)
            if binding is None:
                name = text(fn)
                if not model.is_global_name(fn):
                    return None
                if name == "Array":
                    return ARRAY
                if name in ("Map", "Set") and t == "new_expression":
                    return MAP if name == "Map" else SET
                if name in ("WeakMap", "WeakSet", "WeakRef", "FinalizationRegistry"):
                    return WEAK
                return None
            source = module_source(model, binding)
            return self._library_kind(source, value) if source is not None else None
        if fn.type == "member_expression":
            obj = unwrap(fn.child_by_field_name("object"))
            method = text(fn.child_by_field_name("property"))
            if obj is not None and obj.type == "identifier":
                if model.is_global_name(obj, "Array") and method in ("from", "of"):
                    return ARRAY
                if model.is_global_name(obj, "Object") and method == "create":
                    args = call_arguments(value)
                    return OBJECT if args and unwrap(args[0]) is not None and unwrap(args[0]).type == "null" else None
                source = module_source(model, model.resolve(obj))
                if source is not None:
                    return self._library_kind((source[0], method), value)
        return None

    @staticmethod
    def _library_kind(source: tuple[str, str], value: ts.Node) -> str | None:
        """`new LRUCache(...)` from a bounded cache package, or a `NodeCache` (bounded by its options)."""
        package, name = source
        if package in BOUNDED_PACKAGES or (package.startswith("mnemonist") and "lru" in (package + name).lower()):
            return BOUNDED
        if package == "node-cache":
            return BOUNDED if _node_cache_bounded(value) else NODE_CACHE
        return None

    # --- occurrences and uses -------------------------------------------------------------------

    def occurrences(self, key: Key) -> list[ts.Node]:
        """Every expression that denotes the collection, aliases included."""
        cached = self._occurrences.get(key)
        if cached is not None:
            return cached
        self._occurrences[key] = []  # cycles through aliases end here
        seeds = list(self._seeds(key))
        out: list[ts.Node] = []
        seen_nodes: set[int] = set()
        seen_bindings: set[int] = set()
        work = list(seeds)
        while work:
            node = work.pop()
            if node.id in seen_nodes:
                continue
            seen_nodes.add(node.id)
            out.append(node)
            for binding in self._aliases_at(node):
                if id(binding) in seen_bindings:
                    continue
                seen_bindings.add(id(binding))
                work.extend(r.node for r in binding.references if not r.is_init)
        out.sort(key=lambda n: n.start_byte)
        self._occurrences[key] = out
        return out

    def _seeds(self, key: Key) -> Iterator[ts.Node]:
        root = key.root
        if key.path:
            parent = key.parent
            assert parent is not None
            prop = key.path[-1]
            for occ in self.occurrences(parent):
                outer, up = climb(occ)
                if up is None:
                    continue
                if up.type in ("member_expression", "subscript_expression") and \
                        up.child_by_field_name("object") == outer and self._property(up) == prop:
                    yield up
                elif up.type == "variable_declarator" and up.child_by_field_name("value") == outer:
                    alias = self._destructured_binding(up.child_by_field_name("name"), prop)
                    if alias is not None:
                        yield from (r.node for r in alias.references if not r.is_init)
            return
        if root[0] == "binding":
            yield from (r.node for r in root[1].references if not r.is_init)
        elif root[0] in ("this", "class"):
            cls = self._classes.get(root[1])
            if cls is None:
                return
            static = root[0] == "class"
            yield from (n for n, s in self._this_in(cls) if s == static)
            if static:
                name = cls.child_by_field_name("name")
                binding = self.model.resolve(name) if name is not None else None
                if binding is not None:
                    yield from (r.node for r in binding.references if not r.is_init)
            else:
                for binding in self._instance_bindings().get(cls.id, ()):
                    yield from (r.node for r in binding.references if not r.is_init)
        elif root[0] == "exports":
            for ref in self.model.global_references("exports", "module"):
                if ref.name == "exports":
                    yield ref.node
                elif ref.name == "module":
                    outer, up = climb(ref.node)
                    if up is not None and up.type == "member_expression" and self._property(up) == "exports":
                        yield up

    def _destructured_binding(self, pattern: ts.Node | None, prop: str) -> Binding | None:
        if pattern is None or pattern.type != "object_pattern":
            return None
        for child in pattern.named_children:
            if child.type == "shorthand_property_identifier_pattern" and text(child) == prop:
                binding = self.model.resolve(child)
            elif child.type == "pair_pattern":
                key = child.child_by_field_name("key")
                value = child.child_by_field_name("value")
                if (string_value(key) or text(key)) != prop or value is None or value.type != "identifier":
                    continue
                binding = self.model.resolve(value)
            else:
                continue
            return binding if binding is not None and self._single_write(binding) else None
        return None

    def _this_in(self, cls: ts.Node) -> list[tuple[ts.Node, bool]]:
        cached = self._this_nodes.get(cls.id)
        if cached is None:
            cached = []
            for node in walk(cls):
                if node.type == "this":
                    owner = this_class(node)
                    if owner is not None and owner[0] == cls:
                        cached.append((node, owner[1]))
            self._this_nodes[cls.id] = cached
        return cached

    def _instance_bindings(self) -> dict[int, list[Binding]]:
        if self._instances is None:
            self._instances = {}
            for binding in self.model.bindings():
                if binding.init is not None and unwrap(binding.init) is not None and \
                        unwrap(binding.init).type == "new_expression":
                    cls = self._instance_class(binding)
                    if cls is not None:
                        self._instances.setdefault(cls.id, []).append(binding)
        return self._instances

    def _aliases_at(self, node: ts.Node) -> Iterator[Binding]:
        """Bindings that stand for the occurrence `node`: `const c = <node>`, a local function's parameter."""
        outer, up = climb(node)
        if up is None:
            return
        if up.type == "variable_declarator" and up.child_by_field_name("value") == outer:
            name = up.child_by_field_name("name")
            binding = self.model.resolve(name) if name is not None and name.type == "identifier" else None
            if binding is not None and self.alias_source(binding) is not None:
                yield binding
            return
        if up.type == "arguments":
            param = self._local_parameter(up, outer)
            if param is not None:
                yield param

    def _local_parameter(self, args: ts.Node, arg: ts.Node) -> Binding | None:
        """The parameter of a function declared in this file that receives `arg`."""
        call = args.parent
        if call is None or call.type != "call_expression":
            return None
        fn = self.local_function(call.child_by_field_name("function"))
        if fn is None:
            return None
        index = [a for a in args.named_children if a.type != "comment"].index(arg)
        params = fn.child_by_field_name("parameters")
        if params is None:
            single = fn.child_by_field_name("parameter")
            plist = [single] if single is not None else []
        else:
            plist = [p for p in params.named_children if p.type != "comment"]
        if index >= len(plist):
            return None
        param = plist[index]
        if param.type in ("required_parameter", "optional_parameter"):
            param = param.child_by_field_name("pattern")
        if param is None or param.type != "identifier":
            return None
        binding = self.model.resolve(param)
        return binding if binding is not None and binding.kind is BindingKind.PARAM and \
            not binding.writes else None

    def local_function(self, callee: ts.Node | None) -> ts.Node | None:
        """The function a callee names when it is declared in this file (`helper`, `const helper = () => ...`)."""
        callee = unwrap(callee)
        if callee is None or callee.type != "identifier":
            return None
        binding = self.model.resolve(callee)
        if binding is None:
            return None
        if binding.kind is BindingKind.FUNCTION and binding.declaration is not None and \
                binding.declaration.type in FUNCTION_TYPES:
            return binding.declaration
        init = unwrap(binding.init)
        if init is not None and init.type in FUNCTION_TYPES and self._single_write(binding):
            return init
        return None

    def repeated_growth(self, key: Key, accept: Callable[[Use], bool]) -> tuple[Use, Repeat] | None:
        """The first use that grows the collection (and that `accept` takes) in code that runs
        repeatedly, with what re-runs it; None when something bounds the collection (a STOPPERS use)."""
        uses = self.uses(key)
        if any(u.kind in STOPPERS for u in uses):
            return None
        lifetime = self.model.lifetime
        for use in uses:
            if use.kind != GROW or not accept(use):
                continue
            reason = lifetime.repeat_reason(use.node)
            if reason is not None:
                return use, reason
        return None

    def uses(self, key: Key) -> list[Use]:
        """What the file does with the collection, one `Use` per occurrence."""
        cached = self._uses.get(key)
        if cached is None:
            cached = [self._classify(occ, key) for occ in self.occurrences(key)]
            self._uses[key] = cached
        return cached

    def _classify(self, occ: ts.Node, key: Key) -> Use:
        outer, up = climb(occ)
        if up is None:
            return Use(READ, "", occ)
        t = up.type
        if t in ("member_expression", "subscript_expression") and up.child_by_field_name("object") == outer:
            return self._classify_member(up, key)
        if t == "assignment_expression" and up.child_by_field_name("left") == outer:
            return self._classify_assignment(up, key)
        if t == "augmented_assignment_expression" and up.child_by_field_name("left") == outer:
            return Use(READ, "", up)
        if t == "arguments":
            return self._classify_argument(up, outer)
        if t == "variable_declarator" and up.child_by_field_name("value") == outer:
            name = up.child_by_field_name("name")
            if name is not None and name.type == "identifier":
                binding = self.model.resolve(name)
                if binding is not None and self.alias_source(binding) is not None:
                    return Use(READ, "alias", up)
                return Use(ESCAPE, "stored", up)
            return Use(READ, "destructured", up)
        if t in ("return_statement", "yield_expression") or (t == "arrow_function" and up.child_by_field_name(
                "body") == outer):
            return Use(ESCAPE, "returned", up)
        if t in STORING_PARENTS or occ.type == "shorthand_property_identifier":
            return Use(ESCAPE, "stored", up)  # `{ items }`, `[cache]`, `other.x = cache`, `export { cache }`
        return Use(READ, "", up)

    def _classify_member(self, member: ts.Node, key: Key) -> Use:
        """`<c>.m(...)`, `<c>[k] = v`, `delete <c>[k]`, `<c>.length = 0`, `<c>.length > MAX`."""
        prop = self._property(member) if member.type == "member_expression" else None
        outer, up = climb(member)
        if up is None:
            return Use(READ, "", member)
        if up.type == "call_expression" and up.child_by_field_name("function") == outer and prop is not None:
            return self._classify_method(up, prop)
        if _is_delete(up):
            return Use(SHRINK, "delete", up)
        if prop in ("length", "size"):
            if up.type == "assignment_expression" and up.child_by_field_name("left") == outer:
                return Use(SHRINK, f"{prop} =", up)
            if up.type == "binary_expression" and _is_limit_check(up, outer):
                return Use(BOUND, f"{prop} check", up)
            if up.type == "variable_declarator" and up.child_by_field_name("value") == outer and \
                    self._compared_with_limit(up.child_by_field_name("name")):
                return Use(BOUND, f"{prop} check", up)  # `for (let i = a.length; i <= n; i++) a.push(...)`
            return Use(READ, prop, member)
        if up.type in ("assignment_expression", "augmented_assignment_expression", "update_expression"):
            target = up.child_by_field_name("left") or up.child_by_field_name("argument")
            if target != outer:
                return Use(READ, "", member)
            index = member.child_by_field_name("index") if member.type == "subscript_expression" else \
                member.child_by_field_name("property")
            if up.type == "assignment_expression":
                value = unwrap(up.child_by_field_name("right"))
                if value is not None and (value.type in ("undefined", "null") or text(value) == "void 0"):
                    return Use(SHRINK, "[key] = undefined", up)
                return Use(GROW, "[key] =", up, index)
            op = text(up.child(1)) if up.type == "augmented_assignment_expression" else "++"
            return Use(GROW, f"[key] {op}", up, index)
        return Use(READ, "", member)

    def _compared_with_limit(self, name: ts.Node | None) -> bool:
        """A local holding a length that is compared with a limit: `let n = a.length; ... n < max`."""
        binding = self.model.resolve(name) if name is not None and name.type == "identifier" else None
        if binding is None:
            return False
        for ref in binding.references:
            outer, up = climb(ref.node)
            if up is not None and up.type == "binary_expression" and _is_limit_check(up, outer):
                return True
        return False

    def _classify_method(self, call: ts.Node, method: str) -> Use:
        args = call_arguments(call)
        if method in ARRAY_GROW:
            return Use(GROW, method, call, args[0] if args else None)
        if method == "splice":
            deleted = unwrap(args[1]) if len(args) > 1 else None
            if len(args) > 2 and deleted is not None and deleted.type == "number" and text(deleted) == "0":
                return Use(GROW, "splice", call, args[2])
            return Use(SHRINK, "splice", call)
        if method in ARRAY_SHRINK or method in MAP_SHRINK or method in NODE_CACHE_SHRINK:
            return Use(SHRINK, method, call)
        if method == "set" and len(args) >= 2:
            return Use(GROW, "set", call, args[0])
        if method == "add" and len(args) == 1:
            return Use(GROW, "add", call, args[0])
        if method == "concat":
            return Use(READ, "concat", call)
        return Use(READ, method, call)

    def _classify_assignment(self, assign: ts.Node, key: Key) -> Use:
        """`<c> = value`: growth (`a = a.concat(x)`, `a = [...a, x]`), a smaller copy, or a new value."""
        value = unwrap(assign.child_by_field_name("right"))
        if value is not None:
            if value.type == "call_expression":
                fn = unwrap(value.child_by_field_name("function"))
                if fn is not None and fn.type == "member_expression" and \
                        self.key_of(fn.child_by_field_name("object")) == key:
                    method = text(fn.child_by_field_name("property"))
                    if method == "concat":
                        args = call_arguments(value)
                        return Use(GROW, "concat", assign, args[0] if args else None)
                    if method in SHRINKING_COPIES:
                        return Use(SHRINK, method, assign)
            if value.type == "array":
                for element in value.named_children:
                    if element.type == "spread_element" and self.key_of(element.named_child(0)) == key:
                        return Use(GROW, "[...]", assign)
            if value.type == "binary_expression" and self.key_of(value.child_by_field_name("left")) == key:
                return Use(READ, "||", assign)  # `c = c || {}`: keeps the collection
        if self.model.lifetime.repeat_reason(assign) is None:
            return Use(INIT, "=", assign, value=value)
        return Use(RESET, "=", assign, value=value)

    def _classify_argument(self, args: ts.Node, arg: ts.Node) -> Use:
        call = args.parent
        if call is None or call.type not in ("call_expression", "new_expression"):
            return Use(ESCAPE, "passed", args)
        fn = unwrap(call.child_by_field_name("function") or call.child_by_field_name("constructor"))
        model = self.model
        if self._local_parameter(args, arg) is not None:
            return Use(READ, "passed to a local function", call)
        root = fn
        while root is not None and root.type == "member_expression":
            root = unwrap(root.child_by_field_name("object"))
        method = callee_name(call)
        if fn is not None and fn.type == "member_expression" and root is not None and \
                model.is_global_name(root, "Object") and method == "assign":
            first = call_arguments(call)
            if first and unwrap(first[0]) == unwrap(arg):
                added = _computed_keys(first[1:])
                return Use(GROW, "Object.assign", call, added[0] if added else None)
        if method in ("keys", "values", "entries") and root is not None and model.is_global_name(root, "Object"):
            _outer, up = climb(call)
            if up is not None and up.type == "member_expression" and self._property(up) == "length":
                _, cmp = climb(up)
                if cmp is not None and cmp.type == "binary_expression" and _is_limit_check(cmp, climb(up)[0]):
                    return Use(BOUND, "Object.keys(...).length check", cmp)
            return Use(READ, method, call)
        if root is not None and root.type == "identifier" and model.is_global_name(root, *READING_GLOBALS):
            return Use(READ, "passed", call)
        if method in READING_METHODS and fn is not None and fn.type == "member_expression":
            return Use(READ, "passed", call)
        if method in ("call", "apply") and fn is not None and fn.type == "member_expression" and \
                self._is_property_test(fn.child_by_field_name("object")):
            return Use(READ, "passed", call)
        return Use(ESCAPE, "passed", call)


    # --- keys and warnings ----------------------------------------------------------------------

    def is_constant(self, expr: ts.Node | None, _depth: int = 0) -> bool:
        """An expression with the same value (or one of a few values fixed in the code) on every run:
        a literal, a constant, an enum member, an import, `'x' + CONST`, or a parameter of a local
        function that every call site passes a constant."""
        expr = unwrap(expr)
        if expr is None:
            return True
        if _depth > 4:
            return False
        t = expr.type
        if t == "computed_property_name":
            return self.is_constant(expr.named_child(0), _depth)
        if t in ("property_identifier", "private_property_identifier", "number", "true", "false", "null",
                 "undefined", "string", "regex"):
            return True
        if t == "template_string":
            return all(self.is_constant(c.named_child(0), _depth + 1) for c in expr.named_children
                       if c.type == "template_substitution")
        if t == "binary_expression":
            return self.is_constant(expr.child_by_field_name("left"), _depth + 1) and \
                self.is_constant(expr.child_by_field_name("right"), _depth + 1)
        if t == "member_expression":
            root = expr
            while root is not None and root.type == "member_expression":
                root = unwrap(root.child_by_field_name("object"))
            if root is None or root.type != "identifier":
                return False
            binding = self.model.resolve(root)
            if binding is None:
                return self.model.is_global_name(root, "Symbol")
            if binding.kind in (BindingKind.ENUM, BindingKind.IMPORT, BindingKind.CLASS, BindingKind.NAMESPACE):
                return True
            init = unwrap(binding.init)
            return binding.kind is BindingKind.CONST and self.model.is_module_level(binding) and \
                init is not None and init.type == "object"
        if t != "identifier":
            return False
        binding = self.model.resolve(expr)
        if binding is None:
            return text(expr) in ("undefined", "NaN", "Infinity")
        if binding.kind in (BindingKind.ENUM, BindingKind.IMPORT, BindingKind.CLASS, BindingKind.FUNCTION,
                            BindingKind.NAMESPACE):
            return True
        if binding.kind is BindingKind.PARAM:
            return self._constant_parameter(binding, _depth)
        if binding.kind in (BindingKind.CONST, BindingKind.LET, BindingKind.VAR) and self._single_write(binding):
            init = unwrap(binding.init)
            if init is not None and init.type == "call_expression" and self.model.is_global_name(
                    unwrap(init.child_by_field_name("function")), "Symbol"):
                return True
            return init is not None and self.is_constant(init, _depth + 1)
        return False

    def _constant_parameter(self, param: Binding, depth: int) -> bool:
        """Every call of the (local, never passed around) function passes a constant for `param`."""
        if param.node is None or param.writes:
            return False
        params = param.node.parent
        if params is None or params.type not in ("formal_parameters",):
            return False
        fn = params.parent
        if fn is None or fn.type not in FUNCTION_TYPES:
            return False
        index = [p for p in params.named_children if p.type != "comment"].index(param.node)
        sites = self.call_sites(fn)
        if not sites:
            return False
        for call, shift, partial in sites:
            args = call_arguments(call)[shift:]
            if any(a.type == "spread_element" for a in args[:index + 1]):
                return False
            if index >= len(args):
                if partial:
                    return False  # `f.bind(null, a)`: later arguments come from the caller of the bound function
                continue
            if not self.is_constant(args[index], depth + 1):
                return False
        return True

    def direct_calls(self, fn: ts.Node) -> list[ts.Node] | None:
        """The calls `f(...)` of a function declared in this file, when its name is only ever called
        (not exported, passed, stored or used as a method); None otherwise."""
        sites = self.call_sites(fn)
        if sites is None or any(shift for _call, shift, _partial in sites):
            return None
        return [call for call, _shift, _partial in sites]

    def call_sites(self, fn: ts.Node) -> list[tuple[ts.Node, int, bool]] | None:
        """How a local function is invoked: (call, arguments to skip, partial) for `f(...)`,
        `f.call(thisArg, ...)` and `f.bind(thisArg, ...)`; None when its name is used any other way."""
        binding = None
        if fn.type in ("function_declaration", "generator_function_declaration"):
            name = fn.child_by_field_name("name")
            binding = self.model.resolve(name) if name is not None else None
        else:
            outer, up = climb(fn)
            if up is not None and up.type == "variable_declarator" and up.child_by_field_name("value") == outer:
                name = up.child_by_field_name("name")
                binding = self.model.resolve(name) if name is not None and name.type == "identifier" else None
                if binding is not None and not self._single_write(binding):
                    return None
        if binding is None or _is_export_declaration(binding.declaration):
            return None
        sites = []
        for ref in binding.references:
            if ref.is_init:
                continue
            outer, up = climb(ref.node)
            if up is not None and up.type == "call_expression" and up.child_by_field_name("function") == outer:
                sites.append((up, 0, False))
                continue
            method = text(up.child_by_field_name("property")) if up is not None and \
                up.type == "member_expression" and up.child_by_field_name("object") == outer else ""
            call = climb(up)[1] if method in ("call", "apply", "bind") else None
            if method in ("call", "bind") and call is not None and call.type == "call_expression":
                sites.append((call, 1, method == "bind"))
                continue
            return None
        return sites

    def _is_property_test(self, fn: ts.Node | None) -> bool:
        """`Object.prototype.hasOwnProperty` or a name bound to it: `hasOwnProperty.call(cache, k)` only reads."""
        fn = unwrap(fn)
        if fn is not None and fn.type == "identifier":
            binding = self.model.resolve(fn)
            if binding is not None and self._single_write(binding):
                fn = unwrap(binding.init)
        return _last_name(fn) in PROPERTY_TESTS

    def is_diagnostic_dedupe(self, use: Use) -> bool:
        """The write only remembers that a warning was shown: `if (!warned[k]) { warned[k] = true;
        console.warn(...) }`, `seen.add(msg)` next to `process.emitWarning(msg)`, a cached
        `util.deprecate` wrapper. Its keys are the distinct messages the code can print."""
        fn = self.model.enclosing_function(use.node)
        block = use.node.parent
        while block is not None and block != fn and block.type != "statement_block":
            block = block.parent
        if fn is None or block is None or block == fn:
            return False
        if use.op != "add" and not self._flag_or_diagnostic(self._stored_value(use)):
            return False
        return self._emits_diagnostic(block, fn, 1)

    @staticmethod
    def _stored_value(use: Use) -> ts.Node | None:
        node = use.node
        if node.type == "call_expression":
            args = call_arguments(node)
            return args[1] if len(args) > 1 else None
        if node.type in ("assignment_expression", "augmented_assignment_expression"):
            return node.child_by_field_name("right")
        return None

    def _flag_or_diagnostic(self, value: ts.Node | None) -> bool:
        """`true`, `1`, `!0`, or a value made by a diagnostic call (`util.deprecate(...)`)."""
        value = unwrap(value)
        if value is None:
            return False
        if value.type in ("true", "number", "string") or text(value) == "!0":
            return True
        if value.type == "assignment_expression":
            value = unwrap(value.child_by_field_name("right"))
        if value is not None and value.type == "identifier":
            binding = self.model.resolve(value)
            writes = binding.writes if binding is not None else []
            sources = [unwrap(w.write_expr.child_by_field_name("value") or w.write_expr.child_by_field_name("right"))
                       for w in writes if w.write_expr is not None]
            return any(v is not None and v.type == "call_expression" and self._is_diagnostic_call(v) for v in sources)
        return value is not None and value.type == "call_expression" and self._is_diagnostic_call(value)

    def _emits_diagnostic(self, region: ts.Node, fn: ts.Node, depth: int) -> bool:
        """A call in `region` (not in a nested function) prints or registers a warning, directly or
        through a local helper."""
        for node in self.model.calls_within(region):
            if self.model.enclosing_function(node) != fn:
                continue
            if self._is_diagnostic_call(node):
                return True
            if depth > 0:
                local = self.local_function(node.child_by_field_name("function"))
                body = local.child_by_field_name("body") if local is not None and local != fn else None
                if body is not None and self._emits_diagnostic(body, local, depth - 1):
                    return True
        return False

    def _is_diagnostic_call(self, call: ts.Node) -> bool:
        """`console.warn(...)`, `console.error(...)`, `process.emitWarning(...)`, `util.deprecate(...)`,
        `logger.warn(...)`."""
        fn = unwrap(call.child_by_field_name("function"))
        if fn is None or fn.type != "member_expression":
            return False
        obj = unwrap(fn.child_by_field_name("object"))
        method = text(fn.child_by_field_name("property"))
        if obj is not None and obj.type == "identifier" and self.model.is_global_name(obj, "console"):
            return method in CONSOLE_WARNINGS
        return method in DIAGNOSTIC_METHODS

def _last_name(node: ts.Node | None) -> str:
    node = unwrap(node)
    if node is None:
        return ""
    if node.type == "member_expression":
        return text(node.child_by_field_name("property"))
    return text(node) if node.type == "identifier" else ""


def _is_export_declaration(decl: ts.Node | None) -> bool:
    """`export function f`, `export const f = ...`, `export default function f`."""
    node = decl
    for _ in range(3):
        if node is None:
            return False
        if node.type == "export_statement":
            return True
        node = node.parent
    return False


def _is_delete(node: ts.Node) -> bool:
    """`delete x[k]` (a unary expression in the grammar)."""
    if node.type == "delete_expression":
        return True
    op = node.child_by_field_name("operator") if node.type == "unary_expression" else None
    return op is not None and op.type == "delete"


def _is_limit_check(cmp: ts.Node, side: ts.Node) -> bool:
    """`c.length > MAX`, `c.size >= limit`: a relational comparison with something other than 0 or 1."""
    op = cmp.child_by_field_name("operator")
    if op is None or text(op) not in RELATIONAL:
        return False
    left, right = cmp.child_by_field_name("left"), cmp.child_by_field_name("right")
    other = unwrap(right if left == side else left)
    if other is None:
        return False
    return not (other.type == "number" and text(other) in ("0", "1"))


def _computed_keys(sources: list[ts.Node]) -> list[ts.Node]:
    """The computed keys (`[k]: v`) of object literals among `Object.assign` sources."""
    out = []
    for source in sources:
        source = unwrap(source)
        if source is None or source.type != "object":
            continue
        for pair in source.named_children:
            key = pair.child_by_field_name("key") if pair.type == "pair" else None
            if key is not None and key.type == "computed_property_name":
                out.append(key)
    return out


def _object_pair(obj: ts.Node | None, name: str) -> ts.Node | None:
    """The `name: value` pair of an object literal."""
    obj = unwrap(obj)
    if obj is None or obj.type != "object":
        return None
    for pair in obj.named_children:
        if pair.type == "pair":
            key = pair.child_by_field_name("key")
            if key is not None and (string_value(key) or text(key)) == name:
                return pair
    return None


def _object_property(obj: ts.Node, name: str) -> ts.Node | None:
    pair = _object_pair(obj, name)
    return pair.child_by_field_name("value") if pair is not None else None


def _class_name(cls: ts.Node) -> str:
    return class_name(cls) or "class"


def _node_cache_bounded(new: ts.Node) -> bool:
    """`new NodeCache({ stdTTL: 60 })` or `{ maxKeys: 1000 }`: entries expire or are capped."""
    args = call_arguments(new)
    options = unwrap(args[0]) if args else None
    if options is None:
        return False
    if options.type != "object":
        return True  # options we cannot see: assume they bound it
    for name in ("stdTTL", "maxKeys"):
        value = unwrap(_object_property(options, name))
        if value is None:
            continue
        if value.type == "number" and text(value) in ("0", "-1"):
            continue
        if value.type == "unary_expression" and text(value).replace(" ", "") == "-1":
            continue
        return True
    return False


NOUNS = {ARRAY: "array", OBJECT: "object", MAP: "Map", SET: "Set", NODE_CACHE: "`NodeCache`"}


def describe(holder: Holder, kind: str) -> str:
    """`a module-level Map`, `an array held by module-level `state``, `a Set field of singleton `Store``,
    `a static array of `Store``."""
    noun = NOUNS.get(kind, "collection")
    if holder.kind == "module":
        phrase = f"module-level {noun}"
    elif holder.kind == "exports":
        phrase = f"exported {noun}"
    elif holder.kind == "static":
        phrase = f"static {noun} {holder.description}"
    else:
        phrase = f"{noun} {holder.description}"
    return ("an " if phrase[:1] in "aeiou" else "a ") + phrase


def collections(model: "SemanticModel") -> Collections:
    """The `Collections` of a model, shared by the rules that run on the same file.

    Kept on the model itself: in a WeakKeyDictionary the value's reference to its model would keep
    every model (and its syntax tree) alive for the life of the process."""
    index: Collections | None = model.__dict__.get("_collections")
    if index is None:
        index = model.__dict__["_collections"] = Collections(model)
    return index
