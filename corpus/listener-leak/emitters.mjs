// EventEmitter subclasses and module-level emitters behind an API.
import { EventEmitter, once } from "node:events";
import { ipcRenderer } from "electron";

const bus = new EventEmitter();
const signals = new EventEmitter();

// the example: every call adds a listener that nothing removes
export function subscribe(onMessage) {
  bus.on("message", onMessage); // expect: listener-leak "Listener for `'message'` is added to module-level `bus` on every call of exported `subscribe` and never removed"
}

// a subscribe that returns its disposer
export function listen(onMessage) {
  const handler = (m) => onMessage(m);
  bus.on("message", handler); // ok: listener-leak
  return () => bus.off("message", handler);
}

// subscribe/unsubscribe pair: the caller passes the same function to both
export function on(event, fn) {
  signals.addListener(event, fn); // ok: listener-leak
}
export function off(event, fn) {
  signals.removeListener(event, fn);
}

// the add returns a disposer that is kept
export function watch(fn) {
  const dispose = ipcRenderer.on("update", fn); // ok: listener-leak
  return dispose;
}

// the disposer is dropped
export function watchAll(fn) {
  const dispose = ipcRenderer.on("update-all", fn); // expect: listener-leak "imported `ipcRenderer`"
}

// events.once resolves and removes its listener
export async function nextMessage() {
  const [m] = await once(bus, "message"); // ok: listener-leak
  return m;
}

// a singleton subclass: `this` lives as long as the module
class Hub extends EventEmitter {
  join(room) {
    this.on(room, () => this.emit("joined", room)); // expect: listener-leak "singleton `Hub`"
  }
  watch(fn) {
    this.on("change", fn); // ok: listener-leak -- removed in stop()
  }
  stop(fn) {
    this.removeListener("change", fn);
  }
}
export const hub = new Hub();

// a subclass created per use: its own listeners die with it
export class Job extends EventEmitter {
  constructor() {
    super();
    this.on("done", () => this.cleanup()); // ok: listener-leak
  }
  cleanup() {}
}

// a singleton's field: the same pool for every call
class Store {
  constructor() {
    this.pool = new EventEmitter();
  }
  query(sql) {
    this.pool.on("error", (err) => console.error(sql, err)); // expect: listener-leak "field `pool` of singleton `Store`"
  }
}
export const store = new Store();

// Node's leak warning switched off
bus.setMaxListeners(0); // expect: listener-leak "`setMaxListeners(0)` on `bus`"
hub.setMaxListeners(Infinity); // expect: listener-leak
store.pool.setMaxListeners(50); // ok: listener-leak -- a finite limit

// a removal in a function that nothing calls or exports cannot run
const audit = new EventEmitter();
function record() {}
export function startAudit() {
  audit.on("entry", record); // expect: listener-leak "module-level `audit`"
}
function stopAudit() {
  audit.off("entry", record);
}
