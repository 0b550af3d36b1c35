"""Time and peak memory of `leaklint heap diff` on two large heap snapshots.

    python3 bench/heap.py                      # ~300 MB snapshots in /tmp/leaklint-heap-bench
    python3 bench/heap.py --objects 500000     # smaller
    python3 bench/heap.py --reuse              # diff the snapshots of an earlier run again

A Node program (written to the output folder, not kept in the repository) builds a large heap of
records, then leaks into a module-level array and writes a snapshot after each of two rounds.
`leaklint heap diff` then runs in a child process; its wall time and peak RSS (the child's
`ru_maxrss`) are printed, with the snapshots' size, nodes and edges.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

PROGRAM = r"""
"use strict";
const path = require("path");
const v8 = require("v8");
const [outDir, objects, leak] = process.argv.slice(2).map((v, i) => (i ? Number(v) : v));

// the steady part of the heap: records with a few fields, strings and small arrays
const records = (globalThis.records = new Map());
for (let i = 0; i < objects; i++) {
  records.set(`record-${i}`, { id: i, name: `name ${i % 1000}`, tags: [i % 7, `t${i % 13}`], parent: null });
}
const auditTrail = [];
function handle(i) {
  auditTrail.push({ id: i, at: `2024-01-01T00:00:${i % 60}` });
}
let next = 0;
for (const round of [1, 2]) {
  for (let i = 0; i < leak; i++) handle(next++);
  v8.writeHeapSnapshot(path.join(outDir, `${round}.heapsnapshot`));
}
"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=Path("/tmp/leaklint-heap-bench"))
    parser.add_argument("--objects", type=int, default=600_000, help="records in the steady heap")
    parser.add_argument("--leak", type=int, default=100_000, help="entries leaked per round")
    parser.add_argument("--reuse", action="store_true", help="use the snapshots already in --out")
    args = parser.parse_args()
    snapshots = [args.out / "1.heapsnapshot", args.out / "2.heapsnapshot"]
    if not (args.reuse and all(p.is_file() for p in snapshots)):
        node = shutil.which("node")
        if node is None:
            print("node is not on PATH", file=sys.stderr)
            return 2
        args.out.mkdir(parents=True, exist_ok=True)
        program = args.out / "program.js"
        program.write_text(PROGRAM, encoding="utf-8")
        start = time.perf_counter()
        subprocess.run([node, "--max-old-space-size=8192", str(program), str(args.out), str(args.objects),
                        str(args.leak)], check=True)
        print(f"node wrote 2 snapshots in {time.perf_counter() - start:.1f} s")

    report = args.out / "report.json"
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "leaklint", "heap", "diff", *map(str, snapshots),
                             "--format", "json", "-o", str(report)])
    _, status, usage = os.wait4(proc.pid, 0)  # this child's own peak, not node's
    wall = time.perf_counter() - start
    peak = usage.ru_maxrss / 1024  # KiB -> MiB (Linux)
    code = os.waitstatus_to_exitcode(status)
    if code not in (0, 1):
        return code
    heap = json.loads(report.read_text(encoding="utf-8"))["heap"]
    for s in heap["snapshots"]:
        print(f"{s['path']}: {s['bytes'] / 1e6:.0f} MB, {s['nodes']:,} nodes, {s['edges']:,} edges")
    for g in heap["growing"]:
        print(f"growing: {g['label']}  {' -> '.join(map(str, g['sizes']))}")
    print(f"leaklint heap diff: {wall:.1f} s wall, peak RSS {peak:.0f} MiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
