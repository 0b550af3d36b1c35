"""growing-array: a long-lived array that code run again and again appends to, and nothing shrinks."""

from __future__ import annotations

import tree_sitter as ts

from leaklint.rules.base import RuleContext
from leaklint.semantic.collections import (
    ARRAY,
    Collections,
    Key,
    Use,
    collections,
    describe,
)
from leaklint.semantic.scope import BindingKind
from leaklint.syntax import text, unwrap

RULE_ID = "growing-array"

VERBS = {"push": "pushed to", "unshift": "prepended to", "splice": "spliced into", "concat": "concatenated onto",
         "[...]": "extended with a spread copy", "[key] =": "appended to by index"}


def check(ctx: RuleContext) -> None:
    index = collections(ctx.model)
    for key in index.distinct_keys(index.array_targets):
        _check_array(ctx, index, key)


def _check_array(ctx: RuleContext, index: Collections, key: Key) -> None:
    holder = index.holder(key)
    if holder is None or index.kind(key) != ARRAY:
        return
    found = index.repeated_growth(key, lambda use: _appends(index, key, use))
    if found is None:
        return
    use, reason = found
    related = [ctx.related(message, node) for message, node in index.evidence(key, holder)]
    related.append(ctx.runs_on(reason))
    ctx.report(use.node, "grows", {"name": index.name(key), "holder": describe(holder, ARRAY),
                                   "verb": VERBS.get(use.op, "grown"), "reason": reason.description}, related)


def _appends(index: Collections, key: Key, use: Use) -> bool:
    """Growth that appends: every method form, and index writes at `a.length` or a counter that only goes up."""
    if use.op != "[key] =":
        return True
    slot = unwrap(use.key)
    if slot is None:
        return False
    if slot.type == "member_expression" and text(slot.child_by_field_name("property")) == "length":
        return index.key_of(slot.child_by_field_name("object")) == key
    if slot.type == "update_expression" and "++" in text(slot):
        counter = unwrap(slot.child_by_field_name("argument"))
        return counter is not None and _only_incremented(index, counter)
    return False


def _only_incremented(index: Collections, counter: ts.Node) -> bool:
    """A module-level counter whose only writes are its initialiser and `++`."""
    if counter.type != "identifier":
        return False
    binding = index.model.resolve(counter)
    if binding is None or binding.kind not in (BindingKind.LET, BindingKind.VAR) or \
            not index.model.is_module_level(binding):
        return False
    for ref in binding.references:
        if ref.is_write and not ref.is_init and (ref.write_expr is None or ref.write_expr.type != "update_expression"):
            return False
    return True
