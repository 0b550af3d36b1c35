// React function and class components.
import React, { useEffect, useLayoutEffect, useState } from "react";
import { ipcRenderer } from "electron";
import { bus } from "./bus";

// effect without cleanup: every mount adds another listener
export function WindowWidth() {
  const [width, setWidth] = useState(window.innerWidth);
  useEffect(() => {
    window.addEventListener("resize", () => setWidth(window.innerWidth)); // expect: listener-leak "every call of exported `WindowWidth`"
  }, []);
  return <span>{width}</span>;
}

// effect with a cleanup that removes the same function
export function WindowHeight() {
  const [height, setHeight] = useState(window.innerHeight);
  useEffect(() => {
    const onResize = () => setHeight(window.innerHeight);
    window.addEventListener("resize", onResize); // ok: listener-leak
    return () => window.removeEventListener("resize", onResize);
  }, []);
  return <span>{height}</span>;
}

// a cleanup that is written but never returned cannot run
export function Scroll() {
  const [y, setY] = useState(0);
  useEffect(() => {
    const onScroll = () => setY(window.scrollY);
    window.addEventListener("scroll", onScroll); // expect: listener-leak
    const cleanup = () => window.removeEventListener("scroll", onScroll);
  }, []);
  return <span>{y}</span>;
}

// a cleanup that removes a different (new) function
export function Keys() {
  useLayoutEffect(() => {
    document.addEventListener("keydown", (e) => console.log(e.key)); // expect: listener-leak
    return () => document.removeEventListener("keydown", (e) => console.log(e.key)); // expect: listener-leak "new function"
  });
  return null;
}

// an imported emitter (Electron IPC) in an effect
export function Updates() {
  const [msg, setMsg] = useState("");
  useEffect(() => {
    ipcRenderer.on("update", (_e, m) => setMsg(m)); // expect: listener-leak "imported `ipcRenderer`"
  }, []);
  return <p>{msg}</p>;
}

// the same, with removeAllListeners in the cleanup
export function Updates2() {
  const [msg, setMsg] = useState("");
  useEffect(() => {
    ipcRenderer.on("update2", (_e, m) => setMsg(m)); // ok: listener-leak
    return () => ipcRenderer.removeAllListeners("update2");
  }, []);
  return <p>{msg}</p>;
}

// an emitter whose `on` returns an unsubscribe function, used as the effect cleanup
export function Feed() {
  useEffect(() => bus.on("post", console.log), []); // ok: listener-leak
  return null;
}

// class component: added on mount, removed on unmount
export class Clock extends React.Component {
  componentDidMount() {
    document.addEventListener("visibilitychange", this.onVisibility); // ok: listener-leak
  }
  componentWillUnmount() {
    document.removeEventListener("visibilitychange", this.onVisibility);
  }
  onVisibility = () => this.forceUpdate();
  render() {
    return <time />;
  }
}

// class component that forgets to remove
export class Tracker extends React.Component {
  componentDidMount() {
    window.addEventListener("mousemove", this.onMove); // expect: listener-leak "every call of method `Tracker.componentDidMount`"
  }
  onMove = (e) => this.setState({ x: e.clientX });
  render() {
    return <div />;
  }
}

// element refs are not long-lived
export function Clickable() {
  const ref = React.useRef(null);
  useEffect(() => {
    const el = ref.current;
    el.addEventListener("click", console.log); // ok: listener-leak
  }, []);
  return <button ref={ref} />;
}
