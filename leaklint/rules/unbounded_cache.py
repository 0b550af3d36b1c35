"""unbounded-cache: a long-lived object, Map or Set that gets a new key on every request, call or event."""

from __future__ import annotations

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
    for key in index.distinct_keys(index.cache_targets):
        _check_cache(ctx, index, key)


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
