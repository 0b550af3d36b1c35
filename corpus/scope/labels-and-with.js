// Labels are not variables; `with` makes names dynamic (resolved statically, never reported).
var outer = 0;
/**/ outer: for (var row = 0; row < 3; row++) {
//   ^ no-reference
//                            ^ defined: 3 (var)
  for (;;) {
    if (row) continue outer;
//                    ^ no-reference
    break outer;
//        ^ no-reference
  }
}
/**/ outer;
//   ^ defined: 2 (var)

function dynamic(scopeObject) {
  var local = 1;
  with (scopeObject) {
    local = 2;
//  ^ defined: 17 (var)
    unknown = 3; // ok: implicit-global -- may be a property of `scopeObject`
//  ^ defined:
  }
  return local;
}

// the `typeof` guard reads the `var` hoisted from the block below it
if (typeof probe === "undefined") {
//         ^ defined: 30 (var)
  var probe = {};
}
if (typeof missing === "undefined") {
//         ^ defined:
  missing = {}; // expect: implicit-global -- the guard does not declare it
}
module.exports = { dynamic };
