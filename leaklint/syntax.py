"""Parsing and helpers over raw tree-sitter nodes.

Nodes are never wrapped: helpers are module-level functions over ``tree_sitter.Node``. Language,
Parser and Query objects do not pickle, so they are built lazily, once per process.
"""

from __future__ import annotations

import bisect
import enum
import re
from dataclasses import dataclass
from functools import lru_cache
from itertools import accumulate
from typing import Iterator

import tree_sitter as ts

from leaklint.findings import Span


class Dialect(enum.Enum):
    JS = "javascript"  # JavaScript grammar, JSX included
    TS = "typescript"
    TSX = "tsx"


EXTENSIONS: dict[str, Dialect] = {
    ".js": Dialect.JS,
    ".mjs": Dialect.JS,
    ".cjs": Dialect.JS,
    ".jsx": Dialect.JS,
    ".ts": Dialect.TS,
    ".mts": Dialect.TS,
    ".cts": Dialect.TS,
    ".tsx": Dialect.TSX,
}


@lru_cache(maxsize=None)
def language(dialect: Dialect) -> ts.Language:
    if dialect is Dialect.JS:
        import tree_sitter_javascript as tsj

        return ts.Language(tsj.language())
    import tree_sitter_typescript as tst

    if dialect is Dialect.TS:
        return ts.Language(tst.language_typescript())
    return ts.Language(tst.language_tsx())


@lru_cache(maxsize=None)
def parser(dialect: Dialect) -> ts.Parser:
    return ts.Parser(language(dialect))


@lru_cache(maxsize=None)
def query(dialect: Dialect, source: str) -> ts.Query:
    """A compiled query; compiled once per process and dialect."""
    return ts.Query(language(dialect), source)


_NEWLINE = re.compile(rb"\r\n|\r|\n")


# one UTF-8 encoded character of two, three or four bytes; any other byte >= 0x80 is invalid UTF-8
# and decodes to one U+FFFD (one UTF-16 code unit), as a one-byte character does
_MULTIBYTE = re.compile(rb"[\xc0-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf7][\x80-\xbf]{3}")


class LineIndex:
    """Byte offsets to 1-based lines and 1-based UTF-16 columns (CRLF and lone CR count as one break).

    Columns cost O(log n) even on a minified multi-megabyte line: the source is scanned once for
    non-ASCII characters, and each line with any keeps the byte offsets where they end together
    with how many bytes more than UTF-16 code units the line has used up to there.
    """

    __slots__ = ("source", "_starts", "_ascii", "_wide")

    def __init__(self, source: bytes) -> None:
        self.source = source
        self._starts: list[int] | None = None  # computed on first use: most files report nothing
        self._ascii = source.isascii()
        self._wide: dict[int, tuple[list[int], list[int]]] = {}  # line -> (char ends, cumulative excess)

    @property
    def starts(self) -> list[int]:
        """The byte offset where each line starts."""
        starts = self._starts
        if starts is None:
            source = self.source
            if b"\r" in source:
                starts = [0]
                starts.extend(m.end() for m in _NEWLINE.finditer(source))
            else:  # only `\n`: the lengths of the lines, summed in C
                starts = list(accumulate(map((1).__add__, map(len, source.split(b"\n"))), initial=0))
                starts.pop()
            self._starts = starts
        return starts

    def line_of(self, offset: int) -> int:
        return bisect.bisect_right(self.starts, offset)

    def position(self, offset: int) -> tuple[int, int]:
        line = bisect.bisect_right(self.starts, offset)
        start = self.starts[line - 1]
        if self._ascii:
            return line, offset - start + 1
        ends, excess = self._line_chars(line)
        i = bisect.bisect_right(ends, offset)
        return line, offset - start - (excess[i - 1] if i else 0) + 1

    def _line_chars(self, line: int) -> tuple[list[int], list[int]]:
        cached = self._wide.get(line)
        if cached is None:
            start = self.starts[line - 1]
            end = self.starts[line] if line < len(self.starts) else len(self.source)
            ends: list[int] = []
            excess: list[int] = []
            total = 0
            for m in _MULTIBYTE.finditer(self.source, start, end):
                size = m.end() - m.start()
                total += size - (2 if size == 4 else 1)  # four bytes make a surrogate pair
                ends.append(m.end())
                excess.append(total)
            cached = self._wide[line] = (ends, excess)
        return cached

    def span(self, start_byte: int, end_byte: int) -> Span:
        line, col = self.position(start_byte)
        end_line, end_col = self.position(end_byte)
        return Span(line, col, end_line, end_col)

    def node_span(self, node: ts.Node) -> Span:
        return self.span(node.start_byte, node.end_byte)

    def line_text(self, line: int) -> str:
        """The text of a 1-based line, without its line break."""
        if line < 1 or line > len(self.starts):
            return ""
        start = self.starts[line - 1]
        end = self.starts[line] if line < len(self.starts) else len(self.source)
        return self.source[start:end].rstrip(b"\r\n").decode("utf-8", errors="replace")

    @property
    def line_count(self) -> int:
        return len(self.starts)


@dataclass(slots=True)
class ParsedFile:
    path: str
    dialect: Dialect
    source: bytes
    tree: ts.Tree
    lines: LineIndex

    @property
    def root(self) -> ts.Node:
        return self.tree.root_node


def parse(source: bytes, dialect: Dialect, path: str = "<input>") -> ParsedFile:
    tree = parser(dialect).parse(source)
    return ParsedFile(path, dialect, source, tree, LineIndex(source))


# --- node helpers -------------------------------------------------------------------------------


def text(node: ts.Node | None) -> str:
    if node is None:
        return ""
    raw = node.text
    return raw.decode("utf-8", errors="replace") if raw is not None else ""


def field(node: ts.Node, name: str) -> ts.Node | None:
    return node.child_by_field_name(name)


# what `unwrap` strips: parentheses, then TypeScript-only wrappers
WRAPPER_TYPES = ("parenthesized_expression", "as_expression", "non_null_expression", "satisfies_expression",
                 "type_assertion")


WRAPPERS = frozenset(WRAPPER_TYPES)  # the same, for membership tests


def climb(node: ts.Node) -> tuple[ts.Node, ts.Node | None]:
    """`unwrap` upwards: (the outermost wrapper around `node`, or `node`; the parent of that)."""
    parent = node.parent
    while parent is not None and parent.type in WRAPPERS:
        node, parent = parent, parent.parent
    return node, parent


def unwrap(node: ts.Node | None) -> ts.Node | None:
    """Strip parentheses and TypeScript-only wrappers (`x as T`, `x!`, `<T>x`, `x satisfies T`)."""
    while node is not None:
        t = node.type
        if t == "parenthesized_expression":
            node = node.named_child(0)
        elif t in WRAPPER_TYPES:
            node = _first_value_child(node)
        else:
            return node
    return None


def _first_value_child(node: ts.Node) -> ts.Node | None:
    for c in node.named_children:
        if c.type not in ("type_arguments", "type_annotation") and not c.type.endswith("_type"):
            return c
    return None


def member_path(node: ts.Node | None) -> tuple[str, ...] | None:
    """`a.b.c` -> ("a", "b", "c"); `this.x` -> ("this", "x"); None for anything computed or called."""
    parts: list[str] = []
    node = unwrap(node)
    while node is not None:
        t = node.type
        if t == "member_expression":
            prop = node.child_by_field_name("property")
            if prop is None:
                return None
            parts.append(text(prop))
            node = unwrap(node.child_by_field_name("object"))
        elif t == "subscript_expression":
            key = string_value(node.child_by_field_name("index"))
            if key is None:
                return None
            parts.append(key)
            node = unwrap(node.child_by_field_name("object"))
        elif t in ("identifier", "this", "super"):
            parts.append(text(node))
            parts.reverse()
            return tuple(parts)
        else:
            return None
    return None


def string_value(node: ts.Node | None) -> str | None:
    """The value of a string literal or a template literal without substitutions."""
    node = unwrap(node)
    if node is None:
        return None
    if node.type == "string":
        return "".join(text(c) for c in node.named_children if c.type in ("string_fragment", "escape_sequence"))
    if node.type == "template_string" and not any(
        c.type == "template_substitution" for c in node.named_children
    ):
        return "".join(text(c) for c in node.named_children if c.type == "string_fragment")
    return None


FUNCTION_TYPES = frozenset(
    {
        "function_declaration",
        "function_expression",
        "function",
        "generator_function_declaration",
        "generator_function",
        "arrow_function",
        "method_definition",
    }
)


def walk(node: ts.Node) -> Iterator[ts.Node]:
    """Pre-order over every named and anonymous descendant, iteratively (no recursion)."""
    cursor = node.walk()
    while True:
        yield cursor.node
        if cursor.goto_first_child():
            continue
        while not cursor.goto_next_sibling():
            if not cursor.goto_parent() or cursor.node == node:
                return


def first_error(root: ts.Node) -> ts.Node | None:
    """The first ERROR or MISSING node, found by descending only into subtrees that contain one."""
    if not root.has_error:
        return None
    node = root
    while True:
        if node.is_error or node.is_missing:
            return node
        for c in node.children:
            if c.has_error or c.is_missing:
                node = c
                break
        else:
            return node
