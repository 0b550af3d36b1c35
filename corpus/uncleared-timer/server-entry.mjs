// A server's entry file: a module-level interval runs for the life of the server, as intended.
import http from "node:http";

const sessions = new Map();

setInterval(() => sessions.clear(), 3600000); // ok: uncleared-timer

http.createServer((req, res) => res.end("ok")).listen(8080);

export { sessions };
