// Event names that are not string literals: constants, enums, parameters, symbols.
import { EventEmitter } from "node:events";

const UPDATE = "update";
const READY = Symbol("ready");
enum Channel {
  Status = "status",
}

export const store = new EventEmitter();

export function onUpdate(fn: () => void): void {
  store.on(UPDATE, fn); // expect: listener-leak "Listener for `UPDATE`"
}

export function onReady(fn: () => void): void {
  store.on(READY, fn); // expect: listener-leak "`READY`"
}

export function onStatus(fn: (s: string) => void): void {
  store.on(Channel.Status, fn); // expect: listener-leak "`Channel.Status`"
}

export function onAny(name: string, fn: () => void): void {
  store.on(name, fn); // expect: listener-leak "`name`"
}

// a constant on one side and the literal on the other still pair up
export function watchSize(fn: () => void): () => void {
  const handler = (): void => fn();
  store.on(UPDATE, handler); // ok: listener-leak
  return () => store.off("update", handler);
}

// a removal under a computed name is assumed to match
const events = ["a", "b"];
const feed = new EventEmitter();
export function watchAll(fn: () => void): void {
  for (const e of events) feed.on(e, fn); // ok: listener-leak -- removed by unwatchAll for any name
}
export function unwatchAll(fn: () => void): void {
  for (const e of events) feed.off(e, fn);
}
