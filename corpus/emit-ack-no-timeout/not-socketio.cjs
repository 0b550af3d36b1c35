// emit() with a function argument on things that are not socket.io.
const { EventEmitter } = require("events");
const WebSocket = require("ws");

const bus = new EventEmitter();
bus.emit("task", (result) => console.log(result)); // ok: emit-ack-no-timeout -- a Node EventEmitter

class Queue extends EventEmitter {
  push(job) {
    this.emit("job", job, () => this.done(job)); // ok: emit-ack-no-timeout
  }
  done() {}
}

const wss = new WebSocket.Server({ port: 8080 });
wss.on("connection", (ws) => {
  ws.emit("hello", () => {}); // ok: emit-ack-no-timeout -- a ws socket, not socket.io
});

function io() {
  return new EventEmitter();
}
const local = io();
local.emit("x", () => {}); // ok: emit-ack-no-timeout -- a local function named io

process.emit("custom", () => {}); // ok: emit-ack-no-timeout

module.exports = { Queue };
