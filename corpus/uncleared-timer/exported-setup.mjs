// Exported functions: set-up code versus factories whose result owns the interval.
let timer = null;

export function init(render) {
  setInterval(render, 1000); // ok: uncleared-timer -- set-up code that returns nothing
}

export function startPolling(poll) {
  if (timer) return;
  timer = setInterval(poll, 1000); // ok: uncleared-timer -- started at most once
}

export function createPoller(url, onData) {
  // expect: uncleared-timer "every call of exported `createPoller`"
  setInterval(() => fetch(url).then((r) => r.json()).then(onData), 5000);
  return { url };
}

export function createStoppablePoller(url, onData) {
  const id = setInterval(() => fetch(url).then((r) => r.json()).then(onData), 5000); // ok: uncleared-timer
  return { stop: () => clearInterval(id) };
}

export const makeTicker = (onTick) => {
  const state = { ticks: 0 };
  state.handle = setInterval(() => onTick(++state.ticks), 1000); // ok: uncleared-timer -- the caller gets the handle
  return state;
};

export const makeCounter = (onTick) => {
  const state = { ticks: 0 };
  state.handle = setInterval(() => onTick(++state.ticks), 1000); // expect: uncleared-timer "stored in `state.handle`"
  return () => state.ticks;
};
