"""Every corpus file: its findings and its annotations agree, in both directions."""

from pathlib import Path

import pytest

from leaklint.api import check_text
from leaklint.files import EXTENSIONS
from leaklint.settings import Settings
from leaklint.testing import match, read_annotations

CORPUS = Path(__file__).resolve().parent.parent / "corpus"
FILES = sorted(p for p in CORPUS.rglob("*") if p.suffix in EXTENSIONS and p.is_file())


@pytest.mark.parametrize("path", FILES, ids=[str(p.relative_to(CORPUS)) for p in FILES])
def test_corpus_file(path: Path) -> None:
    cf = read_annotations(path)
    name = cf.options.get("filename", str(path))
    settings = Settings()
    if "globals" in cf.options:
        settings = settings.with_overrides(globals=tuple(cf.options["globals"].split("|")))
    result = check_text(path.read_bytes(), name, settings)
    problems = match(cf, result.findings)
    assert not problems, "\n".join(problems)


def test_corpus_is_not_empty() -> None:
    assert len(FILES) >= 1
