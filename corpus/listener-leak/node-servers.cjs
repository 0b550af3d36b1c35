// Node servers: listeners added per request or connection to objects that outlive it.
const http = require("http");
const net = require("net");
const express = require("express");
const Koa = require("koa");
const fastify = require("fastify")();
const { WebSocketServer } = require("ws");
const { Server } = require("socket.io");
const { EventEmitter } = require("events");
const { createClient } = require("redis");

const bus = new EventEmitter();
const redis = createClient();
const app = express();

// express: every request adds a listener to the module-level bus
app.get("/events", (req, res) => {
  bus.on("message", (msg) => res.write(`data: ${msg}\n\n`)); // expect: listener-leak "`'message'` is added to module-level `bus` on every request"
});

// express, server-sent events done right: removed when the request closes
app.get("/stream", (req, res) => {
  const onMessage = (msg) => res.write(`data: ${msg}\n\n`);
  bus.on("message", onMessage); // ok: listener-leak
  req.on("close", () => bus.off("message", onMessage)); // ok: listener-leak -- req is per request
});

// express: per-request objects are not long-lived
app.post("/upload", (req, res) => {
  req.on("data", (chunk) => res.write(chunk)); // ok: listener-leak
  res.on("finish", () => {}); // ok: listener-leak
});

// koa middleware: process lives forever
const koa = new Koa();
koa.use(async (ctx, next) => {
  process.on("unhandledRejection", (err) => ctx.throw(err)); // expect: listener-leak "`process`"
  await next();
});

// fastify route: redis client is module-level; `once` removes itself
fastify.get("/wait", async (request, reply) => {
  redis.on("error", (err) => reply.send(err)); // expect: listener-leak "module-level `redis`"
  redis.once("ready", () => reply.send("ok")); // ok: listener-leak -- once
});

// ws: the connection's own socket is per connection
const wss = new WebSocketServer({ port: 8080 });
wss.on("connection", (ws) => {
  ws.on("message", (data) => ws.send(data)); // ok: listener-leak
  bus.addListener("broadcast", (data) => ws.send(data)); // expect: listener-leak "every `'connection'` event on `wss`"
});

// ws, done right: the bus listener goes with the socket
wss.on("connection", (ws) => {
  const forward = (data) => ws.send(data);
  bus.on("broadcast", forward); // ok: listener-leak
  ws.on("close", () => bus.removeListener("broadcast", forward)); // ok: listener-leak
});

// socket.io: per-socket listeners are fine, the shared redis client is not
const io = new Server(3000);
io.on("connection", (socket) => {
  socket.on("chat", (m) => io.emit("chat", m)); // ok: listener-leak
  redis.on("subscribe", (channel, m) => socket.emit(channel, m)); // expect: listener-leak
});

// socket.io with removeAllListeners on disconnect... of the wrong event: still a leak
io.on("connection", (socket) => {
  redis.prependListener("pmessage", (p, c, m) => socket.emit(c, m)); // expect: listener-leak "`'pmessage'`"
  socket.on("disconnect", () => redis.removeAllListeners("message")); // ok: listener-leak
});

// net: a connection handler that cleans up with removeAllListeners for the event
net.createServer((conn) => {
  bus.on("tick", (t) => conn.write(String(t))); // ok: listener-leak -- removeAllListeners('tick') below
  conn.on("end", () => bus.removeAllListeners("tick")); // ok: listener-leak
}).listen(7000);

// http: a stream created in the handler is not long-lived
http.createServer((req, res) => {
  const upstream = http.request("http://example.com");
  upstream.on("response", (r) => r.pipe(res)); // ok: listener-leak
  upstream.end();
}).listen(8000);

// start-up code runs once
process.on("SIGTERM", () => process.exit(0)); // ok: listener-leak
bus.on("message", (m) => console.log(m)); // ok: listener-leak
