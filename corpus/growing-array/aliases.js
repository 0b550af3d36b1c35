// Aliases and destructuring: the same array under another name.
const queue = [];
const state = { pending: [] };

function handler(req) {
  const q = queue;
  q.push(req.id); // expect: growing-array "`queue`"
  const { pending } = state;
  pending.push(req); // expect: growing-array "`state.pending`"
}

// the alias is drained through another alias
const inbox = [];
function receive(msg) {
  const box = inbox;
  box.push(msg); // ok: growing-array
}
function drain(list) {
  while (list.length) list.shift();
}
setInterval(() => drain(inbox), 1000).unref();

// handed to code this file does not show: it may be trimmed there
const shared = [];
function collect(x) {
  shared.push(x); // ok: growing-array
}
require("./reporter").watch(shared);

// a look-alike: a Set is not an array (unbounded-cache covers it)
const tags = new Set();
function tag(t) {
  tags.add(t); // ok: growing-array
  if (tags.size > 100) tags.clear();
}

module.exports = { handler, receive, collect, tag };
