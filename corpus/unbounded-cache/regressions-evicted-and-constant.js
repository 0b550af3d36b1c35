// Fixed false positives seen in real packages.

// `delete items[id]` through an alias of `this.items` (chart.js TypedRegistry)
class TypedRegistry {
  constructor() {
    this.items = Object.create(null);
  }
  register(item) {
    const items = this.items;
    items[item.id] = item; // ok: unbounded-cache -- unregister deletes
  }
  unregister(item) {
    const items = this.items;
    if (item.id in items) {
      delete items[item.id];
    }
  }
}
class Registry {
  constructor() {
    this.controllers = new TypedRegistry();
  }
}
export const registry = new Registry();

// keys that are constants at every call of a local function, `.bind` included (mysql loadClass)
const Classes = Object.create(null);
function loadClass(className) {
  if (Classes[className] !== undefined) return Classes[className];
  const Class = require("./lib/" + className);
  Classes[className] = Class; // ok: unbounded-cache -- called only with constant names
  return Class;
}
export function createConnection() {
  return new (loadClass("Connection"))();
}
export const Types = { get: loadClass.bind(null, "Types") };

// the same helper, exported: its callers are not all visible
const parsers = new Map();
export function parserFor(dialect) {
  if (!parsers.has(dialect)) parsers.set(dialect, { dialect }); // expect: unbounded-cache "`parsers`"
  return parsers.get(dialect);
}
parserFor("mysql");

// `hasOwnProperty.call(cache, key)` only reads the cache (react-dom attribute caches)
const hasOwnProperty = Object.prototype.hasOwnProperty;
const validated = {};
export function isSafe(name) {
  if (hasOwnProperty.call(validated, name)) return true;
  validated[name] = true; // expect: unbounded-cache "`validated`"
  return true;
}
