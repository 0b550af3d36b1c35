// Catch parameters, classes and class expressions.
var error = "outer";
try {
  risky();
} catch (error) {
  error.message;
//^ defined: 5 (catch)
  var error; // a `var` in the clause belongs to the enclosing function (line 2)
}
/**/ error;
//   ^ defined: 2 (var)

try {
  risky();
} catch ({ code, detail: { reason = code } }) {
//                         ^ defined: 15 (catch)
//                                  ^ defined: 15 (catch)
  report(code, reason);
//       ^ defined: 15 (catch)
}
/**/ code = 0; // expect: implicit-global -- the catch parameter is not visible after the clause
//   ^ defined:

class Shape {
  static count = 0;
  area() { return Shape.count; }
//                ^ defined: 24 (class)
  static { this.ready = Shape; }
//                      ^ defined: 24 (class)
}
// a class expression's name is visible inside the class only
const Circle = class Round extends Shape {
//                                 ^ defined: 24 (class)
  clone() { return new Round(); }
//                     ^ defined: 32 (class)
};
/**/ Round = null; // expect: implicit-global -- `Round` is not visible outside its expression
//   ^ defined:

function risky() {}
function report() {}
module.exports = { Circle };
