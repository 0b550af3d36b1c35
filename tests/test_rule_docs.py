"""Every rule has one document, and the document matches the code and the corpus."""

import re
from pathlib import Path

import pytest

from leaklint.api import check_text
from leaklint.docs import REQUIRED_SECTIONS, load_docs
from leaklint.rules import REGISTRY
from leaklint.suppression import UNUSED_RULE_ID

ROOT = Path(__file__).resolve().parent.parent
DOCS = load_docs()
RULE_IDS = sorted(REGISTRY)
_CODE = re.compile(r"```(js|jsx|ts|tsx|javascript|typescript)\n(.*?)```", re.S)


def test_registry_docs_and_modules_agree() -> None:
    assert set(DOCS) == set(REGISTRY) | {UNUSED_RULE_ID, "heap-growth"}
    modules = {p.stem.replace("_", "-") for p in (ROOT / "leaklint" / "rules").glob("*.py")
               if p.stem not in ("__init__", "base") and not p.stem.startswith("_")}
    assert modules == set(REGISTRY)
    for rule_id, module in REGISTRY.items():
        assert module.RULE_ID == rule_id
        assert (ROOT / "rules" / f"{rule_id}.md").is_file()


@pytest.mark.parametrize("rule_id", sorted(DOCS))
def test_document_sections_and_metadata(rule_id: str) -> None:
    meta = DOCS[rule_id]
    assert meta.path.stem == rule_id
    assert meta.summary and len(meta.summary) <= 120 and not meta.summary.endswith(".")
    for title in REQUIRED_SECTIONS:
        assert meta.section(title), f"{rule_id}: section '## {title}' missing or empty"
    assert meta.messages, f"{rule_id}: no messages declared"
    for mid, template in meta.messages.items():
        assert not template.endswith("."), f"{rule_id}/{mid}: messages have no final period"
        assert template[:1].isupper() or template[:1] in "`'", f"{rule_id}/{mid}: sentence case"


@pytest.mark.parametrize("rule_id", RULE_IDS)
def test_corpus_folder_exists(rule_id: str) -> None:
    folder = ROOT / "corpus" / rule_id
    assert folder.is_dir() and any(folder.iterdir()), f"corpus/{rule_id}/ is missing or empty"


def _examples(rule_id: str, section: str) -> list[tuple[str, str]]:
    body = DOCS[rule_id].section(section)
    return [(lang, code) for lang, code in _CODE.findall(body)]


_EXT = {"js": ".js", "javascript": ".js", "jsx": ".jsx", "ts": ".ts", "typescript": ".ts", "tsx": ".tsx"}


@pytest.mark.parametrize("rule_id", RULE_IDS)
def test_doc_examples_behave_as_documented(rule_id: str) -> None:
    """The `Example` code triggers the rule; the `Use instead` code does not."""
    bad = _examples(rule_id, "Example")
    good = _examples(rule_id, "Use instead")
    assert bad, f"{rule_id}: no code block under '## Example'"
    assert good, f"{rule_id}: no code block under '## Use instead'"
    for lang, code in bad:
        found = [f for f in check_text(code, "example" + _EXT[lang]).findings if f.rule_id == rule_id]
        assert found, f"{rule_id}: the documented example does not trigger the rule:\n{code}"
    for lang, code in good:
        found = [f for f in check_text(code, "example" + _EXT[lang]).findings if f.rule_id == rule_id]
        assert not found, f"{rule_id}: the documented fix still triggers the rule: {found[0].message}\n{code}"


def test_used_message_ids_are_declared() -> None:
    """Every `ctx.report(..., "id", ...)` in a rule module names a message its document declares."""
    for rule_id, module in REGISTRY.items():
        source = Path(module.__file__).read_text()
        used = set(re.findall(r"ctx\.report\([^,]+,\s*\"([a-z0-9-]+)\"", source))
        missing = used - set(DOCS[rule_id].messages)
        assert not missing, f"{rule_id}: messages used but not declared: {sorted(missing)}"
