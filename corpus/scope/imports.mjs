// ES modules: imports are bindings; exported declarations are ordinary declarations.
import main, { helper, other as renamed } from "./lib.mjs";
import * as everything from "./lib.mjs";

export default function start() {
  return main(helper, renamed, everything, start);
//       ^ defined: 2 (import)
//            ^ defined: 2 (import)
//                    ^ defined: 2 (import)
//                             ^ defined: 3 (import)
//                                         ^ defined: 5 (function)
}
export class Service {}
export const instance = new Service();
//                          ^ defined: 13 (class)
export { instance as shared, helper };
//       ^ defined: 14 (const)
//                           ^ defined: 2 (import)
export { unrelated } from "./lib.mjs";
//       ^ no-reference
export * as namespace from "./lib.mjs";
//          ^ no-reference

// no `arguments` in module code
export const first = () => arguments;
//                         ^ defined:
