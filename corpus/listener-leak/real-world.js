// Shapes met in published packages (the false positives found there are negatives here).

// compiled classes alias `this` (`var _this = _super.call(this) || this`): the removal in
// another method uses `this`, and still matches
var Socket = /** @class */ (function (_super) {
  function Socket(opts) {
    var _this = _super.call(this) || this;
    _this.onUnload = function () {
      _this.close();
    };
    addEventListener("beforeunload", _this.onUnload, false); // ok: listener-leak
    return _this;
  }
  Socket.prototype.close = function () {
    removeEventListener("beforeunload", this.onUnload, false);
  };
  return Socket;
})(Object);
window.Socket = Socket;

// a worker body kept as a function and shipped as text: `self` is the worker's own global
var Loader = {};
Loader.WorkerBody = function () {
  self.addEventListener("message", function (e) { // ok: listener-leak
    self.postMessage(e.data);
  });
};
window.Loader = Loader;

// chained adds: each one is reported at its own method name
function readAll(done) {
  var chunks = [];
  process.stdin
    // expect: 6 listener-leak "`'data'`"
    .on("data", function (c) { chunks.push(c); })
    // expect: 6 listener-leak "`'end'`"
    .on("end", function () { done(chunks.join("")); });
}
window.readAll = readAll;

// a per-call child process forwards signals: the listeners outlive the child
function runSubcommand(child) {
  ["SIGINT", "SIGTERM"].forEach(function (signal) {
    process.on(signal, function () { // expect: listener-leak "`signal` is added to `process`"
      if (!child.killed) child.kill(signal);
    });
  });
}
window.runSubcommand = runSubcommand;
