// socket.io server (CommonJS): acknowledgements from connection handlers.
const http = require("http");
const express = require("express");

const app = express();
const server = http.createServer(app);
const io = require("socket.io")(server);

io.on("connection", (socket) => {
  // expect: emit-ack-no-timeout "`socket.emit('welcome')` on every `'connection'` event on `io`"
  socket.emit("welcome", { id: socket.id }, (answer) => {
    console.log(answer);
  });

  socket.timeout(5000).emit("welcome", { id: socket.id }, (err, answer) => { // ok: emit-ack-no-timeout
    if (err) return;
    console.log(answer);
  });

  socket.emit("news", { hello: "world" }); // ok: emit-ack-no-timeout -- no acknowledgement

  // the answering side of an acknowledgement is never reported
  socket.on("save", (doc, ack) => {
    ack({ saved: true }); // ok: emit-ack-no-timeout
  });

  socket.on("rename", async (name) => {
    const reply = await socket.emitWithAck("confirm-rename", name); // expect: emit-ack-no-timeout "every `'rename'` event on `socket`"
    console.log(reply);
  });

  socket.on("rename", async (name) => {
    try {
      await socket.timeout(2000).emitWithAck("confirm-rename", name); // ok: emit-ack-no-timeout
    } catch (err) {
      console.error(err);
    }
  });

  function onReady(ok) {
    console.log(ok);
  }
  socket.emit("ready?", onReady); // expect: emit-ack-no-timeout

  socket.to("lobby").emit("joined", socket.id, (responses) => console.log(responses)); // expect: emit-ack-no-timeout "Broadcast"
  socket.broadcast.timeout(1000).emit("joined", socket.id, (err, responses) => {}); // ok: emit-ack-no-timeout
});

// A named connection handler on a namespace.
function onAdmin(socket) {
  socket.emit("auth", (token) => verify(token)); // expect: emit-ack-no-timeout "`socket.emit('auth')`"
}
io.of("/admin").on("connection", onAdmin);

io.use((socket, next) => {
  socket.emit("hello", () => next()); // expect: emit-ack-no-timeout
});

// Broadcasts from an HTTP route.
app.post("/announce", (req, res) => {
  // expect: emit-ack-no-timeout "Broadcast `io.emit('announce')`"
  io.emit("announce", req.body, (responses) => res.json(responses));
  io.timeout(3000).emit("announce", req.body, (err, responses) => res.json({ err, responses })); // ok: emit-ack-no-timeout
  io.to("room-1").emit("announce", req.body); // ok: emit-ack-no-timeout
});

function verify(token) {
  return Boolean(token);
}

server.listen(3000);
