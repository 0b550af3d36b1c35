// Fixed false positive: an array filled up to a requested level (typescript's `indentStrings`).
// Its length goes into the loop variable that is compared with the limit.
const indents = ["", "  "];
export function indent(level) {
  for (let current = indents.length; current <= level; current++) {
    indents.push(indents[current - 1] + "  "); // ok: growing-array
  }
  return indents[level];
}

// a length read for something else is not a bound
const log = [];
export function record(entry) {
  const count = log.length;
  log.push({ entry, count }); // expect: growing-array "`log`"
}
