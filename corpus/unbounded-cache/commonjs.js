// CommonJS: module-level objects, Maps and Sets keyed by request data.
const express = require("express");
const app = express();

const sessions = {};
app.post("/login", (req, res) => {
  sessions[req.body.user] = { at: Date.now() }; // expect: unbounded-cache "`sessions` is a module-level object that gets a new key on every request handled by"
  res.end();
});

const users = new Map();
async function getUser(id) {
  if (users.has(id)) return users.get(id);
  const user = await fetchUser(id);
  users.set(id, user); // expect: unbounded-cache "`users` is a module-level Map that gets a new key on every call of exported `getUser`"
  return user;
}

const seenIds = new Set();
process.on("message", (msg) => {
  if (seenIds.has(msg.id)) return;
  seenIds.add(msg.id); // expect: unbounded-cache "`seenIds` is a module-level Set that gets a new element on every `'message'` event on `process`"
});

const hits = Object.create(null);
exports.count = function count(path) {
  hits[path] = (hits[path] || 0) + 1; // expect: unbounded-cache "`hits`"
};

const byName = {};
exports.index = (item) => {
  byName[item.name] ||= []; // expect: unbounded-cache "`byName`"
  byName[item.name].push(item);
};

const merged = {};
exports.merge = (k, v) => {
  Object.assign(merged, { [k]: v }); // expect: unbounded-cache "`merged`"
};

// constant keys are not growth
const stats = {};
exports.tick = () => {
  stats.count = (stats.count || 0) + 1; // ok: unbounded-cache
  stats["total"] = stats.count; // ok: unbounded-cache
};

// evicted, cleared, sized, swept
const tokens = new Map();
exports.issue = (user, token) => tokens.set(token, user); // ok: unbounded-cache -- revoke() deletes
exports.revoke = (token) => tokens.delete(token);

const recent = new Map();
exports.note = (k, v) => {
  recent.set(k, v); // ok: unbounded-cache -- size check with eviction
  if (recent.size > 1000) recent.delete(recent.keys().next().value);
};

const pending = {};
exports.start = (id) => {
  pending[id] = Date.now(); // ok: unbounded-cache -- removed when done
};
exports.done = (id) => {
  delete pending[id];
};

const sweepable = new Map();
exports.remember = (k) => sweepable.set(k, Date.now()); // ok: unbounded-cache -- TTL sweep
setInterval(() => {
  for (const [k, at] of sweepable) if (Date.now() - at > 60000) sweepable.delete(k);
}, 60000).unref();

// a member of `module.exports` is as long-lived as the module
module.exports.pages = {};
exports.visit = (url) => {
  module.exports.pages[url] = Date.now(); // expect: unbounded-cache "`exports.pages` is an exported object"
};

function fetchUser(id) {
  return Promise.resolve({ id });
}
module.exports.getUser = getUser;
