// Block scopes: let, const and class belong to their block; shadowing; switch and for.
let level = "module";
{
  let level = "block";
  level;
//^ defined: 4 (let)
}
/**/ level;
//   ^ defined: 2 (let)

for (let n = 0; n < 2; n++) {
//                     ^ defined: 11 (let)
  const n2 = n * 2;
//           ^ defined: 11 (let)
}
/**/ n2 = 0; // expect: implicit-global -- the `const` is local to the loop body
//   ^ defined:

switch (level) {
  case "a":
    let inCase = 1;
    break;
  default:
    inCase;
//  ^ defined: 21 (let)
}

function shadowing(level) {
  if (level) {
    const level = 2;
    return level;
//         ^ defined: 30 (const)
  }
  return level;
//       ^ defined: 28 (param)
}

if (level) {
  class Local {}
  new Local();
//    ^ defined: 39 (class)
}
/**/ Local;
//   ^ defined:

// Annex B: in sloppy code a function declared in a block is also a `var` of its function
function annexB() {
  if (level) {
    function helper() {}
    helper();
//  ^ defined: 49 (function)
  }
  helper = null;
//^ defined: 49 (function)
}
// ... unless a `let` of the same name in between would clash
function annexBClash() {
  {
    let helper2 = 1;
    {
      function helper2() {}
    }
    helper2;
//  ^ defined: 59 (let)
  }
  helper2 = 2; // expect: implicit-global -- no `var` is made: the `let` above would clash
//^ defined:
}
// in strict code it stays in its block
function strictBlock() {
  "use strict";
  if (level) {
    function helper3() {}
  }
  return helper3;
//       ^ defined:
}
// a block is a scope because of what it declares, whatever comes first in it
function laterInBlock() {
  {
    setTimeout(function () { return late; });
//                                  ^ defined: 83 (let)
    let late = 1;
  }
  {
    if (level) function nested() {}
    nested;
//  ^ defined: 86 (function)
    label: function labelled() {}
    labelled;
//  ^ defined: 89 (function)
  }
  return late;
//       ^ defined:
}
module.exports = { shadowing, annexB, annexBClash, strictBlock, laterInBlock };
