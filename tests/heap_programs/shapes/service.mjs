// An ES module that leaks through the other holders a heap snapshot can name: a class
// instance's property, a global property, a process listener, and arrays kept in a Map.
import { EventEmitter } from "node:events";

class Socket extends EventEmitter {
  constructor() {
    super();
    this.acks = new Map();
  }

  send(id) {
    this.acks.set(id, { id });
  }
}

const socket = new Socket();
const byUser = new Map();
globalThis.requestLog = {};
process.setMaxListeners(0);

export function handle(req) {
  socket.send(req.id);
  const list = byUser.get(req.id % 3) || [];
  list.push({ id: req.id });
  byUser.set(req.id % 3, list);
  globalThis.requestLog[`r${req.id}`] = req.id;
  process.on("message", () => req.id);
}
