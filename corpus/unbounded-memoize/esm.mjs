// ES modules: imports of the memoize libraries, exports and object members.
import memoize from "lodash/memoize.js";
import { memoize as memo } from "lodash-es";
import * as _ from "lodash-es";
import { createSelector } from "reselect";
import { useMemo, useCallback, memo as reactMemo } from "react";

// expect: unbounded-memoize "`default` is a long-lived function"
export default memoize((url) => fetch(url));

export const byId = memo((id) => ({ id })); // expect: unbounded-memoize "`byId`"

export const api = {
  lookup: _.memoize(async (name) => { // expect: unbounded-memoize "`api.lookup`"
    const res = await fetch(`/api/${name}`);
    return res.json();
  }),
};

// look-alikes: caches of one, React hooks, components
export const selectTotal = createSelector([(s) => s.items], (items) => items.length); // ok: unbounded-memoize
export function List({ items }) {
  const sorted = useMemo(() => [...items].sort(), [items]); // ok: unbounded-memoize
  const onClick = useCallback(() => sorted[0], [sorted]); // ok: unbounded-memoize
  return { sorted, onClick };
}
export const Pure = reactMemo(List); // ok: unbounded-memoize

// replaced with a bounded cache
const fresh = memoize((k) => k); // ok: unbounded-memoize
fresh.cache = new Map();
