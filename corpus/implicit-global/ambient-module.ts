// A TypeScript module: strict, so only growth on the global object is reported.
import fs = require("fs");

declare global {
  var requestLog: string[];
  namespace NodeJS {
    interface Global { requestLog: string[] }
  }
}
globalThis.requestLog = []; // ok: implicit-global -- one-time set-up

export function read(path: string): string {
  globalThis.requestLog.push(path); // expect: implicit-global "`globalThis.requestLog` grows with `push`"
  requestLog = []; // ok: implicit-global -- declared by `declare global`, and module code is strict
  undeclaredInModule = path; // ok: implicit-global -- throws in strict code
  return fs.readFileSync(path, "utf8");
}
