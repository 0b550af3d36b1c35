// Self-rescheduling setTimeout chains started per connection.
const net = require("net");
const { WebSocketServer } = require("ws");

const wss = new WebSocketServer({ port: 8081 });

wss.on("connection", (ws) => {
  function heartbeat() {
    ws.ping();
    setTimeout(heartbeat, 30000); // expect: uncleared-timer "`heartbeat` started on every `'connection'` event on `wss`"
  }
  heartbeat();
});

wss.on("connection", (ws) => {
  function heartbeat() {
    if (ws.readyState !== ws.OPEN) return;
    ws.ping();
    setTimeout(heartbeat, 30000); // ok: uncleared-timer -- stops once the socket closes
  }
  heartbeat();
});

wss.on("connection", (ws) => {
  let timer;
  const poll = () => {
    ws.send(JSON.stringify({ t: Date.now() }));
    timer = setTimeout(poll, 1000); // ok: uncleared-timer -- handle kept and cleared
  };
  poll();
  ws.on("close", () => clearTimeout(timer));
});

net.createServer((sock) => {
  const tick = () => {
    sock.write(".");
    setTimeout(() => tick(), 1000); // expect: uncleared-timer "`tick`"
  };
  tick();
}).listen(7002);

net.createServer((sock) => {
  let open = true;
  sock.on("close", () => { open = false; });
  const tick = () => {
    sock.write(".");
    if (open) setTimeout(tick, 1000); // ok: uncleared-timer -- stop condition
  };
  tick();
}).listen(7003);

// A deliberate poller at start-up runs once.
function refresh() {
  wss.clients.forEach((ws) => ws.send("refresh"));
  setTimeout(refresh, 60000); // ok: uncleared-timer
}
refresh();
