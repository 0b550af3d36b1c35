"""uncleared-timer: intervals (and self-rescheduling timeouts) started again and again, never stopped.

An interval keeps its callback, and everything the callback closes over, until `clearInterval`.
Started by code that re-runs (a connection handler, a route, a constructor, a method, a component)
with its handle thrown away or never cleared, every run adds a timer that lives forever.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import tree_sitter as ts

from leaklint.rules.base import RuleContext
from leaklint.semantic.imports import import_bindings, module_source
from leaklint.semantic.lifetime import GLOBAL_OBJECT_NAMES, call_arguments, callee_name, function_name
from leaklint.semantic.binder import CLASS_TYPES
from leaklint.semantic.scope import Binding, BindingKind, SourceType
from leaklint.syntax import FUNCTION_TYPES, WRAPPERS, climb, member_path, text, unwrap, walk

RULE_ID = "uncleared-timer"

TIMER_MODULES = frozenset({"timers", "node:timers"})
TIMER_FUNCTIONS = frozenset({"setInterval", "setTimeout", "clearInterval", "clearTimeout"})
CLEAR_FUNCTIONS = frozenset({"clearInterval", "clearTimeout"})  # interchangeable in Node and browsers
EFFECT_HOOKS = frozenset({"useEffect", "useLayoutEffect", "useInsertionEffect"})
# methods of a Node `Timeout` that leave the timer running
HANDLE_METHODS = frozenset({"unref", "ref", "hasRef", "refresh"})
CONDITIONALS = frozenset({"if_statement", "ternary_expression", "switch_case", "switch_default", "catch_clause",
                          "while_statement", "do_statement", "for_statement", "for_in_statement"})
NODE_GLOBALS = frozenset({"require", "process", "module", "exports", "Buffer", "__dirname", "__filename"})
BROWSER_GLOBALS = frozenset({"window", "document", "navigator", "location", "localStorage"})
NODE_BUILTINS = frozenset({"fs", "path", "os", "http", "https", "net", "events", "child_process", "stream",
                           "util", "url", "crypto", "zlib", "worker_threads", "cluster", "dgram", "readline"})
# class decorators of dependency-injection frameworks whose instances are singletons by default
DI_SINGLETONS = frozenset({"Injectable", "Controller", "Module", "WebSocketGateway", "Service"})
# a self-rescheduling chain leaks per connection or request; elsewhere it is usually a deliberate poller
CHAIN_REPEATS = frozenset({"listener", "route", "server"})


@dataclass(slots=True)
class _Clears:
    """Everything the file passes to `clearInterval`/`clearTimeout`."""

    bindings: set[int] = field(default_factory=set)  # id() of cleared bindings
    # names and property names inside cleared expressions -> the clearing calls
    names: dict[str, list[ts.Node]] = field(default_factory=dict)
    this_calls: list[ts.Node] = field(default_factory=list)  # `clearInterval(this)` inside a callback
    as_value: bool = False  # `timers.forEach(clearInterval)`: anything may be cleared
    call_ids: frozenset[int] = frozenset()  # the clearing calls
    _reads: dict[str, list[ts.Node]] | None = None

    def property_reads(self, ctx: RuleContext, name: str) -> list[ts.Node]:
        """Member expressions of the file with that property name (`this.timer`, `state.timer`)."""
        if self._reads is None:
            self._reads = {}
            for node in walk(ctx.file.root):
                if node.type == "member_expression":
                    self._reads.setdefault(text(node.child_by_field_name("property")), []).append(node)
        return self._reads.get(name, [])


@dataclass(frozen=True, slots=True)
class _Sink:
    """Where an interval's handle goes."""

    kind: str  # "discarded" | "binding" | "property"
    node: ts.Node  # the expression the handle ends up in (the call itself when discarded)
    unref: bool = False
    binding: Binding | None = None
    name: str = ""  # binding or property name


def check(ctx: RuleContext) -> None:
    names = TIMER_FUNCTIONS | _timer_aliases(ctx)
    calls = [(call, name) for call in ctx.model.calls_named(*names)
             if (name := _timer_function(ctx, call)) is not None]
    if not any(name in ("setInterval", "setTimeout") for _, name in calls):
        return
    clears = _collect_clears(ctx, [c for c, name in calls if name in CLEAR_FUNCTIONS])
    for call, name in calls:
        if name == "setInterval":
            _check_interval(ctx, clears, call)
        elif name == "setTimeout":
            _check_timeout_chain(ctx, call)


# --- which function is called -------------------------------------------------------------------


def _timer_function(ctx: RuleContext, call: ts.Node) -> str | None:
    """`setInterval`/`setTimeout`/`clearInterval`/`clearTimeout` of the runtime, not a local of that name."""
    fn = unwrap(call.child_by_field_name("function"))
    model = ctx.model
    if fn is None:
        return None
    if fn.type == "identifier":
        name = text(fn)
        if model.is_global_name(fn, *TIMER_FUNCTIONS):
            return name
        source = module_source(model, model.resolve(fn))
        if source is not None and source[0] in TIMER_MODULES and source[1] in TIMER_FUNCTIONS:
            return source[1]
        return None
    path = member_path(fn)
    if not path or len(path) != 2 or path[1] not in TIMER_FUNCTIONS:
        return None
    root = unwrap(fn.child_by_field_name("object"))
    if path[0] in GLOBAL_OBJECT_NAMES and model.is_global_name(root, path[0]):
        return path[1]
    source = module_source(model, model.resolve(root)) if root is not None and root.type == "identifier" else None
    if source is not None and source[0] in TIMER_MODULES and source[1] in ("*", "default"):
        return path[1]
    return None


def _timer_aliases(ctx: RuleContext) -> frozenset[str]:
    """Local names of the timer functions imported under another name: `{ setInterval: every }`."""
    out = set()
    for binding in import_bindings(ctx.model, ctx.file.source, TIMER_MODULES):
        if binding.kind in (BindingKind.IMPORT, BindingKind.CONST, BindingKind.LET, BindingKind.VAR):
            source = module_source(ctx.model, binding)
            if source is not None and source[0] in TIMER_MODULES and source[1] in TIMER_FUNCTIONS:
                out.add(binding.name)
    return frozenset(out)


def _collect_clears(ctx: RuleContext, clear_calls: list[ts.Node]) -> _Clears:
    clears = _Clears(call_ids=frozenset(c.id for c in clear_calls))
    for call in clear_calls:
        args = call_arguments(call)
        arg = unwrap(args[0]) if args else None
        if arg is None:
            continue
        if arg.type == "this":
            clears.this_calls.append(call)
        elif arg.type == "identifier":
            binding = ctx.model.resolve(arg)
            if binding is not None:
                clears.bindings.add(id(binding))
            clears.names.setdefault(text(arg), []).append(call)
        else:  # `clearInterval(this.timer)`, `clearInterval(timers[id])`, `clearInterval(map.get(k))`
            for n in walk(arg):
                if n.type in ("identifier", "property_identifier", "private_property_identifier"):
                    clears.names.setdefault(text(n), []).append(call)
    for ref in ctx.model.global_references(*CLEAR_FUNCTIONS):
        if not _is_callee(ref.node):
            clears.as_value = True
    return clears


def _is_callee(node: ts.Node) -> bool:
    parent = node.parent
    return parent is not None and parent.type == "call_expression" and parent.child_by_field_name("function") == node


# --- where the handle goes ----------------------------------------------------------------------


def _handle_sink(ctx: RuleContext, call: ts.Node) -> _Sink | None:
    """Where the value of `setInterval(...)` goes; None when it escapes somewhere this rule cannot follow."""
    node, unref = call, False
    while True:
        parent = node.parent
        if parent is None:
            return None
        if parent.type in WRAPPERS:
            node = parent
            continue
        if parent.type == "member_expression" and parent.child_by_field_name("object") == node and \
                text(parent.child_by_field_name("property")) in HANDLE_METHODS and \
                parent.parent is not None and _is_callee(parent):
            unref = unref or text(parent.child_by_field_name("property")) == "unref"
            node = parent.parent
            continue
        break
    if parent.type == "expression_statement" or (parent.type == "unary_expression" and text(parent.child(0)) == "void"):
        return _Sink("discarded", call, unref)
    if parent.type == "variable_declarator" and parent.child_by_field_name("value") == node:
        name = parent.child_by_field_name("name")
        if name is None or name.type != "identifier":
            return None
        return _binding_sink(ctx, name, unref)
    if parent.type == "assignment_expression" and parent.child_by_field_name("right") == node:
        left = unwrap(parent.child_by_field_name("left"))
        if left is None:
            return None
        if left.type == "identifier":
            return _binding_sink(ctx, left, unref)
        if left.type == "member_expression":
            return _Sink("property", left, unref, name=text(left.child_by_field_name("property")))
        if left.type == "subscript_expression":  # `this.timers[id] = setInterval(...)`
            obj = unwrap(left.child_by_field_name("object"))
            path = member_path(obj)
            if path:
                return _Sink("property", left, unref, name=path[-1])
    return None


def _binding_sink(ctx: RuleContext, name: ts.Node, unref: bool) -> _Sink | None:
    binding = ctx.model.resolve(name)
    if binding is None or binding.kind not in (BindingKind.VAR, BindingKind.LET, BindingKind.CONST):
        return None
    return _Sink("binding", name, unref, binding, binding.name)


def _is_cleared(ctx: RuleContext, call: ts.Node, sink: _Sink, clears: _Clears) -> bool:
    """Cleared somewhere in the file, or handed to code that may clear it."""
    if _callback_clears_this(call, clears):
        return True
    if sink.kind == "binding" and sink.binding is not None:
        if id(sink.binding) in clears.bindings:
            return True
        # a handle that is read anywhere but a clear or `.unref()` may be cleared elsewhere
        return any(_escapes(r.node) for r in sink.binding.references if r.is_read)
    if sink.kind == "property":
        return clears.as_value or _owner_escapes(ctx, sink.node) or \
            any(_same_owner(ctx, sink.node, c) for c in clears.names.get(sink.name, ())) or \
            any(_escapes(r, clears.call_ids) for r in clears.property_reads(ctx, sink.name) if not _within(r, sink.node))
    return False


def _owner_escapes(ctx: RuleContext, target: ts.Node) -> bool:
    """`state.timer = setInterval(...); return state`: whoever gets `state` may clear the timer."""
    root = _root_of(target)
    binding = ctx.model.resolve(root) if root is not None and root.type == "identifier" else None
    if binding is None:
        return False
    for ref in binding.references:
        node, parent = climb(ref.node)
        if ref.is_read and parent is not None and (parent.type in ("return_statement", "arguments", "pair", "array")
                                                   or ref.node.type == "shorthand_property_identifier"
                                                   or (parent.type == "arrow_function" and
                                                       parent.child_by_field_name("body") == node)):
            return True
    return False


def _same_owner(ctx: RuleContext, target: ts.Node, clear: ts.Node) -> bool:
    """Whether `clearInterval(this.timer)` can clear `this.timer = ...`: `this` in the same class (or in
    a class that extends the other, or in no class at all). Other paths match by property name."""
    if _root_of(target) is None or _root_of(target).type != "this":
        return True
    args = call_arguments(clear)
    if not args or _root_of(args[0]) is None or _root_of(args[0]).type != "this":
        return True
    mine, theirs = _class_of(target), _class_of(clear)
    if mine is None or theirs is None or mine == theirs:
        return True
    return _extends(mine, theirs) or _extends(theirs, mine)


def _class_of(node: ts.Node) -> ts.Node | None:
    node = node.parent
    while node is not None and node.type not in CLASS_TYPES:
        node = node.parent
    return node


def _extends(cls: ts.Node, base: ts.Node) -> bool:
    name = base.child_by_field_name("name")
    heritage = next((c for c in cls.named_children if c.type == "class_heritage"), None)
    return name is not None and heritage is not None and text(name) in text(heritage)


def _callback_clears_this(call: ts.Node, clears: _Clears) -> bool:
    """`setInterval(function () { if (done) clearInterval(this); })`: in Node `this` is the timer."""
    args = call_arguments(call)
    cb = unwrap(args[0]) if args else None
    return cb is not None and cb.type in ("function_expression", "function") and any(
        _within(c, cb) for c in clears.this_calls)


def _escapes(node: ts.Node, clear_ids: frozenset[int] = frozenset()) -> bool:
    """A read of a handle other than a test (`if (t)`), a comparison, a `t.unref()` or a clear."""
    node, parent = climb(node)
    if parent is None:
        return True
    t = parent.type
    if t == "arguments" and parent.parent is not None and parent.parent.id in clear_ids:
        return False
    if t == "member_expression" and parent.child_by_field_name("object") == node:
        return text(parent.child_by_field_name("property")) not in HANDLE_METHODS
    if t in ("if_statement", "while_statement", "ternary_expression") and parent.child_by_field_name("condition") == node:
        return False
    if t == "unary_expression" and text(parent.child(0)) in ("!", "typeof"):
        return False
    if t == "binary_expression":
        op = text(parent.child_by_field_name("operator"))
        if op in ("==", "!=", "===", "!==") or (op in ("&&", "||", "??") and parent.child_by_field_name("left") == node):
            return False
    if t == "expression_statement":
        return False
    if t in ("assignment_expression", "augmented_assignment_expression") and parent.child_by_field_name("left") == node:
        return False  # a write: `this.timer = null`
    return True


def _within(node: ts.Node, outer: ts.Node) -> bool:
    return outer.start_byte <= node.start_byte and node.end_byte <= outer.end_byte


# --- intervals ----------------------------------------------------------------------------------


def _check_interval(ctx: RuleContext, clears: _Clears, call: ts.Node) -> None:
    sink = _handle_sink(ctx, call)
    if sink is None or _is_cleared(ctx, call, sink, clears):
        return
    reason = ctx.model.lifetime.repeat_reason(call)
    if reason is None:
        if ctx.model.enclosing_function(call) is None:
            _check_top_level(ctx, call, sink)
        return
    if reason.kind == "exported" and reason.node.type in FUNCTION_TYPES and not _returns_value(ctx, reason.node):
        return  # `export function init() { setInterval(...) }`: set-up code, usually called once
    if reason.kind == "construct" and _is_di_singleton(ctx.model.enclosing_function(call)):
        return  # an Angular/NestJS service: the injector creates one instance
    timer = _describe_timer(call)
    related = [ctx.runs_on(reason)]
    effect = _effect_call(ctx, call)
    if effect is not None:
        component = _component_name(ctx, effect)
        related = [ctx.related(f"the effect of `{component}` starts the interval", effect)]
        if sink.kind == "binding" and sink.binding is not None and sink.binding.node is not None:
            related.append(ctx.related(f"handle `{sink.name}` is declared here", sink.binding.node))
        ctx.report(call, "effect", {"timer": timer, "component": component}, related)
        return
    if sink.kind == "discarded":
        ctx.report(call, "discarded", {"timer": timer, "reason": reason.description}, related)
        return
    if sink.kind == "binding" and sink.binding is not None and sink.binding.node is not None:
        related.append(ctx.related(f"`{sink.name}` is declared here", sink.binding.node))
    handle = ".".join(member_path(sink.node) or ()) or sink.name
    ctx.report(call, "not-cleared", {"timer": timer, "handle": handle, "reason": reason.description}, related)


def _is_di_singleton(fn: ts.Node | None) -> bool:
    """A constructor of a class decorated `@Injectable()`, `@Controller()`... in the default (singleton) scope."""
    cls = _class_of(fn) if fn is not None else None
    if cls is None:
        return False
    holders = [cls] + ([cls.parent] if cls.parent is not None and cls.parent.type == "export_statement" else [])
    for holder in holders:
        for dec in holder.children:
            if dec.type != "decorator":
                continue
            expr = dec.named_child(0)
            name = callee_name(expr) if expr is not None and expr.type == "call_expression" else text(expr)
            if name in DI_SINGLETONS and b"REQUEST" not in (dec.text or b"") and b"TRANSIENT" not in (dec.text or b""):
                return True
    return False


def _returns_value(ctx: RuleContext, fn: ts.Node) -> bool:
    """A factory or a component: `fn` returns something that outlives the call (and owns the interval)."""
    body = fn.child_by_field_name("body")
    if body is not None and body.type != "statement_block":
        return True  # `() => value`
    for node in ctx.model.nodes_of("return_statement"):
        if node.named_child_count and _within(node, fn) and ctx.model.enclosing_function(node) == fn:
            return True
    return False


def _check_top_level(ctx: RuleContext, call: ts.Node, sink: _Sink) -> None:
    """A module-level interval is intended in a server; in a library or CLI it keeps the process alive."""
    model = ctx.model
    if sink.unref or sink.kind == "property" or model.source_type is SourceType.SCRIPT:
        return
    if sink.kind == "binding" and sink.binding is not None and any(
            _is_unref(r.node) for r in sink.binding.references if r.is_read):
        return  # `t.unref()` on a later line
    role = _process_role(ctx)
    if role is None:
        return
    kind, evidence = role
    ctx.report(call, "module", {"timer": _describe_timer(call), "module": kind},
               [ctx.related(f"the file is {kind}", evidence)])


def _is_unref(node: ts.Node) -> bool:
    node, parent = climb(node)
    return parent is not None and parent.type == "member_expression" and \
        parent.child_by_field_name("object") == node and text(parent.child_by_field_name("property")) == "unref"


def _process_role(ctx: RuleContext) -> tuple[str, ts.Node] | None:
    """("a library module", first export) or ("a command-line script", shebang) when the process is meant
    to exit; None for anything that may be a long-running server (it calls `listen`) or a page."""
    model = ctx.model
    if model.calls_named("listen", "createServer"):
        return None
    if not _runs_in_node(ctx):
        return None  # a browser module: the page owns its timers
    root = ctx.file.root
    first = root.child(0)
    if first is not None and first.type == "hash_bang_line":
        return "a command-line script", first
    for node in model.nodes_of("export_statement"):
        return "a library module", node
    for node in model.nodes_of("assignment_expression"):
        path = member_path(node.child_by_field_name("left"))
        if path and (path[:2] == ("module", "exports") or path[0] == "exports") and \
                model.is_global_name(unwrap(_root_of(node.child_by_field_name("left"))), path[0]):
            return "a library module", node
    return None


def _runs_in_node(ctx: RuleContext) -> bool:
    """The file uses Node (`require`, `process`, a `node:` or built-in import) and no browser globals."""
    if ctx.model.global_references(*BROWSER_GLOBALS):
        return False
    if ctx.model.global_references(*NODE_GLOBALS):
        return True
    for binding in ctx.model.bindings():
        if binding.kind is BindingKind.IMPORT:
            source = module_source(ctx.model, binding)
            if source is not None and (source[0].startswith("node:") or source[0] in NODE_BUILTINS):
                return True
    return False


def _root_of(expr: ts.Node | None) -> ts.Node | None:
    node = unwrap(expr)
    while node is not None and node.type in ("member_expression", "subscript_expression"):
        node = unwrap(node.child_by_field_name("object"))
    return node


def _effect_call(ctx: RuleContext, call: ts.Node) -> ts.Node | None:
    """The `useEffect(...)` call whose callback (directly) starts the interval."""
    for fn in ctx.model.enclosing_functions(call):
        parent = fn.parent
        if parent is not None and parent.type == "arguments" and parent.parent is not None:
            outer = parent.parent
            if callee_name(outer) in EFFECT_HOOKS and call_arguments(outer)[:1] == [fn]:
                return outer
    return None


def _component_name(ctx: RuleContext, effect: ts.Node) -> str:
    fn = ctx.model.enclosing_function(effect)
    name = function_name(fn) if fn is not None else None
    return name or "the component"


def _describe_timer(call: ts.Node) -> str:
    """`setInterval(poll)`, `setInterval(this.tick)`, `setInterval(() => ...)`."""
    args = call_arguments(call)
    cb = unwrap(args[0]) if args else None
    if cb is None:
        return "setInterval()"
    path = member_path(cb)
    if path:
        return f"setInterval({'.'.join(path)})"
    if cb.type == "arrow_function":
        return "setInterval(() => ...)"
    if cb.type in ("function_expression", "function"):
        name = cb.child_by_field_name("name")
        return f"setInterval(function {text(name)})" if name is not None else "setInterval(function () {...})"
    if cb.type == "call_expression" and callee_name(cb) == "bind":
        path = member_path(unwrap(cb.child_by_field_name("function")))
        if path:
            return f"setInterval({'.'.join(path)}(...))"
    return "setInterval(...)"


# --- self-rescheduling timeouts -----------------------------------------------------------------


def _check_timeout_chain(ctx: RuleContext, call: ts.Node) -> None:
    """`function tick() { ...; setTimeout(tick, ms); }` started per connection, with no way to stop."""
    if call.parent is None or call.parent.type != "expression_statement":
        return  # the handle is kept (or returned): it may be cleared
    fn = _rescheduled_function(ctx, call)
    if fn is None:
        return
    if _is_conditional(call, fn) or _has_exit(ctx, fn, call):
        return
    reason = ctx.model.lifetime.function_repeat(fn)
    if reason is None or reason.kind not in CHAIN_REPEATS:
        return
    name = function_name(fn) or "the function"
    ctx.report(call, "timeout-chain", {"function": name, "reason": reason.description},
               [ctx.related(f"`{name}` is started on {reason.description}", reason.node)])


def _rescheduled_function(ctx: RuleContext, call: ts.Node) -> ts.Node | None:
    """The named function that `setTimeout(f)` / `setTimeout(() => f())` re-runs, when the call is inside it."""
    args = call_arguments(call)
    cb = unwrap(args[0]) if args else None
    if cb is not None and cb.type == "arrow_function":
        body = unwrap(cb.child_by_field_name("body"))
        if body is not None and body.type == "statement_block" and body.named_child_count == 1 and \
                body.named_child(0).type == "expression_statement":
            body = unwrap(body.named_child(0).named_child(0))
        cb = unwrap(body.child_by_field_name("function")) if body is not None and body.type == "call_expression" else None
    if cb is None or cb.type != "identifier":
        return None
    binding = ctx.model.resolve(cb)
    fn = _function_of(binding)
    if fn is None or not _within(call, fn):
        return None
    return fn


def _function_of(binding: Binding | None) -> ts.Node | None:
    if binding is None or binding.declaration is None:
        return None
    if binding.kind is BindingKind.FUNCTION and binding.declaration.type in FUNCTION_TYPES:
        return binding.declaration
    if binding.kind in (BindingKind.CONST, BindingKind.LET, BindingKind.VAR):
        init = unwrap(binding.init)
        if init is not None and init.type in FUNCTION_TYPES and len(binding.writes) <= 1:
            return init
    return None


def _is_conditional(call: ts.Node, fn: ts.Node) -> bool:
    node = call.parent
    while node is not None and node != fn:
        if node.type in CONDITIONALS:
            return True
        if node.type == "binary_expression" and text(node.child_by_field_name("operator")) in ("&&", "||", "??"):
            return True
        node = node.parent
    return False


def _has_exit(ctx: RuleContext, fn: ts.Node, call: ts.Node) -> bool:
    """A `return` or `throw` in `fn` or in the callbacks between it and the rescheduling call."""
    path = set()
    node = ctx.model.enclosing_function(call)
    while node is not None and node != fn:
        path.add(node.id)
        node = ctx.model.enclosing_function(node)
    for node in walk(fn):
        if node.type in ("return_statement", "throw_statement"):
            owner = ctx.model.enclosing_function(node)
            if owner is not None and (owner == fn or owner.id in path):
                return True
    return False

