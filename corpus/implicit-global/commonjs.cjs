// A sloppy CommonJS module: `this` in a plain function is the global object, and the global
// object is shared by every request.
const express = require("express");
const app = express();

// one-time set-up at the top level is intended
global.config = { port: 8080 }; // ok: implicit-global
global.plugins = []; // ok: implicit-global
global.plugins.push("auth"); // ok: implicit-global -- runs once, at start-up
global.started = Date.now(); // ok: implicit-global

function remember(user) {
  global.seen.push(user); // expect: implicit-global "`global.seen` grows with `push`"
  global.lastUser = user; // ok: implicit-global -- replaces one value, does not grow
  global.visits += 1; // ok: implicit-global -- a number, not growth
}

app.get("/log", (req, res) => {
  globalThis.byUrl[req.url] = res; // expect: implicit-global "`globalThis.byUrl`"
  global.trace += "request " + req.url; // ok: implicit-global -- `+=` with a non-literal is not known to be a string
  global.journal += "request\n"; // expect: implicit-global "`global.journal` grows with `+=`"
  global[req.query.key] = true; // expect: implicit-global "A new property of global `global`"
  res.end();
});

const sampler = setInterval(() => {
  global.samples.unshift(Date.now()); // expect: implicit-global "`global.samples` grows with `unshift`"
}, 1000);
sampler.unref();

// a local named `global` is not the global object
function local(global) {
  global.items.push(1); // ok: implicit-global
}

// `this` in a plain sloppy function called without a receiver is the global object
function setup() {
  this.ready = true; // expect: implicit-global "`this.ready`"
}
setup();

// constructors, methods, and functions called with a receiver are not
function Widget() {
  this.size = 1; // ok: implicit-global -- capitalised: a constructor
}
function attach() {
  this.attached = true; // ok: implicit-global -- called with `.call`
}
attach.call(app);
const api = {
  start() {
    this.running = true; // ok: implicit-global -- a method
  },
};
function strictThis() {
  "use strict";
  this.flag = true; // ok: implicit-global -- `this` is undefined in strict code
}
strictThis();

function handler(req) {
  pending = req; // expect: implicit-global "`pending`"
  return pending;
}

module.exports = { remember, local, Widget, api, handler };
