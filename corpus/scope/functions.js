// Parameters, named function expressions and `arguments`.
var x = "outer";

function defaults(a, b = a, c = x, ...rest) {
  var x = "inner";
  return [a, b, c, rest, x];
//        ^ defined: 4 (param)
//           ^ defined: 4 (param)
//              ^ defined: 4 (param)
//                 ^ defined: 4 (param)
//                       ^ defined: 5 (var)
}
// a default value cannot see the body's declarations: `c = x` above reads the outer `x`
function paramDefault(c = x) { var x; return c; }
//                        ^ defined: 2 (var)
//                                 ^ defined: 14 (var)

function patterns({ id, meta: { tags = [] } }, [first, , third = id]) {
  return id + tags + first + third;
//       ^ defined: 18 (param)
//            ^ defined: 18 (param)
//                   ^ defined: 18 (param)
//                           ^ defined: 18 (param)
}

// the name of a function expression is visible inside it only
var run = function step(n) { return n ? step(n - 1) : 0; };
//                                      ^ defined: 27 (function-name)
/**/ step = 1; // expect: implicit-global -- `step` is not visible outside its expression
//   ^ defined:
// a declaration inside the function shadows its name
var shadow = function inner() { var inner = 1; return inner; };
//                                                    ^ defined: 32 (var)

const arrow = (p, { q } = {}) => p + q;
//                               ^ defined: 35 (param)
//                                   ^ defined: 35 (param)
const single = value => value;
//                      ^ defined: 38 (param)

// `arguments` belongs to the nearest non-arrow function
function withArguments() {
  const first = () => arguments[0];
//                    ^ defined: 42 (arguments)
  return first;
}
// in CommonJS the function Node wraps around the module has one too (line 1: the module)
const topArrow = () => arguments;
//                     ^ defined: 1 (arguments)

const object = {
  method(m) { return m + arguments.length; },
//                   ^ defined: 52 (param)
//                       ^ defined: 52 (arguments)
  get value() { return this.m; },
};
module.exports = { defaults, paramDefault, patterns, run, shadow, arrow, single, withArguments, topArrow, object };
