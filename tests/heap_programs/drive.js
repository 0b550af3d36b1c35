// Drives a service module as load would: `node drive.js SERVICE OUT_DIR N [ROUNDS]`.
// Calls the service's `handle` N times per round and writes a heap snapshot after each round,
// so the snapshots see the service after N, 2N, ... requests.
"use strict";
const path = require("path");
const { pathToFileURL } = require("url");
const v8 = require("v8");

async function main() {
  const [service, outDir, n, rounds = "2"] = process.argv.slice(2);
  const { handle } = await import(pathToFileURL(path.resolve(service)).href);
  let next = 0;
  for (let round = 1; round <= Number(rounds); round++) {
    for (let i = 0; i < Number(n); i++) {
      handle({ id: next, path: `/items/${next}` });
      next += 1;
    }
    v8.writeHeapSnapshot(path.join(outDir, `${round}.heapsnapshot`));
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
