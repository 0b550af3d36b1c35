"""Human output: `path:line:col: rule-id message`, a code frame with a caret under the span,
the hint and the related evidence, then notifications and a one-line summary.

Colour (via rich) only when the stream is a terminal; files and pipes get plain text.
"""

from __future__ import annotations

from collections import Counter
from typing import TextIO

from rich.cells import cell_len
from rich.console import Console
from rich.text import Text

from leaklint.findings import Finding, Notification, Severity
from leaklint.report import Report
from leaklint.reporters.concise import one_line

TAB_WIDTH = 4
HEAP_TOP = 15  # constructors shown in the heap section
HEAP_GROWTH = "heap-growth"
_GUTTER = "bold blue"
_STYLE = {Severity.ERROR: "bold red", Severity.WARNING: "bold yellow", Severity.NOTE: "bold cyan"}


def utf16_to_index(line: str, column: int) -> int:
    """The `str` index of 1-based UTF-16 code-unit `column` in `line`, clamped to the line's end."""
    units = 0
    for i, ch in enumerate(line):
        if units >= column - 1:
            return i
        units += 2 if ord(ch) > 0xFFFF else 1
    return len(line)


def expand(line: str) -> tuple[str, list[int]]:
    """`line` as displayed (tabs expanded to stops of TAB_WIDTH), and the terminal cell where each
    character starts, with one extra entry for the end of the line."""
    parts: list[str] = []
    cells = [0]
    for ch in line:
        if ch == "\t":
            ch = " " * (TAB_WIDTH - cells[-1] % TAB_WIDTH)
        parts.append(ch)
        cells.append(cells[-1] + cell_len(ch))
    return "".join(parts), cells


def code_frame(line_text: str, f: Finding) -> list[Text]:
    """The finding's first line with a gutter, and carets under the span's part of that line."""
    raw = line_text.rstrip("\r\n")
    if not raw:
        return []
    s = f.span
    shown, cells = expand(raw)
    start = utf16_to_index(raw, s.column)
    end = utf16_to_index(raw, s.end_column) if s.end_line == s.line else len(raw)
    width = max(1, cells[max(end, start)] - cells[start])
    number = str(s.line)
    blank = " " * len(number)
    return [
        Text(f"{blank} |", style=_GUTTER),
        Text.assemble((f"{number} | ", _GUTTER), shown),
        Text.assemble((f"{blank} | ", _GUTTER), " " * cells[start], ("^" * width, _STYLE[f.severity])),
    ]


def _finding(report: Report, f: Finding) -> list[Text]:
    s = f.span
    lines = [Text.assemble((f"{f.path}:{s.line}:{s.column}:", "bold"), " ",
                           (f.rule_id, _STYLE[f.severity]), f" {one_line(f.message)}")]
    lines += code_frame(report.source_line(f.path, s.line), f)
    if f.hint:
        lines.append(Text.assemble(("  = hint: ", "bold"), f.hint))
    for r in f.related:
        lines.append(Text.assemble(("  = note: ", "bold"), f"{f.path}:{r.span.line}:{r.span.column}: {r.message}"))
    if f.evidence and f.rule_id != HEAP_GROWTH:
        lines.append(Text.assemble(("  = confirmed by heap snapshots: ", "bold green"), f.evidence))
    return lines


def _bytes(n: int) -> str:
    for unit in ("B", "kB", "MB", "GB"):
        if abs(n) < 1000 or unit == "GB":
            return f"{n:,} {unit}" if unit == "B" else f"{n:,.1f} {unit}"
        n /= 1000  # type: ignore[assignment]
    return str(n)


def _signed(n: int) -> str:
    return f"{n:+,}"


def heap_section(report: Report) -> list[Text]:
    """The snapshots compared, the constructors that changed most, and the growing collections."""
    diff = report.heap
    if diff is None:
        return []
    first, last = diff.snapshots[0], diff.snapshots[-1]
    lines = [Text.assemble(("Heap snapshots: ", "bold"), " → ".join(
        f"{s.path} ({_bytes(s.file_bytes)})" for s in diff.snapshots))]
    lines.append(Text(f"  self size {_bytes(first.self_size)} → {_bytes(last.self_size)} "
                      f"({'+' if last.self_size >= first.self_size else '-'}{_bytes(abs(last.self_size - first.self_size))}), "
                      f"nodes {first.nodes:,} → {last.nodes:,}"))
    lines.append(Text())
    changed = [c for c in diff.constructors if c.count_delta or c.size_delta]
    shown = changed[:HEAP_TOP]
    if shown:
        lines.append(Text(f"Constructors, first snapshot to last ({len(shown)} of {len(changed)} "
                          "that changed, largest self-size change first):", style="bold"))
        width = min(max(len(c.name) for c in shown), 40)
        lines.append(Text(f"  {'constructor':<{width}}  {'count':>10}  {'Δ count':>9}  {'new':>8}  {'deleted':>8}  "
                          f"{'self size':>10}  {'Δ self size':>11}"))
        for c in shown:
            name = c.name if len(c.name) <= width else c.name[: width - 1] + "…"
            lines.append(Text(f"  {name:<{width}}  {c.count_after:>10,}  {_signed(c.count_delta):>9}  {c.new:>8,}  "
                              f"{c.deleted:>8,}  {c.size_after:>10,}  {_signed(c.size_delta):>11}"))
        lines.append(Text())
    if diff.growing:
        lines.append(Text(f"Growing collections ({len(diff.growing)}):", style="bold"))
        for i, g in enumerate(diff.growing):
            sizes = " → ".join(f"{n:,}" for n in g.sizes)
            lines.append(Text.assemble("  ", (g.label, "bold"), f"  {sizes} {g.unit}"))
            lines.append(Text(f"    retained by: {' → '.join(g.path)}"))
            for link in diff.links.get(i, []):
                lines.append(Text(f"    confirms: {link}"))
    else:
        lines.append(Text(f"No collection grew in every snapshot by {diff.thresholds.min_growth:,} or more "
                          f"(and by {diff.thresholds.min_ratio:.0%} of its size).", style="bold"))
    if diff.internal:
        lines.append(Text(f"  ({diff.internal} growing collection{'' if diff.internal == 1 else 's'} of Node's "
                          "own modules left out)"))
    lines.append(Text())
    return lines


def _notification(n: Notification) -> Text:
    prefix = f"{n.path}: " if n.path else ""
    return Text.assemble(prefix, (f"{n.kind.value}:", _STYLE[n.level]), f" {n.message}")


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def summary(report: Report) -> str:
    files = _plural(report.files_checked, "file")
    if report.heap is not None:
        snapshots = _plural(len(report.heap.snapshots), "heap snapshot")
        files = f"{files} and {snapshots}" if report.files_checked else snapshots
    if report.findings:
        by_rule = Counter(f.rule_id for f in report.findings)
        counts = ", ".join(f"{rule}: {n}" for rule, n in sorted(by_rule.items()))
        line = f"Found {_plural(len(report.findings), 'finding')} ({counts}) in {files}"
    else:
        line = f"No findings in {files}"
    if report.notifications:
        line += f"; {_plural(len(report.notifications), 'notification')}"
    return line + "."


def render(report: Report) -> list[Text]:
    lines: list[Text] = heap_section(report)
    for f in report.findings:
        lines += _finding(report, f)
        lines.append(Text())
    lines += [_notification(n) for n in report.notifications]
    if report.notifications:
        lines.append(Text())
    lines.append(Text(summary(report), style="bold"))
    return lines


def _is_terminal(out: TextIO) -> bool:
    try:
        return out.isatty()
    except (AttributeError, ValueError):
        return False


def write(report: Report, out: TextIO) -> None:
    lines = render(report)
    if not _is_terminal(out):
        out.write("".join(line.plain + "\n" for line in lines))
        return
    console = Console(file=out, soft_wrap=True, highlight=False, markup=False, emoji=False)
    for line in lines:
        console.print(line)
