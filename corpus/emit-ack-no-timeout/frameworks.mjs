// socket.io next to koa, fastify and net servers; classes that hold a socket.
import Koa from "koa";
import Fastify from "fastify";
import net from "node:net";
import { Server } from "socket.io";
import { EventEmitter } from "node:events";

const io = new Server(4000);
const koa = new Koa();
const fastify = Fastify();

koa.use(async (ctx, next) => {
  // expect: emit-ack-no-timeout "Broadcast `io.to(ctx.state.room).emitWithAck('refresh')` on every request handled by `koa`.use"
  ctx.body = await io.to(ctx.state.room).emitWithAck("refresh");
  await next();
});

fastify.post("/kick", async (request) => {
  const sockets = await io.in(request.body.room).fetchSockets();
  for (const s of sockets) {
    s.emit("kick", request.body.reason); // ok: emit-ack-no-timeout -- no acknowledgement
  }
  return io.timeout(2000).emitWithAck("kicked", request.body.room); // ok: emit-ack-no-timeout
});

net.createServer((conn) => {
  conn.emit("greet", () => conn.end()); // ok: emit-ack-no-timeout -- a net.Socket
}).listen(4001);

export class Room extends EventEmitter {
  constructor(name) {
    super();
    this.name = name;
    this.socket = io.of(`/${name}`);
  }
  ask(question) {
    this.socket.emit("question", question, (answers) => this.emit("answers", answers)); // expect: emit-ack-no-timeout "Broadcast `this.socket.emit('question')`"
  }
}

export class Relay extends EventEmitter {
  constructor(socket) {
    super();
    this.socket = socket;
  }
  ask(question) {
    this.socket.emit("question", question, () => {}); // ok: emit-ack-no-timeout -- this class's `socket` is not known to be socket.io
  }
}
