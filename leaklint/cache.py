"""Per-file result cache: content hash + leaklint version + effective settings + rules.

One small file per entry under `<cache dir>/<version>/`, written to a temporary name and renamed
into place, so concurrent runs never see a partial entry. A corrupt or unreadable entry is a
miss; an unwritable cache directory disables the cache with one notification.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
from pathlib import Path

from leaklint import __version__
from leaklint.findings import FileResult

DEFAULT_DIR = ".leaklint_cache"


class Cache:
    def __init__(self, directory: Path, salt: str) -> None:
        self.dir = directory / __version__
        self.salt = salt
        self.disabled_reason: str | None = None

    def key(self, display: str, raw: bytes, context: str) -> str:
        h = hashlib.blake2b(digest_size=20)
        for part in (self.salt.encode(), display.encode("utf-8", "replace"), context.encode(), raw):
            h.update(len(part).to_bytes(8, "little"))
            h.update(part)
        return h.hexdigest()

    def _path(self, key: str) -> Path:
        return self.dir / key[:2] / key

    def get(self, key: str) -> FileResult | None:
        try:
            with open(self._path(key), "rb") as fh:
                value = pickle.load(fh)
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, ValueError, TypeError):
            return None
        return value if isinstance(value, FileResult) else None

    def put(self, key: str, result: FileResult) -> None:
        if self.disabled_reason is not None:
            return
        target = self._path(key)
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-")
            with os.fdopen(fd, "wb") as fh:
                pickle.dump(result, fh, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, target)
        except OSError as e:
            self.disabled_reason = f"cache disabled: cannot write {self.dir}: {e.strerror or e}"
            try:
                os.unlink(tmp)  # type: ignore[possibly-undefined]
            except (OSError, UnboundLocalError):
                pass
        else:
            _ensure_gitignore(self.dir.parent)


def _ensure_gitignore(root: Path) -> None:
    gi = root / ".gitignore"
    if not gi.exists():
        try:
            gi.write_text("# created by leaklint\n*\n", encoding="utf-8")
        except OSError:
            pass
