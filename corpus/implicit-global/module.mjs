// An ES module is strict: undeclared assignments throw, they never create globals.
export function handle(req) {
  result = req.body; // ok: implicit-global
  count++; // ok: implicit-global
  ({ id } = req); // ok: implicit-global
  return result;
}
export function plain() {
  this.value = 1; // ok: implicit-global -- `this` is undefined in module code
}
plain();

// one-time set-up at the top level is intended
globalThis.registry = new Map(); // ok: implicit-global
window.appConfig = {}; // ok: implicit-global

export function register(key, value) {
  globalThis.registry.set(key, value); // expect: implicit-global "`globalThis.registry` grows with `set`"
  window.handlers.add(value); // expect: implicit-global "`window.handlers` grows with `add`"
  self[key] = value; // expect: implicit-global "A new property of global `self`"
  globalThis.registry = null; // ok: implicit-global -- replaces one value
}
