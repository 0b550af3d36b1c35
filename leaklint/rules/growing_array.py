"""growing-array: (not implemented yet)."""

from __future__ import annotations

from leaklint.rules.base import RuleContext

RULE_ID = "growing-array"


def check(ctx: RuleContext) -> None:
    return None
