"""Baselines: `--write-baseline FILE` records today's findings, `--baseline FILE` reports only new ones."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from leaklint.baseline import Baseline, BaselineError, from_findings, load
from leaklint.findings import Confidence, Finding, Severity, Span

OLD = "function f(){ leaked = 1 }\nmodule.exports = f;\n"
NEW = "function g(){ counter = 0 }\nmodule.exports = g;\n"


def leaklint(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "leaklint", "check", "--no-cache", *args], cwd=cwd,
                          capture_output=True, text=True, timeout=120)


def finding(path: str = "a.js", rule: str = "implicit-global", fingerprint: str = "f1", line: int = 1) -> Finding:
    return Finding(rule_id=rule, message_id="undeclared", message="m", hint="", path=path,
                   span=Span(line, 1, line, 2), severity=Severity.WARNING, confidence=Confidence.HIGH,
                   fingerprint=fingerprint)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "old.js").write_text(OLD, encoding="utf-8")
    return tmp_path


def test_matching_is_by_path_rule_and_fingerprint_not_line() -> None:
    base = from_findings([finding(line=1)])
    new, known = base.split([finding(line=40), finding(path="b.js", line=1), finding(rule="listener-leak"),
                             finding(fingerprint="f2")])
    assert [f.span.line for f in known] == [40]
    assert [(f.path, f.rule_id, f.fingerprint) for f in new] == [
        ("b.js", "implicit-global", "f1"), ("a.js", "listener-leak", "f1"), ("a.js", "implicit-global", "f2")]


def test_each_baseline_entry_covers_one_finding() -> None:
    base = from_findings([finding(), finding()])
    new, known = base.split([finding(), finding(), finding()])
    assert (len(known), len(new)) == (2, 1)
    assert len(base) == 2  # splitting does not use the baseline up


def test_write_then_check_reports_only_new_findings(project: Path) -> None:
    written = leaklint(project, "src", "--write-baseline", "leaklint-baseline.json")
    assert written.returncode == 0, written.stderr
    assert "wrote 1 finding to leaklint-baseline.json" in written.stderr
    assert "No findings" in written.stdout
    doc = json.loads((project / "leaklint-baseline.json").read_text(encoding="utf-8"))
    [entry] = doc["findings"]
    assert (entry["path"], entry["rule"]) == ("src/old.js", "implicit-global")
    assert "line" not in entry  # rewriting after unrelated edits changes nothing

    # unrelated edits move the old finding; a new file brings a new one
    (project / "src" / "old.js").write_text("// header\n\nconst unrelated = 1;\n" + OLD, encoding="utf-8")
    (project / "src" / "new.js").write_text(NEW, encoding="utf-8")
    checked = leaklint(project, "src", "--baseline", "leaklint-baseline.json", "--format", "concise")
    assert checked.returncode == 1
    assert checked.stdout.splitlines() == [
        "src/new.js:1:15: implicit-global Assignment to undeclared `counter` creates an implicit global"]

    # without new findings the run is clean
    (project / "src" / "new.js").unlink()
    clean = leaklint(project, "src", "--baseline", "leaklint-baseline.json")
    assert clean.returncode == 0
    assert "1 finding in the baseline not reported" in clean.stderr


@pytest.mark.parametrize("fmt", ["json", "sarif"])
def test_a_previous_report_is_a_baseline(project: Path, fmt: str) -> None:
    (project / "src" / "dir with space").mkdir()
    (project / "src" / "dir with space" / "é.js").write_text(OLD, encoding="utf-8")
    assert leaklint(project, "src", "--format", fmt, "-o", f"report.{fmt}").returncode == 1
    assert len(load(project / f"report.{fmt}")) == 2
    (project / "src" / "new.js").write_text(NEW, encoding="utf-8")
    checked = leaklint(project, "src", "--baseline", f"report.{fmt}", "--format", "concise")
    assert checked.returncode == 1
    assert [line.split(":")[0] for line in checked.stdout.splitlines()] == ["src/new.js"]


def test_findings_suppressed_in_a_sarif_report_are_not_in_the_baseline(tmp_path: Path) -> None:
    result = {"ruleId": "implicit-global", "message": {"text": "m"}, "partialFingerprints": {"leaklint/v1": "f1"},
              "locations": [{"physicalLocation": {"artifactLocation": {"uri": "a.js", "uriBaseId": "%SRCROOT%"}}}]}
    sarif = {"version": "2.1.0", "runs": [{"results": [result, {**result, "suppressions": [{"kind": "inSource"}]}]}]}
    (tmp_path / "r.sarif").write_text(json.dumps(sarif), encoding="utf-8")
    assert load(tmp_path / "r.sarif") == Baseline(from_findings([finding()]).entries)


@pytest.mark.parametrize(("content", "error"), [
    (None, "no such file"),
    ("{not json", "not JSON"),
    ('{"hello": 1}', "not a leaklint JSON or SARIF report"),
    ('{"findings": [{"path": "a.js"}]}', "finding 0 has no 'rule'"),
])
def test_unusable_baselines_are_errors(tmp_path: Path, content: str | None, error: str) -> None:
    path = tmp_path / "baseline.json"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    with pytest.raises(BaselineError, match=error):
        load(path)
    (tmp_path / "a.js").write_text(OLD, encoding="utf-8")
    proc = leaklint(tmp_path, "a.js", "--baseline", "baseline.json")
    assert proc.returncode == 2
    assert f"leaklint: baseline error: baseline.json: {error}" in proc.stderr
