// TypeScript: singleton services, static registries, per-request objects, aliases.
class SessionStore {
  private readonly sessions = new Map<string, object>();
  private static instances = new Set<object>();

  save(id: string, data: object): void {
    this.sessions.set(id, data); // expect: unbounded-cache "`this.sessions` is a Map field of singleton `SessionStore`"
  }

  track(owner: object): void {
    SessionStore.instances.add(owner); // expect: unbounded-cache "a static Set of `SessionStore`"
  }
}
export const sessions = new SessionStore();

class RequestScope {
  private values: Record<string, unknown> = {};
  set(key: string, value: unknown): void {
    this.values[key] = value; // ok: unbounded-cache -- one object per request
  }
}
export function scope(): RequestScope {
  return new RequestScope();
}

class Registry {
  private items = new Map<string, unknown>();
  add(name: string, item: unknown): void {
    this.items.set(name, item); // ok: unbounded-cache -- removed by remove()
  }
  remove(name: string): void {
    const items = this.items;
    items.delete(name);
  }
}
export const registry = new Registry();

const cache: Record<string, number> = {};
export function lookup(key: string): number {
  const c = cache;
  c[key] = key.length; // expect: unbounded-cache "`cache`"
  return c[key];
}

const state = { byId: new Map<number, string>() };
export function remember(id: number, name: string): void {
  const { byId } = state;
  byId.set(id, name); // expect: unbounded-cache "`state.byId` is a Map held by module-level `state`"
}

// fields declared without a value and filled in the constructor; `#private` fields
class Lookup {
  private table: Map<string, number>;
  #seen = new Set<string>();
  constructor() {
    this.table = new Map();
  }
  async resolve(name: string): Promise<number> {
    this.#seen.add(name); // expect: unbounded-cache "`this.#seen` is a Set field of singleton `Lookup`"
    const value = await Promise.resolve(name.length);
    this.table.set(name, value); // expect: unbounded-cache "`this.table` is a Map field of singleton `Lookup`"
    return value;
  }
}
export default new Lookup();
