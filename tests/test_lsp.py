"""The language server, driven over stdio by pygls' own client: `leaklint lsp` as editors start it."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path
from typing import Any, Awaitable, Callable

import pytest

pytest.importorskip("pygls", reason="the language server needs the lsp extra (pygls)")

from lsprotocol import types  # noqa: E402
from pygls.lsp.client import LanguageClient  # noqa: E402

LEAK = "function f(){ leaked = 1 }\nmodule.exports = f;\n"
FIXED = "function f(){ let leaked = 1; return leaked }\nmodule.exports = f;\n"
TIMEOUT = 30  # seconds to wait for any one message; a healthy server answers in well under one


class Session:
    """A client connected to a `leaklint lsp` process, recording what the server publishes."""

    def __init__(self, client: LanguageClient) -> None:
        self.client = client
        self.published: asyncio.Queue[types.PublishDiagnosticsParams] = asyncio.Queue()
        self.messages: list[types.ShowMessageParams] = []
        self.logs: list[str] = []
        self.versions: dict[str, int] = {}

    def open(self, path: Path, text: str, language_id: str = "javascript") -> str:
        uri = path.as_uri()
        self.versions[uri] = 1
        self.client.text_document_did_open(types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(uri=uri, language_id=language_id, version=1, text=text)))
        return uri

    def change(self, uri: str, text: str) -> int:
        self.versions[uri] += 1
        self.client.text_document_did_change(types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=self.versions[uri]),
            content_changes=[types.TextDocumentContentChangeWholeDocument(text=text)]))
        return self.versions[uri]

    def save(self, uri: str) -> None:
        self.client.text_document_did_save(types.DidSaveTextDocumentParams(
            text_document=types.TextDocumentIdentifier(uri=uri)))

    async def diagnostics(self, uri: str, version: int | None = None) -> list[types.Diagnostic]:
        """The next diagnostics published for `uri` (for `version` of it, when given)."""
        while True:
            params = await asyncio.wait_for(self.published.get(), TIMEOUT)
            if params.uri == uri and (version is None or params.version == version):
                return list(params.diagnostics)


def run(tmp_path: Path, script: Callable[[Session], Awaitable[Any]],
        capabilities: types.ClientCapabilities | None = None) -> Any:
    """Start `leaklint lsp` in `tmp_path`, initialise it, run `script`, shut the server down."""

    async def main() -> Any:
        client = LanguageClient("leaklint-tests", "1")
        session = Session(client)

        @client.feature(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
        def on_diagnostics(params: types.PublishDiagnosticsParams) -> None:
            session.published.put_nowait(params)

        @client.feature(types.WINDOW_SHOW_MESSAGE)
        def on_message(params: types.ShowMessageParams) -> None:
            session.messages.append(params)

        @client.feature(types.WINDOW_LOG_MESSAGE)
        def on_log(params: types.LogMessageParams) -> None:
            session.logs.append(params.message)

        await client.start_io(sys.executable, "-m", "leaklint", "lsp", cwd=str(tmp_path))
        try:
            params = types.InitializeParams(capabilities=capabilities or types.ClientCapabilities(),
                                            root_uri=tmp_path.as_uri(), process_id=None)
            result = await asyncio.wait_for(client.initialize_async(params), TIMEOUT)
            assert result.capabilities.code_action_provider is not None
            client.initialized(types.InitializedParams())
            return await script(session)
        finally:
            await asyncio.wait_for(client.shutdown_async(None), TIMEOUT)
            client.exit(None)
            await asyncio.wait_for(client.stop(), TIMEOUT)

    return asyncio.run(main())


def test_diagnostics_on_open_change_and_save(tmp_path: Path) -> None:
    async def script(s: Session) -> None:
        uri = s.open(tmp_path / "app.js", LEAK)
        [d] = await s.diagnostics(uri, version=1)
        assert d.code == "implicit-global"
        assert d.source == "leaklint"
        assert d.severity == types.DiagnosticSeverity.Warning
        assert "`leaked`" in d.message
        # `leaked` is line 1, columns 15-21 in leaklint's 1-based columns
        assert (d.range.start.line, d.range.start.character) == (0, 14)
        assert (d.range.end.line, d.range.end.character) == (0, 20)
        assert d.code_description is not None and d.code_description.href.endswith("implicit-global.md")

        fixed = s.change(uri, FIXED)
        assert await s.diagnostics(uri, version=fixed) == []

        # edits in quick succession are checked once, for the last text
        s.change(uri, LEAK)
        last = s.change(uri, "\n" + FIXED)
        params = await asyncio.wait_for(s.published.get(), TIMEOUT)
        assert (params.uri, params.version, list(params.diagnostics)) == (uri, last, [])

        # saving checks at once
        again = s.change(uri, "\n\n" + LEAK)
        s.save(uri)
        [d] = await s.diagnostics(uri, version=again)
        assert d.range.start.line == 2

    run(tmp_path, script)


@pytest.mark.parametrize(("encoding", "start"), [
    (None, 30),  # LSP's default, UTF-16: "😀" is two code units
    (types.PositionEncodingKind.Utf32, 29),  # one code point
    (types.PositionEncodingKind.Utf8, 32),  # four bytes
])
def test_positions_use_the_negotiated_encoding(tmp_path: Path, encoding: str | None, start: int) -> None:
    async def script(s: Session) -> None:
        uri = s.open(tmp_path / "emoji.js", 'function f(){ const s = "😀"; leaked = s }\nmodule.exports = f;\n')
        [d] = await s.diagnostics(uri, version=1)
        assert (d.range.start.character, d.range.end.character) == (start, start + len("leaked"))

    general = types.GeneralClientCapabilities(position_encodings=[encoding]) if encoding else None
    run(tmp_path, script, types.ClientCapabilities(general=general))


def test_quick_fix_inserts_a_suppression_comment(tmp_path: Path) -> None:
    text = "module.exports = function f() {\n  if (x) {\n    leaked = 1;\n  }\n};\n"

    async def script(s: Session) -> tuple[list[types.CodeAction], list[types.Diagnostic]]:
        uri = s.open(tmp_path / "app.cjs", text)
        diags = [d for d in await s.diagnostics(uri, version=1) if d.code == "implicit-global"]
        actions = await asyncio.wait_for(s.client.text_document_code_action_async(types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=uri), range=diags[0].range,
            context=types.CodeActionContext(diagnostics=diags))), TIMEOUT)
        [action] = actions
        assert action.kind == types.CodeActionKind.QuickFix
        assert action.title == "Disable implicit-global for this line"
        [edit] = action.edit.changes[uri]
        assert (edit.range.start.line, edit.range.start.character) == (2, 0)
        assert edit.new_text == "    // leaklint-disable-next-line implicit-global\n"
        lines = text.splitlines(keepends=True)
        lines.insert(2, edit.new_text)
        version = s.change(uri, "".join(lines))
        return actions, await s.diagnostics(uri, version=version)

    _, after = run(tmp_path, script)
    assert after == []


def test_quick_fix_extends_an_existing_comment() -> None:
    from leaklint.lsp import disable_edit

    lines = ["  // leaklint-disable-next-line listener-leak -- owned by the app", "  bus.on('x', f);"]
    edit = disable_edit(lines, 1, "implicit-global", "\n")
    end_of_ids = len("  // leaklint-disable-next-line listener-leak")
    assert (edit.range.start.line, edit.range.start.character) == (0, end_of_ids)
    assert edit.new_text == ", implicit-global"


def test_configuration_is_found_from_the_document(tmp_path: Path) -> None:
    quiet = tmp_path / "legacy"
    quiet.mkdir()
    (quiet / "leaklint.toml").write_text('ignore = ["implicit-global"]\n', encoding="utf-8")
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "leaklint.toml").write_text('select = ["no-such-rule"]\n', encoding="utf-8")
    app = tmp_path / "app"
    (app / "generated").mkdir(parents=True)
    (app / "leaklint.toml").write_text('exclude = ["generated/"]\n', encoding="utf-8")

    async def script(s: Session) -> None:
        uri = s.open(quiet / "old.js", LEAK)
        assert await s.diagnostics(uri, version=1) == []
        uri = s.open(tmp_path / "new.js", LEAK)
        assert [d.code for d in await s.diagnostics(uri, version=1)] == ["implicit-global"]
        uri = s.open(tmp_path / "typo.js", "// leaklint-disable-next-line implicit-globl\n" + LEAK)
        [typo, finding] = sorted(await s.diagnostics(uri, version=1), key=lambda d: d.range.start.line)
        assert (typo.code, typo.range.start.line, finding.code) == ("config", 0, "implicit-global")
        assert "unknown rule id `implicit-globl`" in typo.message
        uri = s.open(app / "generated" / "bundle.js", LEAK)
        assert await s.diagnostics(uri, version=1) == []
        uri = s.open(app / "main.js", LEAK)
        assert len(await s.diagnostics(uri, version=1)) == 1
        for name in ("x.js", "y.js"):
            uri = s.open(broken / name, LEAK)
            assert await s.diagnostics(uri, version=1) == []
        [message] = s.messages  # once, not on every document or keystroke
        assert message.type == types.MessageType.Error
        assert "leaklint.toml" in message.message and "no-such-rule" in message.message

    run(tmp_path, script)


def test_unsaved_buffer_is_checked_by_language(tmp_path: Path) -> None:
    async def script(s: Session) -> None:
        uri = "untitled:Untitled-1"
        s.versions[uri] = 1
        s.client.text_document_did_open(types.DidOpenTextDocumentParams(text_document=types.TextDocumentItem(
            uri=uri, language_id="typescript", version=1, text="function f(n: number): void { leaked = n }\n")))
        [d] = await s.diagnostics(uri, version=1)
        assert d.code == "implicit-global"
        assert s.logs == []  # parsed as TypeScript: no parse error for the annotations
        other = s.open(tmp_path / "notes.txt", LEAK, language_id="plaintext")
        assert await s.diagnostics(other, version=1) == []

    run(tmp_path, script)


def test_a_changed_package_json_type_is_seen(tmp_path: Path) -> None:
    """The server outlives edits: a package.json that becomes `"type": "module"` makes the next
    check treat the file as a (strict) module, where an assignment creates no global."""
    pkg = tmp_path / "package.json"
    pkg.write_text('{"type": "commonjs"}', encoding="utf-8")

    async def script(s: Session) -> None:
        uri = s.open(tmp_path / "a.js", LEAK)
        assert [d.code for d in await s.diagnostics(uri, version=1)] == ["implicit-global"]
        pkg.write_text('{"type": "module"}', encoding="utf-8")
        assert await s.diagnostics(uri, version=s.change(uri, LEAK + "\n")) == []

    run(tmp_path, script)
