"""implicit-global: names and data that end up on the global object, where they live forever."""

from __future__ import annotations

import tree_sitter as ts

from leaklint.rules.base import RuleContext
from leaklint.semantic.lifetime import GLOBAL_OBJECT_NAMES, callee_name, callee_object
from leaklint.semantic.scope import Reference, ScopeKind
from leaklint.syntax import member_path, string_value, text, unwrap

RULE_ID = "implicit-global"

ASSIGNMENTS = ("assignment_expression", "augmented_assignment_expression")
GROWTH_METHODS = frozenset({"push", "unshift", "set", "add", "splice", "concat"})


def check(ctx: RuleContext) -> None:
    _undeclared_assignments(ctx)
    _sloppy_this(ctx)
    _global_object_growth(ctx)


def _undeclared_assignments(ctx: RuleContext) -> None:
    """One finding per name, at its first assignment; the other writes are evidence."""
    by_name: dict[str, list[Reference]] = {}
    for ref in ctx.model.implicit_globals:
        by_name.setdefault(ref.name, []).append(ref)
    for name, refs in by_name.items():
        refs.sort(key=lambda r: r.node.start_byte)
        first = refs[0]
        related = [ctx.related(f"`{name}` is also assigned here", r.node) for r in refs[1:6]]
        fn = ctx.model.enclosing_function(first.node)
        where = "function" if fn is not None else "top level"
        ctx.report(first.node, "undeclared", {"name": name, "where": where, "count": len(refs)}, related)


def _sloppy_this(ctx: RuleContext) -> None:
    """`this.x = ...` in a plain sloppy function called as `f()`: `this` is the global object."""
    model = ctx.model
    for node in model.assignments("assign.this", "assign.wrapped", types=ASSIGNMENTS):
        left = unwrap(node.child_by_field_name("left"))
        if left is None or left.type != "member_expression":
            continue
        obj = unwrap(left.child_by_field_name("object"))
        if obj is None or obj.type != "this" or model.scope_at(node).is_strict:
            continue
        fn = model.lifetime._this_function(node)
        if fn is None or fn.type != "function_declaration":
            continue
        fscope = model.scope_of_function(fn)
        if fscope is None or fscope.is_strict:
            continue
        if not _called_plainly_only(ctx, fn):
            continue
        name = text(fn.child_by_field_name("name"))
        ctx.report(left, "sloppy-this", {"prop": text(left.child_by_field_name("property")), "function": name},
                   [ctx.related(f"`{name}` is called without a receiver here", c) for c in _plain_calls(ctx, fn)[:3]])


def _plain_calls(ctx: RuleContext, fn: ts.Node) -> list[ts.Node]:
    name = fn.child_by_field_name("name")
    binding = ctx.model.resolve(name) if name is not None else None
    if binding is None:
        return []
    out = []
    for ref in binding.references:
        p = ref.node.parent
        if p is not None and p.type == "call_expression" and p.child_by_field_name("function") == ref.node:
            out.append(p)
    return out


def _called_plainly_only(ctx: RuleContext, fn: ts.Node) -> bool:
    """Only called as `f(...)`: never with `new`, `.call/.apply/.bind`, never passed or stored, not a constructor."""
    name_node = fn.child_by_field_name("name")
    if name_node is None:
        return False
    name = text(name_node)
    if not name[:1].islower():
        return False  # capitalised: a constructor by convention
    binding = ctx.model.resolve(name_node)
    if binding is None or binding.scope.kind is ScopeKind.GLOBAL:
        return False  # a script's top-level function is a global: other scripts may call it any way they like
    calls = 0
    for ref in binding.references:
        if ref.is_init:
            continue
        p = ref.node.parent
        if p is not None and p.type == "call_expression" and p.child_by_field_name("function") == ref.node:
            calls += 1
            continue
        return False  # any other use: new, .call, .prototype, passed as a value, exported...
    return calls > 0


def _global_object_growth(ctx: RuleContext) -> None:
    """Growing data hung on the global object by code that runs repeatedly."""
    model = ctx.model
    lifetime = model.lifetime
    for node in (*model.calls_named(*GROWTH_METHODS),
                 *model.assignments("assign.subscript", "assign.augmember", "assign.wrapped", types=ASSIGNMENTS)):
        if node.type == "call_expression":
            method = callee_name(node)
            target = callee_object(node)
            path = member_path(target)
            if not path or len(path) < 2 or path[0] not in GLOBAL_OBJECT_NAMES or not lifetime.root_is_global(target, path[0]):
                continue
            if method == "concat":
                continue
            reason = lifetime.repeat_reason(node)
            if reason is None:
                continue
            ctx.report(node, "global-growth", {"target": ".".join(path), "method": method, "reason": reason.description},
                       [ctx.runs_on(reason)])
            continue
        left = unwrap(node.child_by_field_name("left"))
        if left is None or left.type not in ("member_expression", "subscript_expression"):
            continue
        obj = unwrap(left.child_by_field_name("object"))
        dynamic_key = left.type == "subscript_expression" and string_value(left.child_by_field_name("index")) is None
        if dynamic_key:
            # `global[key] = v`: a new global per key; `global.cache[key] = v`: a growing global map
            base = obj
            path = member_path(base)
            if not path or path[0] not in GLOBAL_OBJECT_NAMES or not lifetime.root_is_global(base, path[0]):
                continue
        elif node.type == "augmented_assignment_expression":
            path = member_path(left)
            op = node.child(1)
            if op is None or text(op) != "+=" or not path or path[0] not in GLOBAL_OBJECT_NAMES or not lifetime.root_is_global(left, path[0]):
                continue
            if not _grows_by_concat(node):
                continue
        else:
            continue
        reason = lifetime.repeat_reason(node)
        if reason is None:
            continue
        target = ".".join(path) if path else text(obj)
        ctx.report(node, "global-growth-key" if dynamic_key else "global-growth",
                   {"target": target, "method": "[key] =" if dynamic_key else "+=", "reason": reason.description},
                   [ctx.runs_on(reason)])


def _grows_by_concat(node: ts.Node) -> bool:
    """`global.log += "..."`: string concatenation, the only `+=` that grows without bound."""
    right = unwrap(node.child_by_field_name("right"))
    return right is not None and right.type in ("string", "template_string")
