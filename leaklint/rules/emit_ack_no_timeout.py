"""emit-ack-no-timeout: socket.io acknowledgements that wait forever.

`socket.emit(event, data, callback)` and `socket.emitWithAck(event, data)` keep the callback in the
socket's `acks` map until the peer answers. Without `.timeout(ms)` a peer that never answers (an
old client, a handler that forgets to call `ack`, a lost packet) leaves it there for the life of
the connection. Only receivers known to be socket.io objects are checked: values that come from
`socket.io`/`socket.io-client` (imports, `io()`, `new Server()`), `connection` handler parameters,
and TypeScript receivers typed with socket.io's `Socket`/`Server`/`Namespace`.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import tree_sitter as ts

from leaklint.rules.base import RuleContext
from leaklint.semantic.binder import CLASS_TYPES
from leaklint.semantic.imports import module_source, required_module
from leaklint.semantic.lifetime import call_arguments
from leaklint.semantic.scope import Binding, BindingKind, SourceType
from leaklint.syntax import FUNCTION_TYPES, member_path, string_value, text, unwrap

RULE_ID = "emit-ack-no-timeout"

SERVER_MODULE = "socket.io"
CLIENT_MODULE = "socket.io-client"
# exports of the two packages, by what a call or `new` of them returns
FACTORIES: dict[tuple[str, str], str] = {
    (SERVER_MODULE, "*"): "server-factory",
    (SERVER_MODULE, "default"): "server-factory",
    (SERVER_MODULE, "Server"): "server-class",
    (CLIENT_MODULE, "*"): "client-factory",
    (CLIENT_MODULE, "default"): "client-factory",
    (CLIENT_MODULE, "io"): "client-factory",
    (CLIENT_MODULE, "connect"): "client-factory",
    (CLIENT_MODULE, "lookup"): "client-factory",
    (CLIENT_MODULE, "Manager"): "manager-class",
}
# socket.io types, for TypeScript annotations
TYPES: dict[tuple[str, str], str] = {
    (SERVER_MODULE, "Socket"): "socket",
    (SERVER_MODULE, "Server"): "server",
    (SERVER_MODULE, "Namespace"): "namespace",
    (SERVER_MODULE, "BroadcastOperator"): "broadcast",
    (CLIENT_MODULE, "Socket"): "socket",
}
EMITTERS = frozenset({"socket", "server", "namespace", "broadcast"})
BROADCASTERS = frozenset({"server", "namespace", "broadcast"})
# methods and properties that return a broadcast operator with the same flags
TO_BROADCAST = frozenset({"to", "in", "except", "broadcast"})
SAME_KIND = frozenset({"volatile", "local", "compress", "binary"})
CONNECTION_EVENTS = frozenset({"connection", "connect"})
# parameters that hold a callback by convention
CALLBACK_PARAMS = frozenset({"cb", "callback", "ack", "done", "resolve", "fn"})
MAX_DEPTH = 12


@dataclass(frozen=True, slots=True)
class _Sio:
    """What a socket.io expression evaluates to."""

    kind: str  # socket | server | namespace | broadcast | manager | *-factory | *-class
    origin: ts.Node  # where it was recognised, for evidence
    timeout: bool = False  # a `.timeout(ms)` is in the chain
    client_timeout: bool = False  # created with an `ackTimeout` option (socket.io-client 4.6+)


def check(ctx: RuleContext) -> None:
    source = ctx.file.source
    if b"emit" not in source or (b"socket.io" not in source and not _may_use_global_io(ctx)):
        return
    resolver = _Resolver(ctx)
    for call in ctx.model.calls_named("emit", "emitWithAck"):
        fn = unwrap(call.child_by_field_name("function"))
        if fn is None or fn.type != "member_expression":
            continue
        method = text(fn.child_by_field_name("property"))
        if method not in ("emit", "emitWithAck"):
            continue
        args = call_arguments(call)
        if not args or (method == "emit" and (len(args) < 2 or not _is_function(ctx, args[-1]))):
            continue
        receiver = unwrap(fn.child_by_field_name("object"))
        sio = resolver.resolve(receiver)
        if sio is None or sio.kind not in EMITTERS or sio.timeout or sio.client_timeout:
            continue
        event = string_value(args[0])
        data = {"target": _describe(receiver), "event": event if event is not None else "…", "method": method}
        related = [ctx.related(_origin_note(sio), sio.origin)]
        if method == "emit":
            related.append(ctx.related("the acknowledgement callback", args[-1]))
        reason = ctx.model.lifetime.repeat_reason(call)
        data["where"] = f" on {reason.description}" if reason is not None else ""
        if reason is not None:
            related.append(ctx.runs_on(reason))
        if sio.kind in BROADCASTERS:
            ctx.report(call, "broadcast", data, related)
        else:
            ctx.report(call, "emit" if method == "emit" else "emit-with-ack", data, related)


def _may_use_global_io(ctx: RuleContext) -> bool:
    """A browser script that uses the `io` global of `/socket.io/socket.io.js`."""
    return ctx.model.source_type is SourceType.SCRIPT and bool(ctx.model.global_references("io"))


def _is_function(ctx: RuleContext, node: ts.Node) -> bool:
    """A function literal, or a name bound to one (the acknowledgement callback)."""
    node = unwrap(node)
    if node is None:
        return False
    if node.type in FUNCTION_TYPES:
        return True
    if node.type != "identifier":
        return False
    binding = ctx.model.resolve(node)
    if binding is None or binding.declaration is None:
        return False
    if binding.kind is BindingKind.FUNCTION:
        return True
    if binding.kind is BindingKind.PARAM:
        # `new Promise((resolve) => socket.emit("x", data, resolve))`, `function send(data, cb) {...}`
        holder = binding.node.parent if binding.node is not None else None
        annotation = holder.child_by_field_name("type") if holder is not None and holder.type in (
            "required_parameter", "optional_parameter") else None
        if annotation is not None and annotation.named_child_count:
            return annotation.named_child(0).type == "function_type"
        return binding.name in CALLBACK_PARAMS
    init = unwrap(binding.init)
    return binding.kind in (BindingKind.CONST, BindingKind.LET, BindingKind.VAR) and init is not None and \
        init.type in FUNCTION_TYPES and len(binding.writes) <= 1


def _describe(node: ts.Node | None) -> str:
    path = member_path(node)
    if path:
        return ".".join(path)
    t = " ".join(text(node).split())
    return t if len(t) <= 40 else t[:37] + "..."


def _origin_note(sio: _Sio) -> str:
    return {
        "socket": "a socket.io socket",
        "server": "a socket.io server: `emit` broadcasts to every client",
        "namespace": "a socket.io namespace: `emit` broadcasts to its clients",
        "broadcast": "a socket.io broadcast",
    }.get(sio.kind, "socket.io") + " comes from here"


class _Resolver:
    """Evaluates expressions to socket.io values, following bindings, members and call chains."""

    def __init__(self, ctx: RuleContext) -> None:
        self.ctx = ctx
        self.model = ctx.model
        self._bindings: dict[int, _Sio | None] = {}
        self._member_writes: dict[str, list[ts.Node]] | None = None

    def resolve(self, node: ts.Node | None, depth: int = 0) -> _Sio | None:
        node = unwrap(node)
        if node is None or depth > MAX_DEPTH:
            return None
        t = node.type
        if t == "identifier":
            return self._identifier(node, depth)
        if t == "await_expression":
            return None
        if t == "call_expression":
            return self._call(node, depth)
        if t == "new_expression":
            ctor = self.resolve(node.child_by_field_name("constructor"), depth + 1)
            if ctor is not None and ctor.kind in ("server-class", "server-factory"):
                return _Sio("server", node)
            if ctor is not None and ctor.kind == "manager-class":
                return _Sio("manager", node)
            return None
        if t == "member_expression":
            return self._member(node, depth)
        return None

    def _identifier(self, node: ts.Node, depth: int) -> _Sio | None:
        binding = self.model.resolve(node)
        if binding is None:
            if text(node) == "io" and self.model.source_type is SourceType.SCRIPT and \
                    self.model.is_global_name(node, "io") and "io" not in self.model.known_globals:
                return _Sio("client-factory", node)
            return None
        key = id(binding)
        if key in self._bindings:
            return self._bindings[key]
        self._bindings[key] = None  # cycles resolve to nothing
        result = self._binding(binding, depth)
        self._bindings[key] = result
        return result

    def _binding(self, binding: Binding, depth: int) -> _Sio | None:
        source = module_source(self.model, binding)
        if source is not None:
            kind = FACTORIES.get(source)
            return _Sio(kind, binding.node or binding.declaration) if kind is not None and binding.node is not None else None
        if binding.kind is BindingKind.PARAM:
            return self._param(binding, depth)
        if binding.kind not in (BindingKind.CONST, BindingKind.LET, BindingKind.VAR):
            return None
        typed = self._annotated(binding.node)
        if typed is not None:
            return typed
        values = [binding.init] if binding.init is not None else []
        values += [r.write_expr.child_by_field_name("right") for r in binding.writes
                   if not r.is_init and r.write_expr is not None and r.write_expr.type == "assignment_expression"]
        for value in values:
            result = self.resolve(value, depth + 1)
            if result is not None:
                return result
        return None

    # --- parameters: connection handlers and typed parameters ---------------------------------

    def _param(self, binding: Binding, depth: int) -> _Sio | None:
        name = binding.node
        if name is None:
            return None
        typed = self._annotated(name)
        if typed is not None:
            return typed
        fn = name.parent
        while fn is not None and fn.type not in FUNCTION_TYPES:
            fn = fn.parent
        if fn is None or _first_param(fn) != name:
            return None
        for call in self._calls_receiving(fn):
            callee = unwrap(call.child_by_field_name("function"))
            method = text(callee.child_by_field_name("property"))
            args = call_arguments(call)
            is_handler = method == "use" or (
                method in ("on", "once", "addListener") and bool(args) and string_value(args[0]) in CONNECTION_EVENTS)
            if not is_handler:
                continue
            owner = self.resolve(callee.child_by_field_name("object"), depth + 1)
            if owner is not None and owner.kind in ("server", "namespace"):
                return _Sio("socket", name)
        return None

    def _calls_receiving(self, fn: ts.Node) -> list[ts.Node]:
        """Method calls that receive `fn` as an argument, directly or by name."""
        candidates = [fn]
        binding = None
        if fn.type == "function_declaration":
            binding = self.model.resolve(fn.child_by_field_name("name"))
        elif fn.parent is not None and fn.parent.type == "variable_declarator":
            binding = self.model.resolve(fn.parent.child_by_field_name("name"))
        if binding is not None:
            candidates.extend(r.node for r in binding.references if r.is_read)
        out = []
        for node in candidates:
            args = node.parent
            call = args.parent if args is not None and args.type == "arguments" else None
            fn_node = unwrap(call.child_by_field_name("function")) if call is not None else None
            if call is not None and call.type == "call_expression" and fn_node is not None and \
                    fn_node.type == "member_expression":
                out.append(call)
        return out

    def _annotated(self, name: ts.Node | None) -> _Sio | None:
        """`socket: Socket` where `Socket` comes from socket.io or socket.io-client."""
        if name is None or name.parent is None:
            return None
        holder = name.parent
        annotation = holder.child_by_field_name("type") if holder.type in (
            "required_parameter", "optional_parameter", "variable_declarator", "public_field_definition") else None
        if annotation is None or annotation.type != "type_annotation":
            return None
        type_node = annotation.named_child(0)
        if type_node is not None and type_node.type == "generic_type":
            type_node = type_node.child_by_field_name("name")
        if type_node is None:
            return None
        scope = self.model.scope_at(name)
        if type_node.type == "type_identifier":
            binding = scope.lookup(text(type_node))
            source = module_source(self.model, binding)
        elif type_node.type == "nested_type_identifier":
            parts = text(type_node).split(".")
            binding = scope.lookup(parts[0]) if len(parts) == 2 else None
            source = module_source(self.model, binding)
            source = (source[0], parts[1]) if source is not None and source[1] in ("*", "default") else None
        else:
            return None
        kind = TYPES.get(source) if source is not None else None
        return _Sio(kind, type_node) if kind is not None else None

    # --- calls and members --------------------------------------------------------------------

    def _call(self, node: ts.Node, depth: int) -> _Sio | None:
        fn = unwrap(node.child_by_field_name("function"))
        if fn is None:
            return None
        if fn.type != "member_expression":
            module = required_module(self.model, fn)  # `require("socket.io")(server)`
            if module == SERVER_MODULE:
                return _Sio("server", node)
            if module == CLIENT_MODULE:
                return self._client(node)
            callee = self.resolve(fn, depth + 1)
            if callee is None:
                return None
            if callee.kind in ("server-factory", "server-class"):
                return _Sio("server", node)
            if callee.kind == "client-factory":
                return self._client(node)
            return None
        method = text(fn.child_by_field_name("property"))
        obj = self.resolve(fn.child_by_field_name("object"), depth + 1)
        if obj is None:
            return None
        if obj.kind == "server-factory" and method in ("listen", "attach"):
            return _Sio("server", node)
        if obj.kind == "client-factory" and method in ("connect", "io"):
            return self._client(node)
        if obj.kind == "manager" and method == "socket":
            return _Sio("socket", node)
        if obj.kind not in EMITTERS:
            return None
        if method == "timeout":
            return replace(obj, timeout=True)
        if method in TO_BROADCAST:
            return replace(obj, kind="broadcast")
        if method in SAME_KIND or (obj.kind == "socket" and method in ("connect", "open")):
            return obj
        if method == "of" and obj.kind == "server":
            return _Sio("namespace", node, obj.timeout)
        return None

    def _client(self, call: ts.Node) -> _Sio:
        """`io(url, { ackTimeout })`: socket.io-client 4.6+ applies that timeout to every acknowledgement."""
        for arg in call_arguments(call):
            arg = unwrap(arg)
            if arg is not None and arg.type == "object" and any(
                    p.type == "pair" and text(p.child_by_field_name("key")).strip("'\"") == "ackTimeout"
                    for p in arg.named_children):
                return _Sio("socket", call, client_timeout=True)
        return _Sio("socket", call)

    def _member(self, node: ts.Node, depth: int) -> _Sio | None:
        prop = text(node.child_by_field_name("property"))
        obj_node = unwrap(node.child_by_field_name("object"))
        obj = self.resolve(obj_node, depth + 1) if obj_node is not None and obj_node.type != "this" else None
        if obj is not None:
            if obj.kind in EMITTERS and prop in TO_BROADCAST:
                return replace(obj, kind="broadcast")
            if obj.kind in EMITTERS and prop in SAME_KIND:
                return obj
            if obj.kind == "server" and prop == "sockets":
                return _Sio("namespace", node, obj.timeout)
            if obj.kind == "socket" and prop == "nsp":
                return _Sio("namespace", node)
            if obj.kind == "socket" and prop == "server":
                return _Sio("server", node)
            if obj.kind == "server-factory" and prop == "Server":
                return _Sio("server-class", node)
            if obj.kind == "client-factory" and prop == "Manager":
                return _Sio("manager-class", node)
            return None
        # `this.socket`, `state.socket`: whatever the file assigns to that path
        path = member_path(node)
        if not path:
            return None
        typed = self._field_type(node, path)
        if typed is not None:
            return typed
        for value in self._writes_to(path, node):
            result = self.resolve(value, depth + 1)
            if result is not None:
                return result
        return None

    def _writes_to(self, path: tuple[str, ...], read: ts.Node) -> list[ts.Node]:
        """Values the file assigns to `path`; for `this.x`, only those in the reading class."""
        if self._member_writes is None:
            self._member_writes = {}
            for node in self.model.nodes_of("assignment_expression"):
                left = node.child_by_field_name("left")
                lpath = member_path(left) if left is not None and left.type == "member_expression" else None
                if lpath:
                    self._member_writes.setdefault(".".join(lpath), []).append(node.child_by_field_name("right"))
        values = self._member_writes.get(".".join(path), [])
        if path[0] != "this":
            return values
        cls = _class_of(read)
        return [v for v in values if cls is None or _class_of(v) in (None, cls)]

    def _field_type(self, node: ts.Node, path: tuple[str, ...]) -> _Sio | None:
        """`this.socket` typed by a class field `socket: Socket` or a parameter property."""
        if len(path) != 2 or path[0] != "this":
            return None
        cls = _class_of(node)
        body = cls.child_by_field_name("body") if cls is not None else None
        if body is None:
            return None
        for member in body.named_children:
            if member.type == "public_field_definition" and text(member.child_by_field_name("name")) == path[1]:
                return self._annotated(member.child_by_field_name("name"))
            if member.type == "method_definition" and text(member.child_by_field_name("name")) == "constructor":
                params = member.child_by_field_name("parameters")
                for p in params.named_children if params is not None else ():
                    pattern = p.child_by_field_name("pattern")
                    if p.type in ("required_parameter", "optional_parameter") and pattern is not None and \
                            text(pattern) == path[1] and any(c.type == "accessibility_modifier" or c.type == "readonly"
                                                             for c in p.children):
                        return self._annotated(pattern)
        return None


def _class_of(node: ts.Node) -> ts.Node | None:
    node = node.parent
    while node is not None and node.type not in CLASS_TYPES:
        node = node.parent
    return node


def _first_param(fn: ts.Node) -> ts.Node | None:
    single = fn.child_by_field_name("parameter")
    if single is not None:
        return single
    params = fn.child_by_field_name("parameters")
    first = params.named_child(0) if params is not None and params.named_child_count else None
    if first is not None and first.type in ("required_parameter", "optional_parameter"):
        first = first.child_by_field_name("pattern")
    return first
