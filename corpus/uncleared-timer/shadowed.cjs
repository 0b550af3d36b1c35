// Only the runtime's setInterval is a timer; a local function of that name is not.
const { setInterval: every } = require("timers");
const timers = require("node:timers");

function setInterval(fn, ms) {
  return { fn, ms };
}

function handle(req) {
  setInterval(() => req.resume(), 10); // ok: uncleared-timer -- the local setInterval
  every(() => req.resume(), 10); // expect: uncleared-timer "every call of exported `handle`"
  timers.setInterval(() => req.resume(), 10); // expect: uncleared-timer
  return req.id;
}

module.exports = { handle };
