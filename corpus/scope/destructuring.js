// Destructuring in declarations, assignments and loops.
const { alpha, beta: renamed, gamma = alpha, ...others } = source();
//                                    ^ defined: 2 (const)
/**/ renamed;
//   ^ defined: 2 (const)
/**/ others;
//   ^ defined: 2 (const)

let left, right;
/**/ [left, right] = [right, left];
//    ^ defined: 9 (let)
//                    ^ defined: 9 (let)
/**/ ({ left, key: right = left } = pair()); // defaults in assignment patterns read
//                 ^ defined: 9 (let)
//                         ^ defined: 9 (let)

for (const [key, value] of Object.entries(source())) {
  console.log(key, value);
//            ^ defined: 17 (const)
//                 ^ defined: 17 (const)
}
for (var { name: found } in source()) {}
/**/ found;
//   ^ defined: 22 (var)
/**/ for ([head, ...tail] of [[1, 2]]) {} // expect: implicit-global, implicit-global -- `head` and `tail`
//         ^ defined:
//                  ^ defined:

const computed = "k";
const { [computed]: picked } = source();
//       ^ defined: 29 (const)

function source() { return {}; }
function pair() { return {}; }
module.exports = { beta: renamed, others, picked, found };
