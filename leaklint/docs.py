"""Rule documents: `rules/<id>.md`, TOML front matter (metadata, messages, hints) plus Markdown.

The documents are the single source of rule metadata: the CLI (`leaklint rule ID`, `leaklint
rules`), the SARIF rule table and the rule code all read them. In a source checkout they live in
the top-level `rules/` folder; an installed wheel carries them as `leaklint/_rules`.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

from leaklint.findings import Confidence, Severity

_FRONT = re.compile(r"\A\+\+\+\s*\n(.*?)\n\+\+\+\s*\n", re.S)
REQUIRED_SECTIONS = ("What it does", "Why is this bad?", "Example", "Use instead", "Known limitations")
PRECISIONS = ("very-high", "high", "medium", "low")


class RuleDocError(Exception):
    pass


@dataclass(frozen=True, slots=True)
class RuleMeta:
    id: str
    summary: str  # one line: what the rule flags
    severity: Severity
    precision: str  # SARIF precision: very-high / high / medium / low
    status: str  # stable / preview
    tags: tuple[str, ...]
    messages: dict[str, str]
    hints: dict[str, str]
    markdown: str  # the document without its front matter
    path: Path

    @property
    def confidence(self) -> Confidence:
        return Confidence.HIGH if self.precision in ("very-high", "high") else (
            Confidence.MEDIUM if self.precision == "medium" else Confidence.LOW)

    def section(self, title: str) -> str:
        """The body of a `## title` section ('' when absent)."""
        m = re.search(rf"^## {re.escape(title)}\s*\n(.*?)(?=^## |\Z)", self.markdown, re.S | re.M)
        return m.group(1).strip() if m else ""

    @property
    def full_description(self) -> str:
        return " ".join(self.section("What it does").split())

    @property
    def plain_help(self) -> str:
        """The document as plain text (no front matter), for SARIF `help.text`."""
        return self.markdown.strip()


def rules_dir() -> Path:
    here = Path(__file__).resolve().parent
    for cand in (here / "_rules", here.parent / "rules"):
        if cand.is_dir():
            return cand
    raise RuleDocError("rule documents not found (expected leaklint/_rules or rules/)")


def parse_doc(path: Path) -> RuleMeta:
    raw = path.read_text(encoding="utf-8")
    m = _FRONT.match(raw)
    if not m:
        raise RuleDocError(f"{path}: missing +++ TOML front matter")
    try:
        front = tomllib.loads(m.group(1))
    except tomllib.TOMLDecodeError as e:
        raise RuleDocError(f"{path}: invalid front matter: {e}") from e
    body = raw[m.end():]
    try:
        sev = Severity(front.get("severity", "warning"))
        precision = front.get("precision", "high")
        if precision not in PRECISIONS:
            raise ValueError(f"precision must be one of {PRECISIONS}")
        return RuleMeta(
            id=front["id"],
            summary=front["summary"],
            severity=sev,
            precision=precision,
            status=front.get("status", "stable"),
            tags=tuple(front.get("tags", ())),
            messages=dict(front.get("messages", {})),
            hints=dict(front.get("hints", {})),
            markdown=body,
            path=path,
        )
    except (KeyError, ValueError) as e:
        raise RuleDocError(f"{path}: {e}") from e


@lru_cache(maxsize=None)
def load_docs() -> dict[str, RuleMeta]:
    out = {}
    for p in sorted(rules_dir().glob("*.md")):
        if p.name.lower() == "readme.md":
            continue
        meta = parse_doc(p)
        out[meta.id] = meta
    return out
