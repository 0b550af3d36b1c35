// A library module: importing it must not keep the process alive.
import { EventEmitter } from "node:events";

export const events = new EventEmitter();
const pending = new Map();

// expect: uncleared-timer "top level of a library module"
setInterval(() => {
  for (const [key, entry] of pending) {
    if (entry.expires < Date.now()) pending.delete(key);
  }
}, 60000);

export function remember(key, value) {
  pending.set(key, { value, expires: Date.now() + 1000 });
}
