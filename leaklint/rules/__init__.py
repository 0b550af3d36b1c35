"""The rule registry: an explicit, sorted table (no discovery magic).

A rule is a module with a `RULE_ID` and a `check(ctx)` function; its metadata, messages and help
come from `rules/<id>.md` (see `leaklint.docs`).
"""

from __future__ import annotations

from types import ModuleType

from leaklint.rules import implicit_global

REGISTRY: dict[str, ModuleType] = {
    implicit_global.RULE_ID: implicit_global,
}


def rule_ids() -> list[str]:
    return sorted(REGISTRY)
