"""The result of a run, handed to a reporter."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from leaklint.docs import RuleMeta
from leaklint.findings import Finding, Notification, NotificationKind

if TYPE_CHECKING:
    from leaklint.heap.diff import HeapDiff

# notifications that mean leaklint could not do its job for some input (exit code 2)
FATAL_KINDS = (NotificationKind.UNREADABLE, NotificationKind.INTERNAL_ERROR)


@dataclass(slots=True)
class Report:
    findings: list[Finding]  # sorted by Finding.sort_key, suppressions already applied
    notifications: list[Notification]  # sorted by Notification.sort_key
    files_checked: int
    rules: dict[str, RuleMeta]  # every registered rule, by id (SARIF lists them all)
    enabled: tuple[str, ...]  # ids of the rules that ran
    root: Path = field(default_factory=Path.cwd)  # paths in findings are relative to this
    # (path, 1-based line) -> that line's text, for code frames; "" when unknown
    source_line: Callable[[str, int], str] = lambda path, line: ""
    version: str = ""
    # findings hidden by inline suppressions (SARIF can list them as suppressed)
    suppressed: list[Finding] = field(default_factory=list)
    # SARIF automationDetails.id: the run category for GitHub code scanning (e.g. "leaklint/")
    category: str | None = None
    # the comparison of heap snapshots (`leaklint heap diff`, `check --heap`), reported before the findings
    heap: "HeapDiff | None" = None
    # the files discovered and checked (`check_paths`), for linking heap growth to them
    files: tuple[Path, ...] = ()

    @property
    def errors(self) -> list[Notification]:
        """Notifications that mean leaklint could not do its job: an unreadable path, an internal error."""
        return [n for n in self.notifications if n.kind in FATAL_KINDS]
