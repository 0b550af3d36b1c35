"""leaklint benchmark: whole-process wall time against parse-only and ESLint, interleaved.

usage: python bench/run.py [--list small|full|FILE] [--runs 3] [--eslint] [--modes a,b,...]
                          [--largest] [--latency] [--floor]

Needs the pinned real-world corpus (../shared/corpus/real-world.sh) and, for --eslint, the pinned
tools (../shared/bench/setup-tools.sh; this script runs it when they are missing). Every figure is a
whole process, median of --runs; each mode runs alternately with parse-only (A B A B ...) and the
ratio column is the median of the pair-by-pair ratios, which stays meaningful on a noisy machine.
Peak RSS is the largest resident size of the process or any of its workers (wait4 rusage).

--largest adds the scaling row: leaklint on the largest file of the list against parsing that file.
--latency adds the editor rows: a 2,000-line file through `--stdin-filename` against a process that
parses it (start-up included), once checked by the process itself and once forwarded to a running
`leaklint daemon` (started for the measurement, in a folder of its own), and the same check inside
a running process (the language server's case) against its parse.
--floor adds what any analyzer on py-tree-sitter pays before it analyses anything: the parse plus
one walk of every node by a tree cursor (no Python object per node), and the parse plus one small
query, each in one process and split over two processes as the default jobs are (the list cut in
two halves of equal bytes, largest files first, run side by side). With --eslint it prints how
much faster than ESLint each floor is: the most any leaklint could be.

leaklint runs with Python's bytecode cache on (PYTHONDONTWRITEBYTECODE unset), as an installed
package does; a run without it compiles leaklint's modules at every start.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
SHARED = Path(os.environ.get("LEAKLINT_SHARED", ROOT.parent / "shared"))
CORPUS = Path(os.environ.get("LEAKLINT_CORPUS", "/tmp/leaklint-corpus"))
TOOLS = Path(os.environ.get("LEAKLINT_TOOLS", "/tmp/perf/tools"))
PY = sys.executable


# no daemon answers unless a row asks for one (see --latency)
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"} | {"LEAKLINT_DAEMON": "0"}


def run(cmd: list[str] | list[list[str]], cwd: Path | None = None, stdin: bytes | None = None,
        env: dict[str, str] | None = None) -> tuple[float, float]:
    """(wall seconds, peak RSS MB) of one whole process and its children, or of several processes
    run side by side (a list of commands: the wall time until the last one ends)."""
    cmds = cmd if cmd and isinstance(cmd[0], list) else [cmd]
    start = time.perf_counter()
    procs = [subprocess.Popen(c, cwd=cwd, stdin=subprocess.PIPE if stdin is not None else subprocess.DEVNULL,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env or ENV) for c in cmds]
    if stdin is not None:
        procs[0].stdin.write(stdin)
        procs[0].stdin.close()
    rss = 0.0
    for proc, c in zip(procs, cmds):
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.returncode not in (0, 1):
            raise SystemExit(f"command failed ({proc.returncode}): {' '.join(c[:6])} ...")
        rss = max(rss, usage.ru_maxrss / 1024)
    return time.perf_counter() - start, rss


def files_of(list_arg: str) -> Path:
    if list_arg in ("small", "full"):
        p = CORPUS / "lists" / f"{list_arg}.txt"
    else:
        p = Path(list_arg)
    if not p.is_file():
        raise SystemExit(f"no file list {p}: run {SHARED}/corpus/real-world.sh first")
    return p


def leaklint_cmd(paths: list[str], *extra: str) -> list[str]:
    return [PY, "-m", "leaklint", "check", "--isolated", "--no-gitignore", "--format", "json",
            "-o", os.devnull, *extra, *paths]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--list", default="small")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--eslint", action="store_true", help="include ESLint (slow on the full list)")
    ap.add_argument("--modes", default="", help="comma-separated subset of modes")
    ap.add_argument("--largest", action="store_true", help="add the largest file of the list, on its own")
    ap.add_argument("--latency", action="store_true", help="add the editor case: one 2,000-line file on stdin")
    ap.add_argument("--floor", action="store_true", help="add the floors: parse + a walk of every node, parse + "
                    "a small query, in one process and in two")
    args = ap.parse_args()

    lst = files_of(args.list)
    paths = [l.strip() for l in lst.read_text().splitlines() if l.strip()]
    mb = sum(os.path.getsize(p) for p in paths) / 1e6
    parse_only = [PY, str(SHARED / "bench" / "parse_only.py"), "--mode", "parse", str(lst)]
    cache = Path(tempfile.mkdtemp(prefix="leaklint-bench-cache-"))
    tmp = Path(tempfile.mkdtemp(prefix="leaklint-bench-"))
    modes: dict[str, list[str] | list[list[str]]] = {
        "leaklint --jobs 1": leaklint_cmd(paths, "--jobs", "1", "--no-cache"),
        "leaklint (default jobs)": leaklint_cmd(paths, "--no-cache"),
        "leaklint, warm cache": leaklint_cmd(paths, "--cache-dir", str(cache)),
    }
    if args.floor:
        halves = split_list(paths, tmp)
        for mode, what in (("walk-bare", "a walk of every node"), ("query", "a small query")):
            modes[f"floor: parse + {what}, one process"] = parse_only[:-3] + ["--mode", mode, str(lst)]
            modes[f"floor: parse + {what}, two processes"] = [
                parse_only[:-3] + ["--mode", mode, str(h)] for h in halves]
    if args.eslint:
        if not (TOOLS / "node_modules" / ".bin" / "eslint").exists():
            subprocess.run(["bash", str(SHARED / "bench" / "setup-tools.sh"), str(TOOLS)], check=True)
        modes["eslint (no-undef, no-implicit-globals, listeners)"] = [
            "bash", str(SHARED / "bench" / "cmd.sh"), "eslint", str(lst)]
    if args.modes:
        keep = {m.strip() for m in args.modes.split(",")}
        modes = {k: v for k, v in modes.items() if any(k.startswith(m) for m in keep)}

    run(modes.get("leaklint, warm cache", parse_only))  # fill the cache (and warm the file cache)
    rows = []
    base_walls: list[float] = []
    for name, cmd in modes.items():
        rows.append(paired(name, cmd, parse_only, args.runs, base_walls))
    shutil.rmtree(cache, ignore_errors=True)

    extra = []  # rows measured against their own parse-only baseline
    if args.largest:
        largest = max(paths, key=os.path.getsize)
        one = tmp / "largest.txt"
        one.write_text(largest + "\n")
        base = [PY, str(SHARED / "bench" / "parse_only.py"), "--mode", "parse", str(one)]
        label = f"largest file ({Path(largest).name}, {os.path.getsize(largest) / 1e6:.1f} MB), --jobs 1"
        extra.append(paired(label, leaklint_cmd([largest], "--jobs", "1", "--no-cache"), base, args.runs, []))
    if args.latency:
        path, source = editor_file(paths)
        one = tmp / "editor.txt"
        one.write_text(path + "\n")
        base = [PY, str(SHARED / "bench" / "parse_only.py"), "--mode", "parse", str(one)]
        cmd = [PY, "-m", "leaklint", "check", "--isolated", "--no-cache", "--format", "concise",
               "--stdin-filename", Path(path).name, "-"]
        label = f"editor: {source.count(chr(10)):,}-line file on stdin (whole process)"
        extra.append(paired(label, cmd, base, max(args.runs, 5), [], stdin=source.encode()))
        runtime = Path(tempfile.mkdtemp(prefix="ll-", dir="/tmp" if os.path.isdir("/tmp") else None))  # short: socket paths are limited to ~100 bytes
        env = ENV | {"LEAKLINT_DAEMON": "1", "LEAKLINT_RUNTIME_DIR": str(runtime)}
        subprocess.run([PY, "-m", "leaklint", "daemon", "start", "--idle-timeout", "10"], env=env, check=True)
        try:
            extra.append(paired(label.replace("whole process", "whole process, daemon running"), cmd, base,
                                max(args.runs, 5), [], stdin=source.encode(), env=env))
        finally:
            subprocess.run([PY, "-m", "leaklint", "daemon", "stop"], env=env)
            shutil.rmtree(runtime, ignore_errors=True)
    shutil.rmtree(tmp, ignore_errors=True)

    eslint = next((r for r in rows if r[0].startswith("eslint")), None)
    print(f"\nlist: {lst} — {len(paths)} files, {mb:.1f} MB; {args.runs} runs; python {sys.version.split()[0]}; "
          f"{os.cpu_count()} CPUs\n")
    print("| tool / mode | files | MB | median wall s (min–max) | × parse-only (paired) | × ESLint | peak RSS MB |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    print(f"| parse-only (py-tree-sitter) | {len(paths)} | {mb:.1f} | {statistics.median(base_walls):.2f} "
          f"({min(base_walls):.2f}–{max(base_walls):.2f}) | 1 | | |")
    for name, med, lo, hi, ratio, rss in rows:
        vs = f"{med / eslint[1]:.3f}" if eslint else ""
        print(f"| {name} | {len(paths)} | {mb:.1f} | {med:.2f} ({lo:.2f}–{hi:.2f}) | {ratio:.2f} | {vs} | {rss:.0f} |")
    for name, med, lo, hi, ratio, rss in extra:
        print(f"| {name} | 1 | | {med:.2f} ({lo:.2f}–{hi:.2f}) | {ratio:.2f} | | {rss:.0f} |")
    by_name = {r[0]: r for r in rows}
    one, many = by_name.get("leaklint --jobs 1"), by_name.get("leaklint (default jobs)")
    # quotients of the paired ratios: each run is measured against the parse-only run next to it,
    # which cancels the machine's drift between modes better than the quotient of the medians
    if one and many:
        print(f"\nparallel speedup, default jobs over --jobs 1: {one[4] / many[4]:.2f}× "
              f"(medians: {one[1] / many[1]:.2f}×)")
    warm = by_name.get("leaklint, warm cache")
    if warm and many:
        print(f"warm cache: {warm[4] / many[4]:.1%} of the cold run, default jobs (medians: {warm[1] / many[1]:.1%})")
    if eslint and many:
        print(f"ESLint / leaklint (default jobs): {eslint[4] / many[4]:.1f}× (medians: {eslint[1] / many[1]:.1f}×)")
    for name, row in by_name.items():
        if eslint and name.startswith("floor:"):
            print(f"ESLint / {name}: {eslint[4] / row[4]:.1f}×")
    if args.latency:
        in_process(editor_file(paths)[0])


def split_list(paths: list[str], folder: Path) -> list[Path]:
    """Two file lists of about equal bytes (largest files first, each to the lighter half)."""
    halves: list[list[str]] = [[], []]
    sizes = [0, 0]
    for p in sorted(paths, key=os.path.getsize, reverse=True):
        i = sizes.index(min(sizes))
        halves[i].append(p)
        sizes[i] += os.path.getsize(p)
    out = []
    for i, h in enumerate(halves):
        f = folder / f"half{i}.txt"
        f.write_text("".join(p + "\n" for p in h))
        out.append(f)
    return out


def paired(name: str, cmd: list[str] | list[list[str]], base: list[str], runs: int, base_walls: list[float],
           stdin: bytes | None = None, env: dict[str, str] | None = None) -> tuple:
    """(name, median wall, min, max, median paired ratio to `base`, peak RSS) of `cmd`, alternating with `base`."""
    walls, ratios, rss = [], [], []
    for _ in range(runs):
        b, _r = run(base)
        w, r = run(cmd, stdin=stdin, env=env)
        base_walls.append(b)
        walls.append(w)
        ratios.append(w / b)
        rss.append(r)
        print(f"  {name}: {w:.2f}s (parse-only {b:.2f}s)", file=sys.stderr)
    return name, statistics.median(walls), min(walls), max(walls), statistics.median(ratios), max(rss)


def editor_file(paths: list[str]) -> tuple[str, str]:
    """A file of the list with about 2,000 lines (the closest), and its text."""
    best, best_gap, text = "", None, ""
    for p in paths:
        try:
            t = Path(p).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        gap = abs(t.count("\n") - 2000)
        if best_gap is None or gap < best_gap:
            best, best_gap, text = p, gap, t
    return best, text


def in_process(path: str) -> None:
    """The language server's case: checking the file again in a warm process, against parsing it."""
    code = f"""
import statistics, time
from pathlib import Path
from leaklint.api import check_text
from leaklint.syntax import Dialect, parse
src = Path({path!r}).read_bytes()
check_text(src, "warm.js")
checks, parses = [], []
for _ in range(15):
    t = time.perf_counter(); parse(src, Dialect.JS); parses.append(time.perf_counter() - t)
    t = time.perf_counter(); check_text(src, "x.js"); checks.append(time.perf_counter() - t)
c, p = statistics.median(checks), statistics.median(parses)
print(f"in a running process (language server): check {{c * 1000:.1f}} ms, parse {{p * 1000:.1f}} ms, "
      f"{{c / p:.1f}}× the parse")
"""
    subprocess.run([PY, "-c", code], check=True, env=ENV)


if __name__ == "__main__":
    main()
