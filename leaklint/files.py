"""Finding the files to check, and what each one is: dialect (grammar) and source type."""

from __future__ import annotations

import errno
import json
import os
import re
import stat
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Iterable


from leaklint.semantic.scope import SourceType
from leaklint.syntax import EXTENSIONS, Dialect, ParsedFile

if TYPE_CHECKING:
    import pathspec

ALWAYS_SKIPPED_DIRS = frozenset({"node_modules", ".git", ".hg", ".svn", ".leaklint_cache"})


@dataclass(frozen=True, slots=True)
class SourceFile:
    path: Path  # as found (absolute or relative to the cwd)
    display: str  # how it is shown in reports: relative to the cwd when possible, with "/"
    real: str | None = None  # the real file (links resolved), when discovery knows it


class DiscoveryError(Exception):
    """A path given on the command line that cannot be checked at all."""


def dialect_for(path: str | os.PathLike) -> Dialect | None:
    return EXTENSIONS.get(os.path.splitext(str(path))[1].lower())


def display_path(path: Path) -> str:
    """How a path is shown: relative to the working directory when it is inside it, else absolute."""
    if path.is_absolute():
        # the common case (walked and named files) without `relpath`, which is slow for thousands
        cwd = os.getcwd()
        full = os.path.normpath(path)
        prefix = cwd if cwd.endswith(os.sep) else cwd + os.sep
        rel = full[len(prefix):] if full.startswith(prefix) else ("." if full == cwd else str(path))
    else:
        try:
            rel = os.path.relpath(path)
        except ValueError:  # another drive on Windows
            rel = str(path)
        if rel.startswith(".." + os.sep) or rel == "..":
            rel = real_path(path)
    rel = rel.replace(os.sep, "/")
    if not rel.isprintable() or _has_surrogates(rel):
        # a name that is not valid UTF-8 or holds control characters: shown escaped, so that
        # every report format can carry it (`\xff.js`)
        rel = "".join(c if c.isprintable() and not 0xD800 <= ord(c) <= 0xDFFF else _escape(c) for c in rel)
    return rel


def _has_surrogates(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def _escape(c: str) -> str:
    n = ord(c)
    if 0xDC80 <= n <= 0xDCFF:  # an undecodable byte, as os.fsdecode keeps it
        return f"\\x{n - 0xDC00:02x}"
    return f"\\x{n:02x}" if n < 0x100 else f"\\u{n:04x}"


def real_path(path: str | os.PathLike) -> str:
    """The canonical path, without raising on symbolic link loops (unlike `Path.resolve`)."""
    return os.path.realpath(path)


class _Ignorer:
    """Applies .gitignore files (real gitignore semantics via pathspec) found from the walk root down."""

    def __init__(self) -> None:
        self._specs: dict[Path, pathspec.PathSpec | None] = {}

    def _spec(self, directory: Path) -> pathspec.PathSpec | None:
        if directory not in self._specs:
            spec = None
            gi = directory / ".gitignore"
            try:
                if gi.is_file():
                    lines = gi.read_text(encoding="utf-8", errors="replace").splitlines()
                    import pathspec  # imported on first use: a slow import stdin checks do without

                    spec = pathspec.GitIgnoreSpec.from_lines(lines)
            except OSError:
                spec = None
            self._specs[directory] = spec
        return self._specs[directory]

    def ignored(self, path: Path, is_dir: bool, roots: list[Path]) -> bool:
        """Whether any .gitignore in `roots` (directories from the repository top down to the parent) ignores path."""
        for d in roots:
            spec = self._spec(d)
            if spec is None:
                continue
            try:
                rel = path.relative_to(d).as_posix()
            except ValueError:
                continue
            if is_dir:
                rel += "/"
            if spec.match_file(rel):
                return True
        return False


def _repo_root(start: Path) -> Path | None:
    for d in [start, *start.parents]:
        if (d / ".git").exists():
            return d
    return None


def discover(
    paths: Iterable[str],
    exclude: pathspec.PathSpec | None = None,
    exclude_base: Path | None = None,
    respect_gitignore: bool = True,
    errors: list[tuple[str, str]] | None = None,
    force_exclude: bool = False,
) -> list[SourceFile]:
    """Expand paths to source files, sorted and de-duplicated.

    Directories are walked, skipping node_modules/.git and what .gitignore or `exclude` exclude.
    A file named explicitly is always checked, whatever its extension, unless `force_exclude` is
    set and `exclude` matches it (or a directory named explicitly). Paths that do not exist or
    cannot be read are appended to `errors` as (path, message); the others are still returned.
    """
    ignorer = _Ignorer()
    # one entry per real file; among several spellings, the first display name in sort order wins,
    # so that the report does not depend on the order of the paths
    seen: dict[str, SourceFile] = {}

    def add(p: Path) -> None:
        key = _real_file(p)
        sf = SourceFile(p, display_path(p), key)
        if key not in seen or sf.display < seen[key].display:
            seen[key] = sf

    def excluded(p: Path, is_dir: bool) -> bool:
        if exclude is None:
            return False
        base = exclude_base or Path.cwd()
        try:
            rel = Path(real_path(p)).relative_to(real_path(base)).as_posix()
        except ValueError:
            rel = p.as_posix()
        return exclude.match_file(rel + ("/" if is_dir else ""))

    for raw in paths:
        p = Path(raw)
        try:
            is_dir = stat.S_ISDIR(os.stat(p).st_mode)
        except OSError as e:
            why = _unusable(p, e)
            if errors is not None:
                errors.append((raw, why))
            continue
        if force_exclude and excluded(p, is_dir):
            continue
        if not is_dir:
            add(p)
            continue
        top = Path(real_path(p))
        repo = _repo_root(top) if respect_gitignore else None
        base_roots: list[Path] = []
        if repo is not None:
            rel_parts = top.relative_to(repo).parts
            d = repo
            base_roots.append(d)
            for part in rel_parts:
                d = d / part
                base_roots.append(d)
        else:
            base_roots.append(top)
        for f in _walk(p, top, base_roots, ignorer, respect_gitignore, excluded, errors):
            add(f)
    return sorted(seen.values(), key=lambda f: f.display)


def _unusable(p: Path, e: OSError) -> str:
    """Why a named path that cannot be followed is not checked."""
    try:
        os.lstat(p)
    except (FileNotFoundError, NotADirectoryError):
        return "no such file or directory"
    except OSError as e2:
        return f"cannot access: {e2.strerror or e2}"
    # the name exists: a symbolic link that leads nowhere
    if e.errno == errno.ELOOP:
        return "symbolic link loop"
    if e.errno == errno.ENOENT:
        return "broken symbolic link"
    return f"cannot access: {e.strerror or e}"


def _walk(p: Path, top: Path, base_roots: list[Path], ignorer: _Ignorer, respect_gitignore: bool, excluded, errors):
    # explicit stack: (path as given, resolved dir, gitignore roots that apply)
    stack = [(p, top, base_roots)]
    visited: set[tuple[int, int]] = set()
    while stack:
        d, real, roots = stack.pop()
        try:
            st = real.stat()
            key = (st.st_dev, st.st_ino)
            if key in visited:  # symlink loop
                continue
            visited.add(key)
            entries = sorted(os.scandir(d), key=lambda e: e.name)
        except OSError as e:
            if errors is not None:
                errors.append((display_path(d), f"cannot read directory: {e.strerror or e}"))
            continue
        subdirs = []
        for entry in entries:
            name = entry.name
            try:
                is_dir = entry.is_dir()
            except OSError:  # a symbolic link loop: a source name is reported when checked
                is_dir = False
            child = Path(entry.path)
            real_child = real / name
            if is_dir:
                if name in ALWAYS_SKIPPED_DIRS:
                    continue
                if respect_gitignore and ignorer.ignored(real_child, True, roots):
                    continue
                if excluded(child, True):
                    continue
                subdirs.append((child, real_child if not entry.is_symlink() else Path(real_path(real_child)),
                                roots + [real_child]))
            else:
                # regular files, and also FIFOs, sockets and dangling links with a source extension:
                # checking reports those as skipped instead of passing over them in silence
                if dialect_for(name) is None:
                    continue
                if respect_gitignore and ignorer.ignored(real_child, False, roots):
                    continue
                if excluded(child, False):
                    continue
                yield child
        stack.extend(reversed(subdirs))


# --- source type ----------------------------------------------------------------------------------

_ESM_SYNTAX = re.compile(rb"^[ \t]*(import[ \t\n{*\"']|export[ \t\n{*])", re.M)
_CJS_SYNTAX = re.compile(rb"\brequire\s*\(|\bmodule\.exports\b|\bexports\.\w+\s*=")


@lru_cache(maxsize=4096)
def _package_type(directory: str) -> str | None:
    """The "type" of the nearest package.json at or above directory ("module", "commonjs" or None)."""
    pj = os.path.join(directory, "package.json")
    try:
        if os.path.isfile(pj):
            with open(pj, encoding="utf-8", errors="replace") as fh:
                data = json.loads(fh.read())
            t = data.get("type") if isinstance(data, dict) else None
            return t if t in ("module", "commonjs") else "commonjs-default"
    except (OSError, ValueError):
        return None
    parent = os.path.dirname(directory)
    return None if parent == directory else _package_type(parent)  # each folder is looked at once


def source_type_for(path: str | os.PathLike, source: bytes, has_module_syntax: bool | None = None) -> SourceType:
    """Node's rules: .mjs/.mts are modules and .cjs/.cts CommonJS; otherwise the nearest package.json
    "type", then import/export syntax (module), then require/module.exports (CommonJS); else a script.
    TypeScript files with import/export are modules; a .ts/.tsx file without is a script."""
    ext = os.path.splitext(str(path))[1].lower()
    if ext in (".mjs", ".mts"):
        return SourceType.MODULE
    if ext in (".cjs", ".cts"):
        return SourceType.COMMONJS
    if has_module_syntax is None:
        has_module_syntax = bool(_ESM_SYNTAX.search(source))
    if has_module_syntax:
        return SourceType.MODULE
    if str(path) not in ("", "-", "<stdin>"):
        ptype = _package_type(os.path.dirname(_real_file(path)))
        if ptype == "module" and ext in (".js", ".jsx"):
            return SourceType.MODULE
        if ptype is not None and ext in (".js", ".jsx"):
            # a .js file in a Node package is CommonJS unless it says otherwise
            return SourceType.COMMONJS
    if _CJS_SYNTAX.search(source):
        return SourceType.COMMONJS
    return SourceType.SCRIPT


def source_type_of(parsed: ParsedFile, path: str | os.PathLike) -> SourceType:
    """The source type of a parsed file: `source_type_for` with the file's top-level
    `import`/`export` statements as its module syntax."""
    module_syntax = any(c.type in ("import_statement", "export_statement") for c in parsed.root.children)
    return source_type_for(path, parsed.source, module_syntax)


def forget_file_state() -> None:
    """Forget the package.json types and resolved folders seen so far: a process that lives
    across edits (the language server, the daemon) calls this before each check."""
    _package_type.cache_clear()
    _real_dir.cache_clear()


def source_type_context(path: Path, real: str | None = None) -> str | None:
    """What besides a file's own content decides its source type: the nearest package.json "type"
    above the real file (`real`, when discovery has resolved it already)."""
    try:
        return _package_type(os.path.dirname(real or _real_file(path)))
    except OSError:
        return None


def _real_file(path: str | os.PathLike) -> str:
    """`real_path(path)` for a file, resolving each folder once (thousands of files share a few)."""
    full = os.path.abspath(path)
    if os.path.islink(full):
        return real_path(full)
    head, tail = os.path.split(full)
    return os.path.join(_real_dir(head), tail)


@lru_cache(maxsize=4096)
def _real_dir(directory: str) -> str:
    return real_path(directory)
