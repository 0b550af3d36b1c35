"""Comparing heap snapshots of one process: per-constructor deltas, and the collections that grew.

Snapshots are read one at a time; of each, only a summary is kept (constructor totals, the id and
size of every collection, and the retainer-path key of the large ones), so memory is that of the
largest snapshot, not of all of them.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import numpy as np

from leaklint.heap.paths import CONTEXT, Graph, Origin, Retainers
from leaklint.heap.sizes import KINDS, Collections, collections, edge_sources
from leaklint.heap.snapshot import Snapshot, read_snapshot

DEFAULT_MIN_GROWTH = 100
DEFAULT_MIN_RATIO = 0.1
UNIT = {"Array": "elements", "Map": "entries", "Set": "entries", "Object": "properties"}
# how DevTools groups nodes that are not objects in its Summary and Comparison views
_GROUP = {"hidden": "(system)", "array": "(array)", "string": "(string)", "code": "(compiled code)",
          "closure": "(closure)", "regexp": "(regexp)", "number": "(number)", "concatenated string": "(string)",
          "sliced string": "(string)", "symbol": "(symbol)", "bigint": "(bigint)", "object shape": "(system)"}


class DiffError(Exception):
    pass


@dataclass(frozen=True, slots=True)
class SnapshotInfo:
    path: str
    file_bytes: int
    nodes: int
    edges: int
    self_size: int  # bytes, all nodes


@dataclass(frozen=True, slots=True)
class ConstructorDelta:
    """One row of DevTools' Comparison view: first snapshot against last."""

    name: str
    count_before: int
    count_after: int
    size_before: int
    size_after: int
    new: int  # nodes in the last snapshot whose id the first does not have
    deleted: int  # nodes of the first snapshot whose id the last does not have

    @property
    def count_delta(self) -> int:
        return self.count_after - self.count_before

    @property
    def size_delta(self) -> int:
        return self.size_after - self.size_before


@dataclass(frozen=True, slots=True)
class Growth:
    """A collection that grew in every snapshot."""

    kind: str  # Array, Map, Set, Object
    holder: str  # `(module) auditTrail`
    names: tuple[str, ...]  # variable and property names of the holder, outermost first
    sizes: tuple[int, ...]  # per snapshot
    path: tuple[str, ...]  # the shortest retainer path from the root, one step per item
    origins: tuple[Origin, ...]  # functions the snapshot ties to the holder
    node_id: int  # in the last snapshot
    count: int = 1  # collections with this holder that grew (the values of one Map, say)

    @property
    def unit(self) -> str:
        return UNIT[self.kind]

    @property
    def label(self) -> str:
        """`(module) auditTrail → Array[20031]`."""
        more = f" (×{self.count})" if self.count > 1 else ""
        return f"{self.holder} → {self.kind}[{self.sizes[-1]}]{more}"

    @property
    def growth(self) -> int:
        return self.sizes[-1] - self.sizes[0]


@dataclass(frozen=True, slots=True)
class Thresholds:
    min_growth: int = DEFAULT_MIN_GROWTH  # elements/entries/properties, first snapshot to last
    min_ratio: float = DEFAULT_MIN_RATIO  # of the size in the first snapshot


@dataclass(slots=True)
class HeapDiff:
    snapshots: list[SnapshotInfo]
    constructors: list[ConstructorDelta]  # every group whose count or size changed, by |size delta|
    growing: list[Growth]  # by growth, largest first
    thresholds: Thresholds
    internal: int = 0  # growing collections left out as Node's or V8's own state
    links: dict[int, list[str]] = field(default_factory=dict)  # index in `growing` -> what it confirmed


@dataclass(slots=True)
class _Summary:
    """What is kept of one snapshot after it is read."""

    info: SnapshotInfo
    ids: np.ndarray  # sorted node ids of the collections
    sizes: np.ndarray  # their sizes, same order
    by_path: dict[tuple, int]  # retainer-path key -> size, for large collections whose key is unique
    groups: dict[str, tuple[int, int]]  # constructor -> (count, self size)
    node_ids: np.ndarray  # every node id, sorted (kept for the first snapshot only)
    node_group: np.ndarray  # index into group_names, same order
    group_names: list[str]


def _groups(snap: Snapshot) -> tuple[np.ndarray, list[str]]:
    """Per node, an index into the returned names: the constructor for objects, else its kind."""
    by_name = np.isin(snap.node_type, [snap.node_type_id(t) for t in ("object", "native", "synthetic")])
    ntypes = len(snap.node_types)
    key = np.where(by_name, snap.node_name.astype(np.int64) + ntypes, snap.node_type.astype(np.int64))
    uniq, inverse = np.unique(key, return_inverse=True)
    names = [snap.strings[k - ntypes] if k >= ntypes else _GROUP.get(snap.node_types[k], f"({snap.node_types[k]})")
             for k in uniq.tolist()]
    return inverse.astype(np.int32), names


def _path_key(snap: Snapshot, retainers: Retainers, node: int) -> tuple | None:
    """The shortest retainer path as names, without the slot numbers of V8's own lists (they
    change from one snapshot to the next)."""
    steps = retainers.path(node)
    if not steps:
        return None
    return tuple((step.edge_type, step.name if step.edge_type in ("property", "context", "element", "shortcut")
                  else "", snap.name(step.node)) for step in steps)


def _summarise(snap: Snapshot, found: Collections, thresholds: Thresholds, retainers: Retainers) -> _Summary:
    ids = snap.node_id[found.node].astype(np.int64)
    order = np.argsort(ids, kind="stable")
    by_path: dict[tuple, int] = {}
    ambiguous: set[tuple] = set()
    for node, size in zip(found.node.tolist(), found.size.tolist()):
        if size < thresholds.min_growth:
            continue
        key = _path_key(snap, retainers, node)
        if key is None:
            continue
        if key in by_path:
            ambiguous.add(key)
        by_path[key] = size
    for key in ambiguous:
        del by_path[key]
    group, names = _groups(snap)
    counts = np.bincount(group, minlength=len(names))
    sizes = np.bincount(group, weights=snap.self_size, minlength=len(names))
    node_order = np.argsort(snap.node_id, kind="stable")
    return _Summary(
        info=SnapshotInfo(snap.path, _file_size(snap.path), snap.node_count, snap.edge_count,
                          int(snap.self_size.sum())),
        ids=ids[order],
        sizes=found.size[order],
        by_path=by_path,
        groups={name: (int(c), int(s)) for name, c, s in zip(names, counts.tolist(), sizes.tolist())},
        node_ids=snap.node_id[node_order],
        node_group=group[node_order],
        group_names=names,
    )


def _file_size(path: str) -> int:
    try:
        return os.path.getsize(path)
    except OSError:
        return 0


def _lookup(sorted_ids: np.ndarray, values: np.ndarray, wanted: np.ndarray) -> np.ndarray:
    """values[i] for each wanted id found in sorted_ids, else -1."""
    at = np.searchsorted(sorted_ids, wanted)
    at = np.minimum(at, max(len(sorted_ids) - 1, 0))
    if not len(sorted_ids):
        return np.full(len(wanted), -1, dtype=np.int64)
    return np.where(sorted_ids[at] == wanted, values[at], -1)


def _constructors(first: _Summary, last: _Summary) -> list[ConstructorDelta]:
    """Count and self size per constructor, first against last, with new and deleted nodes by id."""
    new_mask = _lookup(first.node_ids, np.ones(len(first.node_ids), dtype=np.int64), last.node_ids) < 0
    gone_mask = _lookup(last.node_ids, np.ones(len(last.node_ids), dtype=np.int64), first.node_ids) < 0
    new = np.bincount(last.node_group[new_mask], minlength=len(last.group_names))
    gone = np.bincount(first.node_group[gone_mask], minlength=len(first.group_names))
    new_by = dict(zip(last.group_names, new.tolist()))
    gone_by = dict(zip(first.group_names, gone.tolist()))
    rows = []
    for name in sorted(set(first.groups) | set(last.groups)):
        cb, sb = first.groups.get(name, (0, 0))
        ca, sa = last.groups.get(name, (0, 0))
        n, d = new_by.get(name, 0), gone_by.get(name, 0)
        if cb != ca or sb != sa or n or d:
            rows.append(ConstructorDelta(name, cb, ca, sb, sa, n, d))
    rows.sort(key=lambda r: (-abs(r.size_delta), -abs(r.count_delta), r.name))
    return rows


def _monotonic(sizes: list[int], thresholds: Thresholds) -> bool:
    if any(b < a for a, b in zip(sizes, sizes[1:])):
        return False
    grown = sizes[-1] - sizes[0]
    return grown >= thresholds.min_growth and grown >= thresholds.min_ratio * sizes[0]


def _step_text(snap: Snapshot, edge_type: str, name: str, node: int) -> str:
    what = snap.name(node) if snap.type_name(node) in ("object", "closure", "synthetic", "native") else \
        f"({snap.type_name(node)})"
    if what == CONTEXT:
        what = "(context)"
    if snap.type_name(node) == "closure":
        what = f"{what or '(anonymous)'}()"
    if edge_type in ("property", "context"):
        return f".{name}: {what}" if what else f".{name}"
    if edge_type == "element" and snap.type_name(node) != "synthetic":
        return f"[{name}]: {what}"
    return what


def diff_snapshots(paths: list[str | Path], thresholds: Thresholds = Thresholds(),
                   read: Callable[[str | Path], Snapshot] = read_snapshot) -> HeapDiff:
    """Compare snapshots of one process, oldest first. SnapshotError for an unreadable one."""
    if len(paths) < 2:
        raise DiffError("comparing needs at least two snapshots of the same process, oldest first")
    summaries: list[_Summary] = []
    for i, path in enumerate(paths):
        snap = read(path)
        source = edge_sources(snap)
        retainers = Retainers(snap)
        found = collections(snap, source)
        summary = _summarise(snap, found, thresholds, retainers)
        if len(summaries) > 1:  # of the snapshots before the last, only the first's nodes are needed
            summaries[-1].node_ids = summaries[-1].node_group = np.zeros(0, dtype=np.int64)
        summaries.append(summary)
        if i < len(paths) - 1:
            del snap, source, retainers, found
    last = summaries[-1]
    growing, internal = _growing(snap, source, retainers, found, summaries, thresholds)
    return HeapDiff(
        snapshots=[s.info for s in summaries],
        constructors=_constructors(summaries[0], last),
        growing=growing,
        thresholds=thresholds,
        internal=internal,
    )


def _growing(snap: Snapshot, source: np.ndarray, retainers: Retainers, found: Collections,
             summaries: list[_Summary], thresholds: Thresholds) -> tuple[list[Growth], int]:
    last = summaries[-1]
    candidates = np.flatnonzero(last.sizes >= thresholds.min_growth)
    if not len(candidates):
        return [], 0
    # `last.ids` is `found` sorted by node id
    by_id = np.argsort(snap.node_id[found.node], kind="stable")[candidates]
    nodes, kinds = found.node[by_id].tolist(), found.kind[by_id].tolist()
    history = np.full((len(summaries), len(candidates)), -1, dtype=np.int64)
    wanted = last.ids[candidates]
    for k, summary in enumerate(summaries):
        history[k] = _lookup(summary.ids, summary.sizes, wanted)
    graph: Graph | None = None
    grown: dict[str, Growth] = {}
    internal = 0
    for column, node_id in enumerate(wanted.tolist()):
        node = nodes[column]
        sizes = history[:, column].tolist()
        if -1 in sizes:  # not the same object in every snapshot: try its retainer path instead
            key = _path_key(snap, retainers, node)
            if key is None:
                continue
            sizes = [size if size >= 0 else s.by_path.get(key, -1) for size, s in zip(sizes, summaries)]
            if -1 in sizes:
                continue
        if not _monotonic(sizes, thresholds) or not retainers.reachable(node):
            continue
        graph = graph or Graph(snap, retainers, source)
        holder = graph.holder(node)
        if holder.internal:
            internal += 1
            continue
        kind = KINDS[kinds[column]]
        path = tuple(_step_text(snap, s.edge_type, s.name, s.node) for s in retainers.path(node))
        growth = Growth(kind, holder.text, holder.names, tuple(sizes), path, holder.origins, node_id)
        same = grown.get(f"{kind} {holder.text}")
        if same is not None:  # several values of one Map, say: one entry, the largest shown
            top = max(same, growth, key=lambda g: (g.growth, g.sizes[-1]))
            growth = Growth(top.kind, top.holder, top.names, top.sizes, top.path, top.origins, top.node_id,
                            same.count + 1)
        grown[f"{kind} {holder.text}"] = growth
    ordered = sorted(grown.values(), key=lambda g: (-g.growth, g.holder, g.kind))
    return ordered, internal
