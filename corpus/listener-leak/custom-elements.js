// Custom elements: connectedCallback runs every time the element is inserted.
class ThemeToggle extends HTMLElement {
  constructor() {
    super();
    this.onChange = this.onChange.bind(this);
  }
  connectedCallback() {
    window.matchMedia("(prefers-color-scheme: dark)").addEventListener("change", this.onChange); // ok: listener-leak -- not a long-lived target the rule knows
    document.addEventListener("theme", this.onChange); // ok: listener-leak -- removed in disconnectedCallback
    window.addEventListener("storage", (e) => this.sync(e)); // expect: listener-leak "every call of method `ThemeToggle.connectedCallback`"
  }
  disconnectedCallback() {
    document.removeEventListener("theme", this.onChange);
  }
  onChange() {}
  sync() {}
}
customElements.define("theme-toggle", ThemeToggle);

class LiveClock extends HTMLElement {
  connectedCallback() {
    this.addEventListener("click", () => this.toggle()); // ok: listener-leak -- on the element itself
    this.controller = new AbortController();
    document.addEventListener("tick", () => this.render(), { signal: this.controller.signal }); // ok: listener-leak
  }
  disconnectedCallback() {
    this.controller.abort();
  }
  toggle() {}
  render() {}
}
customElements.define("live-clock", LiveClock);

// removed through a generic helper that takes the target as a parameter
class Carousel extends HTMLElement {
  connectedCallback() {
    this.onResize = () => this.layout();
    window.addEventListener("resize", this.onResize); // ok: listener-leak
    this.listeners = [[window, "resize", this.onResize]];
  }
  disconnectedCallback() {
    this.listeners.forEach(([target, type, fn]) => unlisten(target, type, fn));
  }
  layout() {}
}
function unlisten(target, type, fn) {
  target.removeEventListener(type, fn);
}
customElements.define("x-carousel", Carousel);
