"""Reading V8 heap snapshots (`.heapsnapshot`, the JSON that Node and Chrome write) in bounded memory.

The file is one JSON object: a small `snapshot` header whose `meta` names the fields, then flat
integer arrays (`nodes`, `edges`, `locations`, ...) and the `strings` table. The header is read
with `json`; the integer arrays are parsed block by block with numpy straight into one column
array per field used, so memory is a few bytes per node and edge, never a Python object per node.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Callable

import numpy as np

BLOCK = 8 << 20  # bytes read at a time
HEADER_LIMIT = 4 << 20  # the header (meta and counts) is a few kilobytes; more is not a snapshot

# the fields of the snapshot format that this reader needs (V8 has written these since 2012)
NODE_FIELDS = ("type", "name", "id", "self_size", "edge_count")
EDGE_FIELDS = ("type", "name_or_index", "to_node")
NODE_TYPES = ("hidden", "array", "string", "object", "code", "closure", "native", "synthetic")
EDGE_TYPES = ("context", "element", "property", "internal", "hidden", "shortcut", "weak")
INDEX_EDGES = ("element", "hidden")  # edge types whose name_or_index is a number, not a string
LOCATION_FIELDS = ("object_index", "script_id", "line", "column")

_KEY = re.compile(rb'\s*(,)?\s*"((?:[^"\\]|\\.)*)"\s*:\s*', re.S)
_SPACE = re.compile(rb"[\s,]*")
_HEADER = re.compile(rb'\A\s*\{\s*"snapshot"\s*:\s*')
_SKIP = re.compile(rb'[\[\]{}"]')
_STRING = re.compile(rb'"(?:[^"\\]|\\.)*"', re.S)


class SnapshotError(Exception):
    """A file that is not a V8 heap snapshot this reader understands; the message says why."""


@dataclass(slots=True, eq=False)
class Snapshot:
    """One heap snapshot as column arrays. Nodes and edges are addressed by their index."""

    path: str
    node_types: tuple[str, ...]  # names of the values of `node_type`
    edge_types: tuple[str, ...]  # names of the values of `edge_type`
    node_type: np.ndarray  # uint8, per node
    node_name: np.ndarray  # uint32 index into `strings`
    node_id: np.ndarray  # uint32, stable across snapshots of one process
    self_size: np.ndarray  # int64, bytes
    first_edge: np.ndarray  # int64, per node plus one: edges of node i are first_edge[i]:first_edge[i + 1]
    edge_type: np.ndarray  # uint8, per edge
    edge_name: np.ndarray  # uint32: string index, or the element index for `element`/`hidden` edges
    edge_to: np.ndarray  # node index (int32, or int64 past two billion node fields)
    strings: list[str]
    # closure locations: node index -> (script id, 0-based line, 0-based column), as V8 writes them
    location_node: np.ndarray
    location_script: np.ndarray
    location_line: np.ndarray
    location_column: np.ndarray

    @property
    def node_count(self) -> int:
        return len(self.node_type)

    @property
    def edge_count(self) -> int:
        return len(self.edge_type)

    def node_type_id(self, name: str) -> int:
        """The code of node type `name`, or -1 when this snapshot's format has no such type."""
        return self.node_types.index(name) if name in self.node_types else -1

    def edge_type_id(self, name: str) -> int:
        return self.edge_types.index(name) if name in self.edge_types else -1

    def name(self, node: int) -> str:
        return self.strings[int(self.node_name[node])]

    def type_name(self, node: int) -> str:
        return self.node_types[int(self.node_type[node])]

    def edges(self, node: int) -> range:
        return range(int(self.first_edge[node]), int(self.first_edge[node + 1]))

    def edge_label(self, edge: int) -> str:
        """An edge's name: the property or variable name, or the index of an element."""
        kind = self.edge_types[int(self.edge_type[edge])]
        value = int(self.edge_name[edge])
        return str(value) if kind in INDEX_EDGES else self.strings[value]

    def location(self, node: int) -> tuple[int, int, int] | None:
        """(script id, 1-based line, 1-based column) of a closure, when the snapshot has it."""
        at = np.searchsorted(self.location_node, node)
        if at < len(self.location_node) and self.location_node[at] == node:
            return (int(self.location_script[at]), int(self.location_line[at]) + 1, int(self.location_column[at]) + 1)
        return None


class _Columns:
    """Receives a flat integer array in blocks and stores the wanted fields, one array each."""

    def __init__(self, what: str, count: int, width: int, wanted: dict[int, np.dtype]) -> None:
        self.what, self.count, self.width = what, count, width
        self.columns = {field: np.zeros(count, dtype=dtype) for field, dtype in wanted.items()}
        self.filled = 0  # complete records stored
        self.carry = np.zeros(0, dtype=np.int64)  # values of a record split between blocks

    def add(self, values: np.ndarray) -> None:
        if len(self.carry):
            values = np.concatenate((self.carry, values))
        whole = len(values) // self.width
        if self.filled + whole > self.count:
            raise SnapshotError(f"`{self.what}` has more entries than the header's count ({self.count})")
        records = values[: whole * self.width].reshape(whole, self.width)
        for field, column in self.columns.items():
            part = records[:, field]
            if len(part) and (part.min() < 0 or part.max() > np.iinfo(column.dtype).max):
                raise SnapshotError(f"`{self.what}` holds a value out of range: {int(part.min())}..{int(part.max())}")
            column[self.filled: self.filled + whole] = part
        self.filled += whole
        self.carry = values[whole * self.width:].copy()

    def finish(self) -> dict[int, np.ndarray]:
        if len(self.carry) or self.filled != self.count:
            values = self.filled * self.width + len(self.carry)
            raise SnapshotError(f"`{self.what}` has {values} values; the header says {self.count} "
                                f"entries of {self.width}")
        return self.columns


class _Reader:
    """A forward-only view of the file: a byte buffer refilled block by block."""

    def __init__(self, stream: BinaryIO) -> None:
        self.stream = stream
        self.buf = b""
        self.pos = 0
        self.eof = False

    def fill(self, want: int = BLOCK) -> bool:
        """Keep the unread bytes and read another block; False at the end of the file."""
        if self.eof:
            return False
        more = self.stream.read(want)
        self.buf = self.buf[self.pos:] + more
        self.pos = 0
        if not more:
            self.eof = True
        return bool(more)

    def ensure(self, count: int) -> None:
        while len(self.buf) - self.pos < count and self.fill():
            pass

    def next_key(self) -> str | None:
        """The next member name of the top-level object (consumed with its colon); None at its end."""
        self.ensure(4096)
        m = _SPACE.match(self.buf, self.pos)
        self.pos = m.end()
        if self.buf[self.pos: self.pos + 1] == b"}":
            self.pos += 1
            return None
        m = _KEY.match(self.buf, self.pos)
        if not m:
            raise SnapshotError(self._unexpected("a member name"))
        self.pos = m.end()
        return json.loads(b'"' + m.group(2) + b'"')

    def _unexpected(self, wanted: str) -> str:
        if self.pos >= len(self.buf) and self.eof:
            return f"the file ends where {wanted} should be (truncated?)"
        return f"expected {wanted} at byte {self.stream.tell() - len(self.buf) + self.pos}"

    def open_array(self, key: str) -> None:
        self.ensure(16)
        m = _SPACE.match(self.buf, self.pos)
        self.pos = m.end()
        if self.buf[self.pos: self.pos + 1] != b"[":
            raise SnapshotError(self._unexpected(f"the `{key}` array"))
        self.pos += 1

    def int_array(self, key: str, sink: Callable[[np.ndarray], None]) -> None:
        """Parse a flat array of integers, handing them to `sink` a block at a time."""
        self.open_array(key)
        while True:
            end = self.buf.find(b"]", self.pos)
            if end >= 0:
                cut, after = end, end + 1
            else:
                cut = self.buf.rfind(b",", self.pos)
                if cut < 0 or self.eof:  # no complete number in the buffer yet
                    if not self.fill():
                        raise SnapshotError(f"the file ends inside the `{key}` array (truncated?)")
                    continue
                after = cut + 1
            text = self.buf[self.pos: cut].strip()
            if text:
                try:
                    sink(np.fromstring(text, dtype=np.int64, sep=","))
                except ValueError:
                    raise SnapshotError(f"the `{key}` array holds something other than integers") from None
            self.pos = after
            if end >= 0:
                return
            self.fill()

    def string_array(self, key: str) -> list[str]:
        """Parse an array of JSON strings. Pieces end at a line break (a JSON string holds none), so
        the whole strings of a piece are decoded by one `json.loads`."""
        self.open_array(key)
        out: list[str] = []
        while True:
            cut = self.buf.rfind(b"\n", self.pos)
            if cut < 0 and self.fill():
                continue
            end = len(self.buf) if cut < 0 else cut
            piece = self.buf[self.pos: end].strip().strip(b",").strip()
            batch = _strings(piece) if piece and not piece.endswith((b"]", b"}")) else None
            if batch is not None:
                out.extend(batch)
            elif self._strings_to_end(key, end, out):
                return out
            if cut < 0:
                raise SnapshotError(f"the file ends inside the `{key}` array (truncated?)")
            self.pos = cut + 1

    def _strings_to_end(self, key: str, end: int, out: list[str]) -> bool:
        """Decode the strings in buf[pos:end] one at a time; True (and pos after it) at the array's end."""
        text = self.buf[self.pos: end].decode("utf-8")
        decoder = json.JSONDecoder()
        at = 0
        while True:
            while at < len(text) and text[at] in " \t\r\n,":
                at += 1
            if at >= len(text):
                return False
            if text[at] == "]":
                self.pos += len(text[: at + 1].encode("utf-8"))
                return True
            try:
                value, at = decoder.raw_decode(text, at)
            except ValueError:
                raise SnapshotError(f"the `{key}` array holds something other than strings "
                                    "(or the file is truncated)") from None
            if not isinstance(value, str):
                raise SnapshotError(f"the `{key}` array holds something other than strings")
            out.append(value)

    def skip_value(self, key: str) -> None:
        """Skip a JSON value of a member this reader does not use."""
        depth = 0
        while True:
            self.ensure(1)
            if self.pos >= len(self.buf):
                raise SnapshotError(f"the file ends inside `{key}` (truncated?)")
            m = _SKIP.search(self.buf, self.pos)
            if m is None:
                if depth == 0:
                    raise SnapshotError(f"`{key}` is not an array or an object")
                self.pos = len(self.buf)
                if not self.fill():
                    raise SnapshotError(f"the file ends inside `{key}` (truncated?)")
                continue
            ch = m.group()
            if ch == b'"':
                self.ensure(len(self.buf) - self.pos + BLOCK)
                s = _STRING.match(self.buf, m.start())
                if s is None:
                    raise SnapshotError(f"the file ends inside `{key}` (truncated?)")
                self.pos = s.end()
            else:
                self.pos = m.end()
                depth += 1 if ch in b"[{" else -1
            if depth <= 0:
                return


def _strings(piece: bytes) -> list[str] | None:
    """The strings of `"a", "b", ...`, or None when the piece is anything else."""
    try:
        values = json.loads(b"[" + piece + b"]")
    except ValueError:
        return None
    return values if all(isinstance(v, str) for v in values) else None


def _read_header(reader: _Reader) -> dict:
    reader.ensure(HEADER_LIMIT)
    m = _HEADER.match(reader.buf)
    if not m:
        raise SnapshotError("not a V8 heap snapshot (it does not start with a `snapshot` header)")
    try:
        text = reader.buf[m.end():].decode("utf-8", errors="replace")
        header, end = json.JSONDecoder().raw_decode(text)
    except ValueError:
        why = " (truncated?)" if reader.eof else ""
        raise SnapshotError(f"not a V8 heap snapshot (its `snapshot` header is not valid JSON{why})") from None
    if not isinstance(header, dict):
        raise SnapshotError("not a V8 heap snapshot (`snapshot` is not an object)")
    reader.pos = m.end() + len(text[:end].encode("utf-8"))
    return header


def _field_layout(meta: dict, kind: str, wanted: tuple[str, ...], types: tuple[str, ...]) -> tuple[list[str], list[str]]:
    fields = meta.get(f"{kind}_fields")
    type_list = meta.get(f"{kind}_types")
    if not isinstance(fields, list) or not isinstance(type_list, list) or not type_list \
            or not isinstance(type_list[0], list):
        raise SnapshotError(f"unsupported heap snapshot format: `meta.{kind}_fields`/`{kind}_types` missing")
    missing = [f for f in wanted if f not in fields]
    if missing:
        raise SnapshotError(f"unsupported heap snapshot format: {kind} fields lack {', '.join(missing)}")
    names = [str(t) for t in type_list[0]]
    absent = [t for t in types if t not in names]
    if absent:
        raise SnapshotError(f"unsupported heap snapshot format: {kind} types lack {', '.join(absent)}")
    return fields, names


def read_snapshot(path: str | Path) -> Snapshot:
    """Read a `.heapsnapshot` file; SnapshotError (with the reason) for anything else."""
    path = Path(path)
    try:
        with open(path, "rb") as stream:
            return _read(stream, str(path))
    except UnicodeDecodeError:
        raise SnapshotError("not a V8 heap snapshot (text that is not UTF-8)") from None
    except OSError as e:
        raise SnapshotError(f"cannot read: {e.strerror or e}") from None


def _read(stream: BinaryIO, path: str) -> Snapshot:
    reader = _Reader(stream)
    header = _read_header(reader)
    meta = header.get("meta")
    if not isinstance(meta, dict):
        raise SnapshotError("unsupported heap snapshot format: no `meta` in the header")
    node_fields, node_types = _field_layout(meta, "node", NODE_FIELDS, NODE_TYPES)
    edge_fields, edge_types = _field_layout(meta, "edge", EDGE_FIELDS, EDGE_TYPES)
    node_count, edge_count = header.get("node_count"), header.get("edge_count")
    if not isinstance(node_count, int) or not isinstance(edge_count, int) or node_count < 1 or edge_count < 0:
        raise SnapshotError("unsupported heap snapshot format: the header lacks `node_count`/`edge_count`")
    nw, ew = len(node_fields), len(edge_fields)
    ni = {f: node_fields.index(f) for f in NODE_FIELDS}
    ei = {f: edge_fields.index(f) for f in EDGE_FIELDS}
    nodes = _Columns("nodes", node_count, nw, {ni["type"]: np.dtype(np.uint8), ni["name"]: np.dtype(np.uint32),
                                                ni["id"]: np.dtype(np.uint32), ni["self_size"]: np.dtype(np.int64),
                                                ni["edge_count"]: np.dtype(np.uint32)})
    edges = _Columns("edges", edge_count, ew, {ei["type"]: np.dtype(np.uint8),
                                                ei["name_or_index"]: np.dtype(np.uint32),
                                                ei["to_node"]: np.dtype(np.int32 if node_count * nw < 2**31
                                                                        else np.int64)})
    location_fields = meta.get("location_fields")
    locations: list[np.ndarray] = []
    strings: list[str] | None = None
    seen: set[str] = set()

    while True:  # the members after the header, in whatever order
        try:
            key = reader.next_key()
        except SnapshotError:
            if not seen and reader.eof and reader.pos >= len(reader.buf):
                raise SnapshotError("the file ends after the header (truncated?)") from None
            raise
        if key is None:
            break
        seen.add(key)
        if key == "nodes":
            reader.int_array(key, nodes.add)
        elif key == "edges":
            reader.int_array(key, edges.add)
        elif key == "locations" and isinstance(location_fields, list) \
                and all(f in location_fields for f in LOCATION_FIELDS):
            reader.int_array(key, locations.append)
        elif key == "strings":
            strings = reader.string_array(key)
        else:
            reader.skip_value(key)
    for key in ("nodes", "edges", "strings"):
        if key not in seen:
            raise SnapshotError(f"the file has no `{key}` array (truncated?)")
    assert strings is not None
    node_cols, edge_cols = nodes.finish(), edges.finish()

    node_type = node_cols[ni["type"]]
    node_name = node_cols[ni["name"]]
    counts = node_cols[ni["edge_count"]]
    edge_type = edge_cols[ei["type"]]
    edge_name = edge_cols[ei["name_or_index"]]
    to_node = edge_cols[ei["to_node"]]
    if int(counts.sum(dtype=np.int64)) != edge_count:
        raise SnapshotError("the nodes' edge counts do not add up to the header's `edge_count`")
    if len(node_type) and int(node_type.max()) >= len(node_types):
        raise SnapshotError("a node has a type the `meta` does not list")
    if len(edge_type) and int(edge_type.max()) >= len(edge_types):
        raise SnapshotError("an edge has a type the `meta` does not list")
    if len(node_name) and int(node_name.max()) >= len(strings):
        raise SnapshotError("a node name points past the `strings` table")
    named = ~np.isin(edge_type, [edge_types.index(t) for t in INDEX_EDGES])
    if int(np.max(edge_name, where=named, initial=0)) >= len(strings):
        raise SnapshotError("an edge name points past the `strings` table")
    del named
    if len(to_node) and (np.any(to_node % nw) or int(to_node.max()) >= node_count * nw):
        raise SnapshotError("an edge points to no node")
    np.floor_divide(to_node, nw, out=to_node)
    edge_to = to_node
    del edge_cols
    first_edge = np.zeros(node_count + 1, dtype=np.int64)
    np.cumsum(counts, out=first_edge[1:])

    loc = np.concatenate(locations) if locations else np.zeros(0, dtype=np.int64)
    lw = len(location_fields) if locations else 4
    if len(loc) % lw:
        raise SnapshotError("`locations` is not a whole number of entries")
    loc = loc.reshape(-1, lw)
    li = {f: (location_fields.index(f) if locations else i) for i, f in enumerate(LOCATION_FIELDS)}
    loc_node = loc[:, li["object_index"]] // nw
    order = np.argsort(loc_node, kind="stable")
    return Snapshot(
        path=path,
        node_types=tuple(node_types),
        edge_types=tuple(edge_types),
        node_type=node_type,
        node_name=node_name,
        node_id=node_cols[ni["id"]],
        self_size=node_cols[ni["self_size"]],
        first_edge=first_edge,
        edge_type=edge_type,
        edge_name=edge_name,
        edge_to=edge_to,
        strings=strings,
        location_node=loc_node[order].astype(np.int64),
        location_script=loc[order, li["script_id"]],
        location_line=loc[order, li["line"]],
        location_column=loc[order, li["column"]],
    )
