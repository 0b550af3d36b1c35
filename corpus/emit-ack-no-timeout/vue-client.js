// Vue: options API and composition API with socket.io-client.
import ioClient from "socket.io-client";
import { onMounted, ref } from "vue";

export default {
  data() {
    return { items: [] };
  },
  created() {
    this.socket = ioClient("/items");
  },
  methods: {
    add(item) {
      this.socket.emit("add", item, (saved) => this.items.push(saved)); // expect: emit-ack-no-timeout "`this.socket.emit('add')`"
    },
    remove(item) {
      this.socket.timeout(2000).emit("remove", item, () => {}); // ok: emit-ack-no-timeout
    },
  },
};

export function useItems() {
  const items = ref([]);
  const conn = ioClient.connect("/items");
  onMounted(() => {
    conn.emit("list", (list) => { items.value = list; }); // expect: emit-ack-no-timeout
  });
  return items;
}
