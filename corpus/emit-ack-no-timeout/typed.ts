// TypeScript: receivers typed with socket.io types.
import type { Namespace, Server, Socket } from "socket.io";
import * as SocketIO from "socket.io";

interface Job {
  id: string;
}

export function dispatch(socket: Socket, job: Job): void {
  socket.emit("job", job, (accepted: boolean) => { // expect: emit-ack-no-timeout "`socket.emit('job')`"
    console.log(job.id, accepted);
  });
}

export function dispatchSafely(socket: Socket, job: Job): void {
  socket.timeout(5000).emit("job", job, (err: Error | null, accepted: boolean) => { // ok: emit-ack-no-timeout
    console.log(job.id, err, accepted);
  });
}

export async function collect(io: Server, room: string): Promise<unknown[]> {
  return io.to(room).emitWithAck("report"); // expect: emit-ack-no-timeout "Broadcast"
}

export function notify(nsp: Namespace): void {
  nsp.emit("notice", "maintenance"); // ok: emit-ack-no-timeout -- no acknowledgement
}

export class Relay {
  private upstream: SocketIO.Socket;

  constructor(upstream: SocketIO.Socket, private readonly peer: Socket) {
    this.upstream = upstream;
  }

  forward(data: unknown): void {
    this.upstream.emit("data", data, () => undefined); // expect: emit-ack-no-timeout "`this.upstream.emit('data')`"
    this.peer.emit("data", data, () => undefined); // expect: emit-ack-no-timeout "`this.peer.emit('data')`"
  }
}

export function untyped(socket: { emit(event: string, cb: () => void): void }): void {
  socket.emit("x", () => undefined); // ok: emit-ack-no-timeout -- not a socket.io type
}

export function relayTyped(socket: Socket, payload: unknown, onAck: (ok: boolean) => void, extra: string): void {
  socket.emit("relay", payload, onAck); // expect: emit-ack-no-timeout
  socket.emit("relay", payload, extra); // ok: emit-ack-no-timeout -- a string
}
