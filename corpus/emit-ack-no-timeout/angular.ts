// Angular service wrapping socket.io-client.
import { Injectable } from "@angular/core";
import { io, Socket } from "socket.io-client";

@Injectable({ providedIn: "root" })
export class ChatService {
  private socket: Socket = io("/chat");

  send(text: string): Promise<boolean> {
    return new Promise((resolve) => {
      this.socket.emit("message", text, (ok: boolean) => resolve(ok)); // expect: emit-ack-no-timeout "every call of method `ChatService.send`"
    });
  }

  sendWithTimeout(text: string): Promise<boolean> {
    return this.socket.timeout(5000).emitWithAck("message", text); // ok: emit-ack-no-timeout
  }
}
