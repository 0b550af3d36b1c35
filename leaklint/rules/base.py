"""What a rule sees: the parsed file, the semantic model, and `report()`."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import tree_sitter as ts

from leaklint.docs import RuleMeta
from leaklint.findings import Finding, Related, Span
from leaklint.syntax import ParsedFile

if TYPE_CHECKING:
    from leaklint.semantic.lifetime import Repeat
    from leaklint.semantic.model import SemanticModel
    from leaklint.settings import Settings


# the message fields that name what a finding is about (see `Finding.subjects`); `reason`,
# `function`, `component` and the like say why or where, and are left out
SUBJECT_FIELDS = ("name", "cache", "target", "event", "prop", "handle")


class _Data(dict):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


@dataclass(slots=True)
class RuleContext:
    meta: RuleMeta
    file: ParsedFile
    model: "SemanticModel"
    settings: "Settings"
    findings: list[Finding] = field(default_factory=list)

    def span(self, node: ts.Node) -> Span:
        return self.file.lines.node_span(node)

    def related(self, message: str, node: ts.Node) -> Related:
        return Related(message, self.span(node))

    def runs_on(self, reason: "Repeat") -> Related:
        """The evidence that code runs repeatedly: what re-runs it, where."""
        return self.related(f"runs on {reason.description}", reason.node)

    def report(
        self,
        node: ts.Node,
        message_id: str,
        data: dict[str, object] | None = None,
        related: tuple[Related, ...] | list[Related] = (),
        end_node: ts.Node | None = None,
    ) -> None:
        meta = self.meta
        if message_id not in meta.messages:
            raise KeyError(f"rule {meta.id} has no message {message_id!r} (declared: {sorted(meta.messages)})")
        values = _Data({k: str(v) for k, v in (data or {}).items()})
        message = meta.messages[message_id].format_map(values)
        hint = meta.hints.get(message_id, meta.hints.get("default", "")).format_map(values)
        span = self.file.lines.span(node.start_byte, (end_node or node).end_byte)
        self.findings.append(
            Finding(
                rule_id=meta.id,
                message_id=message_id,
                message=message,
                hint=hint,
                path=self.file.path,
                span=span,
                severity=meta.severity,
                confidence=meta.confidence,
                related=tuple(related),
                subjects=tuple(values[k] for k in SUBJECT_FIELDS if k in values),
            )
        )
