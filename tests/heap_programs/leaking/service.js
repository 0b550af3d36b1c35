// A service that leaks on every request: an audit trail, a session cache and a listener.
"use strict";
const { EventEmitter } = require("events");

const auditTrail = [];
const sessions = new Map();
const bus = new EventEmitter();

function handle(req) {
  auditTrail.push({ id: req.id, path: req.path });
  sessions.set(`session-${req.id}`, { user: req.id, seen: Date.now() });
  bus.on("shutdown", function onShutdown() {
    return req.id;
  });
}

module.exports = { handle, bus };
