"""unbounded-cache: a long-lived object, Map or Set that gets a new key on every request, call or event."""

from __future__ import annotations

from typing import Iterator

import tree_sitter as ts

from leaklint.rules.base import RuleContext
from leaklint.semantic.collections import (
    MAP,
    NODE_CACHE,
    OBJECT,
    SET,
    Collections,
    Key,
    collections,
    describe,
)
from leaklint.syntax import text, unwrap

RULE_ID = "unbounded-cache"

KINDS = frozenset({OBJECT, MAP, SET, NODE_CACHE})
# what each kind grows by
GROWTH_OPS = {
    OBJECT: ("[key] =", "[key] ||=", "[key] ??=", "[key] &&=", "[key] +=", "[key] -=", "[key] |=", "[key] ++",
             "Object.assign"),
    MAP: ("set",),
    NODE_CACHE: ("set",),
    SET: ("add",),
}


def check(ctx: RuleContext) -> None:
    index = collections(ctx.model)
    for key in index.distinct_keys(_growth_targets(ctx)):
        _check_cache(ctx, index, key)


def _growth_targets(ctx: RuleContext) -> Iterator[ts.Node]:
    """Expressions that may denote a growing cache: `<x>.set(k, v)`, `<x>.add(v)`, `<x>[k] = v`,
    `Object.assign(<x>, ...)`."""
    for node in ctx.model.calls_named("set", "add", "assign"):
        fn = unwrap(node.child_by_field_name("function"))
        if fn is None or fn.type != "member_expression":
            continue
        if text(fn.child_by_field_name("property")) != "assign":
            yield fn.child_by_field_name("object")
        else:
            args = node.child_by_field_name("arguments")
            if args is not None and args.named_child_count > 1:
                yield args.named_child(0)
    for node in ctx.model.nodes_of("assignment_expression", "augmented_assignment_expression", "update_expression"):
        target = unwrap(node.child_by_field_name("left") or node.child_by_field_name("argument"))
        if target is not None and target.type == "subscript_expression":
            yield target.child_by_field_name("object")


def _check_cache(ctx: RuleContext, index: Collections, key: Key) -> None:
    holder = index.holder(key)
    if holder is None:
        return
    kind = index.kind(key)
    if kind not in KINDS:
        return
    found = index.repeated_growth(key, lambda use: use.op in GROWTH_OPS[kind] and not index.is_constant(use.key)
                                  and not index.is_diagnostic_dedupe(use))
    if found is None:
        return
    use, reason = found
    related = [ctx.related(message, node) for message, node in index.evidence(key, holder)]
    related.append(ctx.runs_on(reason))
    message = "element" if kind == SET else ("library" if kind == NODE_CACHE else "key")
    ctx.report(use.node, message, {"name": index.name(key), "holder": describe(holder, kind),
                                   "reason": reason.description}, related)
