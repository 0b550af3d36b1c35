"""Findings and tool notifications: the records every stage after the rules passes along."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field


class Severity(enum.Enum):
    ERROR = "error"
    WARNING = "warning"
    NOTE = "note"


class Confidence(enum.Enum):
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"


@dataclass(frozen=True, slots=True)
class Span:
    """A source range. Lines are 1-based; columns are 1-based UTF-16 code units (as ESLint and LSP)."""

    line: int
    column: int
    end_line: int
    end_column: int


@dataclass(frozen=True, slots=True)
class Related:
    """Evidence for a finding: where the collection is declared, what runs the code, and so on."""

    message: str
    span: Span


@dataclass(frozen=True, slots=True)
class Finding:
    rule_id: str
    message_id: str
    message: str
    hint: str
    path: str
    span: Span
    severity: Severity
    confidence: Confidence
    related: tuple[Related, ...] = ()
    fingerprint: str = ""
    # set by the suppression stage when a directive matched (reported only on request)
    suppressed: bool = False
    # set when heap snapshots show the collection growing (`leaklint heap diff`, `check --heap`)
    evidence: str = ""
    # what the finding is about, from its message's data (the collection, target, event, memoizer
    # cache): what heap growth is matched against, never the names of the reason it gives. Empty
    # when a rule's message has none (a timer); None for a finding no rule's `report` made
    subjects: tuple[str, ...] | None = None

    @property
    def sort_key(self) -> tuple:
        s = self.span
        return (self.path, s.line, s.column, self.rule_id, self.message)


class NotificationKind(enum.Enum):
    PARSE_ERROR = "parse-error"
    DECODE_ERROR = "decode-error"
    UNREADABLE = "unreadable"
    SKIPPED = "skipped"
    INTERNAL_ERROR = "internal-error"
    CONFIG = "config"
    TRUNCATED = "truncated"


@dataclass(frozen=True, slots=True)
class Notification:
    """Something leaklint could not do (fully) for a file; never a finding about the code."""

    kind: NotificationKind
    path: str
    message: str
    level: Severity = Severity.WARNING
    span: Span | None = None

    @property
    def sort_key(self) -> tuple:
        s = self.span
        return (self.path, s.line if s else 0, s.column if s else 0, self.kind.value, self.message)


@dataclass(slots=True)
class FileResult:
    """What checking one file produced."""

    path: str
    findings: list[Finding] = field(default_factory=list)
    notifications: list[Notification] = field(default_factory=list)
    suppressed: list[Finding] = field(default_factory=list)
