// TypeScript casts around a timer handle: `x as T`, `x!` and the older `<T>x` are all seen through.
function tick(): void {}

export class HandleAsCast {
  private t = 0;
  start(): void {
    this.t = setInterval(tick, 1000) as unknown as number; // expect: uncleared-timer "stored in `this.t`"
  }
}

export class HandleAngleCast {
  private t = 0;
  start(): void {
    this.t = <number>(<unknown>setInterval(tick, 1000)); // expect: uncleared-timer "stored in `this.t`"
  }
}

export class ClearedAngleCast {
  private t = 0;
  start(): void {
    this.t = <number><unknown>setInterval(tick, 1000); // ok: uncleared-timer -- cleared in stop()
  }
  stop(): void {
    clearInterval(<any>this.t);
  }
}

export class DiscardedAsCast {
  start(): void {
    (setInterval(tick, 1000) as any).unref(); // expect: uncleared-timer "its handle is discarded"
  }
}

export class DiscardedAngleCast {
  start(): void {
    (<any>setInterval(tick, 1000)).unref(); // expect: uncleared-timer "its handle is discarded"
  }
}

export class EscapingAngleCast {
  start(): number {
    return <number><unknown>setInterval(tick, 1000); // ok: uncleared-timer -- the caller holds the handle
  }
}
