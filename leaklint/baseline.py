"""Baselines: adopt leaklint on an existing codebase by reporting only new findings.

A baseline is a previous leaklint report, JSON (`--format json`, which `--write-baseline`
writes) or SARIF. A finding is in the baseline when a baseline entry has the same path, rule and
fingerprint. Fingerprints hold no line numbers (see `checker.fingerprint_findings`), so a finding
that unrelated edits moved to another line stays matched. Entries are counted: two identical
findings in the baseline cover at most two findings now.

Paths are compared as reports write them, relative to the current folder: write and use a
baseline from the same folder (usually the repository root).
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable
from urllib.parse import unquote, urlparse

from leaklint.files import display_path
from leaklint.findings import Finding
from leaklint.reporters.sarif import FINGERPRINT_KEY

# (path, rule id, fingerprint); a finding without a fingerprint is keyed by its message instead
Key = tuple[str, str, str]


class BaselineError(Exception):
    """A baseline file that cannot be read or is not a leaklint report."""


def key(path: str, rule_id: str, fingerprint: str, message: str) -> Key:
    return (path, rule_id, fingerprint or f"message:{message}")


def finding_key(f: Finding) -> Key:
    return key(f.path, f.rule_id, f.fingerprint, f.message)


@dataclass(frozen=True, slots=True)
class Baseline:
    entries: Counter[Key]

    def __len__(self) -> int:
        return sum(self.entries.values())

    def split(self, findings: Iterable[Finding]) -> tuple[list[Finding], list[Finding]]:
        """(new findings, findings the baseline already holds), each in the order given."""
        left = Counter(self.entries)
        new: list[Finding] = []
        known: list[Finding] = []
        for f in findings:
            k = finding_key(f)
            if left[k] > 0:
                left[k] -= 1
                known.append(f)
            else:
                new.append(f)
        return new, known


def from_findings(findings: Iterable[Finding]) -> Baseline:
    return Baseline(Counter(finding_key(f) for f in findings))


def load(path: Path) -> Baseline:
    """Read a leaklint JSON or SARIF report as a baseline."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise BaselineError(f"{path}: no such file") from None
    except OSError as e:
        raise BaselineError(f"{path}: cannot read: {e.strerror or e}") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        raise BaselineError(f"{path}: not JSON: {e}") from None
    if isinstance(data, dict) and isinstance(data.get("runs"), list):
        return Baseline(Counter(_sarif_keys(data, path)))
    if isinstance(data, dict) and isinstance(data.get("findings"), list):
        return Baseline(Counter(_json_keys(data, path)))
    raise BaselineError(f"{path}: not a leaklint JSON or SARIF report")


def _json_keys(data: dict[str, Any], path: Path) -> Iterable[Key]:
    for i, f in enumerate(data["findings"]):
        try:
            yield key(f["path"], f["rule"], f.get("fingerprint", ""), f.get("message", ""))
        except (TypeError, KeyError) as e:
            raise BaselineError(f"{path}: finding {i} has no {e}") from None


def _sarif_keys(data: dict[str, Any], path: Path) -> Iterable[Key]:
    for run in data["runs"]:
        for i, r in enumerate(run.get("results") or ()):
            if r.get("suppressions"):
                continue  # suppressed in the source when the report was written; not a finding
            try:
                uri = r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                fingerprint = (r.get("partialFingerprints") or {}).get(FINGERPRINT_KEY, "")
                yield key(_uri_path(uri), r["ruleId"], fingerprint, r["message"]["text"])
            except (TypeError, KeyError, IndexError) as e:
                raise BaselineError(f"{path}: result {i} has no {e}") from None


def _uri_path(uri: str) -> str:
    """A SARIF artifact URI as a report path (relative URIs are relative to the current folder)."""
    if uri.startswith("file:"):
        return display_path(Path(unquote(urlparse(uri).path)))
    return unquote(uri)


def write(findings: Iterable[Finding], out: Path) -> int:
    """Write `findings` as a baseline and return their number.

    The file is leaklint JSON without line numbers, sorted by path, rule and fingerprint, so that
    rewriting it after unrelated edits changes nothing.
    """
    entries = sorted(({"path": f.path, "rule": f.rule_id, "fingerprint": f.fingerprint, "message": f.message}
                      for f in findings), key=lambda e: (e["path"], e["rule"], e["fingerprint"], e["message"]))
    doc = {"version": 1, "kind": "baseline", "findings": entries}
    out.write_text(json.dumps(doc, indent=2, sort_keys=True) + "\n", encoding="utf-8", newline="\n")
    return len(entries)
