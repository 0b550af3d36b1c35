"""The language server, `leaklint lsp` (needs the `lsp` extra: pygls).

It publishes diagnostics when a document is opened, changed (debounced) and saved, with the
configuration found from the document's folder (as `leaklint check --stdin-filename` does) and
the document's inline suppressions. Each diagnostic has a quick fix that inserts a
`leaklint-disable-next-line` comment above the flagged line.
"""

from __future__ import annotations

import asyncio
import re
from pathlib import Path

from lsprotocol import types
from pygls.lsp.server import LanguageServer
from pygls.workspace import TextDocument

from leaklint import __version__, api
from leaklint.docs import load_docs
from leaklint.files import dialect_for, forget_file_state
from leaklint.findings import Finding, Notification, NotificationKind, Severity, Span
from leaklint.reporters.text import utf16_to_index
from leaklint.semantic.model import environment_names
from leaklint.settings import ConfigError, Settings, find_config, load_settings

SOURCE = "leaklint"
DEBOUNCE_SECONDS = 0.3
# documents without a JavaScript/TypeScript file name (unsaved buffers) are checked by language
LANGUAGE_EXTENSIONS = {"javascript": ".js", "javascriptreact": ".jsx", "typescript": ".ts", "typescriptreact": ".tsx"}
_SEVERITY = {
    Severity.ERROR: types.DiagnosticSeverity.Error,
    Severity.WARNING: types.DiagnosticSeverity.Warning,
    Severity.NOTE: types.DiagnosticSeverity.Information,
}
_NEWLINE = re.compile(r"\r\n|\r|\n")
_DISABLE_NEXT_LINE = re.compile(r"^\s*//\s*leaklint-disable-next-line\s+\S")


class LeaklintServer(LanguageServer):
    def __init__(self) -> None:
        super().__init__(SOURCE, __version__)
        self._pending: dict[str, asyncio.TimerHandle] = {}
        self._shown_errors: set[str] = set()

    def schedule(self, uri: str) -> None:
        """Check `uri` once edits pause for DEBOUNCE_SECONDS."""
        self.cancel(uri)
        self._pending[uri] = asyncio.get_running_loop().call_later(DEBOUNCE_SECONDS, self.publish, uri)

    def cancel(self, uri: str) -> None:
        handle = self._pending.pop(uri, None)
        if handle is not None:
            handle.cancel()

    def publish(self, uri: str) -> None:
        self.cancel(uri)
        doc = self.workspace.get_text_document(uri)
        self.text_document_publish_diagnostics(types.PublishDiagnosticsParams(
            uri=uri, diagnostics=self.diagnostics(doc), version=doc.version))

    def clear(self, uri: str) -> None:
        self.cancel(uri)
        self.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=uri, diagnostics=[]))

    def diagnostics(self, doc: TextDocument) -> list[types.Diagnostic]:
        path = document_path(doc)
        if path is None:
            return []
        try:
            settings = settings_for(path)
        except ConfigError as e:
            self.show_error(f"leaklint: config error: {e}")
            return []
        if is_excluded(path, settings):
            return []
        forget_file_state()  # a package.json "type" may have changed since the last check
        result = api.check_text(doc.source, str(path), settings)
        lines = _NEWLINE.split(doc.source)
        for n in result.notifications:
            self.window_log_message(types.LogMessageParams(
                type=types.MessageType.Warning, message=f"leaklint: {doc.uri}: {n.kind.value}: {n.message}"))
        out = [self._finding(f, doc, lines) for f in result.findings]
        out += [self._notification(n, doc, lines) for n in result.notifications
                if n.kind is NotificationKind.CONFIG and n.span is not None]
        return out

    def show_error(self, message: str) -> None:
        """Show a message once (a broken config would otherwise pop up on every keystroke)."""
        if message not in self._shown_errors:
            self._shown_errors.add(message)
            self.window_show_message(types.ShowMessageParams(type=types.MessageType.Error, message=message))

    def _finding(self, f: Finding, doc: TextDocument, lines: list[str]) -> types.Diagnostic:
        meta = load_docs().get(f.rule_id)
        related = [types.DiagnosticRelatedInformation(
            location=types.Location(uri=doc.uri, range=to_range(r.span, lines, doc)), message=r.message)
            for r in f.related]
        return types.Diagnostic(
            range=to_range(f.span, lines, doc),
            message=f.message,
            severity=_SEVERITY[f.severity],
            code=f.rule_id,
            code_description=types.CodeDescription(href=meta.path.resolve().as_uri()) if meta else None,
            source=SOURCE,
            related_information=related or None,
        )

    def _notification(self, n: Notification, doc: TextDocument, lines: list[str]) -> types.Diagnostic:
        assert n.span is not None
        return types.Diagnostic(range=to_range(n.span, lines, doc), message=n.message,
                                severity=types.DiagnosticSeverity.Warning, code=n.kind.value, source=SOURCE)


def document_path(doc: TextDocument) -> Path | None:
    """The path the document is checked as, or None when it is not JavaScript or TypeScript."""
    path = Path(doc.path).absolute()
    if dialect_for(path) is not None:
        return path
    ext = LANGUAGE_EXTENSIONS.get(doc.language_id or "")
    if ext is None:
        return None
    return path.with_name(path.name + ext)


def settings_for(path: Path) -> Settings:
    config = find_config(path.parent if path.parent.is_dir() else Path.cwd())
    if config is None:
        return Settings()
    return load_settings(config, set(load_docs()), set(environment_names()))


def is_excluded(path: Path, settings: Settings) -> bool:
    spec = settings.exclude_spec()
    if spec is None:
        return False
    try:
        rel = path.resolve().relative_to(settings.base.resolve()).as_posix()
    except ValueError:
        return False
    return spec.match_file(rel)


def to_position(line: int, column: int, lines: list[str], doc: TextDocument) -> types.Position:
    """A 1-based line and 1-based UTF-16 column as an LSP position in the negotiated encoding."""
    text = lines[line - 1] if 0 < line <= len(lines) else ""
    index = utf16_to_index(text, column)
    return types.Position(line=line - 1, character=doc.position_codec.client_num_units(text[:index]))


def to_range(span: Span, lines: list[str], doc: TextDocument) -> types.Range:
    return types.Range(start=to_position(span.line, span.column, lines, doc),
                       end=to_position(span.end_line, span.end_column, lines, doc))


def disable_edit(lines: list[str], line: int, rule_id: str, eol: str) -> types.TextEdit:
    """The edit that suppresses `rule_id` on 0-based `line`: a `leaklint-disable-next-line`
    comment above it, or the rule added to the one already there (two stacked comments would
    each cover only the line after it)."""
    above = lines[line - 1] if 0 < line <= len(lines) else ""
    if line > 0 and _DISABLE_NEXT_LINE.match(above):
        reason = above.find(" --")
        end = reason if reason != -1 else len(above.rstrip())
        return types.TextEdit(range=types.Range(start=types.Position(line=line - 1, character=end),
                                                end=types.Position(line=line - 1, character=end)),
                              new_text=f", {rule_id}")
    text = lines[line] if line < len(lines) else ""
    indent = text[: len(text) - len(text.lstrip(" \t"))]
    start = types.Position(line=line, character=0)
    return types.TextEdit(range=types.Range(start=start, end=start),
                          new_text=f"{indent}// leaklint-disable-next-line {rule_id}{eol}")


def create_server() -> LeaklintServer:
    server = LeaklintServer()

    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    def did_open(ls: LeaklintServer, params: types.DidOpenTextDocumentParams) -> None:
        ls.publish(params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls: LeaklintServer, params: types.DidChangeTextDocumentParams) -> None:
        ls.schedule(params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_SAVE)
    def did_save(ls: LeaklintServer, params: types.DidSaveTextDocumentParams) -> None:
        ls.publish(params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: LeaklintServer, params: types.DidCloseTextDocumentParams) -> None:
        ls.clear(params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_CODE_ACTION,
                    types.CodeActionOptions(code_action_kinds=[types.CodeActionKind.QuickFix]))
    def code_action(ls: LeaklintServer, params: types.CodeActionParams) -> list[types.CodeAction]:
        uri = params.text_document.uri
        source = ls.workspace.get_text_document(uri).source
        lines = _NEWLINE.split(source)
        eol = m.group() if (m := _NEWLINE.search(source)) else "\n"
        rules = load_docs()
        actions: list[types.CodeAction] = []
        seen: set[tuple[int, str]] = set()
        for d in params.context.diagnostics:
            if d.source != SOURCE or not isinstance(d.code, str) or d.code not in rules:
                continue
            if (d.range.start.line, d.code) in seen:
                continue
            seen.add((d.range.start.line, d.code))
            edit = disable_edit(lines, d.range.start.line, d.code, eol)
            actions.append(types.CodeAction(
                title=f"Disable {d.code} for this line",
                kind=types.CodeActionKind.QuickFix,
                diagnostics=[d],
                edit=types.WorkspaceEdit(changes={uri: [edit]}),
            ))
        return actions

    return server


def serve() -> None:
    """Serve over standard input and output until the client says exit."""
    create_server().start_io()
