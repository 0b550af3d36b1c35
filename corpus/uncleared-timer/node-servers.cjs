// Intervals started per connection or per request by Node servers.
const express = require("express");
const Koa = require("koa");
const fastify = require("fastify")();
const net = require("net");
const { WebSocketServer } = require("ws");
const { Server } = require("socket.io");

const app = express();
const koa = new Koa();
const wss = new WebSocketServer({ port: 8080 });
const io = new Server(3000);

wss.on("connection", (ws) => {
  // expect: uncleared-timer "`setInterval(() => ...)` started on every `'connection'` event on `wss`"
  setInterval(() => ws.ping(), 30000);
});

wss.on("connection", (ws) => {
  const heartbeat = setInterval(() => ws.ping(), 30000); // ok: uncleared-timer -- cleared on close
  ws.on("close", () => clearInterval(heartbeat));
});

wss.on("connection", function onConnection(ws) {
  let alive = true;
  const check = setInterval(() => { // ok: uncleared-timer -- the callback clears it
    if (!alive) {
      clearInterval(check);
      ws.terminate();
    }
    alive = false;
  }, 10000);
  ws.on("pong", () => { alive = true; });
});

app.get("/stream", (req, res) => {
  const tick = setInterval(() => res.write("data: tick\n\n"), 1000); // expect: uncleared-timer "stored in `tick`"
  res.on("error", () => {});
});

app.get("/events", (req, res) => {
  const tick = setInterval(() => res.write("data: tick\n\n"), 1000); // ok: uncleared-timer
  req.on("close", () => clearInterval(tick));
});

app.use((req, res, next) => {
  setInterval(() => console.log(req.url), 60000); // expect: uncleared-timer "every request handled by `app`.use"
  next();
});

koa.use(async (ctx, next) => {
  setInterval(() => ctx.state.refresh(), 5000); // expect: uncleared-timer "`koa`.use"
  await next();
});

fastify.get("/poll", async (request, reply) => {
  global.setInterval(() => request.log.info("still here"), 1000); // expect: uncleared-timer
  return { ok: true };
});

net.createServer((sock) => {
  // expect: uncleared-timer "every request or connection of `createServer`"
  setInterval(() => sock.write("ping\n"), 1000);
}).listen(7000);

net.createServer((sock) => {
  const t = setInterval(() => sock.write("ping\n"), 1000); // ok: uncleared-timer
  sock.on("end", () => clearTimeout(t)); // clearTimeout clears intervals too
}).listen(7001);

io.on("connection", (socket) => {
  const timers = {};
  socket.on("watch", (id) => {
    timers[id] = setInterval(() => socket.emit("update", id), 1000); // ok: uncleared-timer
  });
  socket.on("disconnect", () => Object.keys(timers).forEach((id) => clearInterval(timers[id])));
});

io.on("connection", (socket) => {
  socket.data.poll = setInterval(() => socket.emit("poll"), 1000); // expect: uncleared-timer "stored in `socket.data.poll`"
});

// Module level in a server: started once, intended.
setInterval(() => wss.clients.forEach((ws) => ws.ping()), 30000); // ok: uncleared-timer
app.listen(3001);
