"""emit-ack-no-timeout: (not implemented yet)."""

from __future__ import annotations

from leaklint.rules.base import RuleContext

RULE_ID = "emit-ack-no-timeout"


def check(ctx: RuleContext) -> None:
    return None
