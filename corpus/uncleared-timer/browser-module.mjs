// A browser ES module: the page owns a module-level timer, even in a module that exports.
const store = { items: [], dirty: false };

setInterval(() => { // ok: uncleared-timer -- runs in the page, not in a process that should exit
  if (store.dirty) localStorage.setItem("items", JSON.stringify(store.items));
}, 5000);

export default store;
