// A browser script (no import, export or require): sloppy code, top-level declarations are globals.
var settings = {}; // ok: implicit-global -- a declared global, not an implicit one
function boot() {} // ok: implicit-global

counter = 0; // expect: implicit-global "`counter`"
late = 1; // ok: implicit-global -- `var late` below is hoisted
var late;

function tally(list) {
  total += list.length; // expect: implicit-global "`total`"
  hits++; // expect: implicit-global "`hits`"
  for (i = 0; i < list.length; i++) {} // expect: implicit-global "`i`"
  for (key in settings) {} // expect: implicit-global "`key`"
  for (item of list) {} // expect: implicit-global "`item`"
  first = last = null; // expect: implicit-global, implicit-global -- `first` and `last`
  return total;
}

function unpack(pair, point, options) {
  [left, right] = pair; // expect: implicit-global, implicit-global -- `left` and `right`
  ({ x, y: ordinate } = point); // expect: implicit-global, implicit-global -- `x` and `ordinate`
  ({ depth = 1 } = options); // expect: implicit-global "`depth`"
  [head, ...tail] = pair; // expect: implicit-global, implicit-global -- `head` and `tail`
  return [left, right, x, ordinate, depth, head, tail];
}

// shadowing and scopes: the nearest declaration wins
function scoped(param) {
  param = 2; // ok: implicit-global -- a parameter
  settings = null; // ok: implicit-global -- the global `var` above
  if (param) {
    let inner = 1;
    inner = 2; // ok: implicit-global
  }
  inner = 3; // expect: implicit-global "`inner`" -- the `let` is local to the block
  try {
    boot();
  } catch (err) {
    err = null; // ok: implicit-global -- the catch parameter
  }
  err = undefined; // expect: implicit-global "`err`"
  const later = () => (cache = {}); // expect: implicit-global "`cache`"
  return later;
}

// named function and class expressions: the name is visible inside only
var walk = function step(n) {
  step = null; // ok: implicit-global -- the function's own name
  return n;
};
step = walk; // expect: implicit-global "`step`"
var Shape = class Polygon {};
Polygon = Shape; // expect: implicit-global "`Polygon`"

// labels are not variables
function scan(rows) {
  outer: for (var r = 0; r < rows.length; r++) {
    for (;;) break outer;
  }
  outer = r; // expect: implicit-global "`outer`"
}

// a `typeof` guard reads; the assignment still creates the global
if (typeof lib === "undefined") {
  lib = {}; // expect: implicit-global "`lib`"
}

// `arguments` is a local of every non-arrow function, but not of a script
function args() {
  arguments = []; // ok: implicit-global
  return () => (arguments = null); // ok: implicit-global -- the arrow sees `args`'s arguments
}
arguments = 1; // expect: implicit-global "`arguments`"

// Annex B: a function declared in a block of sloppy code is also a `var` of its function
function annexB(flag) {
  if (flag) {
    function helper() {}
  }
  helper = null; // ok: implicit-global -- ESLint's scope manager reports this one; the runtime does not
}

// strict code throws a ReferenceError instead of creating the global
function strict() {
  "use strict";
  thrown = 1; // ok: implicit-global
  const f = () => {
    alsoThrown = 2; // ok: implicit-global
  };
  return f;
}
class Widget {
  render() {
    inClass = 1; // ok: implicit-global -- class bodies are strict
  }
}

// known globals of the browser, Node and ECMAScript are not implicit
onload = boot; // ok: implicit-global
// with: a name may be a property of the object, so it is never reported
function dynamic(scope) {
  with (scope) {
    maybe = 1; // ok: implicit-global
  }
}
