// Memoize libraries (CommonJS): module-level memoized functions with unbounded caches.
const _ = require("lodash");
const memoize = require("lodash/memoize");
const { memoize: lodashMemoize } = require("lodash");
const memoizee = require("memoizee");
const moize = require("moize");
const fastMemoize = require("fast-memoize");
const microMemoize = require("micro-memoize");

// expect: unbounded-memoize "`getUser` is a long-lived function memoized with `_.memoize`; its cache keeps an entry for every distinct first argument `id`"
const getUser = _.memoize((id) => loadUser(id));

const readConfig = memoize(function readConfig(path) { // expect: unbounded-memoize "first argument `path`"
  return require("fs").readFileSync(path, "utf8");
});

const normalize = lodashMemoize((name) => name.trim().toLowerCase()); // expect: unbounded-memoize "`normalize`"

const distance = memoizee((a, b) => Math.abs(a - b)); // expect: unbounded-memoize "memoized with `memoizee`"

const render = moize.infinite((template) => compile(template)); // expect: unbounded-memoize "`moize.infinite`"

const hash = moize.maxSize(Infinity)((text) => digest(text)); // expect: unbounded-memoize "`moize.maxSize(Infinity)` (moize)"

const parse = fastMemoize((source) => JSON.parse(source)); // expect: unbounded-memoize "`fastMemoize` (fast-memoize)"

const tokens = microMemoize((s) => s.split(" "), { maxSize: Infinity }); // expect: unbounded-memoize "`microMemoize` (micro-memoize)"

// bounded, constant-keyed or cache-of-one: not reported
const limited = memoizee((a) => a * 2, { max: 100 }); // ok: unbounded-memoize
const expiring = memoizee((a) => a * 3, { maxAge: 60000 }); // ok: unbounded-memoize
const lastOnly = moize((a) => a * 4); // ok: unbounded-memoize -- moize keeps one entry by default
const micro = microMemoize((a) => a * 5); // ok: unbounded-memoize -- micro-memoize keeps one entry by default
const fastCustom = fastMemoize((a) => a, { cache: { create: () => new Map() } }); // ok: unbounded-memoize
const constantKey = _.memoize((a) => a, () => "only"); // ok: unbounded-memoize -- a constant resolver
const loadOnce = _.memoize(() => loadUser("admin")); // ok: unbounded-memoize -- no argument to key on
const init = _.once(() => loadUser("root")); // ok: unbounded-memoize

const cleared = _.memoize((id) => loadUser(id)); // ok: unbounded-memoize -- its cache is cleared below
setInterval(() => cleared.cache.clear(), 60000).unref();

// handed to a registration at start-up: lives as long as the server
const app = require("express")();
app.get("/user/:id", _.memoize(serveUser)); // expect: unbounded-memoize "`serveUser` is a long-lived function"
[1, 2, 3].map(_.memoize((n) => n * 2)); // ok: unbounded-memoize -- dropped after the call
function serveUser(req, res) {
  res.json(loadUser(req.params.id));
}

function handler(req) {
  const perRequest = _.memoize((key) => req.body[key]); // ok: unbounded-memoize -- dropped after the request
  return perRequest("name");
}

function loadUser(id) {
  return { id };
}
function compile(t) {
  return () => t;
}
function digest(t) {
  return t.length;
}

module.exports = {
  getUser, readConfig, normalize, distance, render, hash, parse, tokens, limited, expiring, lastOnly, micro,
  fastCustom, constantKey, loadOnce, init, cleared, handler,
};
