// ES modules: weak collections, bounded libraries, start-up code, local caches.
import LRU from "lru-cache";
import QuickLRU from "quick-lru";
import NodeCache from "node-cache";

const meta = new WeakMap();
export function tag(obj, info) {
  meta.set(obj, info); // ok: unbounded-cache -- a WeakMap does not keep its keys alive
}

const visited = new WeakSet();
export function visit(node) {
  visited.add(node); // ok: unbounded-cache
}

const lru = new LRU({ max: 500 });
export function put(k, v) {
  lru.set(k, v); // ok: unbounded-cache -- bounded by the library
}

const quick = new QuickLRU({ maxSize: 100 });
export function quickPut(k, v) {
  quick.set(k, v); // ok: unbounded-cache
}

const ttlCache = new NodeCache({ stdTTL: 600 });
export function ttlPut(k, v) {
  ttlCache.set(k, v); // ok: unbounded-cache -- entries expire
}

const forever = new NodeCache();
export function foreverPut(k, v) {
  forever.set(k, v); // expect: unbounded-cache "`forever` is a module-level `NodeCache` with no `maxKeys` or `stdTTL`"
}

const routes = new Map();
function registerDefaults() {
  for (const name of ["home", "about"]) routes.set(name, `/${name}`); // ok: unbounded-cache -- start-up code
}
registerDefaults();

export function render(items) {
  const seen = new Set();
  for (const item of items) seen.add(item.id); // ok: unbounded-cache -- local to the call
  return seen.size;
}

const Kind = { A: "a", B: "b" };
const byKind = {};
export function setKind(value) {
  byKind[Kind.A] = value; // ok: unbounded-cache -- constant key
}

const responses = new Map();
export async function cached(url) {
  const hit = responses.get(url);
  if (hit) return hit;
  const body = await (await fetch(url)).text();
  responses.set(url, body); // expect: unbounded-cache "`responses`"
  return body;
}
