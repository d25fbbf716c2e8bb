/**
 * [P10] Changing entries of a keyed state field (Kind.keyedFields) so that the commit needn't
 * compare every entry: `withEntries` returns a new record and remembers which keys it changed from
 * the record it was made from. The store then looks at those keys only (keyedState.ts): a lobby of
 * a thousand rooms writes a room's row without a walk over the other 999. A record made any other
 * way is still stored right; its commit compares every entry.
 *
 * Keys are own properties, `__proto__` included (state is plain JSON, ids come from users).
 */
const deltas = new WeakMap<object, { base: object; keys: readonly string[] }>();

/** A copy of `record` with each `[key, value]` set, or removed where the value is undefined. */
export function withEntries<T>(record: Readonly<Record<string, T>>, changes: Iterable<readonly [string, NoInfer<T> | undefined]>): Record<string, T> {
  const next: Record<string, T> = { ...record };
  const keys: string[] = [];
  for (const [key, value] of changes) {
    keys.push(key);
    // `delete` and defineProperty touch own properties only: "__proto__" is a key like any other.
    if (value === undefined) delete next[key];
    else if (key === "__proto__") Object.defineProperty(next, key, { value, enumerable: true, writable: true, configurable: true });
    else next[key] = value;
  }
  deltas.set(next, { base: record, keys });
  return next;
}

/** How many withEntries steps a commit follows back to the stored record before it compares every entry instead. */
const MAX_STEPS = 32;

/**
 * The keys in which `record` may differ from `base` when it was made from `base` by withEntries
 * (in one or more steps); null when it wasn't (or is too many steps away): compare every entry.
 */
export function changedKeys(record: object, base: object): ReadonlySet<string> | null {
  const keys = new Set<string>();
  let at = record;
  for (let step = 0; step <= MAX_STEPS; step++) {
    if (at === base) return keys;
    const d = deltas.get(at);
    if (!d) return null;
    for (const k of d.keys) keys.add(k);
    at = d.base;
  }
  return null;
}
