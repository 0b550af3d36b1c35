"use strict";
// 'use strict' at the top of a CommonJS file: an undeclared assignment throws a ReferenceError
// instead of creating a global, so it is not reported as a leak.
function handle(req) {
  result = req.body; // ok: implicit-global -- throws in strict code
  for (i = 0; i < 3; i++) {} // ok: implicit-global
  [a, b] = [1, 2]; // ok: implicit-global
  return result;
}

// growth on the global object is reported in strict code too
function track(id) {
  global.ids.push(id); // expect: implicit-global "`global.ids` grows with `push`"
}
module.exports = { handle, track };
