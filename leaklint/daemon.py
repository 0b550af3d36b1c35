"""A resident leaklint for editors that run a command on every change (`leaklint daemon`).

An editor integration that pipes the buffer into `leaklint check --stdin-filename F -` pays for a
Python start-up, leaklint's imports and the compilation of its queries on every keystroke: several
times the analysis of the file itself. With `leaklint daemon start`, those commands are handed to a
process that has paid all that once: the new process only forwards its arguments, working folder,
environment and standard input over a Unix socket and writes back what the daemon's run printed and
its exit code. The daemon runs the very same command-line code, so the output is the same byte for
byte; configuration files, `package.json` and the rule set are read again for every request.

The client side (`forward`) imports nothing but the standard library's socket layer, and every
failure (no daemon, a daemon of another installation or of changed code, a crash) falls back to
checking in the calling process. Only `check --stdin-filename` with its output going to a pipe or
a file is forwarded: a terminal gets the ordinary run. `LEAKLINT_DAEMON=0` turns forwarding off;
`LEAKLINT_DAEMON=auto` starts a daemon in the background when none is running (that run checks the
file itself; the next ones are forwarded).

The socket lives in a folder only the user can enter (`$XDG_RUNTIME_DIR/leaklint`, else
`/tmp/leaklint-UID`); its name holds the version and where this leaklint is installed, so that two
installations never answer for each other. The daemon exits after an idle time (60 minutes by
default), on `leaklint daemon stop` or SIGTERM, and at the first request after any of leaklint's
own files (its code, its rule documents) changed: that request is checked by its caller.
"""

from __future__ import annotations

import os
import struct
import sys
import zlib
from typing import TYPE_CHECKING, Callable

from leaklint import __version__

# `socket` and `json` are imported when there is a daemon to talk to: a check of standard input
# with no daemon running pays one `stat` for this module
if TYPE_CHECKING:
    import socket
    import subprocess

PACKAGE_DIR = os.path.dirname(os.path.abspath(__file__))
DEFAULT_IDLE_MINUTES = 60
_HEADER = struct.Struct(">I")
_DATA = struct.Struct(">Q")
# Unix socket paths are limited to about 108 bytes
_MAX_SOCKET_PATH = 100


class DaemonError(Exception):
    """The daemon cannot run here (no Unix sockets, an unsafe folder, a path too long)."""


# --- where ----------------------------------------------------------------------------------------

def runtime_dir() -> str:
    override = os.environ.get("LEAKLINT_RUNTIME_DIR")
    if override:
        return override
    xdg = os.environ.get("XDG_RUNTIME_DIR")
    if xdg:
        return os.path.join(xdg, "leaklint")
    # /tmp as tmux does, rather than a $TMPDIR that may be too long for a socket path (macOS)
    base = "/tmp" if os.path.isdir("/tmp") else os.environ.get("TMPDIR") or "/tmp"
    return os.path.join(base, f"leaklint-{os.getuid()}")


def socket_path() -> str:
    """The socket of this installation's daemon: one per version, package folder and interpreter."""
    key = zlib.crc32(f"{PACKAGE_DIR}\0{sys.executable}".encode("utf-8", "surrogateescape"))
    return os.path.join(runtime_dir(), f"daemon-{__version__}-{key:08x}.sock")


def _safe_dir(path: str, create: bool) -> None:
    """The socket folder must belong to the user and be closed to everyone else."""
    if create:
        os.makedirs(path, mode=0o700, exist_ok=True)
    st = os.lstat(path)
    if st.st_uid != os.getuid() or (st.st_mode & 0o077) or not os.path.isdir(path) or os.path.islink(path):
        raise DaemonError(f"{path} must be a folder owned by you and closed to others (mode 700)")


def prepare_runtime_dir() -> str:
    if not hasattr(os, "getuid"):
        raise DaemonError("the daemon needs Unix sockets, which this system does not have")
    folder = os.path.dirname(socket_path())
    _safe_dir(folder, create=True)
    return folder


# --- the client -----------------------------------------------------------------------------------

def wants_daemon(argv: list[str]) -> bool:
    """Whether this command line is one the daemon answers: `check` of standard input, with the
    output not on a terminal."""
    if not argv or argv[0] != "check" or os.environ.get("LEAKLINT_DAEMON", "") == "0":
        return False
    if not any(a == "--stdin-filename" or a.startswith("--stdin-filename=") for a in argv):
        return False
    if not hasattr(os, "getuid"):  # no Unix sockets
        return False
    try:
        return not (os.isatty(1) or os.isatty(2))
    except OSError:
        return False


def forward(argv: list[str]) -> tuple[int | None, bytes | None]:
    """Run `argv` in the daemon if this command line is one it answers and one is running: (its
    exit code, or None when this process must run it itself; the standard input if it was read,
    for the caller to run on). Writes the daemon's output."""
    if not wants_daemon(argv) or sys.stdin is None:
        return None, None
    path = socket_path()
    if not os.path.exists(path):
        if os.environ.get("LEAKLINT_DAEMON") == "auto":
            try:
                start_in_background()
            except (OSError, DaemonError):
                pass  # this check runs here, as every check does when there is no daemon
        return None, None
    import socket

    data = sys.stdin.buffer.read()
    try:
        _safe_dir(os.path.dirname(path), create=False)
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
            sock.settimeout(2.0)
            sock.connect(path)
            sock.settimeout(None)
            header = {"op": "run", "version": __version__, "argv": argv, "cwd": os.getcwd(),
                      "env": dict(os.environ), "encoding": [sys.stdout.encoding, sys.stdout.errors,
                                                             sys.stderr.encoding, sys.stderr.errors]}
            _send(sock, header, data)
            reply = _recv_header(sock)
            if reply.get("exit") is None:
                return None, data
            out, err = _recv_data(sock), _recv_data(sock)
    except (OSError, ValueError, DaemonError, struct.error):
        return None, data
    for stream, blob in ((sys.stdout, out), (sys.stderr, err)):
        if blob:
            stream.flush()
            stream.buffer.write(blob)
            stream.buffer.flush()
    return int(reply["exit"]), data


def start_in_background(idle_minutes: float = DEFAULT_IDLE_MINUTES) -> subprocess.Popen:
    """Start `leaklint daemon run` detached from this process (its errors go to a log file next
    to the socket). Raises `DaemonError` or `OSError` when it cannot be started."""
    import subprocess

    folder = prepare_runtime_dir()
    # the daemon must load this very leaklint, whatever the folder it runs in finds first
    pythonpath = os.pathsep.join(p for p in (os.path.dirname(PACKAGE_DIR), os.environ.get("PYTHONPATH")) if p)
    with open(log_path(), "w") as log:
        return subprocess.Popen(
            [sys.executable, "-m", "leaklint", "daemon", "run", "--idle-timeout", str(idle_minutes)],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=log, cwd=folder,
            env={**os.environ, "PYTHONPATH": pythonpath}, start_new_session=True)


def log_path() -> str:
    return socket_path()[:-len(".sock")] + ".log"


def request(op: str, timeout: float = 5.0) -> dict | None:
    """Send a control request (`status`, `stop`); the reply, or None when no daemon answers."""
    import socket

    if not hasattr(socket, "AF_UNIX") or not hasattr(os, "getuid"):
        return None  # no daemon on this system
    path = socket_path()
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
            sock.settimeout(timeout)
            sock.connect(path)
            _send(sock, {"op": op, "version": __version__})
            return _recv_header(sock)
    except (OSError, ValueError, struct.error):
        return None


# --- the wire: a length-prefixed JSON header, then length-prefixed byte strings --------------------

def _send(sock: socket.socket, header: dict, *blobs: bytes) -> None:
    import json

    h = json.dumps(header).encode("utf-8", "surrogateescape")
    parts = [_HEADER.pack(len(h)), h]
    for b in blobs:
        parts += [_DATA.pack(len(b)), b]
    sock.sendall(b"".join(parts))


def _recv_exact(sock: socket.socket, n: int) -> bytes:
    chunks = []
    while n:
        chunk = sock.recv(min(n, 1 << 20))
        if not chunk:
            raise ConnectionError("connection closed early")
        chunks.append(chunk)
        n -= len(chunk)
    return b"".join(chunks)


def _recv_header(sock: socket.socket) -> dict:
    (n,) = _HEADER.unpack(_recv_exact(sock, _HEADER.size))
    if n > 1 << 26:
        raise ValueError("header too large")
    import json

    value = json.loads(_recv_exact(sock, n).decode("utf-8", "surrogateescape"))
    if not isinstance(value, dict):
        raise ValueError("bad header")
    return value


def _recv_data(sock: socket.socket) -> bytes:
    (n,) = _DATA.unpack(_recv_exact(sock, _DATA.size))
    return _recv_exact(sock, n)


# --- the server -----------------------------------------------------------------------------------

def _source_files() -> dict[str, int]:
    """The modification times of leaklint's own files, its rule documents included (outside the
    package in a source checkout): a change makes the daemon stale."""
    from leaklint.docs import rules_dir

    out = {}
    docs = str(rules_dir())
    tops = [PACKAGE_DIR] + ([] if docs.startswith(PACKAGE_DIR + os.sep) else [docs])
    for folder, dirs, files in (entry for top in tops for entry in os.walk(top)):
        dirs[:] = [d for d in dirs if d != "__pycache__"]
        for f in files:
            if f.endswith((".py", ".md", ".json", ".toml")):
                p = os.path.join(folder, f)
                try:
                    out[p] = os.stat(p).st_mtime_ns
                except OSError:
                    pass
    return out


class Server:
    def __init__(self, path: str, idle_seconds: float) -> None:
        self.path = path
        self.idle_seconds = idle_seconds
        self.sources = _source_files()
        self.stopping = False
        self.served = 0  # requests answered

    def stale(self) -> bool:
        return _source_files() != self.sources

    def serve(self, ready: Callable[[], None] | None = None) -> None:
        import fcntl
        import socket

        if not hasattr(socket, "AF_UNIX") or not hasattr(os, "getuid"):
            raise DaemonError("the daemon needs Unix sockets, which this system does not have")
        folder = os.path.dirname(self.path)
        _safe_dir(folder, create=True)
        if len(self.path) > _MAX_SOCKET_PATH:
            raise DaemonError(f"socket path too long for this system: {self.path}")
        lock = open(self.path + ".lock", "w")
        try:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                raise DaemonError("a daemon of this leaklint is already running") from None
            if os.path.exists(self.path):
                os.unlink(self.path)  # left by a daemon that died: the lock is ours
            listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            old_umask = os.umask(0o077)
            try:
                listener.bind(self.path)
            finally:
                os.umask(old_umask)
            listener.listen(16)
            listener.settimeout(self.idle_seconds)
            self._warm()
            if ready is not None:
                ready()
            try:
                while not self.stopping:
                    try:
                        conn, _ = listener.accept()
                    except TimeoutError:
                        break  # idle for too long
                    with conn:
                        conn.settimeout(60)  # a client that connects and sends nothing does not hold it up
                        try:
                            self._handle(conn)
                        except (OSError, ValueError, struct.error):
                            pass  # the client went away: nothing to answer
            finally:
                listener.close()
                try:
                    os.unlink(self.path)
                except OSError:
                    pass
        finally:
            lock.close()

    @staticmethod
    def _warm() -> None:
        """Pay the imports and the query compilations before the first request."""
        import leaklint.cli  # noqa: F401
        from leaklint.api import check_text

        check_text("var warm = 1;\n", "warm.js")
        check_text("let warm: number = 1;\n", "warm.ts")
        check_text("const warm = <a />;\n", "warm.tsx")

    def _handle(self, conn: socket.socket) -> None:
        header = _recv_header(conn)
        op = header.get("op")
        if op == "status":
            _send(conn, {"pid": os.getpid(), "version": __version__, "path": self.path, "served": self.served})
            return
        if op == "stop":
            self.stopping = True
            _send(conn, {"stopping": True})
            return
        data = _recv_data(conn)
        if op != "run" or header.get("version") != __version__:
            _send(conn, {"exit": None})
            return
        if self.stale():  # leaklint was changed or upgraded: the caller runs it, and this daemon ends
            self.stopping = True
            _send(conn, {"exit": None})
            return
        code, out, err = self.run(header, data)
        if code is None:
            _send(conn, {"exit": None})
        else:
            self.served += 1
            _send(conn, {"exit": code}, out, err)

    @staticmethod
    def run(header: dict, data: bytes) -> tuple[int | None, bytes, bytes]:
        """Run one command line as the client's own process would have, with its folder,
        environment and streams; None when it did not end with an exit code of its own."""
        import io

        from leaklint import cli
        from leaklint.files import forget_file_state

        saved_env, saved_cwd = dict(os.environ), os.getcwd()
        saved_streams = sys.stdin, sys.stdout, sys.stderr
        out, err = io.BytesIO(), io.BytesIO()
        out_enc, out_errors, err_enc, err_errors = header["encoding"]
        try:
            os.environ.clear()
            os.environ.update(header["env"])
            os.chdir(header["cwd"])
            forget_file_state()
            sys.stdin = io.TextIOWrapper(io.BytesIO(data))
            sys.stdout = io.TextIOWrapper(out, encoding=out_enc, errors=out_errors, write_through=True)
            sys.stderr = io.TextIOWrapper(err, encoding=err_enc, errors=err_errors, write_through=True)
            try:
                cli.main(list(header["argv"]))
                code = 0
            except SystemExit as e:  # click's standalone mode ends every command with an exit code
                if not isinstance(e.code, (int, type(None))):
                    return None, b"", b""
                code = e.code or 0
            sys.stdout.flush()
            sys.stderr.flush()
            return code, out.getvalue(), err.getvalue()
        except Exception:
            return None, b"", b""
        finally:
            sys.stdin, sys.stdout, sys.stderr = saved_streams
            os.environ.clear()
            os.environ.update(saved_env)
            try:
                os.chdir(saved_cwd)
            except OSError:
                os.chdir("/")
