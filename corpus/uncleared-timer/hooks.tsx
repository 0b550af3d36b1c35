// TypeScript React hooks and components.
import { useEffect, useRef, useState } from "react";

export function usePolling(url: string, ms: number): unknown {
  const [data, setData] = useState<unknown>(null);
  useEffect(() => {
    const handle: ReturnType<typeof setInterval> = setInterval(async () => { // ok: uncleared-timer
      setData(await (await fetch(url)).json());
    }, ms);
    return () => clearInterval(handle);
  }, [url, ms]);
  return data;
}

export function useCountdown(seconds: number): number {
  const [left, setLeft] = useState(seconds);
  useEffect(() => {
    setInterval(() => setLeft((n) => n - 1), 1000) as unknown as number; // expect: uncleared-timer "an effect of `useCountdown`"
  }, [seconds]);
  return left;
}

export function Spinner(): JSX.Element {
  const timer = useRef<number>();
  useEffect(() => {
    timer.current = window.setInterval(() => {}, 100); // ok: uncleared-timer
    return () => window.clearInterval(timer.current);
  }, []);
  return <div className="spinner" />;
}
