// TypeScript: namespaces, enums, ambient declarations; type names are not references.
import fs = require("fs");
import { type Options, defaults } from "./options";
import Alias = Settings.Nested;
//     ^ defined: 4 (import)
//             ^ defined: 21 (namespace)

declare const injected: string;
declare global {
  var appVersion: string;
  namespace Express { interface Request { user?: string } }
}
declare module "untyped" {
  export const hidden: number;
}

enum Level { Low = 1, High }
const level: Level = Level.High;
//           ^ no-reference
//                   ^ defined: 17 (enum)
namespace Settings {
  export namespace Nested { export const depth = 1; }
  const secret = Nested.depth;
//               ^ defined: 22 (namespace)
  export const visible = secret;
//                       ^ defined: 23 (const)
}
/**/ Settings.visible;
//   ^ defined: 21 (namespace)

class Service {
  constructor(private readonly store: Map<string, Options>, public limit = defaults.limit) {
//                                                ^ no-reference
//                                                                         ^ defined: 3 (import)
    store.clear();
//  ^ defined: 32 (param)
  }
}
type Handler = (req: Options) => void;
//                   ^ no-reference
interface Shape { area(): number }
function measure<T extends Shape>(shape: T): T {
//                         ^ no-reference
  return shape as T;
//                ^ no-reference
}
export const used = [fs, injected, appVersion, hidden, Service, measure];
//                   ^ defined: 2 (import)
//                       ^ defined: 8 (declared)
//                                 ^ defined: 10 (declared)
//                                             ^ defined:
