// Vue options API components (Vue 2 and 3).
import { bus } from "./event-bus";

export const Sidebar = {
  data() {
    return { open: false };
  },
  mounted() {
    window.addEventListener("resize", this.onResize); // ok: listener-leak -- removed in beforeUnmount
    document.addEventListener("keydown", this.onKey); // expect: listener-leak "every call of method `mounted`"
  },
  beforeUnmount() {
    window.removeEventListener("resize", this.onResize);
  },
  methods: {
    onResize() {
      this.open = window.innerWidth > 800;
    },
    onKey(e) {
      if (e.key === "Escape") this.open = false;
    },
  },
};

export default {
  name: "Chat",
  created() {
    bus.on("message", this.onMessage); // ok: listener-leak -- removed in beforeDestroy (Vue 2)
    bus.on("typing", (who) => (this.typing = who)); // expect: listener-leak "imported `bus`"
  },
  beforeDestroy() {
    bus.off("message", this.onMessage);
  },
  methods: {
    onMessage(m) {
      this.messages.push(m);
    },
  },
};

export const Poller = {
  mounted() {
    document.addEventListener("visibilitychange", this.check); // ok: listener-leak
  },
  destroyed() {
    document.removeEventListener("visibilitychange", this.check);
  },
  methods: {
    check() {},
  },
};
