// EventEmitter subclasses and classes with a lifetime.
const { EventEmitter } = require("events");

class Poller extends EventEmitter {
  constructor(url) {
    super();
    this.url = url;
    // expect: uncleared-timer "every `new Poller()`"
    setInterval(() => this.emit("tick"), 1000);
  }
}

class Heartbeat extends EventEmitter {
  start() {
    this.timer = setInterval(() => this.emit("beat"), 1000); // expect: uncleared-timer "`this.timer`"
  }
}

class Watcher extends EventEmitter {
  start() {
    this.timer = setInterval(() => this.check(), 1000); // ok: uncleared-timer -- stop() clears it
  }
  stop() {
    clearInterval(this.timer);
    this.timer = null;
  }
  check() {}
}

class Sampler {
  constructor() {
    this._handle = setInterval(this.sample.bind(this), 500); // ok: uncleared-timer -- passed to a helper
  }
  sample() {}
  destroy() {
    stopTimer(this._handle);
  }
}

class Reporter {
  constructor() {
    this.interval = setInterval(() => this.flush(), 1000).unref(); // expect: uncleared-timer -- unref does not stop it
  }
  flush() {}
}

class Cache {
  constructor() {
    this.sweeper = setInterval(() => this.sweep(), 60000); // ok: uncleared-timer
  }
  sweep() {}
  close() {
    if (this.sweeper) clearInterval(this.sweeper);
  }
}

// Instantiated once at module level: lives as long as the process.
class Metrics {
  constructor() {
    setInterval(() => this.report(), 10000); // ok: uncleared-timer -- singleton
  }
  report() {}
}
const metrics = new Metrics();

function stopTimer(handle) {
  clearInterval(handle);
}

module.exports = { Poller, Heartbeat, Watcher, Sampler, Reporter, Cache, metrics };
