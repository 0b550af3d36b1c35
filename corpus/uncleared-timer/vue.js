// Vue: options API and composition API.
import { onMounted, onUnmounted, ref } from "vue";

export default {
  data() {
    return { now: Date.now(), poll: null };
  },
  mounted() {
    setInterval(() => { this.now = Date.now(); }, 1000); // expect: uncleared-timer "every call of method `mounted`"
    this.poll = setInterval(this.refresh, 5000); // ok: uncleared-timer -- cleared in beforeUnmount
  },
  beforeUnmount() {
    clearInterval(this.poll);
  },
  methods: {
    refresh() {},
  },
};

export function useNow() {
  const now = ref(Date.now());
  let timer;
  onMounted(() => {
    timer = setInterval(() => { now.value = Date.now(); }, 1000); // ok: uncleared-timer
  });
  onUnmounted(() => clearInterval(timer));
  return now;
}

export function useTicker() {
  const ticks = ref(0);
  onMounted(() => {
    // expect: uncleared-timer "every call of exported `useTicker`"
    setInterval(() => { ticks.value++; }, 1000);
  });
  return ticks;
}
