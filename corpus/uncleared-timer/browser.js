// A browser script (no imports or exports): the page owns module-level timers.
var clock = document.getElementById("clock");

setInterval(function () { clock.textContent = new Date().toLocaleTimeString(); }, 1000); // ok: uncleared-timer

document.addEventListener("DOMContentLoaded", function () {
  window.setInterval(refreshBadges, 5000); // ok: uncleared-timer -- the event fires once
});

window.onload = function () {
  setInterval(refreshBadges, 5000); // ok: uncleared-timer -- runs once per page load
};

document.getElementById("start").addEventListener("click", function () {
  // expect: uncleared-timer "every `'click'` event"
  setInterval(function spin() { clock.classList.toggle("on"); }, 100);
});

var blinker = null;
document.getElementById("blink").addEventListener("click", function () {
  if (blinker) clearInterval(blinker);
  blinker = setInterval(refreshBadges, 500); // ok: uncleared-timer
});

function refreshBadges() {}
