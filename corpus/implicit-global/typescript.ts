// A TypeScript script (no import or export): sloppy, like a browser script. Ambient declarations
// declare names; type-only names declare nothing and reference nothing.
declare var legacyApi: { calls: number };
declare function track(event: string): void;
declare namespace Analytics {
  let version: string;
}
declare module "untyped-lib" {
  export let defaultOptions: object;
}
enum Level { Low = 1, High }
namespace Cache {
  export let store: Record<string, string> = {};
  export function reset(): void {
    store = {}; // ok: implicit-global -- the namespace's exported `let`
    stale = true; // expect: implicit-global "`stale`"
  }
}
type Config = { port: number };
interface Entry { key: string }

function configure(input: Config, entries: Entry[]): Level {
  legacyApi = { calls: 0 }; // ok: implicit-global -- `declare var`
  track = () => {}; // ok: implicit-global -- `declare function`
  Analytics = { version: "2" }; // ok: implicit-global -- `declare namespace`
  version = "3"; // expect: implicit-global "`version`" -- only `Analytics.version` is declared
  defaultOptions = {}; // expect: implicit-global "`defaultOptions`" -- declared inside an ambient module only
  Cache.store = {}; // ok: implicit-global
  Config = input; // expect: implicit-global "`Config`" -- a type alias is not a value
  Entry = entries[0]; // expect: implicit-global "`Entry`" -- neither is an interface
  let typed: Config | undefined = input as Config; // ok: implicit-global
  typed = undefined; // ok: implicit-global
  lastLevel = Level.High; // expect: implicit-global "`lastLevel`"
  return Level.Low;
}

class Repository<T> {
  constructor(private items: T[], public limit = 10) {}
  add(item: T): void {
    this.items.push(item); // ok: implicit-global
    added = item; // ok: implicit-global -- class bodies are strict
  }
}
