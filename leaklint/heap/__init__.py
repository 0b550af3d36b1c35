"""Heap snapshots: read V8 `.heapsnapshot` files, find the collections that grow from one to the
next, and link them to static findings. Needs numpy (`pip install 'leaklint[heap]'`)."""

from leaklint.heap.diff import DiffError, Growth, HeapDiff, Thresholds, diff_snapshots
from leaklint.heap.link import link
from leaklint.heap.snapshot import SnapshotError, read_snapshot

__all__ = ["DiffError", "Growth", "HeapDiff", "SnapshotError", "Thresholds", "diff_snapshots", "link", "read_snapshot"]
