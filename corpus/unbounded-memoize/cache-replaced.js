// `_.memoize.Cache` replaced by a bounded cache: no lodash memoize in this file is unbounded.
const _ = require("lodash");
const LRU = require("lru-cache");

_.memoize.Cache = LRU;

const getItem = _.memoize((id) => ({ id })); // ok: unbounded-memoize

module.exports = { getItem };
