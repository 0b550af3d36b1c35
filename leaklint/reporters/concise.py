"""One line per finding, `path:line:col: rule-id message`: the form editor problem matchers parse."""

from __future__ import annotations

from typing import TextIO

from leaklint.report import Report


def one_line(message: str) -> str:
    """`message` with any line breaks folded into spaces, so a record stays on one line."""
    return " ".join(message.splitlines())


def write(report: Report, out: TextIO) -> None:
    for f in report.findings:
        s = f.span
        out.write(f"{f.path}:{s.line}:{s.column}: {f.rule_id} {one_line(f.message)}\n")
    for n in report.notifications:
        line, col = (n.span.line, n.span.column) if n.span else (1, 1)
        out.write(f"{n.path}:{line}:{col}: {n.kind.value} {one_line(n.message)}\n")
