"""The long fuzz run: many generated and mutated inputs through the analyzer, crashes kept.

    python scripts/fuzz.py --examples 100000
    python scripts/fuzz.py --examples 20000 --seeds /tmp/leaklint-corpus/lists/small.txt

Uses the generators and properties of tests/fuzzing.py (the short run lives in tests/test_fuzz.py).
Runs in chunks of fresh Hypothesis runs with consecutive seeds, so memory stays flat and a run is
reproducible from its `--seed`. A crashing input does not stop the run: it is written to
`--crash-dir` (the first few for each distinct exception site) and counted; add it to tests/regressions/
once fixed. Exit status: 0 when nothing crashed, 1 otherwise.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import sys
import time
import traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
os.environ.setdefault("LEAKLINT_STRICT", "1")  # internal errors raise, as in the test suite
KEEP_PER_SITE = 3  # inputs kept for each distinct exception site


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--examples", type=int, default=100_000, help="inputs to try (default: 100000)")
    ap.add_argument("--seed", type=int, default=0, help="first Hypothesis seed (one per chunk)")
    ap.add_argument("--chunk", type=int, default=2_000, help="inputs per Hypothesis run")
    ap.add_argument("--seeds", help="a file listing extra seed files (one path a line), e.g. real-world code")
    ap.add_argument("--crash-dir", default=str(ROOT / ".fuzz-crashes"), help="where crashing inputs go")
    ap.add_argument("--edits-every", type=int, default=10,
                    help="also check stability under inserted lines for one input in N (0: never)")
    args = ap.parse_args()
    if args.seeds:
        os.environ["LEAKLINT_FUZZ_SEEDS"] = args.seeds

    from fuzzing import (
        EDIT_TEXTS,
        Edit,
        any_source,
        check_never_raises,
        check_stable_under_edits,
        edit_points,
        load_seeds,
    )
    from hypothesis import HealthCheck, Phase, given, seed, settings
    from hypothesis import strategies as st

    seeds = load_seeds()
    crash_dir = Path(args.crash_dir)
    counts = {"inputs": 0, "crashes": 0, "edit_checks": 0}
    sites: dict[str, int] = {}
    source = any_source(seeds)

    def record(filename: str, raw: bytes, exc: BaseException, what: str) -> None:
        counts["crashes"] += 1
        tb = traceback.extract_tb(exc.__traceback__)
        frame = tb[-1] if tb else None
        site = f"{type(exc).__name__} at {os.path.basename(frame.filename)}:{frame.lineno}" if frame else type(exc).__name__
        sites[site] = sites.get(site, 0) + 1
        if sites[site] <= KEEP_PER_SITE:
            crash_dir.mkdir(parents=True, exist_ok=True)
            digest = hashlib.sha1(raw).hexdigest()[:12]
            ext = os.path.splitext(filename)[1] or ".js"
            (crash_dir / f"{what}-{digest}{ext}").write_bytes(raw)
            (crash_dir / f"{what}-{digest}.txt").write_text(
                f"{filename}\n{site}\n\n" + "".join(traceback.format_exception(exc)), encoding="utf-8")
            print(f"\ncrash: {site} ({what}, {filename}) -> {crash_dir}/{what}-{digest}{ext}", flush=True)

    def one(case: tuple[str, bytes], data: st.DataObject) -> None:
        filename, raw = case
        counts["inputs"] += 1
        try:
            check_never_raises(filename, raw)
        except Exception as e:  # keep going: every distinct crash is worth finding in one run
            record(filename, raw, e, "crash")
            return
        # what is drawn may depend on the input only, never on state such as the counters
        if args.edits_every and data.draw(st.integers(1, args.edits_every)) == 1:
            points = edit_points(filename, raw)
            if points:
                lines = data.draw(st.lists(st.sampled_from(points), min_size=1, max_size=4, unique=True))
                edits = [Edit(line, data.draw(st.sampled_from(EDIT_TEXTS))) for line in lines]
                counts["edit_checks"] += 1
                try:
                    check_stable_under_edits(filename, raw, edits)
                except Exception as e:
                    record(filename, raw, e, "unstable")

    started = time.monotonic()
    chunk_seed = args.seed
    while counts["inputs"] < args.examples:
        n = min(args.chunk, args.examples - counts["inputs"])
        run = settings(max_examples=n, deadline=None, database=None, phases=[Phase.generate],
                       suppress_health_check=list(HealthCheck))(given(source, st.data())(one))
        before = counts["inputs"]
        seed(chunk_seed)(run)()
        chunk_seed += 1
        rate = counts["inputs"] / max(1e-9, time.monotonic() - started)
        print(f"{counts['inputs']} inputs, {counts['edit_checks']} edit checks, {counts['crashes']} crashes "
              f"({rate:.0f}/s, seed {chunk_seed - 1})", flush=True)
        if counts["inputs"] == before:
            break  # Hypothesis found nothing new to try
    print(f"\nsurvived {counts['inputs'] - counts['crashes']} of {counts['inputs']} inputs "
          f"({counts['edit_checks']} with inserted-line stability checks) in {time.monotonic() - started:.0f}s")
    for site, n in sorted(sites.items()):
        print(f"  {n} x {site}")
    return 1 if counts["crashes"] else 0


if __name__ == "__main__":
    sys.exit(main())
