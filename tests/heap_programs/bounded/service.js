// The same service with every collection bounded: no growth between snapshots.
"use strict";
const { EventEmitter } = require("events");

const MAX = 100;
const auditTrail = [];
const sessions = new Map();
const bus = new EventEmitter();

function handle(req) {
  auditTrail.push({ id: req.id, path: req.path });
  if (auditTrail.length > MAX) auditTrail.shift();
  sessions.set(`session-${req.id}`, { user: req.id, seen: Date.now() });
  if (sessions.size > MAX) sessions.delete(sessions.keys().next().value);
  const onShutdown = () => req.id;
  bus.once("shutdown", onShutdown);
  bus.off("shutdown", onShutdown);
}

module.exports = { handle, bus };
