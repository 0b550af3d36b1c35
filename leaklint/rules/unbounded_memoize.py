"""unbounded-memoize: a long-lived memoized function whose cache keeps one entry per distinct argument."""

from __future__ import annotations

from dataclasses import dataclass
from itertools import chain
from typing import TYPE_CHECKING, Iterator

import tree_sitter as ts

from leaklint.rules.base import RuleContext
from leaklint.semantic.collections import (
    FIELD_TYPES,
    GROW,
    MAP,
    OBJECT,
    STOPPERS,
    Collections,
    Use,
    climb,
    collections,
    is_static,
)
from leaklint.semantic.imports import import_bindings, module_source
from leaklint.semantic.lifetime import call_arguments
from leaklint.semantic.scope import Binding, BindingKind
from leaklint.syntax import FUNCTION_TYPES, member_path, string_value, text, unwrap, walk

if TYPE_CHECKING:
    from leaklint.semantic.model import SemanticModel

RULE_ID = "unbounded-memoize"

# package -> memoizer; a default or namespace import of these is the memoize function itself
MEMOIZE_PACKAGES = {
    "lodash/memoize": "lodash", "lodash/memoize.js": "lodash", "lodash.memoize": "lodash",
    "lodash-es/memoize": "lodash", "lodash-es/memoize.js": "lodash",
    "memoizee": "memoizee", "moize": "moize", "fast-memoize": "fast-memoize", "micro-memoize": "micro-memoize",
}
# packages that export `memoize` as a member (`_.memoize`, `import { memoize } from "lodash"`)
UTILITY_PACKAGES = {"lodash": "lodash", "lodash-es": "lodash", "underscore": "underscore"}
LIBRARY_SPECIFIERS = frozenset(MEMOIZE_PACKAGES) | frozenset(UTILITY_PACKAGES)
# how each library is usually called, to avoid `_.memoize` (lodash) in messages
LABELS = {"lodash": "_.memoize", "underscore": "_.memoize", "memoizee": "memoize", "moize": "moize",
          "fast-memoize": "memoize", "micro-memoize": "memoize"}
# what empties or replaces a memoized function's cache
EVICTION_MEMBERS = frozenset({"cache", "clear", "delete", "remove", "reset", "_clear"})


@dataclass(frozen=True, slots=True)
class LongLived:
    """Where a memoized function is kept for the life of the process."""

    name: str  # how messages name the memoized function
    node: ts.Node  # the declaration or call, for evidence
    target: ts.Node | None  # the expression that holds it (for eviction lookups), when there is one


def check(ctx: RuleContext) -> None:
    index = collections(ctx.model)
    _library_memoizers(ctx, index)
    _handwritten_memoizers(ctx, index)


# --- library memoizers --------------------------------------------------------------------------


def _library_memoizers(ctx: RuleContext, index: Collections) -> None:
    source = ctx.file.source
    if b"memo" not in source and b"moize" not in source:
        return  # every library this knows is named, or called as `memoize`, somewhere in the file
    model = ctx.model
    calls = list(_memoizer_calls(ctx))
    if not calls:
        return
    lodash_cache_replaced = _lodash_cache_replaced(ctx)
    for call in calls:
        library = _memoizer(ctx, call)
        if library is None:
            continue
        if library in ("lodash", "underscore") and lodash_cache_replaced:
            continue
        args = call_arguments(call)
        if not args or not _unbounded_options(library, call, args, index):
            continue
        fn = _function_value(index, args[0])
        if fn is not None and not _has_parameters(fn):
            continue  # nothing to key on: a cache of one
        if model.lifetime.repeat_reason(call) is not None:
            continue  # a new cache per run, dropped with the function that holds it
        holder = _long_lived(ctx, index, call)
        if holder is None or _evicted(index, holder):
            continue
        key = _library_key(library, args, fn)
        callee = text(call.child_by_field_name("function"))
        label = f"`{callee}`" if callee in (library, LABELS[library]) or len(callee) > 40 else f"`{callee}` ({library})"
        related = [ctx.related(f"`{holder.name}` is kept here for the life of the process", holder.node)]
        if fn is not None:
            related.append(ctx.related("the memoized function", fn))
        ctx.report(call, "library", {"name": holder.name, "memoizer": label, "key": key}, related)


def _memoizer_calls(ctx: RuleContext) -> Iterator[ts.Node]:
    """Calls whose callee starts with a name imported from a memoize library, or the global `_`."""
    model = ctx.model
    roots = [r.node for b in import_bindings(model, ctx.file.source, LIBRARY_SPECIFIERS)
             if b.kind is not BindingKind.PARAM and _is_memoize_import(ctx, b) for r in b.references if not r.is_init]
    for call in model.calls_named("memoize"):  # the global `_`: only `_.memoize(...)` is a memoizer
        fn = unwrap(call.child_by_field_name("function"))
        if fn is not None and fn.type == "member_expression" and model.is_global_name(
                unwrap(fn.child_by_field_name("object")), "_"):
            yield call
    for node in roots:
        outer, up = climb(node)
        for _ in range(3):  # `memoize(...)`, `_.memoize(...)`, `moize.maxSize(Infinity)(...)`
            if up is None:
                break
            if up.type == "call_expression" and up.child_by_field_name("function") == outer:
                yield up
            elif up.type != "member_expression" or up.child_by_field_name("object") != outer:
                break
            outer, up = climb(up)


def _is_memoize_import(ctx: RuleContext, binding: Binding) -> bool:
    if binding.kind is not BindingKind.IMPORT and (
            binding.declaration is None or binding.declaration.type != "variable_declarator"
            or not ctx.model.is_module_level(binding)):
        return False
    source = module_source(ctx.model, binding)
    return source is not None and (source[0] in MEMOIZE_PACKAGES or source[0] in UTILITY_PACKAGES)


def _memoizer(ctx: RuleContext, call: ts.Node) -> str | None:
    """Which memoize library a call invokes, or None."""
    model = ctx.model
    fn = unwrap(call.child_by_field_name("function"))
    if fn is None:
        return None
    if fn.type == "call_expression":  # `moize.maxSize(Infinity)(fn)`
        return "moize" if _moize_max_size_call(call) else None
    if fn.type == "identifier":
        source = module_source(model, model.resolve(fn))
        if source is None:
            return None
        package, name = source
        if package in MEMOIZE_PACKAGES and name in ("default", "*"):
            return MEMOIZE_PACKAGES[package]
        if package in UTILITY_PACKAGES and name == "memoize":
            return UTILITY_PACKAGES[package]
        return None
    if fn.type != "member_expression":
        return None
    obj = unwrap(fn.child_by_field_name("object"))
    method = text(fn.child_by_field_name("property"))
    if obj is None or obj.type != "identifier":
        return None
    binding = model.resolve(obj)
    source = module_source(model, binding)
    if method == "memoize":
        if source is not None and source[0] in UTILITY_PACKAGES and source[1] in ("default", "*"):
            return UTILITY_PACKAGES[source[0]]
        if binding is None and model.is_global_name(obj, "_"):
            return "lodash"
        return None
    if method == "infinite" and source is not None and source[0] == "moize" and source[1] in ("default", "*"):
        return "moize"
    return None


def _moize_max_size_call(call: ts.Node) -> bool:
    """`moize.maxSize(Infinity)(fn)`."""
    inner = unwrap(call.child_by_field_name("function"))
    if inner is None or inner.type != "call_expression":
        return False
    path = member_path(inner.child_by_field_name("function"))
    args = call_arguments(inner)
    return bool(path) and path[-1] == "maxSize" and len(args) == 1 and text(unwrap(args[0])) == "Infinity"


def _unbounded_options(library: str, call: ts.Node, args: list[ts.Node], index: Collections) -> bool:
    """Whether the options leave the cache without a size or age limit."""
    if library in ("lodash", "underscore"):
        if len(args) < 2:
            return True
        resolver = _function_value(index, args[1])
        return resolver is None or not _returns_constant(index, resolver)
    if library == "moize":
        if _moize_max_size_call(call) or text(call.child_by_field_name("function")).endswith(".infinite"):
            return True
        options = unwrap(args[1]) if len(args) > 1 else None
        return options is not None and options.type == "object" and _option(options, "maxSize") == "Infinity"
    if library == "micro-memoize":
        options = unwrap(args[1]) if len(args) > 1 else None
        return options is not None and options.type == "object" and _option(options, "maxSize") == "Infinity"
    options = unwrap(args[1]) if len(args) > 1 else None
    if options is None:
        return True
    if options.type != "object":
        return False  # options we cannot see
    if library == "memoizee":
        return all(_option(options, name) in (None, "0", "Infinity") for name in ("max", "maxAge"))
    return _option(options, "cache") is None  # fast-memoize: a custom cache may be bounded


def _option(options: ts.Node, name: str) -> str | None:
    for pair in options.named_children:
        if pair.type == "pair":
            key = pair.child_by_field_name("key")
            if key is not None and (string_value(key) or text(key)) == name:
                return text(unwrap(pair.child_by_field_name("value")))
        elif pair.type == "shorthand_property_identifier" and text(pair) == name:
            return name
    return None


def _lodash_cache_replaced(ctx: RuleContext) -> bool:
    """`_.memoize.Cache = LRU` (or `memoize.Cache = ...`) anywhere in the file."""
    for node in ctx.model.nodes_of("assignment_expression"):
        path = member_path(node.child_by_field_name("left"))
        if path and len(path) >= 2 and path[-2:] == ("memoize", "Cache"):
            return True
    return False


def _function_value(index: Collections, node: ts.Node | None) -> ts.Node | None:
    node = unwrap(node)
    if node is None:
        return None
    if node.type in FUNCTION_TYPES:
        return node
    return index.local_function(node)


def _has_parameters(fn: ts.Node) -> bool:
    params = fn.child_by_field_name("parameters")
    if params is None:
        return fn.child_by_field_name("parameter") is not None
    if any(p.type != "comment" for p in params.named_children):
        return True
    return any(n.type == "identifier" and text(n) == "arguments" for n in walk(fn))


def _parameter_names(fn: ts.Node | None) -> list[str]:
    if fn is None:
        return []
    params = fn.child_by_field_name("parameters")
    nodes = [p for p in params.named_children if p.type != "comment"] if params is not None else \
        [p for p in (fn.child_by_field_name("parameter"),) if p is not None]
    names = []
    for p in nodes:
        if p.type in ("required_parameter", "optional_parameter"):
            p = p.child_by_field_name("pattern") or p
        if p.type == "assignment_pattern":
            p = p.child_by_field_name("left") or p
        names.append(text(p))
    return names


def _returns_constant(index: Collections, fn: ts.Node) -> bool:
    """A resolver whose every return value is a constant: `() => "all"`."""
    body = fn.child_by_field_name("body")
    if body is None:
        return False
    if body.type != "statement_block":
        return index.is_constant(body)
    returns = [n for n in walk(body) if n.type == "return_statement" and index.model.enclosing_function(n) == fn]
    return bool(returns) and all(index.is_constant(r.named_child(0)) for r in returns)


def _library_key(library: str, args: list[ts.Node], fn: ts.Node | None) -> str:
    names = _parameter_names(fn)
    if library in ("lodash", "underscore"):
        if len(args) > 1:
            return "key returned by its resolver"
        return f"first argument `{names[0]}`" if names else "first argument"
    if len(names) == 1:
        return f"argument `{names[0]}`"
    if names:
        return "combination of arguments " + ", ".join(f"`{n}`" for n in names)
    return "combination of arguments"


# --- where the memoized function lives -----------------------------------------------------------


def _long_lived(ctx: RuleContext, index: Collections, call: ts.Node) -> LongLived | None:
    """The memoized function made by `call` is kept for the life of the process: bound at module
    level, exported, a static or singleton field, or handed to a registration at start-up."""
    model = ctx.model
    outer, up = climb(call)
    if up is None:
        return None
    t = up.type
    if t == "variable_declarator" and up.child_by_field_name("value") == outer:
        name = up.child_by_field_name("name")
        if name is None or name.type != "identifier":
            return None
        binding = model.resolve(name)
        if binding is None or not model.is_module_level(binding):
            return None
        return LongLived(binding.name, up, name)
    if t == "assignment_expression" and up.child_by_field_name("right") == outer:
        left = up.child_by_field_name("left")
        key = index.key_of(left)
        if key is None or index.holder(key) is None:
            return None
        return LongLived(index.name(key), up, left)
    if t == "export_statement":
        return LongLived("default", up, None)
    if t in FIELD_TYPES:
        cls = up.parent.parent if up.parent is not None else None
        if cls is None or not (is_static(up) or model.lifetime.is_singleton(cls)):
            return None
        prop = up.child_by_field_name("property") or up.child_by_field_name("name")
        return LongLived(text(prop), up, None)
    if t == "pair" and up.child_by_field_name("value") == outer:
        obj = up.parent
        owner = _long_lived_object(ctx, index, obj) if obj is not None else None
        if owner is None:
            return None
        key = up.child_by_field_name("key")
        return LongLived(f"{owner}.{string_value(key) or text(key)}", up, None)
    if t == "arguments" and up.parent is not None and model.enclosing_function(call) is None and \
            model.lifetime.callback_repeat(up.parent, outer) is not None:
        # `app.get("/user", memoize(handler))`: registered at start-up, called for every request or event
        arg = unwrap(call_arguments(call)[0])
        name = text(arg) if arg is not None and arg.type == "identifier" else "handler"
        return LongLived(name, up.parent, None)
    return None


def _long_lived_object(ctx: RuleContext, index: Collections, obj: ts.Node) -> str | None:
    """An object literal that is itself kept for the process: `module.exports = {...}`, `const api = {...}`."""
    outer, up = climb(obj)
    if up is None or ctx.model.enclosing_function(obj) is not None:
        return None
    if up.type == "variable_declarator" and up.child_by_field_name("value") == outer:
        name = up.child_by_field_name("name")
        return text(name) if name is not None and name.type == "identifier" else None
    if up.type == "assignment_expression" and up.child_by_field_name("right") == outer:
        key = index.key_of(up.child_by_field_name("left"))
        return index.name(key) if key is not None else None
    if up.type == "export_statement":
        return "default"
    return None


def _evicted(index: Collections, holder: LongLived) -> bool:
    """`fn.cache.clear()`, `fn.cache = new LRU()`, `fn.clear()`, `fn.delete(x)` anywhere in the file."""
    if holder.target is None:
        return False
    key = index.key_of(holder.target)
    if key is None:
        return False
    for occ in index.occurrences(key):
        outer, up = climb(occ)
        if up is not None and up.type == "member_expression" and up.child_by_field_name("object") == outer and \
                text(up.child_by_field_name("property")) in EVICTION_MEMBERS:
            return True
    return False


# --- hand-written memoizers ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ClosureCache:
    """A cache a factory creates and the function it returns fills."""

    factory: ts.Node
    cache: Binding
    inner: ts.Node  # the returned function
    write: Use  # the write that adds an entry


def _handwritten_memoizers(ctx: RuleContext, index: Collections) -> None:
    """`function memo(fn) { const cache = {}; return (x) => cache[x] ||= fn(x) }` made at module level."""
    for found in _closure_caches(ctx, index):
        key_text = _closure_key(ctx, found.inner, found.write)
        if key_text is None:
            continue
        instances = [h for h in _instances(ctx, index, found.factory) if h is not None]
        if not instances:
            continue
        first, cache = instances[0], found.cache
        related = [ctx.related(f"`{cache.name}` is created here, once per memoized function",
                               cache.declaration or found.factory),
                   ctx.related(f"`{first.name}` is made here and kept for the life of the process", first.node)]
        related.extend(ctx.related(f"`{h.name}` is another long-lived memoized function", h.node)
                       for h in instances[1:4])
        ctx.report(found.write.node, "handwritten", {"cache": cache.name, "name": first.name, "key": key_text},
                   related)


def _closure_caches(ctx: RuleContext, index: Collections) -> Iterator[ClosureCache]:
    model = ctx.model
    # a cache grows where something is added to it: only the locals some growth expression denotes
    # (through aliases too) can be one, and only their uses are worth classifying
    grown: dict[Binding, list[ts.Node]] = {}
    for target in chain(index.cache_targets, index.array_targets):
        key = index.key_of(target)
        if key is not None and key.root[0] == "binding" and not key.path:
            grown.setdefault(key.root[1], []).append(target)
    if not grown:
        return
    returns = _BareReturns(model)
    # the grown locals only, not every binding of the file (444,000 on the corpus), in source order
    for binding, sites in sorted(grown.items(), key=lambda item: item[0].node.start_byte if item[0].node else -1):
        init = unwrap(binding.init)
        if init is None or binding.node is None or init.type not in ("object", "new_expression", "call_expression"):
            continue
        if model.is_module_level(binding) or index.value_kind(init) not in (OBJECT, MAP):
            continue
        factory = model.enclosing_function(binding.node)
        key = index.key_of(binding.node)
        if factory is None or key is None or key.root != ("binding", binding) or key.path:
            continue
        if not any((inner := model.enclosing_function(site)) is not None and inner != factory
                   and _returned_by(model, inner, factory, returns) for site in sites):
            continue  # grown only in the factory or in functions it does not return: its uses are not looked at
        uses = index.uses(key)
        if any(u.kind in STOPPERS for u in uses):
            continue
        for use in uses:
            if use.kind != GROW or index.is_constant(use.key):
                continue
            inner = model.enclosing_function(use.node)
            if inner is None or inner == factory or not _returned_by(model, inner, factory, returns):
                continue
            if _looks_up(uses, inner):
                yield ClosureCache(factory, binding, inner, use)
                break


def _returned_by(model: SemanticModel, inner: ts.Node, factory: ts.Node, returns: _BareReturns) -> bool:
    """`inner` is (or is the body of a function that is) what `factory` returns."""
    fn = inner
    while fn is not None and fn != factory:
        outer, up = climb(fn)
        if up is not None and up.type == "return_statement" and model.enclosing_function(up) == factory:
            return True
        if up is not None and up.type == "arrow_function" and up == factory and \
                up.child_by_field_name("body") == outer:
            return True
        if up is not None and up.type == "variable_declarator":
            name = up.child_by_field_name("name")
            binding = model.resolve(name) if name is not None and name.type == "identifier" else None
            if binding is not None and returns.returns(factory, binding):
                return True
        if fn.type == "function_declaration":
            binding = model.resolve(fn.child_by_field_name("name"))
            if binding is not None and returns.returns(factory, binding):
                return True
        fn = model.enclosing_function(fn)
    return False


class _BareReturns:
    """The `return name;` statements of a file by name, found on first use: whether a function
    returns a binding is answered from them, not from every reference of the binding."""

    def __init__(self, model: SemanticModel) -> None:
        self.model = model
        self._by_name: dict[bytes, list[tuple[ts.Node, ts.Node]]] | None = None

    def returns(self, factory: ts.Node, binding: Binding) -> bool:
        """`factory` itself has a `return name;` of this binding."""
        model = self.model
        if self._by_name is None:
            self._by_name = {}
            for ret in model.nodes_of("return_statement"):
                value = next((c for c in ret.named_children if c.type != "comment"), None)
                if value is not None and value.type == "identifier":
                    self._by_name.setdefault(value.text, []).append((ret, value))
        for ret, value in self._by_name.get(binding.name.encode("utf-8"), ()):
            if factory.start_byte <= ret.start_byte and ret.end_byte <= factory.end_byte and \
                    model.resolve(value) is binding and model.enclosing_function(ret) == factory:
                return True
        return False


def _looks_up(uses: list[Use], inner: ts.Node) -> bool:
    """The inner function reads the cache by key (`cache[k]`, `cache.get(k)`, `cache.has(k)`, `k in cache`)."""
    for use in uses:
        node = use.node
        if use.kind == GROW or not (inner.start_byte <= node.start_byte and node.end_byte <= inner.end_byte):
            continue
        if node.type == "subscript_expression" or (node.type == "call_expression" and use.op in ("get", "has")):
            return True
        if node.type == "binary_expression" and text(node.child_by_field_name("operator")) == "in":
            return True
    return False


def _closure_key(ctx: RuleContext, inner: ts.Node, write: Use) -> str | None:
    """Which of the inner function's parameters form the key; None when none does."""
    params = [p.lstrip(".") for p in _parameter_names(inner)]
    key = unwrap(write.key)
    if not params or key is None:
        return None
    names: set[str] = set()
    for node in walk(key):
        if node.type != "identifier":
            continue
        names.add(text(node))
        binding = ctx.model.resolve(node)
        init = unwrap(binding.init) if binding is not None else None
        if init is not None and binding is not None and binding.kind is not BindingKind.PARAM and \
                ctx.model.enclosing_function(init) == inner:
            names.update(text(n) for n in walk(init) if n.type == "identifier")  # `const k = JSON.stringify(args)`
    used = [p for p in params if p in names]
    if not used:
        return None
    if len(used) == 1 and text(key) == used[0]:
        return f"argument `{used[0]}`"
    return "key built from " + ", ".join(f"`{p}`" for p in used)


def _instances(ctx: RuleContext, index: Collections, factory: ts.Node) -> Iterator[LongLived | None]:
    """Long-lived results of calling the factory: `const f = memo(g)` at module level, an IIFE."""
    outer, up = climb(factory)
    if up is not None and up.type == "call_expression" and up.child_by_field_name("function") == outer:
        if ctx.model.lifetime.repeat_reason(up) is None:
            yield _long_lived(ctx, index, up)
        return
    for call in index.direct_calls(factory) or ():
        if ctx.model.lifetime.repeat_reason(call) is None:
            yield _long_lived(ctx, index, call)
