// TypeScript classes: singletons, static fields, per-request objects.
class AuditService {
  private entries: string[] = [];
  static registry: Function[] = [];

  log(message: string): void {
    this.entries.push(message); // expect: growing-array "`this.entries` is an array field of singleton `AuditService`"
  }

  register(fn: Function): void {
    AuditService.registry.push(fn); // expect: growing-array "a static array of `AuditService`"
  }
}

export const audit = new AuditService();

class RequestContext {
  readonly notes: string[] = [];
  add(note: string): void {
    this.notes.push(note); // ok: growing-array -- one object per request
  }
}

export function handle(): RequestContext {
  return new RequestContext();
}

class Store {
  items: number[] = [];
  add(n: number): void {
    this.items.push(n); // ok: growing-array -- cleared by reset()
  }
  reset(): void {
    this.items.length = 0;
  }
}
export const store = new Store();

const state: { events: string[] } = { events: [] };
export function track(event: string): void {
  state.events.push(event); // expect: growing-array "`state.events` is an array held by module-level `state`"
}
