"""Shortest retainer paths: a breadth-first search from the snapshot's root over strong edges.

Like the DevTools Retainers view, weak edges are not followed (they keep nothing alive), and
neither are edges into V8's own bookkeeping (compiled code, feedback, caches) that would give a
path no JavaScript code can see. The search goes frontier by frontier with numpy, never node by
node in Python.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from leaklint.heap.snapshot import Snapshot

ROOT = 0  # V8 writes the synthetic root first
# node types whose outgoing edges are V8's, not the program's: `code` (compiled code, feedback,
# scope and function info, scripts) and `object shape` (maps and descriptor arrays)
INTERNAL_NODE_TYPES = ("code", "object shape")
# GC roots that hold what is in use while the snapshot is written: the stack of the running code,
# and V8's own strong references (the snapshot writer keeps objects there as it goes)
TRANSIENT_ROOTS = ("(Stack roots)", "(Handle scope)", "(Strong roots)")
CONTEXT = "system / Context"
NATIVE_CONTEXT = "system / NativeContext"
# the class names of collections and of plain records: a path names its holders, not these
PLAIN_CLASSES = ("Object", "Array", "Map", "Set", "")


@dataclass(frozen=True, slots=True)
class Step:
    """One edge of a retainer path: how `node` is reached from the step before."""

    edge_type: str
    name: str
    node: int


class Retainers:
    """Shortest-path parents from the root, for every node of one snapshot.

    The search first leaves out the roots that only hold what is in use at the moment of the
    snapshot (`(Stack roots)`, `(Handle scope)`, `(Strong roots)`), then goes on from them to
    what is still unreached: a path through a module, a global or an emitter says more than
    "a local variable of whatever function wrote the snapshot".
    """

    def __init__(self, snap: Snapshot) -> None:
        self.snap = snap
        n = snap.node_count
        self.followed = snap.edge_type != snap.edge_type_id("weak")
        self.blocked = np.isin(snap.node_type, [snap.node_type_id(t) for t in INTERNAL_NODE_TYPES])
        self.distance = np.full(n, -1, dtype=np.int32)
        self.parent_edge = np.full(n, -1, dtype=np.int64)
        self.distance[ROOT] = 0
        synthetic = np.flatnonzero(snap.node_type == snap.node_type_id("synthetic"))
        transient = np.array([i for i in synthetic.tolist() if snap.name(i) in TRANSIENT_ROOTS], dtype=np.int64)
        blocked = self.blocked.copy()
        blocked[transient] = True
        self._search(np.array([ROOT], dtype=np.int64), blocked)
        self._search(transient[self.distance[transient] >= 0], self.blocked)

    def _search(self, frontier: np.ndarray, blocked: np.ndarray) -> None:
        snap = self.snap
        while len(frontier):
            frontier = frontier[~blocked[frontier]]
            starts = snap.first_edge[frontier]
            counts = snap.first_edge[frontier + 1] - starts
            total = int(counts.sum())
            if not total:
                return
            # the edge indices of every frontier node, as one array
            offsets = np.repeat(starts - np.cumsum(counts) + counts, counts)
            edges = offsets + np.arange(total, dtype=np.int64)
            edges = edges[self.followed[edges]]
            targets = snap.edge_to[edges]
            fresh = self.distance[targets] < 0
            edges, targets = edges[fresh], targets[fresh]
            reached, first = np.unique(targets, return_index=True)
            self.distance[reached] = self.distance[snap.first_edge.searchsorted(edges[first], side="right") - 1] + 1
            self.parent_edge[reached] = edges[first]
            frontier = reached.astype(np.int64)

    def source(self, edge: int) -> int:
        """The node an edge leaves from (found by bisecting the nodes' first-edge offsets)."""
        return int(np.searchsorted(self.snap.first_edge, edge, side="right")) - 1

    def reachable(self, node: int) -> bool:
        return bool(self.distance[node] >= 0)

    def path(self, node: int) -> list[Step]:
        """The shortest path from the root to `node` (empty when it is not reachable)."""
        snap = self.snap
        steps: list[Step] = []
        while node != ROOT:
            edge = int(self.parent_edge[node])
            if edge < 0:
                return []
            steps.append(Step(snap.edge_types[int(snap.edge_type[edge])], snap.edge_label(edge), node))
            node = self.source(edge)
        steps.reverse()
        return steps


def is_module_context(snap: Snapshot, node: int) -> bool:
    """A function context whose enclosing context is the global one: a module's (or script's) scope."""
    for e in snap.edges(node):
        if snap.edge_label(e) == "previous":
            return snap.name(int(snap.edge_to[e])) == NATIVE_CONTEXT
    return False


@dataclass(frozen=True, slots=True)
class Origin:
    """Where the snapshot says a holder's code is: a function and its script position."""

    script: str  # as V8 names it: a path, a `file://` URL, `node:internal/...`
    line: int  # 1-based
    column: int  # 1-based
    function: str


@dataclass(frozen=True, slots=True)
class Holder:
    """What holds a collection, named the way a reader of the source would name it."""

    text: str  # `(module) auditTrail`, `globalThis.requestLog`, `Socket.acks`, `(module) bus._events.shutdown`
    names: tuple[str, ...]  # the variable and property names on the way, outermost first
    origins: tuple[Origin, ...]  # the functions the snapshot ties to the holder
    internal: bool  # state of Node's or V8's own code (a `node:` module's scope, say)


class Graph:
    """Questions about one snapshot that need its edges in both directions."""

    MAX_DEPTH = 8  # holder chains longer than this are not looked for
    MAX_VISITED = 4000  # nodes looked at per holder search

    def __init__(self, snap: Snapshot, retainers: Retainers, source: np.ndarray) -> None:
        self.snap = snap
        self.retainers = retainers
        self.source = source  # per edge, the node it leaves from
        order = np.argsort(snap.edge_to, kind="stable")
        self.by_target = order.astype(np.int32 if len(order) < 2**31 else np.int64)
        del order
        self.first_in = np.zeros(snap.node_count + 1, dtype=np.int64)
        np.cumsum(np.bincount(snap.edge_to, minlength=snap.node_count), out=self.first_in[1:])
        self._t = {name: snap.edge_type_id(name) for name in snap.edge_types}
        self._closure = snap.node_type_id("closure")
        self._global = {int(snap.edge_to[e]) for e in snap.edges(ROOT)
                        if snap.edge_types[int(snap.edge_type[e])] == "shortcut"}

    def retaining_edges(self, node: int) -> np.ndarray:
        return self.by_target[self.first_in[node]: self.first_in[node + 1]]

    def edge_named(self, node: int, name: str) -> int:
        """The node that `node`'s edge called `name` points to, or -1."""
        for e in self.snap.edges(node):
            if self.snap.edge_types[int(self.snap.edge_type[e])] not in ("element", "hidden") \
                    and self.snap.strings[int(self.snap.edge_name[e])] == name:
                return int(self.snap.edge_to[e])
        return -1

    def origin(self, closure: int) -> Origin | None:
        """A closure's script and position (`shared` → `script_or_debug_info`, and `locations`)."""
        snap = self.snap
        shared = self.edge_named(closure, "shared")
        script = -1
        if shared >= 0:
            script = self.edge_named(shared, "script_or_debug_info")
            if script < 0:
                script = self.edge_named(shared, "script")
        where = snap.location(closure)
        if script < 0 or where is None:
            return None
        return Origin(snap.name(script), where[1], where[2], snap.name(closure))

    def class_origin(self, instance: int) -> Origin | None:
        """Where an object's class is defined: its prototype's `constructor` (the hidden class's
        own constructor would be the base class for a derived one)."""
        shape = self.edge_named(instance, "map")
        prototype = self.edge_named(shape, "prototype") if shape >= 0 else -1
        ctor = self.edge_named(prototype, "constructor") if prototype >= 0 else -1
        if ctor >= 0 and self.snap.node_type[ctor] == self._closure:
            return self.origin(ctor)
        return None

    def context_origins(self, context: int) -> list[Origin]:
        """The functions defined in a context's scope, earliest in the script first."""
        snap = self.snap
        found = []
        for e in self.retaining_edges(context).tolist():
            s = int(self.source[e])
            if snap.node_type[s] == self._closure and snap.edge_type[e] == self._t["internal"] \
                    and snap.strings[int(snap.edge_name[e])] == "context":
                o = self.origin(s)
                if o is not None:
                    found.append(o)
        return sorted(set(found), key=lambda o: (o.script, o.line, o.column, o.function))

    def holder(self, node: int) -> Holder:
        """Name what holds `node`: the nearest variable (module or closure scope) or global
        property it is reachable from through properties, elements and Map/Set entries, else
        the nearest class instance or function on its shortest retainer path."""
        chain = self._named_chain(node)
        if chain is not None:
            return chain
        return self._path_holder(node)

    def _named_chain(self, node: int) -> Holder | None:
        """Search the retainers backwards, level by level, for a variable or global property.
        A holder in application code wins over one in Node's own modules (`process` is both a
        global and a variable of many `node:` modules), even if it is a few levels further."""
        snap, t = self.snap, self._t
        parent: dict[int, int] = {node: -1}  # node -> the edge that leads from it toward `node`
        frontier = [node]
        fallback: Holder | None = None
        for _ in range(self.MAX_DEPTH):
            following: list[int] = []
            found: list[Holder] = []
            for cur in frontier:
                for e in self.retaining_edges(cur).tolist():
                    s = int(self.source[e])
                    if s in parent or self.retainers.distance[s] < 0:
                        continue
                    kind = int(snap.edge_type[e])
                    if (kind == t["context"] and snap.name(s) == CONTEXT) or (kind == t["property"] and s in self._global):
                        found.append(self._chain_holder(s, [e] + self._down(parent, cur)))
                        continue
                    if not self._naming_step(e, s) or len(parent) > self.MAX_VISITED:
                        continue
                    parent[s] = e
                    following.append(s)
            for holder in found:
                if not holder.internal:
                    return holder
                fallback = fallback or holder
            frontier = following
            if not frontier:
                break
        return fallback

    def _down(self, parent: dict[int, int], node: int) -> list[int]:
        """The edges from `node` down to the searched node, following `parent`."""
        edges = []
        while parent[node] >= 0:
            e = parent[node]
            edges.append(e)
            node = int(self.snap.edge_to[e])
        return edges

    def _naming_step(self, edge: int, source: int) -> bool:
        """An edge a reader can name: a property (not `__proto__`), an element, a Map/Set entry."""
        snap, t = self.snap, self._t
        kind = int(snap.edge_type[edge])
        if kind == t["element"]:
            return True
        if kind == t["property"]:
            return snap.strings[int(snap.edge_name[edge])] != "__proto__"
        if kind == t["internal"]:
            name = snap.strings[int(snap.edge_name[edge])]
            if name == "table":
                return snap.name(source) in ("Map", "Set")
            return name.isdecimal() and snap.type_name(source) == "array" and snap.name(source) == ""
        return False

    def _chain_holder(self, top: int, edges: list[int]) -> Holder:
        snap = self.snap
        first = snap.edge_label(edges[0])
        if snap.name(top) == CONTEXT:
            origins = self.context_origins(top)
            internal = any(o.script.startswith("node:") for o in origins)
            if internal:  # a variable of Node's own code, like `process` in `node:events`
                origins, text = [], first
            else:
                text = f"{'(module)' if is_module_context(snap, top) else '(closure)'} {first}"
        else:
            origins, text, internal = [], f"globalThis.{first}" if _identifier(first) else f'globalThis["{first}"]', False
        names = [first]
        rest = edges[1:]
        i = 0
        while i < len(rest):
            e = rest[i]
            kind = snap.edge_types[int(snap.edge_type[e])]
            label = snap.edge_label(e)
            if kind == "internal" and label == "table":  # a Map or Set entry: the table, then its slot
                text += ".get(…)" if snap.name(int(self.source[e])) == "Map" else "[…]"
                i += 2
                continue
            text += _member(kind, label)
            if kind == "property":
                names.append(label)
            i += 1
        # listeners are added by application code, whatever emitter holds them
        return Holder(text, tuple(names), tuple(origins), internal and "_events" not in names)

    def _path_holder(self, node: int) -> Holder:
        snap = self.snap
        steps = self.retainers.path(node)
        anchor = 0
        for i in range(len(steps) - 2, -1, -1):
            n = steps[i].node
            kind = snap.type_name(n)
            if kind == "closure" or (kind == "object" and snap.name(n) not in PLAIN_CLASSES
                                     and not snap.name(n).startswith("system /")):
                anchor = i
                break
        if not steps:
            return Holder("(unreachable)", (), (), True)
        top = steps[anchor].node
        origin = self.origin(top) if snap.type_name(top) == "closure" else self.class_origin(top)
        text = snap.name(top) or f"({snap.type_name(top)})"
        names = [snap.name(top)]
        for step in steps[anchor + 1: -1]:
            text += _member(step.edge_type, step.name)
            if step.edge_type in ("property", "context"):
                names.append(step.name)
        last = steps[-1]
        text += _member(last.edge_type, last.name)
        if last.edge_type in ("property", "context"):
            names.append(last.name)
        internal = snap.type_name(top) == "closure" and origin is not None and origin.script.startswith("node:")
        return Holder(text, tuple(names), (origin,) if origin else (), internal)


_IDENT = re.compile(r"[A-Za-z_$][\w$]*\Z")


def _identifier(name: str) -> bool:
    return bool(_IDENT.match(name))


def _member(kind: str, name: str) -> str:
    if kind == "element" or (kind in ("internal", "hidden") and name.isdecimal()):
        return f"[{name}]"
    if kind in ("property", "context", "shortcut"):
        return f".{name}" if _identifier(name) else f'["{name}"]'
    return f".<{name}>"
