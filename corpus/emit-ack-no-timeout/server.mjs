// socket.io server (ES module): Server class, namespaces, rooms.
import { Server } from "socket.io";

const io = new Server(3000, { cors: { origin: "*" } });
const chat = io.of("/chat");
const withTimeout = io.timeout(10000);

chat.on("connection", async (socket) => {
  const answer = await socket.emitWithAck("whoami"); // expect: emit-ack-no-timeout "`socket.emitWithAck('whoami')`"
  socket.join(answer.room);
});

export async function pollRoom(room) {
  // expect: emit-ack-no-timeout "Broadcast `io.in(room).emitWithAck('status')` on every call of exported `pollRoom`"
  return io.in(room).emitWithAck("status");
}

export async function pollRoomSafely(room) {
  return io.timeout(5000).in(room).emitWithAck("status"); // ok: emit-ack-no-timeout
}

export function pingAll() {
  withTimeout.emit("ping", (err, pongs) => console.log(err, pongs)); // ok: emit-ack-no-timeout -- timeout set earlier
  io.sockets.emit("ping", (pongs) => console.log(pongs)); // expect: emit-ack-no-timeout "Broadcast `io.sockets.emit('ping')`"
  chat.volatile.emit("ping", (pongs) => console.log(pongs)); // expect: emit-ack-no-timeout "Broadcast `chat.volatile.emit('ping')`"
}
