// Library modules that start a module-level interval the right way.
const entries = new Map();

const sweeper = setInterval(() => entries.clear(), 60000); // ok: uncleared-timer
sweeper.unref();

setInterval(() => entries.clear(), 60000).unref(); // ok: uncleared-timer

const flusher = setInterval(flush, 1000); // ok: uncleared-timer -- cleared by the exported close()

function flush() {}

function close() {
  clearInterval(flusher);
}

module.exports = { entries, close };
