// Sloppy CommonJS: undeclared assignments create globals.
function handle(req) {
  result = parse(req.body); // expect: implicit-global "`result`"
  for (i = 0; i < 10; i++) {} // expect: implicit-global "`i`"
  i = 5; // ok: implicit-global -- one finding per name, at its first write
  let local = 1; // ok: implicit-global
  local = 2; // ok: implicit-global
  return local;
}
function parse(body) {
  return JSON.parse(body);
}
module.exports = { handle };
