// Browser scripts: window and document live as long as the page.
(function ($) {
  // a jQuery plugin: every element it is applied to adds a window listener
  $.fn.sticky = function () {
    return this.each(function () {
      var el = this;
      $(window).on("scroll.sticky", function () { // expect: listener-leak "`$(window)`"
        el.classList.toggle("stuck", window.scrollY > 100);
      });
    });
  };

  // a plugin with a destroy method that unbinds its namespace
  $.fn.tooltip = function () {
    $(document).on("keydown.tooltip", onKey); // ok: listener-leak -- `.off('.tooltip')` in destroy
    function onKey() {}
  };
  $.fn.tooltipDestroy = function () {
    $(document).off(".tooltip");
  };

  // `.bind` on $(document), removed by `.unbind` of the same event
  $.fn.drag = function (handler) {
    $(document).bind("mousemove", handler); // ok: listener-leak
    // expect: listener-leak "`'mouseup'` is added to `$(document)`"
    $(document).bind("mouseup", function () {
      $(document).unbind("mousemove", handler);
    });
  };
})(jQuery);

function onResize() {}

// the same module-level function added twice is kept once by the DOM: no pile-up
function layout() {
  window.addEventListener("resize", onResize); // ok: listener-leak
}
window.layout = layout;

// also when the module-level function is made once by a call
const onScroll = debounce(function () {}, 100);
function watchScroll() {
  window.addEventListener("scroll", onScroll); // ok: listener-leak
}
window.watchScroll = watchScroll;

// a new closure on every call, on the document
function openMenu(menu) {
  document.addEventListener("click", function () { // expect: listener-leak "`'click'` is added to `document` on every call of `window.openMenu`"
    menu.hidden = true;
  });
}
window.openMenu = openMenu;

// once: the browser removes it after the first event
function ask(dialog) {
  document.addEventListener("keydown", () => dialog.close(), { once: true }); // ok: listener-leak
}
window.ask = ask;

// an AbortSignal that is aborted
function track(el) {
  const controller = new AbortController();
  document.body.addEventListener("mousemove", (e) => el.move(e), { signal: controller.signal }); // ok: listener-leak
  el.onclose = () => controller.abort();
}
window.track = track;

// an AbortSignal that nothing aborts
function follow(el) {
  const controller = new AbortController();
  document.body.addEventListener("mousemove", (e) => el.move(e), { signal: controller.signal }); // expect: listener-leak "`document.body`"
}
window.follow = follow;

// removals that can never match
function Panel(el) {
  this.el = el;
  this.onScroll = this.onScroll.bind(this);
  window.addEventListener("scroll", this.onScroll, true); // ok: listener-leak -- removed below with the same capture flag
  window.addEventListener("keyup", this.onKey.bind(this)); // expect: listener-leak
}
Panel.prototype.destroy = function () {
  window.removeEventListener("scroll", this.onScroll, true);
  window.removeEventListener("scroll", this.onScroll); // ok: listener-leak -- matches nothing, but the line above already removes the listener
  window.removeEventListener("keyup", this.onKey.bind(this)); // expect: listener-leak "is passed a new function"
  document.removeEventListener("wheel", () => {}); // expect: listener-leak "`removeEventListener` for `'wheel'` on `document`"
};
Panel.prototype.onScroll = function () {};
Panel.prototype.onKey = function () {};
window.Panel = Panel;

// a capture flag that differs, and no other removal
function Overlay(el) {
  this.onFocus = () => el.focus();
  document.addEventListener("focus", this.onFocus, { capture: true }); // expect: listener-leak
}
Overlay.prototype.close = function () {
  document.removeEventListener("focus", this.onFocus); // expect: listener-leak "capture"
};
window.Overlay = Overlay;

// runs once, at load
window.addEventListener("load", function () {
  document.addEventListener("visibilitychange", function () {}); // ok: listener-leak
});
addEventListener("popstate", function () {}); // ok: listener-leak
