// CommonJS: module-level arrays written by exported functions, routes and listeners.
const express = require("express");
const { EventEmitter } = require("events");

const app = express();
const bus = new EventEmitter();

const auditTrail = [];
function audit(event) {
  auditTrail.push({ event, at: Date.now() }); // expect: growing-array "`auditTrail` is a module-level array pushed to on every call of exported `audit`"
}

const requestLog = [];
app.get("/items", (req, res) => {
  requestLog.unshift(req.url); // expect: growing-array "every request handled by"
  res.json([]);
});

const errors = new Array();
bus.on("error", (err) => {
  errors.splice(errors.length, 0, err); // expect: growing-array "spliced into"
});

let history = [];
exports.record = function record(entry) {
  history = history.concat(entry); // expect: growing-array "concatenated onto"
};

let snapshots = Array.from([]);
exports.snapshot = (state) => {
  snapshots = [...snapshots, state]; // expect: growing-array "extended with a spread copy"
};

const samples = Array(0);
setInterval(() => {
  samples[samples.length] = process.memoryUsage().heapUsed; // expect: growing-array "every tick of the interval"
}, 1000).unref();

// a helper that pushes, called from a request handler, counts
const visits = [];
function remember(url) {
  visits.push(url); // expect: growing-array "`visits`"
}
app.post("/visit", (req, res) => {
  remember(req.body.url);
  res.end();
});

// a drained queue is fine: the consumer shifts it
const jobs = [];
exports.enqueue = (job) => jobs.push(job); // ok: growing-array
setInterval(() => {
  const job = jobs.shift();
  if (job) job.run();
}, 100).unref();

// a stack popped elsewhere is fine
const scopes = [];
exports.enter = (s) => scopes.push(s); // ok: growing-array
exports.leave = () => scopes.pop();

// start-up code runs once
const plugins = [];
function init() {
  plugins.push("core"); // ok: growing-array -- init() is called once, at top level
}
init();
for (const name of ["a", "b"]) plugins.push(name); // ok: growing-array -- top-level loop runs once

// index writes: a counter that only goes up appends; a ring buffer wraps around
const frames = [];
let next = 0;
exports.capture = (frame) => {
  frames[next++] = frame; // expect: growing-array "appended to by index"
};
const ring = [];
let slot = 0;
exports.store = (value) => {
  ring[slot++] = value; // ok: growing-array -- the index is reset
  if (slot === 16) slot = 0;
};

module.exports.audit = audit;
