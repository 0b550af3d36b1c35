// Callbacks: components, promise chains, streams, sockets, closures returned by factories.
import { createServer } from "node:http";
import { Server } from "socket.io";

const renders = [];
export function Counter({ value }) {
  renders.push(value); // expect: growing-array "`renders` is a module-level array pushed to on every call of exported `Counter`"
  return <span>{value}</span>;
}

const responses = [];
export function load(url) {
  return fetch(url).then((res) => {
    responses.push(res.status); // expect: growing-array "`responses`"
    return res;
  });
}

const startup = [];
fetch("/config").then((res) => startup.push(res)); // ok: growing-array -- runs once, at start-up

const chunks = [];
createServer((req, res) => {
  req.on("data", (chunk) => {
    chunks.push(chunk); // expect: growing-array "`chunks`"
  });
  res.end();
}).listen(8080);

const sockets = [];
const io = new Server();
io.on("connection", (socket) => {
  sockets.push(socket); // expect: growing-array "`sockets`"
});

// a closure returned by a factory, kept by the caller
const calls = [];
export function makeCounter(name) {
  return () => {
    calls.push(name); // expect: growing-array "`calls`"
  };
}

// a module-level array pushed from a component, but cleared in an effect
const pending = [];
export function Queue({ item }) {
  pending.push(item); // ok: growing-array -- drained below
  pending.splice(0, pending.length - 10);
  return null;
}
