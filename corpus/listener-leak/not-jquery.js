// `$` defined in the file is a selector shorthand, not jQuery: `.on`/`.bind` mean nothing special.
const $ = (selector) => document.querySelector(selector);

function wire() {
  $("#save").addEventListener("click", () => save()); // ok: listener-leak -- an element, not a long-lived target
  $(window).on("resize", () => save()); // ok: listener-leak
  $(document).bind("keyup", () => save()); // ok: listener-leak
}
function save() {}
window.wire = wire;
