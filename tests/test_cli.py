"""The command line as editors, hooks and people use it: exit codes, stdin, output files, formats."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from leaklint import __version__
from leaklint.cli import cli

LEAK = "function f(){ leaked = 1 }\nmodule.exports = f;\n"
CLEAN = "function f(){ let kept = 1; return kept }\nmodule.exports = f;\n"
LEAK_LINE = "leak.js:1:15: implicit-global Assignment to undeclared `leaked` creates an implicit global"


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "leak.js").write_text(LEAK, encoding="utf-8")
    (tmp_path / "clean.js").write_text(CLEAN, encoding="utf-8")
    return tmp_path


def leaklint(*args: str, stdin: str | None = None) -> Result:
    return CliRunner().invoke(cli, list(args), input=stdin, catch_exceptions=False)


# exit codes: 0 no findings, 1 findings, 2 usage, configuration or internal error

def test_exit_codes(project: Path) -> None:
    assert leaklint("check", "clean.js").exit_code == 0
    result = leaklint("check", "leak.js", "clean.js", "--format", "concise")
    assert (result.exit_code, result.stdout) == (1, LEAK_LINE + "\n")
    result = leaklint("check", "leak.js", "--format", "concise", "--exit-zero")
    assert (result.exit_code, result.stdout) == (0, LEAK_LINE + "\n")


@pytest.mark.parametrize(("args", "message"), [
    (["check"], "no paths given"),
    (["check", ".", "--select", "no-such-rule"], "unknown rule id `no-such-rule`"),
    (["check", ".", "--format", "xml"], "'xml' is not one of"),
    (["check", "missing.js"], "missing.js: unreadable: no such file or directory"),
    (["check", "leak.js", "-o", "no/such/dir/out.txt"], "directory no/such/dir does not exist"),
    (["check", ".", "--config", "nope.toml"], "config file not found"),
    (["rule", "no-such-rule"], "unknown rule id `no-such-rule`"),
])
def test_usage_and_input_errors_exit_2(project: Path, args: list[str], message: str) -> None:
    result = leaklint(*args)
    assert result.exit_code == 2
    assert message in result.stdout + result.stderr


def test_missing_path_is_explained_on_stderr_when_the_report_is_for_tools(project: Path) -> None:
    result = leaklint("check", "missing.js", "leak.js", "--format", "sarif", "-o", "out.sarif")
    assert result.exit_code == 2  # an unreadable path beats findings
    assert "leaklint: missing.js: no such file or directory" in result.stderr
    assert json.loads((project / "out.sarif").read_text())["runs"][0]["results"]


def test_config_errors_name_the_file_key_and_line(project: Path) -> None:
    (project / "leaklint.toml").write_text('environments = ["jest"]\nselect = ["implicit-globl"]\n')
    result = leaklint("check", "leak.js")
    assert result.exit_code == 2
    assert re.search(r"config error: .*leaklint\.toml:2: `select`: .*implicit-globl", result.stderr), result.stderr


def test_nearest_config_wins(project: Path) -> None:
    (project / "leaklint.toml").write_text('ignore = ["implicit-global"]\n')
    assert leaklint("check", "leak.js").exit_code == 0
    assert leaklint("check", "leak.js", "--isolated").exit_code == 1
    (project / "pyproject.toml").write_text('[tool.leaklint]\nselect = ["ALL"]\n')  # same folder: leaklint.toml first
    assert leaklint("check", "leak.js").exit_code == 0


def test_output_file_holds_the_report_and_stdout_stays_empty(project: Path) -> None:
    to_stdout = leaklint("check", "leak.js", "--format", "json")
    result = leaklint("check", "leak.js", "--format", "json", "--output", "report.json")
    assert (result.exit_code, result.stdout) == (1, "")
    assert (project / "report.json").read_text(encoding="utf-8") == to_stdout.stdout


# editors: --stdin-filename

def test_stdin_is_reported_under_the_given_name(project: Path) -> None:
    result = leaklint("check", "--stdin-filename", "src/app.js", "--format", "concise", "-", stdin=LEAK)
    assert result.exit_code == 1
    assert result.stdout == LEAK_LINE.replace("leak.js", "src/app.js") + "\n"
    assert leaklint("check", "--stdin-filename", "src/app.js", "-", stdin=CLEAN).exit_code == 0


def test_stdin_name_picks_grammar_and_source_type(project: Path) -> None:
    ts = "function f(n: number): void { leaked = n }\n"
    result = leaklint("check", "--stdin-filename", "a.ts", "--format", "json", "-", stdin=ts)
    report = json.loads(result.stdout)
    assert [f["rule"] for f in report["findings"]] == ["implicit-global"]
    assert report["notifications"] == []  # parsed as TypeScript
    # a .mjs file is an ES module: strict, so the assignment throws instead of leaking
    assert leaklint("check", "--stdin-filename", "a.mjs", "-", stdin=LEAK).exit_code == 0


def test_stdin_config_is_found_from_the_given_name(project: Path) -> None:
    (project / "legacy").mkdir()
    (project / "legacy" / "leaklint.toml").write_text('ignore = ["implicit-global"]\n')
    assert leaklint("check", "--stdin-filename", "legacy/app.js", "-", stdin=LEAK).exit_code == 0
    assert leaklint("check", "--stdin-filename", "app.js", "-", stdin=LEAK).exit_code == 1


def test_stdin_honours_suppressions(project: Path) -> None:
    source = "// leaklint-disable-next-line implicit-global -- legacy\n" + LEAK
    assert leaklint("check", "--stdin-filename", "app.js", "-", stdin=source).exit_code == 0


def test_stdin_through_a_real_pipe(project: Path) -> None:
    proc = subprocess.run([sys.executable, "-m", "leaklint", "check", "--stdin-filename", "app.js", "--format",
                           "concise", "-"], input=LEAK.encode(), capture_output=True, cwd=project, timeout=120)
    assert proc.returncode == 1
    assert proc.stdout.decode() == LEAK_LINE.replace("leak.js", "app.js") + "\n"
    assert proc.stderr == b""


# formats

def test_formats(project: Path) -> None:
    text = leaklint("check", "leak.js", "clean.js").stdout
    assert text.startswith(LEAK_LINE + "\n")
    assert "^^^^^^" in text
    assert text.rstrip().endswith("Found 1 finding (implicit-global: 1) in 2 files.")
    report = json.loads(leaklint("check", "leak.js", "--format", "json").stdout)
    assert (report["version"], report["summary"]["by_rule"]) == (1, {"implicit-global": 1})
    sarif = json.loads(leaklint("check", "leak.js", "--format", "sarif").stdout)
    assert sarif["version"] == "2.1.0"
    assert sarif["runs"][0]["results"][0]["ruleId"] == "implicit-global"
    github = leaklint("check", "leak.js", "--format", "github").stdout
    assert github.startswith("::warning file=leak.js,line=1,col=15,endLine=1,endColumn=21,title=implicit-global::")


def test_no_progress_when_stderr_is_not_a_terminal(project: Path) -> None:
    for i in range(60):
        (project / f"m{i}.js").write_text(CLEAN, encoding="utf-8")
    result = leaklint("check", ".", "--jobs", "1")
    assert result.exit_code == 1
    assert result.stderr == ""


# the other commands

def test_version() -> None:
    result = leaklint("--version")
    assert result.stdout == f"leaklint, version {__version__}\n"


def test_check_help_has_examples() -> None:
    help_text = leaklint("check", "--help").stdout
    assert "Examples:" in help_text
    assert "cat app.ts | leaklint check --stdin-filename app.ts -" in help_text
    for option in ("--stdin-filename", "--exit-zero", "--baseline", "--write-baseline", "--output"):
        assert option in help_text


def test_rule_document_is_markdown_when_piped() -> None:
    result = leaklint("rule", "implicit-global")
    assert result.exit_code == 0
    assert "## What it does" in result.stdout


@pytest.mark.skipif(sys.platform == "win32", reason="needs a pseudo-terminal")
def test_rule_document_is_rendered_in_a_terminal() -> None:
    import pty

    main, child = pty.openpty()
    env = {**os.environ, "COLUMNS": "100", "TERM": "xterm-256color"}
    env.pop("NO_COLOR", None)
    proc = subprocess.Popen([sys.executable, "-m", "leaklint", "rule", "implicit-global"],
                            stdout=child, stderr=subprocess.PIPE, env=env)
    os.close(child)
    chunks = []
    while True:
        try:
            chunk = os.read(main, 65536)
        except OSError:  # the terminal closed
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(main)
    assert proc.wait(timeout=120) == 0
    shown = b"".join(chunks).decode("utf-8", "replace")
    assert "\x1b[" in shown  # styled by rich
    plain = re.sub(r"\x1b\[[0-9;]*m", "", shown)
    assert "What it does" in plain
    assert "## What it does" not in plain  # headings rendered, not shown as Markdown source


def test_lsp_command_is_listed() -> None:
    result = leaklint("lsp", "--help")
    assert result.exit_code == 0
    assert "language server" in result.stdout


def readme_block(section: str, language: str) -> str:
    """The first `language` code block of README section `section`."""
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    body = readme.split(f"\n{section}\n", 1)[1]
    return body.split(f"```{language}\n", 1)[1].split("```", 1)[0]


def test_readme_problem_matcher_parses_concise_output(project: Path) -> None:
    tasks = json.loads(readme_block("## Editors", "json"))
    [task] = tasks["tasks"]
    assert task["command"] == "leaklint check . --format concise"
    pattern = task["problemMatcher"]["pattern"]
    line = leaklint("check", "leak.js", "--format", "concise").stdout.splitlines()[0]
    m = re.match(pattern["regexp"], line)
    assert m is not None
    fields = {key: m.group(pattern[key]) for key in ("file", "line", "column", "code", "message")}
    assert fields == {"file": "leak.js", "line": "1", "column": "15", "code": "implicit-global",
                      "message": "Assignment to undeclared `leaked` creates an implicit global"}


def test_lsp_without_pygls_says_how_to_install_it() -> None:
    code = ("import sys; sys.modules['pygls'] = None; sys.argv = ['leaklint', 'lsp']; "
            "from leaklint.cli import main; main()")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2
    assert "pip install 'leaklint[lsp]'" in proc.stderr


def test_force_exclude_applies_exclude_to_files_named_on_the_command_line(project: Path) -> None:
    (project / "dist").mkdir()
    (project / "dist" / "bundle.js").write_text(LEAK, encoding="utf-8")
    (project / "leaklint.toml").write_text('exclude = ["dist/", "leak.js"]\n', encoding="utf-8")
    named = ("check", "leak.js", "dist/bundle.js", "clean.js", "--format", "concise")
    # a named file is checked whatever `exclude` says...
    result = leaklint(*named)
    assert result.exit_code == 1
    assert sorted(line.split(":")[0] for line in result.stdout.splitlines()) == ["dist/bundle.js", "leak.js"]
    # ...unless --force-exclude (the pre-commit hook's flag) or `force-exclude = true` is set
    assert (leaklint(*named, "--force-exclude").exit_code, leaklint(*named, "--force-exclude").stdout) == (0, "")
    assert leaklint("check", "dist", "--force-exclude", "--format", "json").stdout.count("bundle.js") == 0
    (project / "leaklint.toml").write_text('exclude = ["dist/", "leak.js"]\nforce-exclude = true\n', encoding="utf-8")
    assert leaklint(*named).exit_code == 0
    assert leaklint("check", "leak.js", "--isolated").exit_code == 1
