#!/usr/bin/env node
// A command-line script: the process should exit when the work is done.
const fs = require("fs");

let done = 0;
// expect: uncleared-timer "a command-line script"
setInterval(() => process.stdout.write(`.${done}`), 200);

for (const file of process.argv.slice(2)) {
  fs.readFile(file, () => { done++; });
}
