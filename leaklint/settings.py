"""Configuration: `leaklint.toml`, `.leaklint.toml`, or `[tool.leaklint]` in `pyproject.toml`.

The nearest file at or above the starting directory wins (in that order of names within one
directory). Unknown keys, unknown rule ids and wrong types are errors that name the file, the key
and its line: a linter that silently falls back to defaults hides its own misconfiguration.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pathspec

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

CONFIG_NAMES = ("leaklint.toml", ".leaklint.toml", "pyproject.toml")
DEFAULT_MAX_FILE_SIZE = 10 * 1024 * 1024  # bytes
DEFAULT_TIMEOUT = 30.0  # seconds per file


class ConfigError(Exception):
    def __init__(self, message: str, path: Path | None = None, key: str | None = None, line: int | None = None):
        self.path, self.key, self.line = path, key, line
        where = ""
        if path is not None:
            where = f"{path}"
            if line is not None:
                where += f":{line}"
            where += ": "
        if key is not None:
            message = f"`{key}`: {message}"
        super().__init__(where + message)


@dataclass(frozen=True, slots=True)
class Settings:
    select: tuple[str, ...] = ("ALL",)
    ignore: tuple[str, ...] = ()
    # glob (relative to the config's directory) -> rule ids
    per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...] = ()
    exclude: tuple[str, ...] = ()
    globals: tuple[str, ...] = ()  # extra known global names
    environments: tuple[str, ...] = ()  # extra environments from the globals list (e.g. "jest")
    long_lived: tuple[str, ...] = ()  # extra names of long-lived objects (shared emitters, clients)
    respect_gitignore: bool = True
    # apply `exclude` to the paths named on the command line too (pre-commit names every file)
    force_exclude: bool = False
    max_file_size: int = DEFAULT_MAX_FILE_SIZE
    timeout: float = DEFAULT_TIMEOUT
    config_path: Path | None = None
    base: Path = field(default_factory=Path.cwd)  # per-file-ignores and exclude are relative to this

    def enabled_rules(self, registry: dict[str, Any]) -> tuple[str, ...]:
        """Rule ids that run: specific ids beat "ALL", ignore beats select for the same id."""
        known = set(registry)
        selected = set(known) if "ALL" in self.select else set()
        selected.update(r for r in self.select if r in known)
        specific_select = {r for r in self.select if r != "ALL"}
        for r in self.ignore:
            if r == "ALL":
                selected -= known - specific_select
            elif r in selected:
                selected.discard(r)
        return tuple(sorted(selected))

    def rules_for(self, display_path: str, enabled: tuple[str, ...]) -> tuple[str, ...]:
        if not self.per_file_ignores:
            return enabled
        rel = _relative(display_path, self.base)
        drop: set[str] = set()
        for glob, ids in _compile_per_file_ignores(self.per_file_ignores):
            if glob.match_file(rel):
                drop.update(enabled if "ALL" in ids else ids)
        return tuple(r for r in enabled if r not in drop)

    def exclude_spec(self) -> pathspec.PathSpec | None:
        import pathspec

        return pathspec.GitIgnoreSpec.from_lines(self.exclude) if self.exclude else None

    def with_overrides(self, **kw: Any) -> "Settings":
        return replace(self, **{k: v for k, v in kw.items() if v is not None})

    def cache_key(self) -> str:
        """Everything that changes findings for a given file content."""
        return repr((self.select, self.ignore, self.per_file_ignores, self.globals, self.environments,
                     self.long_lived, self.max_file_size))


@lru_cache(maxsize=16)
def _compile_per_file_ignores(
    per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...],
) -> list[tuple[pathspec.PathSpec, tuple[str, ...]]]:
    """Compiled once per configuration, not once per checked file."""
    import pathspec

    return [(pathspec.GitIgnoreSpec.from_lines([g]), ids) for g, ids in per_file_ignores]


def _relative(display_path: str, base: Path) -> str:
    p = Path(display_path)
    try:
        return p.resolve().relative_to(base.resolve()).as_posix()
    except (ValueError, OSError):
        return p.as_posix()


def find_config(start: Path) -> Path | None:
    start = start.resolve()
    if start.is_file():
        start = start.parent
    for d in [start, *start.parents]:
        for name in CONFIG_NAMES:
            cand = d / name
            if cand.is_file():
                if name == "pyproject.toml" and not _has_tool_section(cand):
                    continue
                return cand
    return None


def _has_tool_section(path: Path) -> bool:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError):
        return False
    return isinstance(data.get("tool"), dict) and "leaklint" in data["tool"]


_KEYS: dict[str, type] = {
    "select": list,
    "ignore": list,
    "extend-select": list,
    "per-file-ignores": dict,
    "exclude": list,
    "extend-exclude": list,
    "globals": list,
    "environments": list,
    "long-lived": list,
    "respect-gitignore": bool,
    "force-exclude": bool,
    "max-file-size": int,
    "timeout": float,
}


def _key_line(text: str, key: str, section: str | None, require_section: bool = False) -> int | None:
    lines = text.splitlines()
    start = 0
    if section:
        for i, line in enumerate(lines):
            if line.strip() == f"[{section}]":
                start = i
                break
        else:
            if require_section:
                return None
    pat = re.compile(rf"^\s*[\"']?{re.escape(key)}[\"']?\s*=")
    for i in range(start, len(lines)):
        if pat.match(lines[i]):
            return i + 1
    return None


def load_settings(path: Path, known_rules: set[str], environments: set[str] | None = None) -> Settings:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        raise ConfigError(f"cannot read config: {e}", path) from e
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        msg, line = _toml_error(str(e), text)
        raise ConfigError(f"invalid TOML: {msg}", path, line=line) from e
    section = None
    if path.name == "pyproject.toml":
        tool = data.get("tool", {})
        data = tool.get("leaklint", {}) if isinstance(tool, dict) else {}
        section = "tool.leaklint"
        if not isinstance(data, dict):
            raise ConfigError(f"expected a table, got {type(data).__name__}", path, section,
                              _key_line(text, "leaklint", "tool"))
    return settings_from_dict(data, known_rules, path, text, section, environments)


def _bad_glob(glob: str) -> str | None:
    """Why a gitignore-style pattern cannot be used, or None when it can."""
    import pathspec

    try:
        pathspec.GitIgnoreSpec.from_lines([glob])
    except Exception as e:  # pathspec raises its own errors and re.error
        return str(e)
    return None


def _toml_error(message: str, text: str) -> tuple[str, int | None]:
    """tomllib's message without its position, and the line (tomllib keeps it only in the text)."""
    m = re.search(r" \(at line (\d+), column (\d+)\)$", message)
    if m:
        return f"{message[:m.start()]} (column {m.group(2)})", int(m.group(1))
    if message.endswith(" (at end of document)"):
        return f"{message[:-len(' (at end of document)')]} (at the end of the file)", max(1, len(text.splitlines()))
    return message, None


def settings_from_dict(
    data: dict[str, Any],
    known_rules: set[str],
    path: Path | None = None,
    text: str = "",
    section: str | None = None,
    environments: set[str] | None = None,
) -> Settings:
    def err(key: str, message: str, line: int | None = None) -> ConfigError:
        return ConfigError(message, path, key, line or (_key_line(text, key, section) if text else None))

    def glob_line(glob: str) -> int | None:
        """The line of a glob in `per-file-ignores`, written as a table or as an inline table."""
        table = f"{section}.per-file-ignores" if section else "per-file-ignores"
        line = _key_line(text, glob, table, require_section=True) if text else None
        return line or (_key_line(text, "per-file-ignores", section) if text else None)

    for key, value in data.items():
        if key not in _KEYS:
            close = [k for k in _KEYS if k.replace("-", "") == key.replace("_", "").replace("-", "")]
            suggestion = f" (did you mean `{close[0]}`?)" if close else ""
            raise err(key, f"unknown key{suggestion}; known keys: {', '.join(sorted(_KEYS))}")
        want = _KEYS[key]
        ok = isinstance(value, want) and not (want is int and isinstance(value, bool))
        if want is float and isinstance(value, int) and not isinstance(value, bool):
            ok = True
        if not ok:
            raise err(key, f"expected {want.__name__}, got {type(value).__name__}")
        if want is list and not all(isinstance(v, str) for v in value):
            raise err(key, "expected a list of strings")

    def rule_list(key: str) -> tuple[str, ...]:
        ids = tuple(data.get(key, ()))
        for r in ids:
            if r != "ALL" and r not in known_rules:
                raise err(key, f"unknown rule id `{r}`; known rules: {', '.join(sorted(known_rules))}")
        return ids

    if "select" in data and not data["select"]:
        raise err("select", 'empty: no rule would run (list rule ids, or "ALL")')
    select = rule_list("select") or ("ALL",)
    for key in ("exclude", "extend-exclude"):
        for glob in data.get(key, ()):
            if (problem := _bad_glob(glob)) is not None:
                raise err(key, f"invalid pattern `{glob}`: {problem}")
    extend = rule_list("extend-select")
    ignore = rule_list("ignore")
    pfi = []
    for glob, ids in data.get("per-file-ignores", {}).items():
        if isinstance(ids, str):
            ids = [ids]
        if not isinstance(ids, list) or not all(isinstance(i, str) for i in ids):
            raise err("per-file-ignores", f"`{glob}` must map to a list of rule ids", glob_line(glob))
        for r in ids:
            if r != "ALL" and r not in known_rules:
                raise err("per-file-ignores", f"unknown rule id `{r}` for `{glob}`", glob_line(glob))
        if (problem := _bad_glob(glob)) is not None:
            raise err("per-file-ignores", f"invalid pattern `{glob}`: {problem}", glob_line(glob))
        pfi.append((glob, tuple(ids)))
    envs = tuple(data.get("environments", ()))
    if environments is not None:
        for e in envs:
            if e not in environments:
                raise err("environments", f"unknown environment `{e}`; known: {', '.join(sorted(environments))}")
    for k in ("max-file-size", "timeout"):
        if k in data and data[k] <= 0:
            raise err(k, "must be positive")
    return Settings(
        select=tuple(dict.fromkeys(select + extend)),
        ignore=ignore,
        per_file_ignores=tuple(pfi),
        exclude=tuple(data.get("exclude", ())) + tuple(data.get("extend-exclude", ())),
        globals=tuple(data.get("globals", ())),
        environments=envs,
        long_lived=tuple(data.get("long-lived", ())),
        respect_gitignore=data.get("respect-gitignore", True),
        force_exclude=data.get("force-exclude", False),
        max_file_size=int(data.get("max-file-size", DEFAULT_MAX_FILE_SIZE)),
        timeout=float(data.get("timeout", DEFAULT_TIMEOUT)),
        config_path=path,
        base=path.parent.resolve() if path is not None else Path.cwd(),
    )
