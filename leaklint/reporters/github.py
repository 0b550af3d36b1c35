"""GitHub Actions workflow commands (`::warning file=...::message`), which become annotations."""

from __future__ import annotations

from typing import TextIO

from leaklint.findings import Finding, Notification, Severity
from leaklint.report import Report

_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.NOTE: "notice"}


def escape_data(value: str) -> str:
    """Escape a command's message (the part after `::`)."""
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(value: str) -> str:
    """Escape a command property value (`file=`, `title=`, ...)."""
    return escape_data(value).replace(":", "%3A").replace(",", "%2C")


def _command(level: str, props: dict[str, object], message: str) -> str:
    args = ",".join(f"{key}={escape_property(str(value))}" for key, value in props.items())
    return f"::{level}{' ' + args if args else ''}::{escape_data(message)}\n"


def _finding(f: Finding) -> str:
    s = f.span
    props: dict[str, object] = {"file": f.path, "line": s.line, "col": s.column,
                                "endLine": s.end_line, "endColumn": s.end_column, "title": f.rule_id}
    return _command(_LEVEL[f.severity], props, f.message)


def _notification(n: Notification) -> str:
    props: dict[str, object] = {"file": n.path} if n.path else {}
    if n.span:
        props |= {"line": n.span.line, "col": n.span.column}
    return _command("warning", props, f"{n.kind.value}: {n.message}")


def write(report: Report, out: TextIO) -> None:
    for f in report.findings:
        out.write(_finding(f))
    for n in report.notifications:
        out.write(_notification(n))
