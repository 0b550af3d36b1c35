// Vue composition API (TypeScript).
import { onMounted, onBeforeUnmount, onUnmounted, ref, defineComponent } from "vue";
import mitt from "mitt";

export const emitter = mitt();

export function useWindowSize() {
  const width = ref(window.innerWidth);
  const update = (): void => {
    width.value = window.innerWidth;
  };
  onMounted(() => window.addEventListener("resize", update)); // ok: listener-leak -- removed in onUnmounted
  onUnmounted(() => window.removeEventListener("resize", update));
  return { width };
}

export function useScroll() {
  const y = ref(0);
  onMounted(() => {
    window.addEventListener("scroll", () => (y.value = window.scrollY)); // expect: listener-leak "every call of exported `useScroll`"
  });
  return { y };
}

export default defineComponent({
  setup() {
    const count = ref(0);
    const inc = (): void => {
      count.value++;
    };
    emitter.on("inc", inc); // ok: listener-leak -- removed in onBeforeUnmount
    onBeforeUnmount(() => emitter.off("inc", inc));
    emitter.on("reset", () => (count.value = 0)); // expect: listener-leak "module-level `emitter`"
    return { count };
  },
});
