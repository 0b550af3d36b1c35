"""A short fuzz run: hostile and random JavaScript never makes the analyzer raise, and findings
survive edits that do not change the program. The long run is `python scripts/fuzz.py`."""

from __future__ import annotations

from pathlib import Path

import pytest
from fuzzing import (
    EDIT_TEXTS,
    Edit,
    check_never_raises,
    check_stable_under_edits,
    edit_points,
    grammar_program,
    load_seeds,
    mutated_source,
    nested_program,
)
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

SEEDS = load_seeds()
SHORT = settings(max_examples=120, deadline=None,
                 suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
REGRESSIONS = Path(__file__).resolve().parent / "regressions"


@SHORT
@given(mutated_source(SEEDS))
def test_mutated_corpus_files_never_raise(case: tuple[str, bytes]) -> None:
    check_never_raises(*case)


@SHORT
@given(grammar_program())
def test_grammar_shaped_programs_never_raise(case: tuple[str, bytes]) -> None:
    check_never_raises(*case)


@settings(SHORT, max_examples=25)
@given(nested_program())
def test_deeply_nested_programs_never_raise(case: tuple[str, bytes]) -> None:
    check_never_raises(*case)


@st.composite
def edited(draw: st.DrawFn, source: st.SearchStrategy[tuple[str, bytes]]) -> tuple[str, bytes, list[Edit]]:
    filename, raw = draw(source)
    points = edit_points(filename, raw)
    if not points:
        return filename, raw, []
    lines = draw(st.lists(st.sampled_from(points), min_size=1, max_size=4, unique=True))
    return filename, raw, [Edit(line, draw(st.sampled_from(EDIT_TEXTS))) for line in lines]


@settings(SHORT, max_examples=60)
@given(edited(st.one_of(grammar_program(), nested_program(max_depth=30), st.sampled_from(SEEDS))))
def test_findings_move_with_inserted_lines(case: tuple[str, bytes, list[Edit]]) -> None:
    filename, raw, edits = case
    check_stable_under_edits(filename, raw, edits)


@pytest.mark.parametrize("seed", SEEDS, ids=[name for name, _ in SEEDS])
def test_every_corpus_file_is_stable_when_lines_are_inserted_before_each_statement(seed: tuple[str, bytes]) -> None:
    filename, raw = seed
    points = edit_points(filename, raw)
    check_stable_under_edits(filename, raw, [Edit(line, "// an unrelated note\n") for line in points])


def test_edit_points_are_line_starts_of_statements() -> None:
    src = b"const a = 1;\nfunction f() {\n  return `x\n${a}`;\n}\n  g(); h();\n"
    assert edit_points("a.js", src) == [1, 2, 3, 6]
    assert edit_points("a.js", b"function (\n") == []  # a syntax error: nothing is safe to edit


REGRESSION_FILES = sorted(p for p in REGRESSIONS.iterdir() if p.is_file()) if REGRESSIONS.is_dir() else []


@pytest.mark.parametrize("path", REGRESSION_FILES, ids=[p.name for p in REGRESSION_FILES])
def test_crash_regressions(path: Path) -> None:
    """Inputs that once crashed the analyzer (found by fuzzing), one file each."""
    check_never_raises(path.name, path.read_bytes())
