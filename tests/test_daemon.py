"""The daemon answers `check --stdin-filename` exactly as the command line run in-process does."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from leaklint import daemon

pytestmark = pytest.mark.skipif(not hasattr(os, "getuid"), reason="Unix sockets")

ROOT = Path(__file__).resolve().parent.parent
# every process of these tests loads the leaklint this one did (the daemon's socket is named after it)
PYTHONPATH = str(Path(daemon.PACKAGE_DIR).parent)
LEAKY = b"""const EventEmitter = require('events');
const bus = new EventEmitter();
const seen = [];
function onRequest(req) {
  seen.push(req.body);
  bus.on('tick', () => console.log(req.url));
}
module.exports = { onRequest };
"""


@pytest.fixture
def runtime(monkeypatch):
    """A socket folder of the test's own (short: socket paths are limited to about 100 bytes)."""
    folder = tempfile.mkdtemp(prefix="ll-", dir="/tmp" if os.path.isdir("/tmp") else None)
    monkeypatch.setenv("LEAKLINT_RUNTIME_DIR", folder)
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


def leaklint(*args: str, cwd: Path | None = None, stdin: bytes = b"", daemon_on: bool = True,
             check: bool = False) -> subprocess.CompletedProcess:
    env = dict(os.environ, LEAKLINT_DAEMON="1" if daemon_on else "0", PYTHONPATH=PYTHONPATH)
    env.pop("LEAKLINT_STRICT", None)  # as users run it
    return subprocess.run([sys.executable, "-m", "leaklint", *args], input=stdin, capture_output=True,
                          cwd=cwd or ROOT, env=env, check=check, timeout=120)


@pytest.fixture
def running(runtime):
    leaklint("daemon", "start", "--idle-timeout", "5", check=True)
    yield runtime
    leaklint("daemon", "stop")


def served() -> int:
    reply = daemon.request("status")
    assert reply is not None
    return reply["served"]


def test_answers_like_the_command_line(running, tmp_path):
    cases = [
        ["check", "--format", fmt, "--stdin-filename", "app.js", "-"] for fmt in ("concise", "json", "text", "sarif")
    ] + [
        ["check", "--format", "json", "--select", "growing-array", "--stdin-filename", "app.js", "-"],
        ["check", "--stdin-filename", "app.js", "--exit-zero", "-"],
        ["check", "--select", "no-such-rule", "--stdin-filename", "app.js", "-"],  # a usage error
        ["check", "--format", "concise", "--stdin-filename", "types.ts", "-"],  # a syntax error, under TypeScript
        ["check", "--format", "json", "-o", "out.json", "--stdin-filename", "app.js", "-"],
    ]
    before = served()
    for argv in cases:
        mine = leaklint(*argv, cwd=tmp_path, stdin=LEAKY)
        written = (tmp_path / "out.json").read_bytes() if "-o" in argv else None
        theirs = leaklint(*argv, cwd=tmp_path, stdin=LEAKY, daemon_on=False)
        assert (mine.returncode, mine.stdout, mine.stderr) == (theirs.returncode, theirs.stdout, theirs.stderr), argv
        if written is not None:
            assert written == (tmp_path / "out.json").read_bytes()
    assert served() == before + len(cases)
    assert leaklint(*cases[0], cwd=tmp_path, stdin=LEAKY).returncode == 1


def test_reads_the_configuration_again_for_every_request(running, tmp_path):
    argv = ["check", "--format", "concise", "--stdin-filename", "src/app.js", "-"]
    (tmp_path / "src").mkdir()
    first = leaklint(*argv, cwd=tmp_path, stdin=LEAKY)
    assert b"listener-leak" in first.stdout and b"growing-array" in first.stdout
    (tmp_path / "leaklint.toml").write_text('ignore = ["listener-leak"]\n')
    second = leaklint(*argv, cwd=tmp_path, stdin=LEAKY)
    assert b"listener-leak" not in second.stdout and b"growing-array" in second.stdout
    assert second.stdout == leaklint(*argv, cwd=tmp_path, stdin=LEAKY, daemon_on=False).stdout


def test_package_json_type_changes_are_seen(running, tmp_path):
    """A long-lived process must not keep the `type` of a package.json it read before."""
    source = b"x = 1;\n"  # an implicit global in a script, an error in a (strict) module
    argv = ["check", "--format", "concise", "--stdin-filename", str(tmp_path / "a.js"), "-"]
    (tmp_path / "package.json").write_text('{"type": "commonjs"}')
    assert b"implicit-global" in leaklint(*argv, stdin=source).stdout
    (tmp_path / "package.json").write_text('{"type": "module"}')
    assert b"implicit-global" not in leaklint(*argv, stdin=source).stdout


def test_no_daemon_and_a_dead_socket_fall_back(runtime, tmp_path):
    argv = ["check", "--format", "concise", "--stdin-filename", "app.js", "-"]
    expected = leaklint(*argv, cwd=tmp_path, stdin=LEAKY, daemon_on=False)
    assert expected.returncode == 1
    assert leaklint(*argv, cwd=tmp_path, stdin=LEAKY).stdout == expected.stdout  # nothing running
    os.chmod(runtime, 0o700)
    dead = Path(daemon.socket_path())
    import socket

    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:  # a socket file nobody listens on
        s.bind(str(dead))
    got = leaklint(*argv, cwd=tmp_path, stdin=LEAKY)
    assert (got.returncode, got.stdout) == (expected.returncode, expected.stdout)


def test_refuses_a_folder_others_can_enter(runtime):
    os.chmod(runtime, 0o755)
    got = leaklint("daemon", "run", "--idle-timeout", "0.01")
    assert got.returncode == 2
    assert b"closed to others" in got.stderr
    assert not os.path.exists(daemon.socket_path())


def test_exits_when_idle(runtime):
    child = subprocess.Popen([sys.executable, "-m", "leaklint", "daemon", "run", "--idle-timeout", "0.02"],
                             stderr=subprocess.PIPE, env=dict(os.environ, PYTHONPATH=PYTHONPATH))
    try:
        child.wait(timeout=60)
    finally:
        child.kill()
    assert child.returncode == 0
    assert not os.path.exists(daemon.socket_path())


def test_terminate_removes_the_socket(runtime):
    import signal

    child = subprocess.Popen([sys.executable, "-m", "leaklint", "daemon", "run"], stderr=subprocess.PIPE,
                             env=dict(os.environ, PYTHONPATH=PYTHONPATH))
    try:
        assert child.stderr.readline().startswith(b"leaklint: daemon")  # listening
        assert os.path.exists(daemon.socket_path())
        child.send_signal(signal.SIGTERM)
        assert child.wait(timeout=60) == 0
    finally:
        child.kill()
    assert not os.path.exists(daemon.socket_path())


def test_auto_starts_one_for_the_next_requests(runtime, tmp_path):
    import time

    argv = ["check", "--format", "concise", "--stdin-filename", "app.js", "-"]
    expected = leaklint(*argv, cwd=tmp_path, stdin=LEAKY, daemon_on=False)
    env = dict(os.environ, LEAKLINT_DAEMON="auto", PYTHONPATH=PYTHONPATH)
    env.pop("LEAKLINT_STRICT", None)

    def auto() -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "leaklint", *argv], input=LEAKY, capture_output=True,
                              cwd=tmp_path, env=env, timeout=120)

    try:
        first = auto()  # checks itself, and starts a daemon
        assert (first.returncode, first.stdout) == (expected.returncode, expected.stdout)
        deadline = time.monotonic() + 60
        while daemon.request("status") is None and time.monotonic() < deadline:
            time.sleep(0.05)
        assert served() == 0
        second = auto()
        assert (second.returncode, second.stdout) == (expected.returncode, expected.stdout)
        assert served() == 1
    finally:
        leaklint("daemon", "stop")


def test_stop_and_status(running):
    assert leaklint("daemon", "status").returncode == 0
    assert leaklint("daemon", "start").stderr.startswith(b"leaklint: daemon")  # already running: one daemon
    leaklint("daemon", "stop", check=True)
    assert leaklint("daemon", "status").returncode == 1
    assert not os.path.exists(daemon.socket_path())


def test_a_changed_installation_makes_it_stale(tmp_path):
    server = daemon.Server(str(tmp_path / "s.sock"), 60)
    assert not server.stale()
    some = next(iter(server.sources))
    server.sources[some] -= 1
    assert server.stale()


def test_a_request_leaves_the_daemon_as_it_was(tmp_path, monkeypatch):
    """Environment, working folder and streams are the client's for one request only."""
    monkeypatch.delenv("LEAKLINT_TEST_MARK", raising=False)
    cwd, streams = os.getcwd(), (sys.stdin, sys.stdout, sys.stderr)
    header = {"argv": ["check", "--debug", "--format", "concise", "--stdin-filename", "a.js", "-"],
              "cwd": str(tmp_path), "env": {**os.environ, "LEAKLINT_TEST_MARK": "1"},
              "encoding": ["utf-8", "strict", "utf-8", "backslashreplace"]}
    code, out, err = daemon.Server.run(header, LEAKY)
    assert code == 1 and b"listener-leak" in out
    assert "LEAKLINT_TEST_MARK" not in os.environ
    assert (os.getcwd(), (sys.stdin, sys.stdout, sys.stderr)) == (cwd, streams)


def test_idle_timeout_must_be_positive(runtime):
    assert leaklint("daemon", "run", "--idle-timeout", "0").returncode == 2



def test_systems_without_unix_sockets_have_no_daemon(monkeypatch):
    monkeypatch.delattr(os, "getuid")
    assert daemon.request("status") is None
    assert daemon.forward(["check", "--stdin-filename", "a.js", "-"]) == (None, None)
    with pytest.raises(daemon.DaemonError, match="Unix sockets"):
        daemon.prepare_runtime_dir()
