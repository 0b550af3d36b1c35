// socket.io-client in Node or a bundler.
import { io, Manager } from "socket.io-client";

const socket = io("https://example.com");
const patient = io("https://example.com", { ackTimeout: 10000, retries: 3 });
const manager = new Manager("https://example.com");
const admin = manager.socket("/admin");

export function save(doc) {
  return new Promise((resolve) => {
    socket.emit("save", doc, (result) => resolve(result)); // expect: emit-ack-no-timeout "every call of exported `save`"
  });
}

export function saveWithTimeout(doc) {
  return new Promise((resolve, reject) => {
    socket.timeout(5000).emit("save", doc, (err, result) => (err ? reject(err) : resolve(result))); // ok: emit-ack-no-timeout
  });
}

export function savePatiently(doc) {
  return new Promise((resolve) => {
    patient.emit("save", doc, (err, result) => resolve(result)); // ok: emit-ack-no-timeout -- ackTimeout option
  });
}

export async function ban(user) {
  return admin.emitWithAck("ban", user); // expect: emit-ack-no-timeout
}

socket.on("connect", () => {
  socket.emit("hello", "client", (n) => console.log(n)); // expect: emit-ack-no-timeout "every `'connect'` event on `socket`"
});

socket.on("question", (q, reply) => {
  reply(42); // ok: emit-ack-no-timeout -- answering the server's acknowledgement
});

export function rename(name) {
  return new Promise((resolve) => socket.emit("rename", name, resolve)); // expect: emit-ack-no-timeout "`socket.emit('rename')`"
}

export function forward(event, payload, callback) {
  socket.emit(event, payload, callback); // expect: emit-ack-no-timeout "`socket.emit('…')`"
}

export function publish(event, payload) {
  socket.emit(event, payload); // ok: emit-ack-no-timeout -- the last argument is data
}
