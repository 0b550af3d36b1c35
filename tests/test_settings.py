"""Configuration: every mistake is an error that names the file, the key and the line (exit 2),
never a silent fall-back to defaults; and what a valid config says is what runs."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from leaklint.cli import cli
from leaklint.docs import load_docs
from leaklint.semantic.model import environment_names
from leaklint.settings import (
    DEFAULT_MAX_FILE_SIZE,
    DEFAULT_TIMEOUT,
    ConfigError,
    Settings,
    find_config,
    load_settings,
)

KNOWN = set(load_docs())
ENVIRONMENTS = set(environment_names())


def load(tmp_path: Path, text: str, name: str = "leaklint.toml") -> Settings:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return load_settings(path, KNOWN, ENVIRONMENTS)


def error(tmp_path: Path, text: str, name: str = "leaklint.toml") -> ConfigError:
    with pytest.raises(ConfigError) as info:
        load(tmp_path, text, name)
    return info.value


@pytest.mark.parametrize(("text", "key", "line", "words"), [
    ('# settings\nselect = ["ALL"\n', None, 2, "invalid TOML: Unclosed array"),
    ('select = ["ALL"]\nignore = = 1\n', None, 2, "invalid TOML: Invalid value (column 10)"),
    ('select = ["ALL"]\n\nselectt = ["ALL"]\n', "selectt", 3, "unknown key"),
    ('max_file_size = 10\n', "max_file_size", 1, "did you mean `max-file-size`?"),
    ('\nselect = ["growing-aray"]\n', "select", 2, "unknown rule id `growing-aray`"),
    ('ignore = ["ALL", "nope"]\n', "ignore", 1, "unknown rule id `nope`"),
    ('extend-select = ["nope"]\n', "extend-select", 1, "unknown rule id `nope`"),
    ('select = "ALL"\n', "select", 1, "expected list, got str"),
    ('ignore = [1]\n', "ignore", 1, "expected a list of strings"),
    ('timeout = "fast"\n', "timeout", 1, "expected float, got str"),
    ('max-file-size = 1.5\n', "max-file-size", 1, "expected int, got float"),
    ('max-file-size = true\n', "max-file-size", 1, "expected int, got bool"),
    ('max-file-size = 0\n', "max-file-size", 1, "must be positive"),
    ('timeout = -1\n', "timeout", 1, "must be positive"),
    ('respect-gitignore = "no"\n', "respect-gitignore", 1, "expected bool, got str"),
    ('environments = ["mars"]\n', "environments", 1, "unknown environment `mars`"),
    ('per-file-ignores = []\n', "per-file-ignores", 1, "expected dict, got list"),
    ('select = ["ALL"]\n[per-file-ignores]\n"test/*.js" = ["nope"]\n', "per-file-ignores", 3,
     "unknown rule id `nope` for `test/*.js`"),
    ('per-file-ignores = { "*.js" = 3 }\n', "per-file-ignores", 1, "`*.js` must map to a list of rule ids"),
    ('[per-file-ignores]\n"[z-a].js" = ["ALL"]\n', "per-file-ignores", 2, "invalid pattern `[z-a].js`"),
    ('exclude = ["dist/", "!"]\n', "exclude", 1, "invalid pattern `!`"),
    ('select = []\n', "select", 1, "empty: no rule would run"),
])
def test_config_errors_name_file_key_and_line(tmp_path: Path, text: str, key: str | None, line: int,
                                              words: str) -> None:
    e = error(tmp_path, text)
    assert (e.path, e.key, e.line) == (tmp_path / "leaklint.toml", key, line)
    assert words in str(e)
    assert str(e).startswith(f"{tmp_path / 'leaklint.toml'}:{line}: ")


def test_pyproject_errors_point_into_the_tool_section(tmp_path: Path) -> None:
    text = '[project]\nname = "x"\nselect = 1\n\n[tool.leaklint]\nselect = "ALL"\n'
    e = error(tmp_path, text, "pyproject.toml")
    assert (e.key, e.line) == ("select", 6)  # not the `select` of another table above
    text = '[tool.leaklint]\n\n[tool.leaklint.per-file-ignores]\n"a.js" = ["x"]\n'
    assert error(tmp_path, text, "pyproject.toml").line == 4


def test_tool_leaklint_that_is_not_a_table(tmp_path: Path) -> None:
    e = error(tmp_path, "[tool]\nleaklint = 1\n", "pyproject.toml")
    assert (e.key, e.line) == ("tool.leaklint", 2)
    assert "expected a table" in str(e)


def test_unreadable_config(tmp_path: Path) -> None:
    (tmp_path / "leaklint.toml").write_bytes(b"select = [\"\xff\"]\n")
    with pytest.raises(ConfigError, match="cannot read config"):
        load_settings(tmp_path / "leaklint.toml", KNOWN, ENVIRONMENTS)


def test_valid_config_is_what_runs(tmp_path: Path) -> None:
    s = load(tmp_path, 'select = ["ALL"]\nignore = ["growing-array"]\ntimeout = 2\nmax-file-size = 100\n'
                       '[per-file-ignores]\n"test/**" = ["ALL"]\n')
    assert "growing-array" not in s.enabled_rules(load_docs())
    assert (s.timeout, s.max_file_size) == (2.0, 100)
    assert s.rules_for(str(tmp_path / "test/a.js"), ("implicit-global",)) == ()
    assert s.rules_for(str(tmp_path / "src/a.js"), ("implicit-global",)) == ("implicit-global",)


def test_defaults() -> None:
    s = Settings()
    assert (s.max_file_size, s.timeout) == (DEFAULT_MAX_FILE_SIZE, DEFAULT_TIMEOUT) == (10 * 1024 * 1024, 30.0)


def test_pyproject_without_a_leaklint_section_is_not_a_config(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\n')
    assert find_config(tmp_path) is None
    (tmp_path / "pyproject.toml").write_text('[tool.leaklint]\nselect = ["ALL"]\n')
    assert find_config(tmp_path) == tmp_path / "pyproject.toml"


def test_cli_reports_config_errors_with_exit_2_and_checks_nothing(tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a.js").write_text("leak = 1;\n")
    (tmp_path / "leaklint.toml").write_text('select = ["ALL"]\ntimeout = "soon"\n')
    result = CliRunner().invoke(cli, ["check", "a.js", "--no-cache"])
    assert result.exit_code == 2
    assert result.stdout == ""  # no report made with settings the user did not ask for
    assert f"config error: {tmp_path / 'leaklint.toml'}:2: `timeout`: expected float, got str" in result.stderr


def test_cli_invalid_toml(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a.js").write_text("leak = 1;\n")
    (tmp_path / "leaklint.toml").write_text('select = [\n  "ALL",\n  oops\n]\n')
    result = CliRunner().invoke(cli, ["check", "a.js", "--no-cache"])
    assert result.exit_code == 2
    assert "leaklint.toml:3: invalid TOML: Invalid" in result.stderr
