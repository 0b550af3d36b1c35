"""listener-leak beyond the corpus: the `long-lived` setting, evidence, and the cleanup-path helpers."""

from __future__ import annotations

import pytest

from leaklint.api import check_text
from leaklint.semantic.cleanup import can_run, enclosing_teardown, teardown_reason
from leaklint.semantic.model import SemanticModel
from leaklint.semantic.scope import SourceType
from leaklint.settings import Settings
from leaklint.syntax import Dialect, parse, walk

HANDLER = """
function handler(req, res, bus) {
  bus.on("message", (m) => res.write(m));
  this.pool.on("error", (e) => res.end(String(e)));
}
module.exports = handler;
"""


def _leaks(source: str, settings: Settings | None = None, path: str = "a.cjs") -> list[str]:
    result = check_text(source, path, settings or Settings(select=("listener-leak",)))
    return [f.message for f in result.findings if f.rule_id == "listener-leak"]


def test_parameters_of_a_request_handler_are_not_long_lived_by_default() -> None:
    assert _leaks(HANDLER) == []


def test_long_lived_setting_names_shared_parameters_and_fields() -> None:
    settings = Settings(select=("listener-leak",), long_lived=("bus", "pool"))
    messages = _leaks(HANDLER, settings)
    assert len(messages) == 2
    assert "long-lived `bus`" in messages[0] and "`'message'`" in messages[0]
    assert "long-lived `this.pool`" in messages[1]


def test_evidence_points_at_declaration_repeat_and_unmatched_removal() -> None:
    source = (
        "const { EventEmitter } = require('events');\n"
        "const bus = new EventEmitter();\n"
        "function subscribe(send) {\n"
        "  bus.on('message', send.bind(null));\n"
        "  return () => bus.off('message', send.bind(null));\n"
        "}\n"
        "module.exports = { subscribe };\n"
    )
    result = check_text(source, "a.cjs", Settings(select=("listener-leak",)))
    leak = next(f for f in result.findings if f.message_id == "leak")
    assert leak.message == ("Listener for `'message'` is added to module-level `bus` on every call of exported "
                            "`subscribe` and never removed")
    assert [r.span.line for r in leak.related] == [2, 3, 5]
    assert "cannot match" in leak.related[2].message
    fresh = next(f for f in result.findings if f.message_id == "fresh-removal")
    assert fresh.span.line == 5


def _model(source: str, dialect: Dialect = Dialect.JS) -> tuple[SemanticModel, list]:
    parsed = parse(source.encode(), dialect)
    model = SemanticModel(parsed, SourceType.MODULE)
    functions = [n for n in walk(parsed.root) if n.type in ("arrow_function", "function_declaration",
                                                           "method_definition", "function_expression")]
    return model, functions


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("useEffect(() => { return () => off(); });", "the `useEffect` cleanup"),
        ("useEffect(() => () => off());", "the `useEffect` cleanup"),
        ("class A { componentWillUnmount() {} }", "`componentWillUnmount`"),
        ("export default { beforeUnmount() {} };", "`beforeUnmount`"),
        ("class A { ngOnDestroy() {} }", "`ngOnDestroy`"),
        ("class A extends HTMLElement { disconnectedCallback() {} }", "`disconnectedCallback`"),
        ("onUnmounted(() => {});", "`onUnmounted`"),
        ("req.on('close', () => {});", "the `'close'` handler"),
        ("function sub() { return () => {}; }", "the returned disposer"),
    ],
)
def test_teardown_reason_recognises_cleanup_paths(source: str, expected: str) -> None:
    model, functions = _model(source)
    reasons = [teardown_reason(model, fn) for fn in functions]
    assert expected in reasons


def test_teardown_reason_is_none_for_ordinary_code() -> None:
    model, functions = _model("class A { componentDidMount() {} }\nreq.on('data', () => {});")
    assert [teardown_reason(model, fn) for fn in functions] == [None, None]


def test_can_run_and_enclosing_teardown() -> None:
    source = (
        "export function effect() {\n"
        "  const unused = () => stop();\n"
        "  const used = () => stop();\n"
        "  return used;\n"
        "}\n"
    )
    model, functions = _model(source)
    by_line = {fn.start_point[0]: fn for fn in functions}
    assert can_run(model, by_line[0])
    unused = next(fn for fn in functions if fn.start_point[0] == 1)
    used = next(fn for fn in functions if fn.start_point[0] == 2)
    assert not can_run(model, unused)
    assert can_run(model, used)
    call = next(n for n in walk(used) if n.type == "call_expression")
    found = enclosing_teardown(model, call)
    assert found is not None and found[0] == used and found[1] == "the returned disposer"
