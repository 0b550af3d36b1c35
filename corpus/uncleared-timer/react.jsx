// React function and class components.
import React, { useEffect, useState } from "react";

export function Clock() {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    setInterval(() => setNow(Date.now()), 1000); // expect: uncleared-timer "an effect of `Clock`"
  }, []);
  return <span>{now}</span>;
}

export function GoodClock() {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const id = setInterval(() => setNow(Date.now()), 1000); // ok: uncleared-timer
    return () => clearInterval(id);
  }, []);
  return <span>{now}</span>;
}

export function Ticker({ symbol }) {
  const [price, setPrice] = useState(0);
  useEffect(() => {
    const id = setInterval(() => fetchPrice(symbol).then(setPrice), 5000); // expect: uncleared-timer "not cleared by the effect's cleanup"
    return () => setPrice(0);
  }, [symbol]);
  return <b>{price}</b>;
}

export function Blink() {
  const [on, setOn] = useState(false);
  setInterval(() => setOn((v) => !v), 500); // expect: uncleared-timer "exported `Blink`"
  return <i>{on ? "*" : " "}</i>;
}

export class Timer extends React.Component {
  state = { seconds: 0 };
  componentDidMount() {
    this.interval = setInterval(() => this.setState(({ seconds }) => ({ seconds: seconds + 1 })), 1000); // expect: uncleared-timer
  }
  render() {
    return <div>{this.state.seconds}</div>;
  }
}

export class GoodTimer extends React.Component {
  state = { seconds: 0 };
  componentDidMount() {
    this.interval = setInterval(() => this.tick(), 1000); // ok: uncleared-timer
  }
  componentWillUnmount() {
    clearInterval(this.interval);
  }
  tick() {
    this.setState(({ seconds }) => ({ seconds: seconds + 1 }));
  }
  render() {
    return <div>{this.state.seconds}</div>;
  }
}

function fetchPrice(symbol) {
  return fetch(`/price/${symbol}`).then((r) => r.json());
}
