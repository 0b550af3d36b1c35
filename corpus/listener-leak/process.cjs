// process: listeners added per instance or per call, and code guarded to run once.
const proc = require("node:process");
const { EventEmitter } = require("events");

// every instance adds two process listeners: MaxListenersExceededWarning after ten
class TempDir {
  constructor(path) {
    this.path = path;
    process.on("exit", () => this.remove()); // expect: listener-leak "`'exit'` is added to `process` on every `new TempDir()`"
    proc.on("SIGINT", () => this.remove()); // expect: listener-leak "`process`"
  }
  remove() {}
}

// every question adds another stdin listener
function prompt(question, answer) {
  proc.stdout.write(question);
  proc.stdin.on("data", (d) => answer(String(d).trim())); // expect: listener-leak "added to `process.stdin` on every call of exported `prompt`"
}

// removed again when the instance is disposed
class Watcher {
  constructor() {
    this.onExit = () => this.close();
    process.on("exit", this.onExit); // ok: listener-leak
  }
  close() {
    process.removeListener("exit", this.onExit);
  }
}

// a guard flag: installed once per process
let installed = false;
function installHandlers() {
  if (!installed) {
    installed = true;
    process.on("uncaughtException", (err) => console.error(err)); // ok: listener-leak
  }
}

// an early-return guard
let hooked = null;
function hookExit(cb) {
  if (hooked) return;
  hooked = true;
  process.on("beforeExit", () => cb()); // ok: listener-leak
}

// a guard that is re-armed is not a guard
let armed = false;
function arm() {
  if (!armed) {
    armed = true;
    process.on("SIGUSR2", () => {}); // expect: listener-leak
  }
}
function disarm() {
  armed = false;
}

// added only when nothing listens yet
function onWarning(fn) {
  if (process.listenerCount("warning") === 0) {
    process.on("warning", fn); // ok: listener-leak
  }
}

// a value read through a memoizing guard runs once
let input = null;
function readInput() {
  return new Promise((resolve) => {
    const chunks = [];
    process.stdin.on("data", (c) => chunks.push(c)); // ok: listener-leak -- readInput runs once, via loadInput's guard
    process.stdin.on("end", () => resolve(chunks.join(""))); // ok: listener-leak
  });
}
function loadInput() {
  return input || (input = readInput());
}

// the same with `??=`
let terminal;
function openTerminal() {
  process.stdout.on("resize", () => {}); // ok: listener-leak -- openTerminal runs once, via getTerminal's guard
  return { columns: process.stdout.columns };
}
function getTerminal() {
  terminal ??= openTerminal();
  return terminal;
}

// a stream or emitter made by the function is not long-lived
function spawnWorker() {
  const child = new EventEmitter();
  child.on("message", () => {}); // ok: listener-leak
  return child;
}

module.exports = { prompt, TempDir, Watcher, installHandlers, hookExit, arm, disarm, onWarning, loadInput, getTerminal, spawnWorker };
