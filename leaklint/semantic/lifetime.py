"""Lifetimes: which code runs repeatedly, and which values live as long as the process.

Two questions every leak rule asks:

* Does this code run again and again? A statement at module top level runs once. Code in a
  function runs as often as the function is called: request/event/timer callbacks, exported
  functions, methods, component bodies. A local function called only from code that runs once
  (an `init()` at start-up) runs once. `repeat_reason(node)` answers with a `Repeat` that says
  what re-runs the code (for messages and evidence), or None.
* Does this value live as long as the process? Module-level bindings, the global object's
  properties, `module.exports`, static class fields, and fields of classes instantiated once at
  module level (singletons). `long_lived(expr)` answers with a `Holder` describing it, or None.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import tree_sitter as ts

from leaklint.semantic.scope import Binding, BindingKind
from leaklint.syntax import member_path, string_value, text, unwrap

if TYPE_CHECKING:
    from leaklint.semantic.model import SemanticModel

# callbacks of these methods run once per event / request: `x.on('data', cb)`, `app.get('/', cb)`
EVENT_METHODS = frozenset({"on", "addListener", "prependListener", "addEventListener", "subscribe", "addHook",
                           "observe", "watch", "$on", "onmessage"})
ROUTE_METHODS = frozenset({"get", "post", "put", "patch", "delete", "del", "all", "head", "options", "use",
                           "route", "handle", "ws", "any"})
SERVER_FACTORIES = frozenset({"createServer", "createSecureServer", "Server", "WebSocketServer"})
OBSERVERS = frozenset({"MutationObserver", "ResizeObserver", "IntersectionObserver", "PerformanceObserver"})
# events that fire once per target: a handler for them runs as often as the code that adds it
ONCE_EVENTS = frozenset({"DOMContentLoaded", "load", "deviceready", "listening"})
ONCE_HANDLER_PROPS = frozenset({"onload", "onDOMContentLoaded"})
# first parameters of a request middleware: `app.use((req, res, next) => ...)`, `koa.use(async (ctx, next) => ...)`
MIDDLEWARE_PARAMS = frozenset({"req", "request", "ctx", "context"})
# globals that may name the global object
GLOBAL_OBJECT_NAMES = frozenset({"global", "globalThis", "window", "self"})
MAX_DEPTH = 64


@dataclass(frozen=True, slots=True)
class Repeat:
    """Why a piece of code runs repeatedly."""

    kind: str  # "listener" | "route" | "server" | "interval" | "exported" | "method" | "callback" | "component" | "returned"
    description: str  # e.g. "every call of `audit`", "every `'message'` event on `bus`"
    node: ts.Node  # the function (or call) that carries the reason, for evidence


@dataclass(frozen=True, slots=True)
class Holder:
    """A long-lived place that holds a value."""

    kind: str  # "module" | "global" | "exports" | "static" | "singleton" | "property"
    description: str  # e.g. "module-level `cache`", "global `registry`", "field `items` of singleton `Store`"
    node: ts.Node | None  # the declaration, for evidence
    binding: Binding | None = None


def callee_name(call: ts.Node) -> str:
    """The last name of a call's callee: `a.b.on(...)` -> "on", `setInterval(...)` -> "setInterval"."""
    fn = unwrap(call.child_by_field_name("function") or call.child_by_field_name("constructor"))
    if fn is None:
        return ""
    if fn.type == "member_expression":
        return text(fn.child_by_field_name("property"))
    if fn.type == "identifier":
        return text(fn)
    return ""


def callee_object(call: ts.Node) -> ts.Node | None:
    fn = unwrap(call.child_by_field_name("function"))
    if fn is not None and fn.type == "member_expression":
        return unwrap(fn.child_by_field_name("object"))
    return None


def call_arguments(call: ts.Node) -> list[ts.Node]:
    args = call.child_by_field_name("arguments")
    if args is None or args.type != "arguments":
        return []
    return [a for a in args.named_children if a.type != "comment"]


def _describe_target(node: ts.Node | None) -> str:
    if node is None:
        return "an object"
    path = member_path(node)
    if path:
        return "`" + ".".join(path) + "`"
    t = text(node)
    return f"`{t}`" if len(t) <= 40 and "\n" not in t else "an object"


def _is_middleware(fn: ts.Node) -> bool:
    """A function whose parameters read `(req, res, ...)` or `(ctx, next)`."""
    if fn.type not in ("function_expression", "function", "arrow_function", "function_declaration"):
        return False
    params = fn.child_by_field_name("parameters")
    names = [text(p.child_by_field_name("pattern") or p) for p in params.named_children] if params is not None else []
    return len(names) >= 2 and names[0] in MIDDLEWARE_PARAMS


def _sets_truthy(value: ts.Node | None) -> bool:
    """A value that is certainly truthy once assigned: `true`, an object, a function, a call's result.
    A name or property read (`flag = next`) may be null, so it does not count."""
    value = unwrap(value)
    if value is None:
        return False
    if value.type in ("true", "object", "array", "new_expression", "call_expression", "await_expression",
                      "arrow_function", "function_expression", "function", "class", "template_string"):
        return True
    if value.type == "number":
        return text(value) not in ("0", "0.0")
    return value.type == "string" and string_value(value) != ""


def class_name(cls: ts.Node) -> str | None:
    """The name a class is known by: its own name, or the variable it is assigned to."""
    name = cls.child_by_field_name("name")
    if name is not None:
        return text(name)
    parent = cls.parent
    if parent is not None and parent.type == "variable_declarator":
        return text(parent.child_by_field_name("name"))
    return None


def function_name(fn: ts.Node) -> str | None:
    """The name a function is known by: declaration name, variable, property or method name."""
    name = fn.child_by_field_name("name")
    if name is not None and fn.type != "method_definition":
        return text(name)
    if fn.type == "method_definition" and name is not None:
        return text(name)
    parent = fn.parent
    while parent is not None and parent.type in ("parenthesized_expression", "as_expression"):
        parent = parent.parent
    if parent is None:
        return None
    if parent.type == "variable_declarator":
        return text(parent.child_by_field_name("name"))
    if parent.type == "pair":
        return string_value(parent.child_by_field_name("key")) or text(parent.child_by_field_name("key"))
    if parent.type == "assignment_expression":
        path = member_path(parent.child_by_field_name("left"))
        if path:
            return ".".join(path)
    if parent.type in ("field_definition", "public_field_definition"):
        return text(parent.child_by_field_name("property") or parent.child_by_field_name("name"))
    return None


class Lifetime:
    def __init__(self, model: "SemanticModel") -> None:
        self.model = model
        self._fn_cache: dict[int, Repeat | None] = {}
        self._in_progress: set[int] = set()
        self._class_cache: dict[int, str] = {}

    # --- runs repeatedly ------------------------------------------------------------------------

    def repeat_reason(self, node: ts.Node, _depth: int = 0) -> Repeat | None:
        """What re-runs the code at `node`, or None when it runs once (module top level, start-up code)."""
        fn = self.model.enclosing_function(node)
        if fn is None:
            return None
        if self.guarded_once(node, fn):
            return None
        return self.function_repeat(fn, _depth)

    def guarded_once(self, node: ts.Node, fn: ts.Node) -> bool:
        """`node` runs at most once per process, behind a module-level flag that the guarded code sets:
        `if (!done) { done = true; ... }`, `if (done) return; done = true; ...`,
        `cache || (cache = load())`, `cache ??= load()`. A flag that is ever reset to a falsy value
        re-arms the guard and does not count."""
        child, parent = node, node.parent
        while parent is not None and parent != fn:
            t = parent.type
            if t == "if_statement" and parent.child_by_field_name("consequence") == child:
                flag = self._unset_flag(parent.child_by_field_name("condition"))
                if flag is not None and self._sets_flag(flag, child):
                    return True
            elif t == "binary_expression" and parent.child_by_field_name("right") == child and \
                    text(parent.child_by_field_name("operator")) in ("||", "??"):
                flag = self._flag(parent.child_by_field_name("left"))
                if flag is not None and self._sets_flag(flag, child):
                    return True
            elif t == "augmented_assignment_expression" and parent.child_by_field_name("right") == child and \
                    text(parent.child_by_field_name("operator")) in ("||=", "??="):
                flag = self._flag(parent.child_by_field_name("left"))
                if flag is not None and not self._flag_reset(flag):
                    return True
            elif t == "statement_block":
                for stmt in parent.named_children:
                    if stmt == child:
                        break
                    if stmt.type == "if_statement" and self._exits(stmt.child_by_field_name("consequence")):
                        flag = self._flag(stmt.child_by_field_name("condition"))
                        if flag is not None and self._sets_flag(flag, fn):
                            return True
            child, parent = parent, parent.parent
        return False

    def _flag(self, expr: ts.Node | None) -> Binding | None:
        """A module-level binding tested for being set: `done`, `done != null`."""
        expr = unwrap(expr)
        if expr is not None and expr.type == "binary_expression" and \
                text(expr.child_by_field_name("operator")) in ("!=", "!==") and \
                text(unwrap(expr.child_by_field_name("right"))) in ("null", "undefined"):
            expr = unwrap(expr.child_by_field_name("left"))
        if expr is None or expr.type != "identifier":
            return None
        binding = self.model.resolve(expr)
        if binding is None or not self.model.is_module_level(binding) or \
                binding.kind not in (BindingKind.VAR, BindingKind.LET):
            return None
        return binding

    def _unset_flag(self, cond: ts.Node | None) -> Binding | None:
        """The flag a condition requires to be unset: `!done`, `done == null`, `!done && other`."""
        cond = unwrap(cond)
        if cond is None:
            return None
        if cond.type == "unary_expression" and text(cond.child_by_field_name("operator")) == "!":
            return self._flag(cond.child_by_field_name("argument"))
        if cond.type == "binary_expression":
            op = text(cond.child_by_field_name("operator"))
            if op == "&&":
                return self._unset_flag(cond.child_by_field_name("left")) or \
                    self._unset_flag(cond.child_by_field_name("right"))
            if op in ("==", "===") and text(unwrap(cond.child_by_field_name("right"))) in ("null", "undefined"):
                return self._flag(cond.child_by_field_name("left"))
        return None

    def _sets_flag(self, flag: Binding, region: ts.Node) -> bool:
        """`region` sets the flag to a truthy value, and nothing else writes it."""
        set_here = False
        for ref in flag.references:
            w = ref.write_expr
            if not ref.is_write or ref.is_init or w is None or w.type != "assignment_expression":
                continue
            if region.start_byte <= w.start_byte and w.end_byte <= region.end_byte:
                set_here = set_here or _sets_truthy(w.child_by_field_name("right"))
        return set_here and not self._flag_reset(flag)

    def _flag_reset(self, flag: Binding) -> bool:
        for ref in flag.references:
            w = ref.write_expr
            if not ref.is_write or ref.is_init or w is None:
                continue
            if w.type == "augmented_assignment_expression" and \
                    text(w.child_by_field_name("operator")) in ("||=", "??="):
                continue  # sets the flag only while it is unset
            if w.type != "assignment_expression" or not _sets_truthy(w.child_by_field_name("right")):
                return True  # reset, or set to something that may be unset
        return False

    @staticmethod
    def _exits(stmt: ts.Node | None) -> bool:
        """`return`, `throw`, or a block that holds only one of them."""
        if stmt is not None and stmt.type == "statement_block" and stmt.named_child_count == 1:
            stmt = stmt.named_child(0)
        return stmt is not None and stmt.type in ("return_statement", "throw_statement")

    def function_repeat(self, fn: ts.Node, _depth: int = 0) -> Repeat | None:
        key = fn.id
        if key in self._fn_cache:
            return self._fn_cache[key]
        if key in self._in_progress or _depth > MAX_DEPTH:
            return None  # recursion in the call graph: decided by the other paths
        self._in_progress.add(key)
        try:
            result = self._function_repeat(fn, _depth + 1)
        finally:
            self._in_progress.discard(key)
        self._fn_cache[key] = result
        return result

    def _function_repeat(self, fn: ts.Node, depth: int) -> Repeat | None:
        name = function_name(fn)
        parent = fn.parent
        while parent is not None and parent.type in ("parenthesized_expression", "as_expression",
                                                     "satisfies_expression", "non_null_expression"):
            parent = parent.parent
        if parent is None:
            return None

        # methods: run on every call (a constructor: on every `new`)
        if fn.type == "method_definition":
            cls = self._class_of(fn)
            if name == "constructor" and cls is not None:
                return self._construct_repeat(cls, depth)
            owner = self._class_name(cls) if cls is not None else None
            label = f"{owner}.{name}" if owner and name else (name or "a method")
            return Repeat("method", f"every call of method `{label}`", fn)
        if parent.type in ("field_definition", "public_field_definition"):
            return Repeat("method", f"every call of `{name or 'a method'}`", fn)

        # a callback handed to a call: the call decides
        if parent.type == "arguments" and parent.parent is not None and parent.parent.type in (
                "call_expression", "new_expression"):
            call = parent.parent
            reason = self.callback_repeat(call, fn)
            if reason is not None:
                return reason
            return self.repeat_reason(call, depth)
        # immediately invoked: `(function () { ... })()`
        if parent.type == "call_expression" and parent.child_by_field_name("function") is not None and \
                unwrap(parent.child_by_field_name("function")) == fn:
            return self.repeat_reason(parent, depth)

        if self._is_exported_value(fn):
            return Repeat("exported", f"every call of exported `{name}`" if name else "every call of the exported function", fn)
        if parent.type == "assignment_expression":
            left = parent.child_by_field_name("left")
            path = member_path(left)
            if path and len(path) > 1 and path[-1] in ONCE_HANDLER_PROPS:
                return self.repeat_reason(parent, depth)  # `window.onload = fn`: runs once per assignment
            if left is not None and left.type in ("member_expression", "subscript_expression"):
                return Repeat("method", f"every call of `{name or text(left)}`", fn)
        if parent.type == "pair" or (fn.type == "method_definition"):
            return Repeat("method", f"every call of `{name or 'a method'}`", fn)
        if parent.type == "return_statement" or (parent.type == "arrow_function" and fn != parent):
            return Repeat("returned", "every call of the returned function", fn)
        if parent.type == "export_statement":
            return Repeat("exported", f"every call of exported `{name or 'default'}`", fn)

        if self._is_component(fn, name):
            return Repeat("component", f"every render of `{name}`", fn)

        # a named function: follow how its name is used
        binding = self._function_binding(fn, parent)
        if binding is not None:
            return self._binding_repeat(binding, name or binding.name, fn, depth)
        return None

    def callback_repeat(self, call: ts.Node, fn: ts.Node | None = None) -> Repeat | None:
        """The intrinsic repeat reason of a callback passed to `call` (None when it inherits the call site's)."""
        cname = callee_name(call)
        target = callee_object(call)
        args = call_arguments(call)
        fn_node = unwrap(call.child_by_field_name("function") or call.child_by_field_name("constructor"))
        if cname in EVENT_METHODS and target is not None:
            event = string_value(args[0]) if args else None
            if event in ONCE_EVENTS:
                return None  # fires once per target: the call site decides
            ev = f"`'{event}'` event" if event is not None else "event"
            return Repeat("listener", f"every {ev} on {_describe_target(target)}", call)
        if cname == "use" and target is not None and args and fn is not None and args[0] == fn and _is_middleware(fn):
            return Repeat("route", f"every request handled by {_describe_target(target)}.use", call)
        if cname in ROUTE_METHODS and target is not None and args and fn is not None and args[0] != fn:
            first = unwrap(args[0])
            if first is not None and (first.type in ("string", "template_string", "regex", "array") or cname == "use"):
                return Repeat("route", f"every request handled by {_describe_target(target)}.{cname}", call)
        if cname == "setInterval" and (fn_node is not None and (
                self.model.is_global_name(fn_node, "setInterval") or fn_node.type == "member_expression")):
            return Repeat("interval", "every tick of the interval", call)
        if cname in SERVER_FACTORIES:
            return Repeat("server", f"every request or connection of `{cname}`", call)
        if call.type == "new_expression" and cname in OBSERVERS:
            return Repeat("listener", f"every `{cname}` notification", call)
        return None

    def _binding_repeat(self, binding: Binding, name: str, fn: ts.Node, depth: int) -> Repeat | None:
        for ref in binding.references:
            if ref.is_init or not ref.is_read:
                continue
            node = ref.node
            parent = node.parent
            while parent is not None and parent.type in ("parenthesized_expression", "as_expression", "non_null_expression"):
                node, parent = parent, parent.parent
            if parent is None:
                continue
            if parent.type == "call_expression" and parent.child_by_field_name("function") == node:
                r = self.repeat_reason(parent, depth)
                if r is not None:
                    return r
                continue
            if self._is_exported_value(ref.node):
                return Repeat("exported", f"every call of exported `{name}`", fn)
            if parent.type == "arguments" and parent.parent is not None:
                call = parent.parent
                r = self.callback_repeat(call, ref.node)
                if r is None:
                    r = self.repeat_reason(call, depth)
                if r is not None:
                    return r
                continue
            if parent.type in ("pair", "shorthand_property_identifier") or ref.node.type == "shorthand_property_identifier":
                return Repeat("method", f"every call of `{name}`", fn)
            if parent.type == "assignment_expression" and parent.child_by_field_name("right") == node:
                left = parent.child_by_field_name("left")
                if left is not None and left.type in ("member_expression", "subscript_expression"):
                    return Repeat("method", f"every call of `{text(left)}`", fn)
            if parent.type == "return_statement":
                return Repeat("returned", f"every call of the returned `{name}`", fn)
            if parent.type in ("jsx_opening_element", "jsx_self_closing_element"):
                return Repeat("component", f"every render of `{name}`", fn)
            if parent.type == "export_statement" or parent.type == "export_specifier":
                return Repeat("exported", f"every call of exported `{name}`", fn)
        return None

    def _function_binding(self, fn: ts.Node, parent: ts.Node) -> Binding | None:
        if fn.type in ("function_declaration", "generator_function_declaration"):
            name = fn.child_by_field_name("name")
            return self.model.resolve(name) if name is not None else None
        if parent.type == "variable_declarator" and parent.child_by_field_name("value") is not None:
            name = parent.child_by_field_name("name")
            if name is not None and name.type == "identifier":
                return self.model.resolve(name)
        return None

    def _is_component(self, fn: ts.Node, name: str | None) -> bool:
        if not name:
            return False
        base = name.rsplit(".", 1)[-1]
        if base[:1].isupper():
            return self._contains_jsx(fn)
        return base.startswith("use") and len(base) > 3 and base[3:4].isupper()

    def _contains_jsx(self, fn: ts.Node) -> bool:
        body = fn.child_by_field_name("body")
        if body is None:
            return False
        src = body.text or b""
        return b"<" in src and (b"/>" in src or b"</" in src)

    # --- exports, classes -----------------------------------------------------------------------

    def _is_exported_value(self, node: ts.Node) -> bool:
        """`node` (a function or a name) is what a module exports: `export ...`, `module.exports = ...`."""
        cur = node
        parent = cur.parent
        for _ in range(6):
            if parent is None:
                return False
            t = parent.type
            if t == "export_statement":
                return True
            if t in ("parenthesized_expression", "as_expression", "satisfies_expression"):
                pass
            elif t == "variable_declarator":
                if parent.child_by_field_name("value") != cur:
                    return False
                decl = parent.parent
                return decl is not None and decl.parent is not None and decl.parent.type == "export_statement"
            elif t == "pair":
                if parent.child_by_field_name("value") != cur:
                    return False
            elif t == "object":
                pass
            elif t == "assignment_expression":
                if parent.child_by_field_name("right") != cur:
                    return False
                path = member_path(parent.child_by_field_name("left"))
                return bool(path) and (path[:2] == ("module", "exports") or path[0] == "exports")
            else:
                return False
            cur, parent = parent, parent.parent
        return False

    def _class_of(self, method: ts.Node) -> ts.Node | None:
        body = method.parent
        if body is None or body.type != "class_body":
            return None
        return body.parent

    def _class_name(self, cls: ts.Node) -> str | None:
        return class_name(cls)

    def instantiations(self, cls: ts.Node) -> list[ts.Node]:
        """`new C(...)` expressions for a class declared in this file."""
        name = cls.child_by_field_name("name")
        binding = None
        if name is not None and cls.type != "class":
            binding = self.model.resolve(name)
        elif cls.parent is not None and cls.parent.type == "variable_declarator":
            n = cls.parent.child_by_field_name("name")
            binding = self.model.resolve(n) if n is not None else None
        if binding is None:
            return []
        model = self.model
        return [expr for expr in model.constructions(binding.name)
                if model.resolve(expr.child_by_field_name("constructor")) is binding]

    def subclasses(self, cls: ts.Node) -> list[ts.Node]:
        """Classes of this file that extend `cls` directly (`class B extends A`)."""
        name = cls.child_by_field_name("name")
        binding = self.model.resolve(name) if name is not None and cls.type != "class" else None
        if binding is None:
            return []
        out = []
        for ref in binding.references:
            heritage = ref.node.parent
            if heritage is not None and heritage.type == "extends_clause":
                heritage = heritage.parent
            if heritage is not None and heritage.type == "class_heritage" and heritage.parent is not None:
                out.append(heritage.parent)
        return out

    def _class_passed_around(self, cls: ts.Node) -> bool:
        """The class is used as a value (assigned, passed, stored, returned), not only with `new`,
        `extends`, `instanceof` or static member access."""
        name = cls.child_by_field_name("name")
        binding = self.model.resolve(name) if name is not None and cls.type != "class" else None
        if binding is None:
            return False
        for ref in binding.references:
            if ref.is_init:
                continue
            node, parent = ref.node, ref.node.parent
            while parent is not None and parent.type in ("parenthesized_expression", "as_expression",
                                                         "non_null_expression", "satisfies_expression"):
                node, parent = parent, parent.parent
            if parent is None:
                continue
            t = parent.type
            if t == "new_expression" and parent.child_by_field_name("constructor") == node:
                continue
            if t in ("class_heritage", "extends_clause", "export_specifier", "export_statement"):
                continue
            if t in ("member_expression", "subscript_expression") and parent.child_by_field_name("object") == node:
                continue
            if t == "binary_expression" and text(parent.child_by_field_name("operator")) == "instanceof":
                continue
            if t in ("unary_expression", "expression_statement"):
                continue
            return True
        return False

    def class_is_exported(self, cls: ts.Node) -> bool:
        if self._is_exported_value(cls):
            return True
        name = cls.child_by_field_name("name")
        binding = self.model.resolve(name) if name is not None and cls.type != "class" else None
        if binding is None:
            return False
        return any(self._is_exported_value(r.node) or (r.node.parent is not None and r.node.parent.type in (
            "export_specifier", "export_statement")) for r in binding.references if not r.is_init)

    def is_singleton(self, cls: ts.Node) -> bool:
        """Instantiated at least once, and only by code that runs once (module top level, start-up)."""
        key = cls.id
        if key not in self._class_cache:
            sites = self.instantiations(cls)
            ok = bool(sites) and all(self.repeat_reason(s) is None for s in sites)
            self._class_cache[key] = "singleton" if ok else "many"
        return self._class_cache[key] == "singleton"

    def _construct_repeat(self, cls: ts.Node, depth: int) -> Repeat | None:
        label = self._class_name(cls) or "the class"
        for site in self.instantiations(cls):
            r = self.repeat_reason(site, depth)
            if r is not None:
                return Repeat("construct", f"every `new {label}()` ({r.description})", site)
        if depth <= MAX_DEPTH:
            # `super()` runs this constructor on every construction of a subclass
            for sub in self.subclasses(cls):
                r = self._construct_repeat(sub, depth + 1)
                if r is not None:
                    return Repeat("construct", f"every `new {label}()` ({r.description})", r.node)
        if not self.class_is_exported(cls) and self._class_passed_around(cls):
            # `Impl = WebGPUBackend; new Impl()`: constructed where this file does not show
            return Repeat("construct", f"every `new {label}()`", cls)
        if self.class_is_exported(cls) or cls.type == "class":
            if self.instantiations(cls):
                return None  # instantiated here, once
            return Repeat("construct", f"every `new {label}()`", cls)
        return None

    # --- long-lived values ----------------------------------------------------------------------

    def long_lived(self, expr: ts.Node | None) -> Holder | None:
        """Whether the value at `expr` (an identifier or member expression) lives as long as the process."""
        expr = unwrap(expr)
        if expr is None:
            return None
        if expr.type == "identifier":
            binding = self.model.resolve(expr)
            if binding is None:
                return None
            if binding.kind in (BindingKind.IMPORT, BindingKind.FUNCTION, BindingKind.CLASS, BindingKind.PARAM,
                                BindingKind.CATCH, BindingKind.ARGUMENTS):
                return None
            if self.model.is_module_level(binding):
                return Holder("module", f"module-level `{binding.name}`", binding.node, binding)
            return None
        if expr.type not in ("member_expression", "subscript_expression"):
            return None
        path = member_path(expr)
        if not path:
            return None
        root = path[0]
        obj = unwrap(expr.child_by_field_name("object"))
        if root in GLOBAL_OBJECT_NAMES and self.root_is_global(expr, root):
            return Holder("global", f"global `{'.'.join(path[1:])}`", None)
        if root == "module" and path[:2] == ("module", "exports") and self.root_is_global(expr, "module"):
            return Holder("exports", f"`{'.'.join(path)}`", None)
        if root == "exports" and self.root_is_global(expr, "exports"):
            return Holder("exports", f"`{'.'.join(path)}`", None)
        if root == "this":
            fn = self._this_function(expr)
            if fn is None:
                return None
            cls = self._class_of(fn) if fn.type == "method_definition" else None
            if cls is None and fn.parent is not None and fn.parent.type in ("field_definition", "public_field_definition"):
                cls = fn.parent.parent.parent if fn.parent.parent is not None else None
            if cls is None:
                return None
            static = any(c.type == "static" for c in fn.children) if fn.type == "method_definition" else False
            cname = self._class_name(cls) or "class"
            if static:
                return Holder("static", f"static `{cname}.{'.'.join(path[1:])}`", cls)
            if self.is_singleton(cls):
                return Holder("singleton", f"field `{'.'.join(path[1:])}` of singleton `{cname}`", cls)
            return None
        # a property of a long-lived object: `state.items`, `Cls.registry`
        base = obj
        while base is not None and base.type in ("member_expression", "subscript_expression"):
            base = unwrap(base.child_by_field_name("object"))
        if base is not None and base.type == "identifier":
            binding = self.model.resolve(base)
            if binding is not None and self.model.is_module_level(binding):
                if binding.kind is BindingKind.CLASS:
                    return Holder("static", f"static `{'.'.join(path)}`", binding.node, binding)
                if binding.kind in (BindingKind.VAR, BindingKind.LET, BindingKind.CONST):
                    return Holder("property", f"`{'.'.join(path)}` of module-level `{binding.name}`", binding.node, binding)
        return None

    def root_is_global(self, expr: ts.Node | None, *names: str) -> bool:
        """Whether the innermost object of `a.b[c]...` is the global of one of these names (not a local)."""
        base = unwrap(expr)
        while base is not None and base.type in ("member_expression", "subscript_expression"):
            base = unwrap(base.child_by_field_name("object"))
        return base is not None and self.model.is_global_name(base, *names)

    def _this_function(self, node: ts.Node) -> ts.Node | None:
        """The function whose `this` a `this` inside `node` refers to (arrow functions are transparent)."""
        for fn in self.model.enclosing_functions(node):
            if fn.type != "arrow_function":
                return fn
            p = fn.parent
            if p is not None and p.type in ("field_definition", "public_field_definition"):
                return fn
        return None
