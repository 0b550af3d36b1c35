// Hand-written memoizers: a factory closes over a Map or object and fills it per argument.
function memoizeOne<A, R>(fn: (arg: A) => R): (arg: A) => R {
  const cache = new Map<A, R>();
  return (arg: A): R => {
    if (!cache.has(arg)) {
      cache.set(arg, fn(arg)); // expect: unbounded-memoize "Memoizer cache `cache` keeps an entry for every distinct argument `arg` and is never evicted; the memoized `square` is long-lived"
    }
    return cache.get(arg) as R;
  };
}

export const square = memoizeOne((x: number) => x * x);
export const shout = memoizeOne((s: string) => s.toUpperCase());

// an immediately invoked memoizer at module level
export const slug = (() => {
  const seen: Record<string, string> = {};
  return function (title: string, ...rest: string[]): string {
    const key = [title, ...rest].join("|");
    return seen[key] || (seen[key] = key.replace(/\W+/g, "-")); // expect: unbounded-memoize "key built from `title`, `rest`"
  };
})();

// a bounded hand-written memoizer
function memoizeBounded<A, R>(fn: (arg: A) => R): (arg: A) => R {
  const cache = new Map<A, R>();
  return (arg: A): R => {
    if (cache.size > 100) cache.clear();
    if (!cache.has(arg)) cache.set(arg, fn(arg)); // ok: unbounded-memoize
    return cache.get(arg) as R;
  };
}
export const cube = memoizeBounded((x: number) => x * x * x);

// a memoizer used only inside a function: the cache dies with the call
function memoizeLocal(fn: (n: number) => number): (n: number) => number {
  const results: Record<number, number> = {};
  return (n: number) => {
    if (!(n in results)) results[n] = fn(n); // ok: unbounded-memoize
    return results[n];
  };
}
export function fib(limit: number): number {
  const f = memoizeLocal((n) => (n < 2 ? n : f(n - 1) + f(n - 2)));
  return f(limit);
}

// an accumulator is not a memoizer: nothing is looked up
function collector() {
  const all: Record<string, number> = {};
  return (name: string) => {
    all[name] = Date.now(); // ok: unbounded-memoize
  };
}
export const collect = collector();

// a class field of a singleton holding a memoized function
import memoize from "lodash/memoize";
class Pricing {
  quote = memoize((sku: string) => sku.length * 10); // expect: unbounded-memoize "`quote`"
}
export const pricing = new Pricing();

class PerUser {
  quote = memoize((sku: string) => sku.length); // ok: unbounded-memoize -- a new instance per user
}
export function forUser(): PerUser {
  return new PerUser();
}
