"""listener-leak: a listener added to a long-lived target by code that runs repeatedly, never removed.

The whole file is read first: every add (`on`, `addListener`, `prependListener`,
`addEventListener`, jQuery `.on`/`.bind` on `$(window)`/`$(document)`) and every removal (`off`,
`removeListener`, `removeEventListener`, `removeAllListeners`, jQuery `.off`/`.unbind`). An add is
reported when its target lives as long as the process, the add runs repeatedly, it is not undone
by `once`, an AbortSignal or a kept disposer, and no removal that can run matches it: same target,
same event, same function reference. Removals that can never match (a new function, another
`capture` flag) and `setMaxListeners(0)` are reported on their own.
"""

from __future__ import annotations

from dataclasses import dataclass

import tree_sitter as ts

from leaklint.rules.base import RuleContext
from leaklint.semantic.binder import CLASS_TYPES
from leaklint.semantic.cleanup import can_run
from leaklint.semantic.imports import module_source
from leaklint.semantic.lifetime import GLOBAL_OBJECT_NAMES, Holder, call_arguments, callee_name, callee_object
from leaklint.semantic.model import SemanticModel
from leaklint.semantic.scope import Binding, BindingKind
from leaklint.syntax import FUNCTION_TYPES, member_path, string_value, text, unwrap, walk

RULE_ID = "listener-leak"

ADD_METHODS = frozenset({"on", "addListener", "prependListener", "addEventListener"})
REMOVE_METHODS = frozenset({"off", "removeListener", "removeEventListener"})
REMOVE_ALL = "removeAllListeners"
COUNT_METHODS = frozenset({"listenerCount", "listeners", "rawListeners"})
JQUERY_ADD = frozenset({"on", "bind"})
JQUERY_REMOVE = frozenset({"off", "unbind"})
JQUERY_METHODS = JQUERY_ADD | JQUERY_REMOVE
JQUERY_ONLY = JQUERY_METHODS - ADD_METHODS - REMOVE_METHODS  # `bind`, `unbind`: Function.prototype.bind elsewhere
JQUERY_NAMES = frozenset({"$", "jQuery"})
JQUERY_TARGETS = frozenset({"window", "document"})
# globals that live as long as the process or the page
LONG_LIVED_GLOBALS = frozenset({"process", "window", "document", "globalThis", "global"})
# modules that are one of those globals: `const process = require('node:process')`
GLOBAL_MODULES = {"process": "process", "node:process": "process"}
LONG_LIVED_GLOBAL_PATHS = frozenset({
    ("document", "body"), ("document", "documentElement"), ("document", "head"),
    ("process", "stdin"), ("process", "stdout"), ("process", "stderr"),
})
# modules whose namespace offers `on(emitter, event)`-style helpers rather than being an emitter
HELPER_MODULES = frozenset({"events", "node:events"})

Key = tuple[object, ...]


@dataclass(frozen=True, slots=True)
class Handler:
    """The function argument of an add or a removal."""

    kind: str  # "fresh" (a new value on every run) | "local" | "stable" | "member" | "external" | "none"
    key: Key | None


@dataclass(slots=True)
class Site:
    """One add or removal call."""

    call: ts.Node
    method: str
    target: ts.Node | None  # None for a bare `addEventListener(...)` (the global object)
    target_key: Key | None
    target_external: bool  # a parameter or loop variable: may be any object
    event: ts.Node | None
    event_key: Key | None
    handler: ts.Node | None
    handler_info: Handler
    options: ts.Node | None
    jquery: bool


def check(ctx: RuleContext) -> None:
    adds: list[Site] = []
    removals: list[Site] = []
    for call in ctx.model.calls_named("setMaxListeners", REMOVE_ALL, *ADD_METHODS, *REMOVE_METHODS, *JQUERY_METHODS):
        method = callee_name(call)
        if method == "setMaxListeners":
            _max_listeners(ctx, call)
            continue
        site = _site(ctx.model, call, method)
        if site is None:
            continue
        is_add = method in (JQUERY_ADD if site.jquery else ADD_METHODS)
        (adds if is_add else removals).append(site)
    for rem in removals:
        _check_removal(ctx, rem, adds, removals)
    for add in adds:
        _check_add(ctx, add, removals)


# --- the checks ---------------------------------------------------------------------------------


def _check_add(ctx: RuleContext, add: Site, removals: list[Site]) -> None:
    model = ctx.model
    if add.handler_info.kind == "none" or _once_or_signal(model, add) or _value_kept(model, add.call):
        return
    holder = _long_lived(ctx, add)
    if holder is None or _replaced_before(model, add) or _counted_before(model, add):
        return
    if add.method == "addEventListener" and add.handler_info.kind == "stable":
        return  # the DOM ignores a second add of the same function: it cannot pile up
    reason = model.lifetime.repeat_reason(add.call)
    if reason is None:
        return
    mismatched: list[Site] = []
    for rem in removals:
        if not _same_target(add, rem) or not _same_event(add, rem):
            continue
        if not _undoes(add, rem):
            if rem.handler_info.kind != "none":
                mismatched.append(rem)
            continue
        if _removal_can_run(model, rem, add):
            return
    event = _event_label(add.event)
    data = {"event": event, "target": holder.description, "reason": reason.description}
    related = []
    if holder.node is not None:
        related.append(ctx.related(f"{holder.description} is declared here", holder.node))
    related.append(ctx.runs_on(reason))
    for rem in mismatched[:3]:
        related.append(ctx.related("this removal passes a different function or `capture` flag and cannot match",
                                   rem.call))
    ctx.report(_report_start(add.call), "leak", data, related, end_node=add.call)


def _report_start(call: ts.Node) -> ts.Node:
    """A chained add (`stdin.on('data', f).on('end', g)`, or one on its own line) starts at its method name."""
    fn = unwrap(call.child_by_field_name("function"))
    obj = callee_object(call)
    if fn is None or fn.type != "member_expression" or obj is None:
        return call
    prop = fn.child_by_field_name("property")
    if prop is not None and (obj.type == "call_expression" or obj.end_point[0] < prop.start_point[0]):
        return prop
    return call


def _check_removal(ctx: RuleContext, rem: Site, adds: list[Site], removals: list[Site]) -> None:
    event_node = unwrap(rem.event)
    if rem.method == REMOVE_ALL or rem.handler is None or event_node is None or event_node.type == "number":
        return
    target = _label(rem.target) if rem.target is not None else "the global object"
    event = _event_label(rem.event)
    if rem.handler_info.kind == "fresh":
        ctx.report(rem.call, "fresh-removal", {"method": rem.method, "event": event, "target": target})
        return
    if rem.method != "removeEventListener":
        return
    removed = _capture(rem.options)
    if removed is None:
        return
    for add in adds:
        if add.method != "addEventListener" or not _same_target(add, rem) or not _same_event(add, rem) \
                or add.handler_info.key is None or add.handler_info.key != rem.handler_info.key:
            continue
        added = _capture(add.options)
        if added is None or added == removed:
            continue
        if any(_capture(o.options) == added and o.handler_info.key == add.handler_info.key
               and _same_target(add, o) and _same_event(add, o) for o in removals if o is not rem):
            continue
        ctx.report(rem.call, "capture-mismatch", {"event": event, "target": target,
                                                   "added": str(added).lower(), "removed": str(removed).lower()},
                   [ctx.related(f"added with `capture: {str(added).lower()}` here", add.call)])
        return


def _max_listeners(ctx: RuleContext, call: ts.Node) -> None:
    args = call_arguments(call)
    if not args:
        return
    value = unwrap(args[0])
    if value is None:
        return
    label = text(value)
    unlimited = (value.type == "number" and label in ("0", "0x0", "0.0")) \
        or ctx.model.is_global_name(value, "Infinity") \
        or member_path(value) == ("Number", "POSITIVE_INFINITY")
    if not unlimited:
        return
    target = callee_object(call)
    if target is None and len(args) > 1:
        target = args[1]  # `events.setMaxListeners(0, emitter)`
    elif target is not None and _module_source(ctx.model, target) in HELPER_MODULES and len(args) > 1:
        target = args[1]
    where = _label(target) if target is not None else "every emitter"
    ctx.report(call, "max-listeners", {"value": label, "target": where})


# --- reading the calls ----------------------------------------------------------------------------


def _site(model: SemanticModel, call: ts.Node, method: str) -> Site | None:
    args = call_arguments(call)
    obj = callee_object(call)
    jquery = method in JQUERY_METHODS and obj is not None and _jquery_target(model, obj) is not None
    if method in JQUERY_ONLY and not jquery:
        return None  # `.bind` / `.unbind` only count on jQuery objects
    if obj is None:
        fn = unwrap(call.child_by_field_name("function"))
        if method not in ("addEventListener", "removeEventListener") or not model.is_global_name(fn, method):
            return None
    elif _module_source(model, obj) in HELPER_MODULES:
        return None  # `events.on(emitter, 'x')` is an async iterator, not a listener
    if method != REMOVE_ALL and method not in ("off", "unbind") and len(args) < 2:
        return None
    event = args[0] if args else None
    if event is not None and unwrap(event) is not None and unwrap(event).type in ("object", "array"):
        return None  # jQuery's `{ click: fn }` form and friends
    if jquery:
        handler = next((a for a in reversed(args[1:]) if not _is_plain_data(a)), None) if len(args) > 1 else None
        options = None
    else:
        handler = args[1] if len(args) > 1 else None
        options = args[2] if len(args) > 2 else None
    if handler is not None and unwrap(handler) is not None and unwrap(handler).type in (
            "string", "template_string", "number", "true", "false", "null", "undefined"):
        return None  # `router.on('GET', '/path', fn)`, `knex.on('a.id', '=', 'b.id')`: not a listener
    target = _chain_target(obj)
    return Site(
        call=call,
        method=method,
        target=target,
        target_key=_object_key(model, target) if target is not None else ("g", "window"),
        target_external=_is_external(model, target),
        event=event,
        event_key=_event_key(model, event),
        handler=handler,
        handler_info=_handler(model, handler),
        options=options,
        jquery=jquery,
    )


def _is_external(model: SemanticModel, target: ts.Node | None) -> bool:
    """A parameter or a loop variable: the object comes from elsewhere and may be any of them."""
    target = unwrap(target)
    if target is None or target.type != "identifier":
        return False
    binding = model.resolve(target)
    if binding is None:
        return False
    if binding.kind is BindingKind.PARAM:
        return True
    return binding.kind in (BindingKind.VAR, BindingKind.LET, BindingKind.CONST) and binding.init is None \
        and not model.is_module_level(binding)


def _chain_target(obj: ts.Node | None) -> ts.Node | None:
    """`bus.on('a', f).on('b', g)`: the second add's target is `bus`."""
    while obj is not None and obj.type == "call_expression" and callee_name(obj) in ADD_METHODS:
        inner = callee_object(obj)
        if inner is None:
            return obj
        obj = inner
    return obj


def _is_plain_data(node: ts.Node) -> bool:
    n = unwrap(node)
    return n is not None and n.type in ("string", "template_string", "object", "number", "null", "undefined")


def _jquery_target(model: SemanticModel, obj: ts.Node) -> str | None:
    """`$(window)` / `jQuery(document)` -> "window" / "document"."""
    obj = unwrap(obj)
    if obj is None or obj.type != "call_expression":
        return None
    fn = unwrap(obj.child_by_field_name("function"))
    if fn is None or fn.type != "identifier" or text(fn) not in JQUERY_NAMES:
        return None
    binding = model.resolve(fn)
    if binding is not None and (binding.kind is BindingKind.FUNCTION or (
            binding.init is not None and unwrap(binding.init).type in FUNCTION_TYPES)):
        return None  # a `$` defined here (a `querySelector` shorthand), not jQuery
    args = call_arguments(obj)
    if len(args) != 1:
        return None
    arg = unwrap(args[0])
    if arg is not None and arg.type == "identifier" and model.is_global_name(arg, *JQUERY_TARGETS):
        return text(arg)
    return ""


def _object_key(model: SemanticModel, expr: ts.Node | None) -> Key | None:
    """What identifies an object across the file: a binding, a global, a path from one of them."""
    expr = unwrap(expr)
    if expr is None:
        return None
    if expr.type == "identifier":
        binding = model.resolve(expr)
        if binding is None:
            name = text(expr)
            return ("g", "window") if name in GLOBAL_OBJECT_NAMES else ("g", name)
        module = GLOBAL_MODULES.get(_module_source(model, expr) or "")
        if module is not None:
            return ("g", module)
        if _is_this_alias(binding):
            return ("this",)
        return ("b", id(binding))
    if expr.type == "this":
        return ("this",)
    if expr.type == "call_expression":
        jq = _jquery_target(model, expr)
        return ("jq", jq) if jq else None
    path = member_path(expr)
    if not path:
        return None
    base = expr
    while base is not None and base.type in ("member_expression", "subscript_expression"):
        base = unwrap(base.child_by_field_name("object"))
    if base is None or base.type not in ("identifier", "this"):
        return None
    root = _object_key(model, base)
    if root is None:
        return None
    rest = path[1:]
    if root == ("g", "window"):
        return _global_path_key(rest)  # `window.document` is `document`
    return ("p", root, *rest)


def _is_this_alias(binding: Binding) -> bool:
    """`var self = this`, and the `_this = _super.call(this) || this` of compiled classes."""
    if binding.kind not in (BindingKind.VAR, BindingKind.LET, BindingKind.CONST):
        return False
    values = []
    for ref in binding.references:
        if not ref.is_write:
            continue
        w = ref.write_expr
        if w is None or w.type not in ("variable_declarator", "assignment_expression"):
            return False
        values.append(unwrap(w.child_by_field_name("value" if w.type == "variable_declarator" else "right")))
    if not values:
        return False
    for v in values:
        if v is not None and v.type == "binary_expression" and text(v.child_by_field_name("operator")) == "||":
            v = unwrap(v.child_by_field_name("right"))
        if v is None or v.type != "this":
            return False
    return True


def _global_path_key(rest: tuple[str, ...]) -> Key:
    if len(rest) == 1:
        return ("g", rest[0])
    return ("p", ("g", rest[0]), *rest[1:])


def _handler(model: SemanticModel, node: ts.Node | None) -> Handler:
    node = unwrap(node)
    if node is None:
        return Handler("none", None)
    t = node.type
    if t in FUNCTION_TYPES or t in CLASS_TYPES or t in ("call_expression", "new_expression"):
        return Handler("fresh", None)
    if t == "identifier":
        binding = model.resolve(node)
        if binding is None:
            return Handler("external", ("g", text(node)))
        return Handler(_binding_kind(model, binding), ("b", id(binding)))
    if t in ("member_expression", "subscript_expression"):
        key = _object_key(model, node)
        return Handler("member", key) if key is not None else Handler("external", None)
    return Handler("external", None)


def _binding_kind(model: SemanticModel, binding: Binding) -> str:
    """`stable`: one function for the whole file; `local`: a new one per run of its scope; else `external`."""
    module_level = model.is_module_level(binding)
    if binding.kind is BindingKind.FUNCTION:
        return "stable" if module_level else "local"
    if binding.kind is BindingKind.IMPORT:
        return "stable"
    if binding.kind in (BindingKind.VAR, BindingKind.LET, BindingKind.CONST):
        init = unwrap(binding.init)
        reassigned = any(not r.is_init for r in binding.writes)
        if init is not None and not reassigned and (
                init.type in FUNCTION_TYPES or init.type in ("call_expression", "new_expression")):
            return "stable" if module_level else "local"  # `const onResize = debounce(...)` at the top: one value
    return "external"


def _event_key(model: SemanticModel, node: ts.Node | None) -> Key | None:
    node = unwrap(node)
    if node is None:
        return None
    value = string_value(node)
    if value is not None:
        return ("s", value)
    if node.type == "identifier":
        binding = model.resolve(node)
        if binding is not None:
            init = unwrap(binding.init)
            value = string_value(init) if init is not None else None
            if value is not None and not any(not r.is_init for r in binding.writes):
                return ("s", value)
            return ("x", id(binding))
        return ("x", text(node))
    return ("x", text(node))


def _once_or_signal(model: SemanticModel, add: Site) -> bool:
    """`{ once: true }`, or `{ signal }` from a controller that is aborted (or handed elsewhere)."""
    options = unwrap(add.options)
    if options is None or options.type != "object":
        return False
    for prop in options.named_children:
        if prop.type == "shorthand_property_identifier":
            if text(prop) == "signal":
                return True
            continue
        if prop.type != "pair":
            continue
        key = text(prop.child_by_field_name("key"))
        value = unwrap(prop.child_by_field_name("value"))
        if key == "once" and value is not None and value.type != "false":
            return True
        if key == "signal" and value is not None:
            return _signal_may_abort(model, value)
    return False


def _signal_may_abort(model: SemanticModel, value: ts.Node) -> bool:
    """False only for `controller.signal` of a local `new AbortController()` that nothing aborts or hands on."""
    if value.type != "member_expression" or text(value.child_by_field_name("property")) != "signal":
        return True
    obj = unwrap(value.child_by_field_name("object"))
    binding = model.resolve(obj) if obj is not None and obj.type == "identifier" else None
    init = unwrap(binding.init) if binding is not None else None
    if init is None or init.type != "new_expression" or callee_name(init) != "AbortController":
        return True
    for ref in binding.references:
        if ref.is_init:
            continue
        parent = ref.node.parent
        if parent is None or parent.type != "member_expression":
            return True  # handed on: someone else may abort it
        prop = text(parent.child_by_field_name("property"))
        if prop == "abort":
            return True
    return False


def _value_kept(model: SemanticModel, call: ts.Node) -> bool:
    """The add's return value is used: a disposer (`const off = bus.on(...)`) the caller can call."""
    node, parent = call, call.parent
    while parent is not None and parent.type in ("parenthesized_expression", "as_expression",
                                                 "satisfies_expression", "non_null_expression"):
        node, parent = parent, parent.parent
    if parent is None or parent.type in ("expression_statement", "sequence_expression"):
        return False
    if parent.type == "member_expression" and parent.child_by_field_name("object") == node:
        return False  # chained: `bus.on(...).on(...)`
    if parent.type == "variable_declarator" and parent.child_by_field_name("value") == node:
        name = parent.child_by_field_name("name")
        binding = model.resolve(name) if name is not None and name.type == "identifier" else None
        if binding is not None:
            return any(not r.is_init and r.is_read for r in binding.references)
    return True


def _module_source(model: SemanticModel, expr: ts.Node | None) -> str | None:
    """The module a name holds (whole): `events` for `const events = require('events')`."""
    expr = unwrap(expr)
    if expr is None or expr.type != "identifier":
        return None
    source = module_source(model, model.resolve(expr))
    if source is None or source[1] not in ("*", "default"):
        return None
    return source[0]


# --- long-lived targets -------------------------------------------------------------------------


def _long_lived(ctx: RuleContext, add: Site) -> Holder | None:
    model = ctx.model
    target = unwrap(add.target)
    if target is None:
        return Holder("global", "`window`", None)
    configured = _configured(ctx, target)
    if configured is not None:
        return configured
    if add.jquery:
        name = _jquery_target(model, target)
        return Holder("global", f"`$({name})`", None) if name else None
    key = add.target_key
    if key == ("this",):
        return _singleton_this(model, _this_node(model, target))
    if target.type == "identifier":
        if key is not None and key[0] == "g":
            name = text(target) if key[1] == "window" else str(key[1])
            return Holder("global", f"`{name}`", None) if name in LONG_LIVED_GLOBALS else None
        binding = model.resolve(target)
        if binding is None:
            return None
        if binding.kind is BindingKind.IMPORT:
            return Holder("import", f"imported `{binding.name}`", binding.node, binding)
        holder = model.lifetime.long_lived(target)
        if holder is None or _module_source(model, target) in HELPER_MODULES:
            return None
        return holder
    path = member_path(target)
    if not path:
        return None
    if key is not None and key[0] == "g":
        return Holder("global", f"`{_label(target)}`", None) if key[1] in LONG_LIVED_GLOBALS else None
    if key is not None and key[0] == "p" and key[1] is not None and key[1][0] == "g":
        global_path = (str(key[1][1]), *(str(k) for k in key[2:]))
        if global_path not in LONG_LIVED_GLOBAL_PATHS:
            return None
        return Holder("global", f"`{'.'.join(global_path)}`", None)  # `process.stdin`, also when required
    base = target
    while base is not None and base.type in ("member_expression", "subscript_expression"):
        base = unwrap(base.child_by_field_name("object"))
    root = model.resolve(base) if base is not None and base.type == "identifier" else None
    if root is not None and root.kind is BindingKind.IMPORT:
        return Holder("import", f"`{'.'.join(path)}` of imported `{root.name}`", root.node, root)
    return model.lifetime.long_lived(target)


def _configured(ctx: RuleContext, target: ts.Node) -> Holder | None:
    """Names listed in the `long-lived` setting: shared objects the rule cannot see are shared."""
    names = ctx.settings.long_lived
    if not names:
        return None
    path = member_path(target)
    if not path:
        return None
    dotted = ".".join(path)
    if dotted in names or path[-1] in names:
        return Holder("configured", f"long-lived `{dotted}`", None)
    return None


def _this_node(model: SemanticModel, target: ts.Node) -> ts.Node | None:
    """`this` itself, or the `this` an alias (`var self = this`) was made from."""
    if target.type == "this":
        return target
    binding = model.resolve(target)
    value = unwrap(binding.init) if binding is not None else None
    if value is not None and value.type == "binary_expression":
        value = unwrap(value.child_by_field_name("right"))
    return value if value is not None and value.type == "this" else None


def _singleton_this(model: SemanticModel, node: ts.Node | None) -> Holder | None:
    """`this` in a method of a class instantiated once, at start-up."""
    if node is None:
        return None
    lifetime = model.lifetime
    fn = lifetime._this_function(node)
    if fn is None or fn.type != "method_definition":
        return None
    cls = lifetime._class_of(fn)
    if cls is None or not lifetime.is_singleton(cls):
        return None
    name = lifetime._class_name(cls) or "class"
    return Holder("singleton", f"singleton `{name}`", cls)


def _replaced_before(model: SemanticModel, add: Site) -> bool:
    """The target is (re)created by the code that adds the listener: each run listens to a new object."""
    target = unwrap(add.target)
    if target is None:
        return False
    enclosing = list(model.enclosing_functions(add.call))
    if not enclosing:
        return False
    if target.type == "identifier":
        binding = model.resolve(target)
        if binding is None:
            return False
        for ref in binding.references:
            if ref.is_write and not ref.is_init and any(_inside(ref.node, fn) for fn in enclosing):
                return True
        return False
    path = member_path(target)
    if not path:
        return False
    for node in model.nodes_of("assignment_expression"):
        if member_path(node.child_by_field_name("left")) == path and any(_inside(node, fn) for fn in enclosing):
            return True
    return False


def _counted_before(model: SemanticModel, add: Site) -> bool:
    """`if (process.listenerCount('exit') === 0) process.on('exit', f)`: added only when absent."""
    fn = model.enclosing_function(add.call)
    child, parent = add.call, add.call.parent
    while parent is not None and parent != fn:
        if parent.type == "if_statement" and parent.child_by_field_name("consequence") == child:
            for node in walk(parent.child_by_field_name("condition")):
                if node.type == "call_expression" and callee_name(node) in COUNT_METHODS and \
                        _object_key(model, _chain_target(callee_object(node))) == add.target_key:
                    return True
        child, parent = parent, parent.parent
    return False


def _inside(node: ts.Node, container: ts.Node) -> bool:
    return container.start_byte <= node.start_byte and node.end_byte <= container.end_byte


# --- matching adds and removals -----------------------------------------------------------------


def _same_target(add: Site, rem: Site) -> bool:
    if add.jquery != rem.jquery:
        return False
    if rem.target_external:
        return True  # `function unlisten(target, type, fn) { target.removeEventListener(type, fn) }`
    return add.target_key is not None and add.target_key == rem.target_key


def _same_event(add: Site, rem: Site) -> bool:
    a, r = add.event_key, rem.event_key
    if r is None:
        return True  # `removeAllListeners()`, `.off()`: every event
    if a is None:
        return False
    if a[0] != "s" or r[0] != "s":
        return True  # not a literal on one side: it may be the same name
    if add.jquery:
        return _jquery_events_match(str(a[1]), str(r[1]))
    return a == r


def _jquery_events_match(added: str, removed: str) -> bool:
    """jQuery: `'resize.ns scroll'` is removed by `'resize'`, `'.ns'` or `'resize.ns'`."""
    for a in added.split():
        a_type, *a_ns = a.split(".")
        for r in removed.split():
            r_type, *r_ns = r.split(".")
            if (not r_type or r_type == a_type) and set(r_ns) <= set(a_ns):
                return True
    return False


def _undoes(add: Site, rem: Site) -> bool:
    """Whether `rem` (same target, same event) removes what `add` added."""
    if rem.handler_info.kind == "none":
        # `removeAllListeners(event)`, jQuery `.off(event)`, and `off(event)` of emitters that accept it
        return rem.method == REMOVE_ALL or rem.jquery or rem.method == "off"
    if not _same_handler(add.handler_info, rem.handler_info):
        return False
    added, removed = _capture(add.options), _capture(rem.options)
    return added is None or removed is None or added == removed


def _same_handler(added: Handler, removed: Handler) -> bool:
    if removed.kind == "fresh" or added.kind == "fresh":
        return False
    if removed.kind == "local":
        return added.key == removed.key  # a function made by the removing code: only that one add has it
    if added.kind == "external" or removed.kind == "external":
        return True  # a parameter or a looked-up value: it may be the same function
    return added.key is not None and added.key == removed.key


def _capture(options: ts.Node | None) -> bool | None:
    """The `capture` flag of `addEventListener`/`removeEventListener` options; None when it cannot be told."""
    options = unwrap(options)
    if options is None:
        return False
    if options.type in ("true", "false"):
        return options.type == "true"
    if options.type != "object":
        return None
    for prop in options.named_children:
        if prop.type == "pair" and text(prop.child_by_field_name("key")) == "capture":
            value = unwrap(prop.child_by_field_name("value"))
            if value is not None and value.type in ("true", "false"):
                return value.type == "true"
            return None
        if prop.type in ("spread_element",) or (prop.type == "shorthand_property_identifier" and text(prop) == "capture"):
            return None
    return False


def _removal_can_run(model: SemanticModel, rem: Site, add: Site) -> bool:
    """Every function between the removal and the code it shares with the add can be called."""
    for fn in model.enclosing_functions(rem.call):
        if _inside(add.call, fn):
            return True
        if not can_run(model, fn):
            return False
    return True


# --- labels -------------------------------------------------------------------------------------


def _label(node: ts.Node | None) -> str:
    node = unwrap(node)
    if node is None:
        return "an object"
    raw = " ".join(text(node).split())
    return raw if len(raw) <= 40 else raw[:37] + "..."


def _event_label(node: ts.Node | None) -> str:
    value = string_value(node)
    if value is not None:
        return f"'{value}'"
    return _label(node)
