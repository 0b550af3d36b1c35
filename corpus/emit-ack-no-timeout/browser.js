// A page that loads /socket.io/socket.io.js and uses the `io` global.
var socket = io();

document.getElementById("send").addEventListener("click", function () {
  var text = document.getElementById("msg").value;
  // expect: emit-ack-no-timeout "every `'click'` event"
  socket.emit("chat message", text, function (delivered) {
    document.getElementById("status").textContent = delivered ? "sent" : "failed";
  });
  socket.timeout(3000).emit("chat message", text, function (err) { // ok: emit-ack-no-timeout
    if (err) document.getElementById("status").textContent = "timeout";
  });
});

var bus = new EventTarget();
bus.emit = function (name, cb) { cb(name); };
bus.emit("local", function () {}); // ok: emit-ack-no-timeout -- not socket.io
