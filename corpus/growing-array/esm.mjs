// ES modules: exported functions, async code, bounded and reset arrays.
export const metrics = [];

export async function handle(request) {
  const started = Date.now();
  await request.body();
  metrics.push(Date.now() - started); // expect: growing-array "`metrics` is a module-level array pushed to on every call of exported `handle`"
}

const recent = [];
export function remember(item) {
  recent.push(item); // ok: growing-array -- trimmed below
  if (recent.length > 100) recent.shift();
}

const capped = [];
export function keep(item) {
  if (capped.length >= 1000) return; // a visible bound check
  capped.push(item); // ok: growing-array
}

let buffer = [];
export function write(chunk) {
  buffer.push(chunk); // ok: growing-array -- reset by flush
}
export function flush() {
  const out = buffer;
  buffer = [];
  return out;
}

const window = [];
export function observe(sample) {
  window.push(sample); // ok: growing-array -- truncated with length
  if (window.length > 50) window.length = 50;
}

let tail = [];
export function append(line) {
  tail.push(line); // ok: growing-array -- replaced by a smaller copy
  tail = tail.slice(-200);
}

const listeners = [];
export function subscribe(fn) {
  listeners.push(fn); // ok: growing-array -- unsubscribe splices it out
  return () => listeners.splice(listeners.indexOf(fn), 1);
}

export function perCall(items) {
  const local = [];
  for (const item of items) local.push(item); // ok: growing-array -- local to the call
  return local;
}

// exported by name: its importers may trim it
const registry = [];
export function register(entry) {
  registry.push(entry); // ok: growing-array
}
export { registry };
