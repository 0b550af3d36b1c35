// Fixed false positives: sets of warnings already printed (axios, moment, react-dom, three.js,
// webpack). Their keys are the distinct messages the code can print.
const util = require("util");

const warned = {};
exports.deprecate = function deprecate(name, message) {
  if (!warned[name]) {
    warned[name] = true; // ok: unbounded-cache
    console.warn(message);
  }
};

const printed = new Set();
exports.warnOnce = (message) => {
  if (printed.has(message)) return;
  printed.add(message); // ok: unbounded-cache
  process.emitWarning(message);
};

const deprecations = new Map();
exports.deprecated = (message, code) => {
  let fn = deprecations.get(message);
  if (fn === undefined) {
    fn = util.deprecate(() => {}, message, code);
    deprecations.set(message, fn); // ok: unbounded-cache
  }
  return fn;
};

const shown = {};
function warn(msg) {
  console.error(msg);
}
exports.notice = (key) => {
  if (shown[key]) return;
  shown[key] = 1; // ok: unbounded-cache -- through a local `warn` helper
  warn(`notice: ${key}`);
};

// not a warning: a dedupe set of message ids is real growth
const processed = new Set();
exports.consume = (msg) => {
  if (processed.has(msg.id)) return;
  processed.add(msg.id); // expect: unbounded-cache "`processed`"
  console.log("processing", msg.id);
};
