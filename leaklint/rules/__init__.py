"""The rule registry: an explicit, sorted table (no discovery magic).

A rule is a module with a `RULE_ID` and a `check(ctx)` function; its metadata, messages and help
come from `rules/<id>.md` (see `leaklint.docs`).
"""

from __future__ import annotations

from types import ModuleType

from leaklint.rules import (
    emit_ack_no_timeout,
    growing_array,
    implicit_global,
    listener_leak,
    unbounded_cache,
    unbounded_memoize,
    uncleared_timer,
)

REGISTRY: dict[str, ModuleType] = {
    m.RULE_ID: m
    for m in (
        emit_ack_no_timeout,
        growing_array,
        implicit_global,
        listener_leak,
        unbounded_cache,
        unbounded_memoize,
        uncleared_timer,
    )
}


def rule_ids() -> list[str]:
    return sorted(REGISTRY)
