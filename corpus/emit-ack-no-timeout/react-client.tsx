// React client with a module-level socket.
import React, { useEffect, useState } from "react";
import { io, Socket } from "socket.io-client";

const socket: Socket = io("/live");

export function Presence({ room }: { room: string }): JSX.Element {
  const [count, setCount] = useState(0);
  useEffect(() => {
    socket.emit("join", room, (n: number) => setCount(n)); // expect: emit-ack-no-timeout "`socket.emit('join')`"
    return () => {
      socket.emit("leave", room); // ok: emit-ack-no-timeout
    };
  }, [room]);
  return <span>{count}</span>;
}

export function SafePresence({ room }: { room: string }): JSX.Element {
  const [count, setCount] = useState(0);
  useEffect(() => {
    socket.timeout(4000).emit("join", room, (err: Error | null, n: number) => setCount(err ? 0 : n)); // ok: emit-ack-no-timeout
  }, [room]);
  return <span>{count}</span>;
}

export class Typing extends React.Component<{ user: string }> {
  componentDidMount(): void {
    socket.emit("typing", this.props.user, () => this.setState({ seen: true })); // expect: emit-ack-no-timeout "`Typing.componentDidMount`"
  }
  componentWillUnmount(): void {
    socket.emit("stopped-typing", this.props.user); // ok: emit-ack-no-timeout
  }
  render(): JSX.Element {
    return <i>typing</i>;
  }
}
