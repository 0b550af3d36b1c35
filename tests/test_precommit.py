"""The pre-commit hook (`.pre-commit-hooks.yaml`), run by the real pre-commit."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
HOOKS = ROOT / ".pre-commit-hooks.yaml"
# what building the package needs (the sdist's files), plus the hook manifest
PROJECT_FILES = ("leaklint", "rules", "pyproject.toml", "README.md", ".pre-commit-hooks.yaml")
LEAK = "function f(){ leaked = 1 }\nmodule.exports = f;\n"
FIXED = "function f(){ let leaked = 1; return leaked }\nmodule.exports = f;\n"
GIT = ("git", "-c", "user.name=leaklint tests", "-c", "user.email=tests@leaklint.invalid",
       "-c", "commit.gpgsign=false", "-c", "init.defaultBranch=main")


def git(cwd: Path, *args: str) -> str:
    return subprocess.run([*GIT, *args], cwd=cwd, check=True, capture_output=True, text=True).stdout


def test_hook_manifest() -> None:
    pytest.importorskip("pre_commit", reason="pre-commit is not installed (the test extra has it)")
    from pre_commit.clientlib import load_manifest

    [hook] = load_manifest(str(HOOKS))  # pre-commit's own schema check
    assert hook["id"] == "leaklint"
    assert hook["language"] == "python"
    assert hook["require_serial"] is True
    # no report file: with several batches, each would overwrite the last one's
    command = " ".join([hook["entry"], *hook["args"]])
    assert not re.search(r"(^|\s)(-o|--output|--write-baseline)\b", command)
    files = re.compile(hook["files"])
    for name in ("a.js", "b/a.mjs", "a.cjs", "a.jsx", "a.ts", "a.mts", "a.cts", "a.tsx", "types.d.ts"):
        assert files.search(name), name
    for name in ("a.json", "a.js.map", "README.md", "a.tsbuildinfo", "jsx"):
        assert not files.search(name), name


def test_manifest_is_plain_yaml_list() -> None:
    hooks = yaml.safe_load(HOOKS.read_text(encoding="utf-8"))
    assert [h["id"] for h in hooks] == ["leaklint"]


@pytest.fixture(scope="module")
def hook_repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A committed copy of this checkout, so that try-repo sees the working tree as it is now."""
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    repo = tmp_path_factory.mktemp("hook-repo")
    for name in PROJECT_FILES:
        source = ROOT / name
        if source.is_dir():
            skipped = shutil.ignore_patterns("__pycache__", "*.pyc", ".leaklint_cache")
            shutil.copytree(source, repo / name, ignore=skipped)
        else:
            shutil.copy2(source, repo / name)
    git(repo, "init", "-q")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "leaklint")
    return repo


@pytest.fixture(scope="module")
def pre_commit_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("pre-commit-home")


def try_repo(cwd: Path, hook_repo: Path, home: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PRE_COMMIT_HOME": str(home), "PRE_COMMIT_COLOR": "never"}
    env.pop("LEAKLINT_STRICT", None)
    return subprocess.run([sys.executable, "-m", "pre_commit", "try-repo", str(hook_repo), "leaklint", "--all-files"],
                          cwd=cwd, env=env, capture_output=True, text=True, timeout=600)


@pytest.mark.slow
def test_hook_fails_on_a_leak_and_passes_once_fixed(tmp_path: Path, hook_repo: Path, pre_commit_home: Path) -> None:
    """pre-commit builds a virtualenv and installs leaklint into it from the copy (needs the package index)."""
    pytest.importorskip("pre_commit", reason="pre-commit is not installed (the test extra has it)")
    work = tmp_path / "work"
    (work / "src").mkdir(parents=True)
    # .cts has no pre-commit file-type tag: only the hook's `files` pattern selects it
    (work / "src" / "leak.cts").write_text(LEAK, encoding="utf-8")
    (work / "src" / "clean.js").write_text(FIXED, encoding="utf-8")
    (work / "notes.txt").write_text("leaked = 1\n", encoding="utf-8")
    git(work, "init", "-q")
    git(work, "add", "-A")
    status = git(work, "status", "--porcelain", "--untracked-files=all")

    failed = try_repo(work, hook_repo, pre_commit_home)
    assert failed.returncode == 1, failed.stdout + failed.stderr
    assert re.search(r"^leaklint\.+Failed$", failed.stdout, re.M), failed.stdout
    assert "src/leak.cts:1:15: implicit-global Assignment to undeclared `leaked` creates an implicit global" \
        in failed.stdout
    assert "notes.txt" not in failed.stdout
    assert git(work, "status", "--porcelain", "--untracked-files=all") == status  # the run wrote no report

    (work / "src" / "leak.cts").write_text(FIXED, encoding="utf-8")
    git(work, "add", "-A")
    passed = try_repo(work, hook_repo, pre_commit_home)
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert re.search(r"^leaklint\.+Passed$", passed.stdout, re.M), passed.stdout


def test_readme_snippet_uses_the_hook() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    snippet = readme.split("\n## pre-commit\n", 1)[1].split("```yaml\n", 1)[1].split("```", 1)[0]
    [repo] = yaml.safe_load(snippet)["repos"]
    assert [h["id"] for h in repo["hooks"]] == [h["id"] for h in yaml.safe_load(HOOKS.read_text(encoding="utf-8"))]
