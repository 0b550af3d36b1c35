"""Inline suppressions: read from comment nodes only, with exact line, block and file ranges, on
any line ending; unknown rule ids and malformed directives are reported, never silently ignored."""

from __future__ import annotations

import pytest

from leaklint.api import check_text
from leaklint.findings import FileResult, NotificationKind
from leaklint.settings import Settings

ALL = Settings()


def check(source: str, name: str = "a.js", report_unused: bool = False) -> FileResult:
    return check_text(source, name, ALL, report_unused=report_unused)


def lines(result: FileResult) -> list[tuple[int, str]]:
    return [(f.span.line, f.rule_id) for f in result.findings]


def suppressed(result: FileResult) -> list[int]:
    return [f.span.line for f in result.suppressed]


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
def test_line_directives_on_every_line_ending(newline: str) -> None:
    src = newline.join([
        "// leaklint-disable-next-line implicit-global",
        "a = 1;",
        "b = 1; // leaklint-disable-line implicit-global -- set up by the page",
        "c = 1;",
        "/* leaklint-disable-next-line",
        "   implicit-global */",
        "d = 1;",
        "",
    ])
    result = check(src)
    assert lines(result) == [(4, "implicit-global")]
    assert suppressed(result) == [2, 3, 7]


def test_next_line_means_the_very_next_line() -> None:
    result = check("// leaklint-disable-next-line implicit-global\n\na = 1;\n")
    assert lines(result) == [(3, "implicit-global")]


def test_block_ranges_and_file_end() -> None:
    src = ("a = 1;\n"
           "/* leaklint-disable implicit-global */\n"
           "b = 1;\n"
           "/* leaklint-enable implicit-global */\n"
           "c = 1;\n"
           "// leaklint-disable\n"
           "d = 1;\n")
    result = check(src)
    assert lines(result) == [(1, "implicit-global"), (5, "implicit-global")]
    assert suppressed(result) == [3, 7]


def test_enable_of_one_rule_keeps_the_others_disabled() -> None:
    src = ("/* leaklint-disable implicit-global, growing-array */\n"
           "/* leaklint-enable growing-array */\n"
           "a = 1;\n"
           "/* leaklint-enable */\n"
           "b = 1;\n")
    assert lines(check(src)) == [(5, "implicit-global")]
    src = ("/* leaklint-disable */\n"
           "/* leaklint-enable growing-array */\n"
           "a = 1;\n")
    assert lines(check(src)) == []  # every rule but growing-array stays disabled
    src = ("/* leaklint-disable */\n"
           "/* leaklint-enable implicit-global */\n"
           "a = 1;\n")
    assert lines(check(src)) == [(3, "implicit-global")]


def test_only_comments_count() -> None:
    src = ("var s = '// leaklint-disable-line implicit-global'; a = 1;\n"
           "var t = `\n// leaklint-disable-next-line implicit-global\n`;\n"
           "b = 1;\n")
    assert lines(check(src)) == [(1, "implicit-global"), (5, "implicit-global")]


def test_jsx_comment_directive() -> None:
    src = ("const el = (\n  <div>\n    {/* leaklint-disable-next-line implicit-global */}\n"
           "    {(a = 1)}\n  </div>\n);\n")
    result = check(src, "a.jsx")
    assert lines(result) == [] and suppressed(result) == [4]


def test_directives_in_a_file_with_syntax_errors_and_odd_bytes() -> None:
    src = "\ufeffa = 1; // leaklint-disable-line implicit-global\nfunction (\nb = 'é😀'; // leaklint-disable-line\n"
    result = check(src)
    assert lines(result) == []
    assert suppressed(result) == [1, 3]
    assert [n.kind for n in result.notifications] == [NotificationKind.PARSE_ERROR]


def test_unknown_rule_ids_are_reported_with_their_line() -> None:
    result = check("a = 1; // leaklint-disable-line implicit-globl, implicit-global\n")
    assert lines(result) == []
    notes = [(n.kind, n.message, n.span.line if n.span else None) for n in result.notifications]
    assert notes == [(NotificationKind.CONFIG, "unknown rule id `implicit-globl` in leaklint-disable-line directive", 1)]


@pytest.mark.parametrize("comment", [
    "// leaklint-disable-nextline implicit-global",
    "// leaklint-disable-lines implicit-global",
    "/* leaklint-enabled */",
])
def test_malformed_directives_are_reported(comment: str) -> None:
    result = check(f"{comment}\na = 1;\n")
    assert lines(result) == [(2, "implicit-global")]  # it suppresses nothing
    word = comment.split()[1]
    assert [(n.kind, n.message) for n in result.notifications] == [
        (NotificationKind.CONFIG, (f"unknown directive `{word}`; expected leaklint-disable-next-line, "
                                   "leaklint-disable-line, leaklint-disable or leaklint-enable"))]


def test_prose_that_mentions_leaklint_is_no_directive() -> None:
    result = check("// leaklint-friendly: see leaklint-disable docs\na = 1;\n")
    assert result.notifications == [] and lines(result) == [(2, "implicit-global")]


def test_unused_directives_are_reported_on_request() -> None:
    src = ("// leaklint-disable-next-line implicit-global\n"
           "const a = 1;\n"
           "b = 1; // leaklint-disable-line implicit-global\n"
           "// leaklint-disable-next-line\n"
           "const c = 1;\n")
    assert lines(check(src)) == []
    result = check(src, report_unused=True)
    assert lines(result) == [(1, "unused-suppression"), (4, "unused-suppression")]
    assert [f.message for f in result.findings] == [
        "Unused `leaklint-disable-next-line` directive for `implicit-global`",
        "Unused `leaklint-disable-next-line` directive for all rules"]
    assert all(f.fingerprint for f in result.findings)


def test_suppressed_findings_keep_their_fingerprints() -> None:
    plain = check("function f() {\n  a = 1;\n}\n").findings
    hidden = check("function f() {\n  a = 1; // leaklint-disable-line\n}\n").suppressed
    assert len(plain) == len(hidden) == 1
    assert hidden[0].fingerprint and hidden[0].suppressed


def test_thousands_of_directives_and_findings() -> None:
    """Directives are looked up by line: 6,000 of them over 6,000 findings is not 36 million checks
    (which ran past the time budget, so the file was skipped)."""
    src = "".join(f"leak{i} = 1; // leaklint-disable-line {'implicit-global' if i % 2 else 'growing-array'}\n"
                  for i in range(6000))
    result = check(src, report_unused=True)
    assert result.notifications == []
    assert len(result.suppressed) == 3000
    assert {f.rule_id for f in result.findings} == {"implicit-global", "unused-suppression"}
    assert len(result.findings) == 6000
