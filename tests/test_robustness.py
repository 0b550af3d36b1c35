"""Hostile input and file-system faults: never a traceback, a notification that names the file
(in the text report and in SARIF `toolExecutionNotifications`), the other files' findings intact,
and exit 2 only when leaklint could not do its job."""

from __future__ import annotations

import codecs
import json
import os
import signal
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from leaklint import api
from leaklint.api import check_file, check_text
from leaklint.cache import Cache
from leaklint.checker import cacheable
from leaklint.cli import cli
from leaklint.files import SourceFile, discover
from leaklint.findings import NotificationKind, Severity
from leaklint.settings import Settings

WITNESS = "function f() {\n  witness = 1;\n}\n"
WITNESS_LINE = "witness.js:2:3: implicit-global Assignment to undeclared `witness` creates an implicit global"


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "witness.js").write_text(WITNESS)
    return tmp_path


def run(*args: str) -> Result:
    result = CliRunner().invoke(cli, ["check", *args, "--no-cache", "--select", "implicit-global"],
                                catch_exceptions=False)
    assert "Traceback" not in result.output + result.stderr
    return result


def sarif_notifications(*args: str) -> dict[str, list[tuple[str, str]]]:
    """path -> [(kind, level)] of the SARIF run's tool execution notifications."""
    log = json.loads(run(*args, "--format", "sarif").stdout)
    out: dict[str, list[tuple[str, str]]] = {}
    for n in log["runs"][0]["invocations"][0].get("toolExecutionNotifications", []):
        uri = n["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] if n.get("locations") else ""
        out.setdefault(uri, []).append((n["descriptor"]["id"], n["level"]))
    return out


# --- bad files ------------------------------------------------------------------------------------

BAD_FILES: dict[str, tuple[bytes, str | None, list[str]]] = {
    # name: (content, expected notification "kind: words" or None, expected findings "line:col")
    "binary.js": (b"\x7fELF\x00\x01\x02\x00leak = 1;", "skipped: binary file", []),
    "invalid-utf8.js": (b"var s = '\xff\xfe';\nleak = 1;\n", "decode-error: invalid UTF-8 at byte 9", ["2:1"]),
    "bom.js": (codecs.BOM_UTF8 + b"leak = 1;\n", None, ["1:1"]),
    "utf16le.js": (codecs.BOM_UTF16_LE + "x;\nleak = 1;\n".encode("utf-16-le"), "decode-error: file is UTF-16", ["2:1"]),
    "utf16be.js": (codecs.BOM_UTF16_BE + "x;\nleak = 1;\n".encode("utf-16-be"), "decode-error: file is UTF-16", ["2:1"]),
    "crlf.js": (b"var a;\r\n\r\n  leak = 1;\r\n", None, ["3:3"]),
    "lone-cr.js": (b"var a;\r\r  leak = 1;\r", None, ["3:3"]),
    "empty.js": (b"", None, []),
    "only-newlines.js": (b"\n\r\n\r", None, []),
    "syntax-errors.js": (b"leak = 1;\nvar = ;\nif (a) { } }\nother = 2;\nfunction (\n", "parse-error: syntax error",
                         ["1:1", "4:1"]),
    "jsx-in.js": (b"const el = <div onClick={() => { leak = 1; }}>hi</div>;\n", None, ["1:34"]),
    "types-in.js": (b"let n: number = 1;\nfunction f(a: string): void { leak = a; }\n",
                    "parse-error: type annotations in a JavaScript file; parsed as TypeScript", ["2:31"]),
    "nul-late.js": (b"leak = 1;\n" + b"x;\n" * 5000 + b"\x00", "parse-error: syntax error", ["1:1"]),
}


@pytest.mark.parametrize("name", sorted(BAD_FILES))
def test_bad_file_is_reported_and_other_files_keep_their_findings(project: Path, name: str) -> None:
    content, note, findings = BAD_FILES[name]
    (project / name).write_bytes(content)
    result = run(".", "--format", "concise")
    assert result.exit_code == 1  # the witness is found; a bad file alone is no failure to do the job
    lines = result.stdout.splitlines()
    assert WITNESS_LINE in lines
    got = sorted(line.split(":", 3)[1] + ":" + line.split(":", 3)[2] for line in lines
                 if line.startswith(f"{name}:") and " implicit-global " in line)
    assert got == sorted(findings)
    notes = [line for line in lines if line.startswith(f"{name}:") and " implicit-global " not in line]
    if note is None:
        assert notes == []
    else:
        kind, words = note.split(": ", 1)
        assert len(notes) == 1 and f" {kind} {words}" in notes[0], notes
        sarif = sarif_notifications(".")
        assert [k for k, _ in sarif[name]] == [kind]
        text = run(".").stdout
        assert f"{name}: {kind}: {words}" in text


def test_columns_count_utf16_code_units_with_tabs_and_non_ascii(project: Path) -> None:
    (project / "cols.js").write_text("\tvar é = '😀'; a = 1;\n/* ü */ b = 2;\r\n𝒳 = 3;\n", encoding="utf-8")
    log = json.loads(run("cols.js", "--format", "sarif").stdout)
    run_ = log["runs"][0]
    assert run_["columnKind"] == "utf16CodeUnits"
    regions = [(r["message"]["text"].split("`")[1], r["locations"][0]["physicalLocation"]["region"])
               for r in run_["results"]]
    starts = {name: (reg["startLine"], reg["startColumn"], reg["endColumn"]) for name, reg in regions}
    # tab = 1 unit, é = 1 unit, 😀 = 2 units (a surrogate pair), 𝒳 = 2 units
    assert starts == {"a": (1, 16, 17), "b": (2, 9, 10), "𝒳": (3, 1, 3)}
    text = run("cols.js", "--format", "concise").stdout
    assert "cols.js:1:16:" in text and "cols.js:2:9:" in text and "cols.js:3:1:" in text


def test_code_frame_of_bom_and_utf16_files_shows_the_text(project: Path) -> None:
    (project / "bom.js").write_bytes(codecs.BOM_UTF8 + b"leak = 1;\n")
    (project / "u16.js").write_bytes(codecs.BOM_UTF16_LE + "leak = 1;\n".encode("utf-16-le"))
    out = run("bom.js", "u16.js").stdout
    assert out.count("1 | leak = 1;\n  | ^^^^\n") == 2, out


@pytest.mark.parametrize("raw", [
    'var s = "a\u2028b\u000cc"; var t = 1;\nleak = 1;\n'.encode(),  # breaks for str.splitlines, not for JS
    codecs.BOM_UTF16_LE + "x;\nleak = 1;\n".encode("utf-16-le"),
])
def test_code_frame_from_stdin_shows_the_flagged_line(project: Path, raw: bytes) -> None:
    result = CliRunner().invoke(cli, ["check", "--stdin-filename", "in.js", "-", "--select", "implicit-global"],
                                input=raw, catch_exceptions=False)
    assert "2 | leak = 1;\n" in result.stdout, result.stdout


# --- size, depth and time ---------------------------------------------------------------------------


def test_big_single_line_within_the_limit_is_analysed(project: Path) -> None:
    # a 3 MB minified line, mostly string data (code for a time budget is in test_nesting_... below)
    filler = "".join(f"var s{i}='{'x' * 1000}',f{i}=function(a){{return a+s{i}}};" for i in range(3000))
    (project / "min.js").write_text(filler + "é;leak=1;\n", encoding="utf-8")
    result = run("min.js", "--format", "concise")
    assert result.stdout == f"min.js:1:{len(filler) + 3}: implicit-global Assignment to undeclared `leak` " \
                            "creates an implicit global\n"


def test_file_over_the_size_limit_is_skipped_not_dropped(project: Path) -> None:
    big = project / "huge.js"
    with open(big, "wb") as fh:  # a 20 MB line
        fh.write(b"leak = 1;" + b"x" * (20 * 1024 * 1024) + b";\n")
    result = run(".", "--format", "concise")
    assert result.exit_code == 1
    assert f"huge.js:1:1: skipped file is {big.stat().st_size:,} bytes, over the 10,485,760-byte limit " \
           "(max-file-size); not analysed" in result.stdout
    assert WITNESS_LINE in result.stdout
    (project / "leaklint.toml").write_text("max-file-size = 30_000_000\n")
    assert "huge.js:1:1: implicit-global" in run("huge.js", "--format", "concise").stdout


def test_hundred_thousand_lines(project: Path) -> None:
    text = "var a = 1;\n" * 10_000 + "var s = `\n" + "text\r\n" * 80_000 + "`;\n" + "\n" * 9_997 + "  leak = 1;\n"
    (project / "long.js").write_text(text)
    result = run("long.js", "--format", "concise")
    assert result.stdout.startswith("long.js:100000:3: implicit-global")


N = 10_000
DEEP = {
    "arrays": "x = " + "[" * N + "]" * N + ";\nleak = 1;\n",
    "parens": "x = " + "(" * N + "1" + ")" * N + ";\nleak = 1;\n",
    "callbacks": "f(function () { " * N + "leak = 1;" + " })" * N + ";\n",
    "arrows": "f(() => { " * N + "leak = 1;" + " })" * N + ";\n",
    "objects": "x = " + "{a: " * N + "1" + "}" * N + ";\nleak = 1;\n",
}


@pytest.mark.parametrize("shape", sorted(DEEP))
def test_nesting_ten_thousand_levels_deep(shape: str) -> None:
    result = check_text(DEEP[shape], "deep.js", Settings(select=("ALL",)))
    messages = [n.message for n in result.notifications]
    assert messages in ([], [f"analysis exceeded the time budget of {Settings().timeout:g}s (timeout); not analysed"])
    if not messages:
        assert [f.rule_id for f in result.findings if "`leak`" in f.message] == ["implicit-global"]


SLOW = "setInterval(() => { " * 3000 + "leak = 1;" + " }, 10)" * 3000 + ";\n"  # seconds of rule work


def test_time_budget_skips_the_file_and_says_so() -> None:
    before = signal.getsignal(signal.SIGALRM)
    result = check_text(SLOW, "slow.js", Settings(timeout=0.2))
    assert result.findings == []
    assert [(n.kind, n.message) for n in result.notifications] == [
        (NotificationKind.SKIPPED, "analysis exceeded the time budget of 0.2s (timeout); not analysed")]
    assert not cacheable(result)
    # the timer is off and the previous handler back
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
    assert signal.getsignal(signal.SIGALRM) is before


def test_time_budget_outside_the_main_thread() -> None:
    """No SIGALRM off the main thread (an editor's worker): the budget is checked between rules."""
    results = []
    t = threading.Thread(target=lambda: results.append(check_text(SLOW, "slow.js", Settings(timeout=0.01))))
    t.start()
    t.join()
    assert [n.message for n in results[0].notifications] == [
        "analysis exceeded the time budget of 0.01s (timeout); not analysed"]


def test_a_timed_out_file_is_not_cached(project: Path, tmp_path: Path) -> None:
    (project / "slow.js").write_text(SLOW)
    cache = Cache(tmp_path / "cache", "salt")
    sf = SourceFile(project / "slow.js", "slow.js")
    result = check_file(sf, Settings(timeout=0.2), cache=cache)
    assert "time budget" in result.notifications[0].message
    assert [p for p in (tmp_path / "cache").rglob("*") if p.is_file()] == []
    (project / "quick.js").write_text("leak = 1;\n")  # while a normal result is kept
    check_file(SourceFile(project / "quick.js", "quick.js"), Settings(timeout=0.2), cache=cache)
    assert len([p for p in (tmp_path / "cache").rglob("*") if p.is_file() and p.name != ".gitignore"]) == 1


def test_an_internal_error_outside_the_rules_is_one_files_problem(project: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """A bug in parsing or binding turns into an internal-error notification for that file only."""
    from leaklint import checker

    monkeypatch.delenv("LEAKLINT_STRICT")
    real = checker.SemanticModel

    def flaky(parsed, *args):  # type: ignore[no-untyped-def]
        if b"boom" in parsed.source:
            raise RecursionError("maximum recursion depth exceeded")
        return real(parsed, *args)

    monkeypatch.setattr(checker, "SemanticModel", flaky)
    (project / "boom.js").write_text("boom = 1;\n")
    result = run(".", "--format", "concise")
    assert result.exit_code == 2  # leaklint could not do its job for one file
    assert "boom.js:1:1: internal-error analysis gave up: input nested too deeply" in result.stdout
    assert WITNESS_LINE in result.stdout


def test_no_file_stays_in_memory_after_its_check() -> None:
    """A long-running process (the language server) checks file after file: nothing of a checked
    file may outlive its check (a WeakKeyDictionary whose values pointed back at their keys once
    kept every semantic model and syntax tree alive)."""
    import gc

    from leaklint.semantic.model import SemanticModel

    corpus = Path(__file__).resolve().parent.parent / "corpus"
    for path in sorted(corpus.rglob("*.*"))[:40]:
        check_text(path.read_bytes(), path.name, report_unused=True)
    gc.collect()
    assert [o for o in gc.get_objects() if isinstance(o, SemanticModel)] == []


# --- paths and the file system ---------------------------------------------------------------------


def test_missing_path(project: Path) -> None:
    result = run("nope.js", "witness.js", "--format", "concise")
    assert result.exit_code == 2
    assert "nope.js:1:1: unreadable no such file or directory" in result.stdout
    assert WITNESS_LINE in result.stdout


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads every file; see the mocked test below")
def test_permission_denied_for_real(project: Path) -> None:
    locked = project / "locked.js"
    locked.write_text("leak = 1;\n")
    locked.chmod(0)
    result = run(".", "--format", "concise")
    assert result.exit_code == 2
    assert "locked.js:1:1: unreadable cannot read: Permission denied" in result.stdout
    assert WITNESS_LINE in result.stdout


def test_permission_denied(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (project / "locked.js").write_text("leak = 1;\n")
    real = Path.read_bytes

    def read_bytes(self: Path) -> bytes:
        if self.name == "locked.js":
            raise PermissionError(13, "Permission denied", str(self))
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    result = run(".", "--format", "concise")
    assert result.exit_code == 2
    assert "locked.js:1:1: unreadable cannot read: Permission denied" in result.stdout
    assert WITNESS_LINE in result.stdout


def test_unreadable_directory_during_the_walk(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (project / "sub").mkdir()
    (project / "sub" / "a.js").write_text("leak = 1;\n")
    real = os.scandir

    def scandir(path):  # type: ignore[no-untyped-def]
        if str(path).endswith("sub"):
            raise PermissionError(13, "Permission denied", str(path))
        return real(path)

    monkeypatch.setattr(os, "scandir", scandir)
    result = run(".", "--format", "concise")
    assert result.exit_code == 2
    assert "sub:1:1: unreadable cannot read directory: Permission denied" in result.stdout
    assert WITNESS_LINE in result.stdout


def test_symlink_loops(project: Path) -> None:
    os.symlink("loop-b.js", project / "loop-a.js")
    os.symlink("loop-a.js", project / "loop-b.js")
    result = run(".", "--format", "concise")  # found in a folder: skipped, with a warning
    assert result.exit_code == 1
    assert "loop-a.js:1:1: skipped symbolic link loop; not checked" in result.stdout
    assert WITNESS_LINE in result.stdout
    result = run("loop-a.js", "witness.js", "--format", "concise")  # named: leaklint cannot do its job
    assert result.exit_code == 2
    assert "loop-a.js:1:1: unreadable symbolic link loop" in result.stdout
    assert WITNESS_LINE in result.stdout


def test_directory_symlink_loop_is_walked_once(project: Path) -> None:
    (project / "sub").mkdir()
    os.symlink("..", project / "sub" / "up")
    assert [f.display for f in discover(["."])] == ["witness.js"]


def test_broken_symlink(project: Path) -> None:
    os.symlink("nowhere.js", project / "dangling.js")
    result = run(".", "--format", "concise")
    assert result.exit_code == 1
    assert "dangling.js:1:1: skipped broken symbolic link; not checked" in result.stdout
    assert run("dangling.js", "--format", "concise").exit_code == 2


def test_directory_named_like_a_source_file(project: Path) -> None:
    (project / "x.js").mkdir()
    (project / "x.js" / "inner.js").write_text("leak = 1;\n")
    result = run("x.js", "witness.js", "--format", "concise")
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        WITNESS_LINE, "x.js/inner.js:1:1: implicit-global Assignment to undeclared `leak` creates an implicit global"]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_fifo_is_never_read(project: Path) -> None:
    os.mkfifo(project / "pipe.js")  # reading it would block forever
    for args in (["."], ["pipe.js", "witness.js"]):
        result = run(*args, "--format", "concise")
        assert result.exit_code == 1
        assert "pipe.js:1:1: skipped not a regular file (FIFO, socket or device); not read" in result.stdout
        assert WITNESS_LINE in result.stdout


def test_file_deleted_during_the_run(project: Path) -> None:
    (project / "gone.js").write_text("leak = 1;\n")
    files = discover(["."])
    (project / "gone.js").unlink()
    results = [check_file(sf, Settings()) for sf in files]
    notes = [(n.path, n.kind, n.message) for r in results for n in r.notifications]
    assert notes == [("gone.js", NotificationKind.SKIPPED, "file deleted during the run; not checked")]
    assert any(f.rule_id == "implicit-global" for r in results for f in r.findings)


def test_file_rewritten_during_the_run_is_checked_as_read(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """One read per file: findings, fingerprints and the cache key all come from the same bytes."""
    target = project / "moving.js"
    target.write_text("leak = 1;\n")
    real = Path.read_bytes

    def read_then_rewrite(self: Path) -> bytes:
        data = real(self)
        if self.name == "moving.js":
            self.write_text("// now clean\n")
        return data

    monkeypatch.setattr(Path, "read_bytes", read_then_rewrite)
    result = check_file(SourceFile(target, "moving.js"), Settings())
    assert [(f.rule_id, f.span.line) for f in result.findings] == [("implicit-global", 1)]


def test_non_utf8_file_name(project: Path) -> None:
    name = os.fsdecode(b"caf\xe9.js")
    (project / name).write_text("leak = 1;\n")
    result = run(".", "--format", "concise")
    assert "caf\\xe9.js:1:1: implicit-global" in result.stdout
    log = json.loads(run(".", "--format", "sarif").stdout)
    uris = [r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in log["runs"][0]["results"]]
    assert "caf%5Cxe9.js" in uris


def test_unwritable_cache_directory(project: Path) -> None:
    (project / "not-a-dir").write_text("a file where the cache folder should be\n")
    result = CliRunner().invoke(cli, ["check", ".", "--cache-dir", "not-a-dir/cache", "--select", "implicit-global",
                                      "--format", "concise"])
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert WITNESS_LINE in lines
    notes = [line for line in lines if "cache disabled" in line]
    assert len(notes) == 1 and "cannot write" in notes[0]


@pytest.mark.parametrize("planted", [
    b"\x80\x04\x95",  # the start of a pickle: never unpickled
    b'{"path": "a.js", "findings": [{"rule": 1}], "suppressed": [], "notifications": []}',
    b'{"path": "a.js", "findings": [], "suppressed": [], "notifications": [{"kind": "nope"}]}',
    b"[]", b"",
])
def test_a_planted_or_corrupt_cache_entry_is_a_miss(project: Path, tmp_path: Path, planted: bytes) -> None:
    import pickle

    settings = Settings()
    cache = Cache(tmp_path / "cache", settings.cache_key())
    sf = SourceFile(project / "witness.js", "witness.js")
    fresh = check_file(sf, settings, cache=cache)
    entries = [p for p in (tmp_path / "cache").rglob("*") if p.is_file() and p.name != ".gitignore"]
    assert len(entries) == 1
    if planted.startswith(b"\x80"):
        planted = pickle.dumps(os.system)  # what loading a pickle would call
    entries[0].write_bytes(planted)
    again = check_file(sf, settings, cache=Cache(tmp_path / "cache", settings.cache_key()))
    assert again == fresh


def test_output_file_in_a_missing_directory(project: Path) -> None:
    result = run("witness.js", "-o", "missing/dir/out.sarif", "--format", "sarif")
    assert result.exit_code == 2
    assert "does not exist" in result.stderr
    assert not (project / "missing").exists()


def test_same_file_under_two_names_is_checked_once_whatever_the_order(project: Path) -> None:
    os.symlink("witness.js", project / "alias.js")
    a = [f.display for f in discover(["witness.js", "alias.js"])]
    b = [f.display for f in discover(["alias.js", "witness.js"])]
    assert a == b == ["alias.js"]


def test_api_reports_in_one_piece_when_everything_goes_wrong(project: Path) -> None:
    (project / "bin.js").write_bytes(b"\x00\x01")
    (project / "bad.js").write_bytes(b"\xff function (")
    os.symlink("nowhere", project / "dangling.js")
    report = api.check_paths(["."], Settings(select=("implicit-global",)), jobs=1)
    kinds = sorted((n.path, n.kind.value, n.level) for n in report.notifications)
    assert kinds == [("bad.js", "decode-error", Severity.WARNING), ("bad.js", "parse-error", Severity.WARNING),
                     ("bin.js", "skipped", Severity.WARNING), ("dangling.js", "skipped", Severity.WARNING)]
    assert [f.path for f in report.findings] == ["witness.js"]


def test_control_characters_from_the_code_never_reach_the_terminal(project: Path) -> None:
    """Names and strings quoted in messages come from the analysed code: escape sequences and
    bidi overrides are shown escaped, and code frames keep their columns."""
    (project / "esc.js").write_text('a = 1; /* \u202e */ b\u202e = 2; // leaklint-disable-line \x1b[2J\n'
                                    'c = "\x1b[31m"; d = 1;\n')
    result = CliRunner().invoke(cli, ["check", "esc.js", "--no-cache", "--select", "implicit-global"])
    out = result.stdout
    assert "\x1b" not in out and "\u202e" not in out and "\x07" not in out
    assert "unknown rule id `\\x1b[2J` in leaklint-disable-line directive" in out
    assert "Assignment to undeclared `b\\u202e` creates an implicit global" in out
    frame = out.split("esc.js:2:14:")[1].splitlines()
    assert frame[2] == '2 | c = "␛[31m"; d = 1;'
    assert frame[3] == "  |              ^"  # under `d`: one symbol for one control character


# --- safety: the analysed code is data ---------------------------------------------------------------

NETWORK = ("socket.", "urllib.Request", "http.client.", "ftplib.", "smtplib.", "webbrowser.")
PROCESSES = ("subprocess.Popen", "os.system", "os.exec", "os.posix_spawn", "os.spawn", "os.fork", "os.forkpty",
             "pty.spawn")
_AUDIT: dict = {"on": False, "root": "", "allow_fork": False, "seen": []}


class Forbidden(RuntimeError):
    pass


def _audit(event: str, args: tuple) -> None:
    state = _AUDIT
    if not state["on"]:
        return
    if event.startswith(NETWORK):
        state["seen"].append((event, args))
        raise Forbidden(f"network access during a check: {event} {args!r}")  # stop it, also in workers
    if event.startswith(PROCESSES) and not (state["allow_fork"] and event == "os.fork"):
        state["seen"].append((event, args))
    root = state["root"]
    if event == "open" and isinstance(args[0], str) and args[0].startswith(root):
        mode, flags = args[1], args[2]
        writes = any(c in mode for c in "wax+") if isinstance(mode, str) else bool(
            flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_APPEND))
        if writes and not os.path.basename(args[0]).startswith("report."):
            state["seen"].append((event, args[:2]))
    if event == "import" and isinstance(args[1], str) and args[1].startswith(root):
        state["seen"].append((event, args[:2]))
    if event in ("compile", "exec") and args and b"SENTINEL" in (args[0] if isinstance(args[0], bytes) else
                                                                  str(args[0]).encode("utf-8", "replace")):
        state["seen"].append((event, "analysed source"))


_HOOKED: list[bool] = []


@pytest.fixture
def audited(project: Path):  # type: ignore[no-untyped-def]
    if not _HOOKED:
        import sys

        sys.addaudithook(_audit)  # cannot be removed: it does nothing unless switched on
        _HOOKED.append(True)
    (project / "evil.js").write_text(
        "// SENTINEL\nrequire('child_process').execSync('touch pwned');\n"
        "fetch('http://127.0.0.1:9/x'); import('http://127.0.0.1:9/y.mjs');\nleak = 1;\n")
    (project / "package.json").write_text('{"name": "x", "scripts": {"postinstall": "touch pwned"}}\n')
    (project / "evil.py").write_text("open('pwned', 'w')\n")
    (project / "os.js").write_text("module.exports = process.exit(1);\n")
    _AUDIT.update(on=False, root=str(project), allow_fork=False, seen=[])
    yield _AUDIT
    _AUDIT["on"] = False


@pytest.mark.parametrize("fmt", ["text", "json", "sarif", "github"])
def test_checking_never_runs_imports_or_writes_the_code_nor_touches_the_network(audited: dict, project: Path,
                                                                                fmt: str) -> None:
    audited["on"] = True
    result = CliRunner().invoke(cli, ["check", ".", "--no-cache", "--jobs", "1", "--format", fmt,
                                      "-o", str(project / f"report.{fmt}")], catch_exceptions=False)
    audited["on"] = False
    assert result.exit_code == 1
    assert audited["seen"] == []
    assert not (project / "pwned").exists()
    assert "leak" in (project / f"report.{fmt}").read_text()


def test_workers_touch_no_network_either(audited: dict, project: Path) -> None:
    audited.update(on=True, allow_fork=True)
    result = CliRunner().invoke(cli, ["check", ".", "--no-cache", "--jobs", "2", "--format", "json"],
                                catch_exceptions=False)
    audited["on"] = False
    assert result.exit_code == 1
    assert audited["seen"] == []
    assert json.loads(result.stdout)["summary"]["findings"] >= 2


def test_the_audit_hook_sees_what_it_forbids(audited: dict, project: Path) -> None:
    """The safety tests above can fail: the hook catches a connection attempt and a write."""
    import socket

    audited["on"] = True
    with pytest.raises(Forbidden):
        socket.create_connection(("127.0.0.1", 9), timeout=0.1)
    with open(project / "written.js", "w") as fh:
        fh.write("x")
    audited["on"] = False
    assert [event for event, _ in audited["seen"]] == ["socket.getaddrinfo", "open"]


def test_the_cyclic_gc_is_paused_while_a_file_is_analysed_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """A large file's model is millions of objects: the collector must not walk them again and again
    while it is built and read, and it runs again afterwards (or stays off if it was off)."""
    import gc

    from leaklint import checker

    seen: list[bool] = []

    class Probe:
        @staticmethod
        def check(ctx: object) -> None:
            seen.append(gc.isenabled())

    monkeypatch.setitem(checker.REGISTRY, "implicit-global", Probe)
    assert gc.isenabled()
    check_text("leak = 1;\n", "a.js")
    assert seen == [False] and gc.isenabled()
    gc.disable()
    try:
        check_text("leak = 1;\n", "a.js")
        assert seen == [False, False] and not gc.isenabled()
    finally:
        gc.enable()


def test_files_are_handed_to_workers_in_batches_large_ones_alone() -> None:
    from leaklint.api import _batches

    sizes = [5_000_000, 3_000_000] + [1_000] * 1_000
    files = [SourceFile(Path(f"f{i}.js"), f"f{i}.js") for i in range(len(sizes))]
    batches = _batches(files, sizes, jobs=2)
    assert batches[0] == files[:1] and batches[1] == files[1:2]  # each over a batch's share
    assert [f for b in batches for f in b] == files  # every file once, in order
    assert all(len(b) <= 200 for b in batches) and len(batches) < len(files) // 50


def test_workers_start_only_for_enough_work_unless_asked(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """By default a few small files (a pre-commit run) are checked in the process itself, where
    starting workers would cost more than it saves; an explicit number of jobs is obeyed."""
    import concurrent.futures

    for i in range(3):
        (tmp_path / f"f{i}.js").write_text(f"leak{i} = 1;\n")
    pools: list[int] = []
    real = concurrent.futures.ProcessPoolExecutor

    def counting(*args, **kwargs):
        pools.append(kwargs.get("max_workers", 0))
        return real(*args, **kwargs)

    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", counting)
    monkeypatch.setattr(api, "default_jobs", lambda: 2)
    monkeypatch.chdir(tmp_path)
    alone = api.check_paths(["."], Settings())
    assert pools == []
    asked = api.check_paths(["."], Settings(), jobs=2)
    assert pools == [2]
    monkeypatch.setattr(api, "PARALLEL_MIN_BYTES", 10)
    assert api.check_paths(["."], Settings()).findings == alone.findings == asked.findings
    assert pools == [2, 2]
    assert len(alone.findings) == 3
