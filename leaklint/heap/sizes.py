"""Collection sizes: how many elements, entries or properties each array, Map, Set and plain object
holds in one snapshot, computed for all of them at once.

What Node 20 (V8 11) writes, checked on real snapshots:
- a JS `Array` node has one `element` edge per element that is a heap object (and an internal
  `elements` edge to its backing store); small integers and unboxed doubles have no edge, so an
  array of numbers is sized by its backing store's capacity instead;
- a `Map` or `Set` node has an internal `table` edge to its OrderedHashMap/OrderedHashSet, whose
  internal edges are named by slot index: a Map entry is three slots (key, value, chain), a Set
  entry two (key, chain);
- a plain object has a `property` edge per named property (plus `__proto__`) and an `element`
  edge per indexed one, whether it is in fast or dictionary mode.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from leaklint.heap.snapshot import Snapshot

KINDS = ("Array", "Map", "Set", "Object")
ARRAY, MAP, SET, OBJECT = range(len(KINDS))
SLOT_BYTES = 8  # a backing-store slot without pointer compression, as Node builds V8
FIXED_ARRAY_HEADER = 16


@dataclass(slots=True, eq=False)
class Collections:
    """The collections of one snapshot, ordered by node index."""

    node: np.ndarray  # int64 node index
    kind: np.ndarray  # uint8 index into KINDS
    size: np.ndarray  # int64 elements, entries or properties


def _numbers(snap: Snapshot) -> np.ndarray:
    """Per string: its value when it is a decimal integer (a table slot name), else -1."""
    return np.fromiter((int(s) if s.isdecimal() and len(s) < 10 else -1 for s in snap.strings),
                       dtype=np.int64, count=len(snap.strings))


def edge_sources(snap: Snapshot) -> np.ndarray:
    """The node each edge leaves from (int32, one per edge)."""
    return np.repeat(np.arange(snap.node_count, dtype=np.int32), np.diff(snap.first_edge))


def _entries(snap: Snapshot, src: np.ndarray, owner_edge: np.ndarray, internal: np.ndarray,
             numbers: np.ndarray, width: int) -> np.ndarray:
    """Per node: the entries of the hash table that `owner_edge` (one edge per owner) points to.

    Table slots are edges named by slot index. An entry is `width` slots with the key first and
    the value next; small-integer keys and values have no edge. When `width` is 3 the entries
    start at an offset of 0, 1 or 2 modulo 3, which depends on the table's capacity and header;
    the right offset puts a key and its value in one entry, so it is the one counting fewest.
    """
    n = snap.node_count
    tables = snap.edge_to[owner_edge]
    is_table = np.zeros(n, dtype=bool)
    is_table[tables] = True
    slot_edge = internal & is_table[src]
    del is_table
    slot = numbers[snap.edge_name[slot_edge]]
    table_of_slot = src[slot_edge][slot >= 0]
    slot = slot[slot >= 0]
    # the owner of each slot's table: tables sorted, owners in the same order
    order = np.argsort(tables, kind="stable")
    owners = src[owner_edge][order][np.searchsorted(tables[order], table_of_slot)].astype(np.int64)
    if width == 1:
        return np.bincount(owners, minlength=n)
    best = np.bincount(owners, minlength=n)
    for shift in range(width):
        entries = np.unique((owners << 32) | ((slot - shift) // width)) >> 32
        best = np.minimum(best, np.bincount(entries, minlength=n))
    return best


def collections(snap: Snapshot, source: np.ndarray | None = None) -> Collections:
    n = snap.node_count
    src = edge_sources(snap) if source is None else source
    wanted = KINDS + ("__proto__", "table", "elements", "properties")
    strings = {s: i for i, s in enumerate(snap.strings) if s in wanted}
    obj = snap.node_type == snap.node_type_id("object")
    kind_of = np.full(n, -1, dtype=np.int8)
    for k, name in enumerate(KINDS):
        if name in strings:
            kind_of[obj & (snap.node_name == strings[name])] = k

    etype = snap.edge_type
    element = etype == snap.edge_type_id("element")
    internal = etype == snap.edge_type_id("internal")
    named = {key: snap.edge_name == strings.get(key, -1) for key in ("__proto__", "table", "elements", "properties")}
    from_kind = kind_of[src]
    numbers = _numbers(snap)
    size = np.zeros(n, dtype=np.int64)

    # arrays: heap-object elements; arrays of numbers: the backing store's capacity
    arrays = from_kind == ARRAY
    size += np.bincount(src[arrays & element], minlength=n)
    store = arrays & internal & named["elements"]
    owners, stores = src[store], snap.edge_to[store]
    capacity = np.maximum(snap.self_size[stores] - FIXED_ARRAY_HEADER, 0) // SLOT_BYTES
    empty = size[owners] == 0
    size[owners[empty]] = capacity[empty]

    # plain objects: named properties but `__proto__`, and indexed elements; an object in
    # dictionary mode with small-integer values has no property edges, but its dictionary has
    # the keys (three-slot entries), so the larger of the two counts is the size
    objects = from_kind == OBJECT
    prop = etype == snap.edge_type_id("property")
    size += np.bincount(src[objects & ((prop & ~named["__proto__"]) | element)], minlength=n)
    dictionary = _entries(snap, src, objects & internal & named["properties"], internal, numbers, 3)
    np.maximum(size, dictionary, out=size, where=kind_of == OBJECT)

    # Map and Set: the entries of the backing table (Map: key, value, chain; Set: key, chain)
    maps = (from_kind == MAP) & internal & named["table"]
    sets = (from_kind == SET) & internal & named["table"]
    size += _entries(snap, src, maps, internal, numbers, 3)
    size += _entries(snap, src, sets, internal, numbers, 1)

    nodes = np.flatnonzero(kind_of >= 0)
    return Collections(node=nodes.astype(np.int64), kind=kind_of[nodes].astype(np.uint8), size=size[nodes])
