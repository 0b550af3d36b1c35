"""Per-file result cache: content hash + leaklint version + effective settings + rules.

One small file per entry under `<cache dir>/<version>/`, written to a temporary name and renamed
into place, so concurrent runs never see a partial entry. A corrupt or unreadable entry is a
miss; an unwritable cache directory disables the cache with one notification.

Entries are JSON read back field by field, never pickles: the cache folder may sit inside the
checked repository, and a planted pickle would run code when loaded.
"""

from __future__ import annotations

import hashlib
import json
import os
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
        try:
            with open(self._path(key), "rb") as fh:
                return _result(json.loads(fh.read()))
        except (OSError, ValueError, TypeError, KeyError, AttributeError):  # a miss, whatever is wrong
            return None

    def put(self, key: str, result: FileResult) -> None:
        if self.disabled_reason is not None:
            return
        target = Path(self._path(key))
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-")
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                json.dump(_data(result), fh, ensure_ascii=False, separators=(",", ":"))
            os.replace(tmp, target)
        except OSError as e:
            self.disabled_reason = f"cache disabled: cannot write {self.dir}: {e.strerror or e}"
            try:
                os.unlink(tmp)  # type: ignore[possibly-undefined]
            except (OSError, UnboundLocalError):
                pass
        else:
            _ensure_gitignore(self.dir.parent)


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
        if data is None:  # nothing found in the file
            return FileResult(display)
        try:
            return _result(data)
        except (ValueError, TypeError, KeyError, AttributeError):
            return None

    def record(self, display: str, st: os.stat_result, checked_ns: int, context: str, result: FileResult) -> None:
        """`result` is that of the content read after `st` was taken, at `checked_ns` or later."""
        empty = not (result.findings or result.suppressed or result.notifications) and result.path == display
        self.entries[display] = [self._status(st), checked_ns, context, None if empty else _data(result)]
        self.added = True

    def save(self) -> None:
        if not self.added or self.cache.disabled_reason is not None:
            return
        try:
            os.makedirs(self.dir, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=self.dir, prefix=".tmp-")
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                json.dump({"files": self.entries}, fh, ensure_ascii=False, separators=(",", ":"))
            os.replace(tmp, self.path)
            _ensure_gitignore(self.cache.dir.parent)
        except OSError:
            try:
                os.unlink(tmp)  # type: ignore[possibly-undefined]
            except (OSError, UnboundLocalError):
                pass


def _ensure_gitignore(root: Path) -> None:
    gi = root / ".gitignore"
    if not gi.exists():
        try:
            gi.write_text("# created by leaklint\n*\n", encoding="utf-8")
        except OSError:
            pass


# --- JSON form of a FileResult ----------------------------------------------------------------------


def _span(s: Span | None) -> list[int] | None:
    return None if s is None else [s.line, s.column, s.end_line, s.end_column]


def _finding(f: Finding) -> dict[str, Any]:
    return {"rule": f.rule_id, "id": f.message_id, "message": f.message, "hint": f.hint, "path": f.path,
            "span": _span(f.span), "severity": f.severity.value, "confidence": f.confidence.value,
            "related": [[r.message, _span(r.span)] for r in f.related], "fingerprint": f.fingerprint,
            "suppressed": f.suppressed}


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
