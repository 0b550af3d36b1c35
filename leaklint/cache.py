"""Per-file result cache: content hash + leaklint version + effective settings + rules.

One small file per entry under `<cache dir>/<version>/`, written to a temporary name and renamed
into place, so concurrent runs never see a partial entry. A corrupt or unreadable entry is a
miss; an unwritable cache directory disables the cache with one notification.

The cache does not grow without end: an entry not used for `MAX_AGE_NS` (30 days) is deleted,
by a sweep that runs at most once a day (`Cache.prune`), and so are the folders of other
leaklint versions left unused that long; the manifest forgets files it has not seen for as long.
`leaklint clean` deletes the whole folder.

Entries are JSON read back field by field, never pickles: the cache folder may sit inside the
checked repository, and a planted pickle would run code when loaded.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

from leaklint import __version__
from leaklint.findings import (
    Confidence,
    FileResult,
    Finding,
    Notification,
    NotificationKind,
    Related,
    Severity,
    Span,
)

DEFAULT_DIR = ".leaklint_cache"
MAX_AGE_NS = 30 * 24 * 3600 * 10**9  # entries unused for this long are deleted
PRUNE_EVERY_NS = 24 * 3600 * 10**9  # how often the cache folder is swept for them


_file_mode: int | None = None


def _write_json(target: Path, data: Any) -> None:
    """Write `data` to `target` through a temporary file renamed into place (readers never see a
    partial file), with the permissions any new file gets here (0666 less the umask), not the
    0600 of a temporary file: a cache restored for another user, or shared by a team, stays
    readable."""
    global _file_mode
    if _file_mode is None:
        umask = os.umask(0o022)
        os.umask(umask)
        _file_mode = 0o666 & ~umask
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(data, fh, ensure_ascii=False, separators=(",", ":"))
        os.chmod(tmp, _file_mode)
        os.replace(tmp, target)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


class Cache:
    def __init__(self, directory: Path, salt: str) -> None:
        self.dir = directory / __version__
        self._dir = str(self.dir)
        self.salt = salt
        self.disabled_reason: str | None = None

    def key(self, display: str, raw: bytes, context: str) -> str:
        h = hashlib.sha256()  # OpenSSL's, with the CPU's SHA instructions where there are: twice blake2b's speed
        for part in (self.salt.encode(), display.encode("utf-8", "replace"), context.encode(), raw):
            h.update(len(part).to_bytes(8, "little"))
            h.update(part)
        return h.hexdigest()

    def _path(self, key: str) -> str:
        return os.path.join(self._dir, key[:2], key)

    def get(self, key: str) -> FileResult | None:
        path = self._path(key)
        try:
            with open(path, "rb") as fh:
                result = _result(json.loads(fh.read()))
        except (OSError, ValueError, TypeError, KeyError, AttributeError):  # a miss, whatever is wrong
            return None
        try:
            os.utime(path)  # in use: `prune` keeps it
        except OSError:
            pass
        return result

    def put(self, key: str, result: FileResult) -> None:
        if self.disabled_reason is not None:
            return
        target = Path(self._path(key))
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            _write_json(target, _data(result))
        except OSError as e:
            self.disabled_reason = f"cache disabled: cannot write {self.dir}: {e.strerror or e}"
        else:
            _ensure_gitignore(self.dir.parent)

    def prune(self, now_ns: int) -> int:
        """Delete the entries unused for `MAX_AGE_NS` and the folders of other leaklint versions
        unused as long; at most once per `PRUNE_EVERY_NS` (a marker file's time says when it last
        ran). Returns how many entries went. A concurrent run that loses an entry just recomputes it."""
        if self.disabled_reason is not None:
            return 0
        marker = os.path.join(self._dir, ".pruned")
        try:
            if os.stat(marker).st_mtime_ns + PRUNE_EVERY_NS > now_ns:
                return 0
        except FileNotFoundError:
            pass
        except OSError:
            return 0
        try:
            with open(marker, "w", encoding="utf-8"):
                pass
        except OSError:
            return 0
        limit = now_ns - MAX_AGE_NS
        removed = 0
        for folder, _dirs, names in os.walk(self._dir):
            for name in names:
                if name.startswith("."):
                    continue  # the marker, a .gitignore, another run's temporary file
                path = os.path.join(folder, name)
                try:
                    if os.stat(path).st_mtime_ns < limit:
                        os.unlink(path)
                        removed += 1
                except OSError:
                    pass
        for other in _other_versions(self.dir):
            if _last_used_ns(other) < limit:
                shutil.rmtree(other, ignore_errors=True)
        return removed


def _other_versions(version_dir: Path) -> list[Path]:
    try:
        return [p for p in version_dir.parent.iterdir() if p.is_dir() and p != version_dir]
    except OSError:
        return []


def _last_used_ns(folder: Path) -> int:
    """When a version's cache folder was last written to (its prune marker, its manifests, itself)."""
    times = []
    for p in (folder, folder / ".pruned", *folder.glob("manifest-*.json")):
        try:
            times.append(p.stat().st_mtime_ns)
        except OSError:
            pass
    return max(times, default=0)


class Manifest:
    """What the last runs found per file, with the file's status (inode, size, modification and
    change times) when it was read: a file whose status has not changed since is not read and
    hashed again, its result is taken from here (git's index works so). The per-file entries of
    `Cache` stay the reference; this is a shortcut to them, one file per settings, written whole
    (a temporary file renamed over it) and only when something was added: concurrent runs leave
    one of their manifests, and every entry is checked against the file before it is used.

    A file changed less than `RACY_NS` before it was read is never taken from here: a later change
    in the same tick of a coarse file-system clock would leave its modification time as it was."""

    RACY_NS = 2_000_000_000

    def __init__(self, cache: Cache, report_unused: bool) -> None:
        tag = hashlib.sha256(f"{cache.salt}\0{report_unused}".encode()).hexdigest()[:16]
        self.dir = str(cache.dir)
        self.path = os.path.join(self.dir, f"manifest-{tag}.json")
        self.cache = cache
        self.entries: dict[str, list[Any]] = {}
        self.used: set[str] = set()  # the entries this run found valid or recorded
        self.added = False
        try:
            with open(self.path, "rb") as fh:
                data = json.loads(fh.read())
            if isinstance(data, dict) and isinstance(data.get("files"), dict):
                self.entries = data["files"]
        except (OSError, ValueError):
            pass

    @staticmethod
    def _status(st: os.stat_result) -> list[int]:
        return [st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns]

    def get(self, display: str, st: os.stat_result, context: str) -> FileResult | None:
        entry = self.entries.get(display)
        if not isinstance(entry, list) or len(entry) != 4:
            return None
        status, checked_ns, ctx, data = entry
        if status != self._status(st) or ctx != context or not isinstance(checked_ns, int) \
                or st.st_mtime_ns + self.RACY_NS >= checked_ns:
            return None
        try:
            result = FileResult(display) if data is None else _result(data)  # None: nothing found in the file
        except (ValueError, TypeError, KeyError, AttributeError):
            return None
        self.used.add(display)
        return result

    def record(self, display: str, st: os.stat_result, checked_ns: int, context: str, result: FileResult) -> None:
        """`result` is that of the content read after `st` was taken, at `checked_ns` or later."""
        empty = not (result.findings or result.suppressed or result.notifications) and result.path == display
        self.entries[display] = [self._status(st), checked_ns, context, None if empty else _data(result)]
        self.used.add(display)
        self.added = True

    def save(self, now_ns: int) -> None:
        """Write the manifest if this run added to it, without the entries of files it has not
        seen for `MAX_AGE_NS` (deleted or renamed files, or paths no run checks any more). A
        manifest this run used and did not change is touched, so that `Cache.prune` keeps it."""
        if self.cache.disabled_reason is not None:
            return
        if not self.added:
            if self.used:
                try:
                    os.utime(self.path)
                except OSError:
                    pass
            return
        limit = now_ns - MAX_AGE_NS
        self.entries = {k: e for k, e in self.entries.items() if k in self.used or (
            isinstance(e, list) and len(e) == 4 and isinstance(e[1], int) and e[1] >= limit)}
        try:
            os.makedirs(self.dir, exist_ok=True)
            _write_json(Path(self.path), {"files": self.entries})
            _ensure_gitignore(self.cache.dir.parent)
        except OSError:
            pass


_GITIGNORE = "# created by leaklint\n*\n"


def _ensure_gitignore(root: Path) -> None:
    gi = root / ".gitignore"
    if not gi.exists():
        try:
            gi.write_text(_GITIGNORE, encoding="utf-8")
        except OSError:
            pass


def is_cache_dir(folder: Path) -> bool:
    """Whether `folder` is a leaklint cache (it holds the .gitignore leaklint leaves in one)."""
    try:
        return (folder / ".gitignore").read_text(encoding="utf-8") == _GITIGNORE
    except (OSError, UnicodeDecodeError):
        return False


# --- JSON form of a FileResult ----------------------------------------------------------------------


def _span(s: Span | None) -> list[int] | None:
    return None if s is None else [s.line, s.column, s.end_line, s.end_column]


def _finding(f: Finding) -> dict[str, Any]:
    return {"rule": f.rule_id, "id": f.message_id, "message": f.message, "hint": f.hint, "path": f.path,
            "span": _span(f.span), "severity": f.severity.value, "confidence": f.confidence.value,
            "related": [[r.message, _span(r.span)] for r in f.related], "fingerprint": f.fingerprint,
            "suppressed": f.suppressed, "subjects": None if f.subjects is None else list(f.subjects)}


def _data(r: FileResult) -> dict[str, Any]:
    return {
        "path": r.path,
        "findings": [_finding(f) for f in r.findings],
        "suppressed": [_finding(f) for f in r.suppressed],
        "notifications": [{"kind": n.kind.value, "path": n.path, "message": n.message, "level": n.level.value,
                           "span": _span(n.span)} for n in r.notifications],
    }


def _str(value: Any) -> str:
    if not isinstance(value, str):
        raise TypeError("expected a string")
    return value


def _read_span(value: Any) -> Span:
    if not (isinstance(value, list) and len(value) == 4 and all(type(v) is int for v in value)):
        raise TypeError("expected a span")
    return Span(*value)


def _read_finding(d: dict[str, Any]) -> Finding:
    return Finding(
        rule_id=_str(d["rule"]), message_id=_str(d["id"]), message=_str(d["message"]), hint=_str(d["hint"]),
        path=_str(d["path"]), span=_read_span(d["span"]), severity=Severity(d["severity"]),
        confidence=Confidence(d["confidence"]),
        related=tuple(Related(_str(m), _read_span(s)) for m, s in d["related"]),
        fingerprint=_str(d["fingerprint"]), suppressed=d["suppressed"] is True,
        # an entry written before subjects is a miss
        subjects=None if d["subjects"] is None else tuple(_str(s) for s in d["subjects"]),
    )


def _result(d: dict[str, Any]) -> FileResult:
    return FileResult(
        path=_str(d["path"]),
        findings=[_read_finding(f) for f in d["findings"]],
        suppressed=[_read_finding(f) for f in d["suppressed"]],
        notifications=[Notification(NotificationKind(n["kind"]), _str(n["path"]), _str(n["message"]),
                                    Severity(n["level"]), None if n["span"] is None else _read_span(n["span"]))
                       for n in d["notifications"]],
    )
