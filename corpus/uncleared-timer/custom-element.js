// Custom elements: connectedCallback runs every time the element is attached.
export class LiveClock extends HTMLElement {
  connectedCallback() {
    this._timer = setInterval(() => this.render(), 1000); // ok: uncleared-timer
  }
  disconnectedCallback() {
    clearInterval(this._timer);
  }
  render() {
    this.textContent = new Date().toISOString();
  }
}

export class LeakyClock extends HTMLElement {
  connectedCallback() {
    this._timer = setInterval(() => this.render(), 1000); // expect: uncleared-timer "`LeakyClock.connectedCallback`"
  }
  render() {
    this.textContent = new Date().toISOString();
  }
}

customElements.define("live-clock", LiveClock);
customElements.define("leaky-clock", LeakyClock);
