"""unbounded-memoize: (not implemented yet)."""

from __future__ import annotations

from leaklint.rules.base import RuleContext

RULE_ID = "unbounded-memoize"


def check(ctx: RuleContext) -> None:
    return None
