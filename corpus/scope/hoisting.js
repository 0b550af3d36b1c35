// Hoisting: `var` and function declarations are visible in their whole function (or script),
// before the line that declares them; references are resolved after the whole file is bound.
/**/ early();
//   ^ defined: 8 (function)
/**/ counter = 1; // expect: implicit-global -- the `var` below is local to `early`
//   ^ defined:

function early() {
  if (ready) {
    var counter = 0;
  }
  return counter + later;
//       ^ defined: 10 (var)
//                 ^ defined: 23 (var)
}

function user() {
  return helper(total);
//       ^ defined: 21 (function)
//              ^ defined: 24 (var)
  function helper(n) { return n; }
}
var later = 2;
var total = 3, ready = true;
for (var i = 0; i < 3; i++) {}
/**/ i;
//   ^ defined: 25 (var)

// a second `var` of the same name is the same binding
var total;
/**/ total;
//   ^ defined: 24 (var)

// let and const are resolved without a temporal dead zone (as eslint-scope does)
function readsLater() {
  return config;
//       ^ defined: 39 (const)
}
const config = {};
