"""Regenerate leaklint/data/globals.json from the `globals` npm package (the list ESLint uses).

usage: python scripts/update_globals.py PATH/TO/node_modules/globals/globals.json

Keeps the environments leaklint exposes: builtin (ECMAScript), node, commonjs, browser, worker,
serviceworker, shared-node-browser, jest, mocha, jquery. Each maps a name to "writable"
(true/false), as in the source.
"""

import json
import sys
from pathlib import Path

KEEP = ("builtin", "node", "commonjs", "browser", "worker", "serviceworker", "shared-node-browser",
        "jest", "mocha", "jquery", "vitest")


def main() -> None:
    src = json.loads(Path(sys.argv[1]).read_text())
    out = {env: dict(sorted(src[env].items())) for env in KEEP}
    target = Path(__file__).resolve().parent.parent / "leaklint" / "data" / "globals.json"
    target.write_text(json.dumps(out, indent=0, sort_keys=True) + "\n")
    print(f"wrote {target}: " + ", ".join(f"{k} {len(v)}" for k, v in out.items()))


if __name__ == "__main__":
    main()
