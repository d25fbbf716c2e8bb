/**
 * [P10] Keyed state fields (Kind.keyedFields: records of id -> value, like a lobby's open rooms)
 * that change in O(change), not O(entries), in memory and in storage.
 *
 * - `withEntries` returns a new KeyedRecord: a persistent map of BUCKETS plain records by key
 *   hash. A change copies the bucket array and the one bucket it touches, not the whole record:
 *   spreading a 1,000-key record costs ~300 us in V8 (it is a dictionary object by then), a
 *   bucket ~1 us, and the lobby made several such copies per input (bench/ROLL-COST.md).
 * - It remembers which keys it changed from the record it was made from (`changedKeys`), so the
 *   store writes those keys' rows without comparing every entry (keyedState.ts). That memory holds
 *   the record it was made from, and so on back: it is cut at MAX_STEPS steps, and at the record
 *   storage holds (`rebase`), or one lobby would keep every version of its rooms it ever made
 *   (86 MB of a 1,000-game run's live heap, bench/ROLL-COST.md).
 * - A Keyed is either a KeyedRecord or a plain record (a state read back from JSON, a kind's
 *   `init`, a test): every reader below takes both, and a KeyedRecord's JSON is a plain record,
 *   so a state's JSON is what it was before buckets. Keys are own properties, `__proto__`
 *   included (state is plain JSON, ids come from users).
 */
export type Keyed<T> = KeyedRecord<T> | Readonly<Record<string, T>>;

/** Buckets per record: 1,000 rooms are ~16 a bucket; 10,000 seats ~160. */
const BUCKETS = 64;

export class KeyedRecord<T> {
  /** Use withEntries or keyedFrom. */
  constructor(
    readonly buckets: readonly Readonly<Record<string, T>>[],
    readonly size: number,
  ) {
    Object.freeze(this);
  }

  /** Its entries as one plain record: what JSON.stringify writes (the inspector, a memory store). */
  toJSON(): Record<string, T> {
    const out: Record<string, T> = {};
    for (const [k, v] of entriesOf(this)) set(out, k, v);
    return out;
  }
}

/** FNV-1a over the key's UTF-16 units: stable across incarnations (a bucket is never stored). */
function bucketOf(key: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
  return (h >>> 0) % BUCKETS;
}

/** `delete` and defineProperty touch own properties only: "__proto__" is a key like any other. */
function set<T>(rec: Record<string, T>, key: string, value: T): void {
  if (key === "__proto__") Object.defineProperty(rec, key, { value, enumerable: true, writable: true, configurable: true });
  else rec[key] = value;
}

/** The value at `key` (own keys only: `constructor` or `__proto__` is never found on a prototype). */
export function entryOf<T>(rec: Keyed<T>, key: string): T | undefined {
  if (rec instanceof KeyedRecord) {
    const b = rec.buckets[bucketOf(key)]!;
    return Object.hasOwn(b, key) ? b[key] : undefined;
  }
  return Object.hasOwn(rec, key) ? (rec as Record<string, T>)[key] : undefined;
}

export function hasEntry(rec: Keyed<unknown>, key: string): boolean {
  return rec instanceof KeyedRecord ? Object.hasOwn(rec.buckets[bucketOf(key)]!, key) : Object.hasOwn(rec, key);
}

export function sizeOf(rec: Keyed<unknown>): number {
  return rec instanceof KeyedRecord ? rec.size : Object.keys(rec).length;
}

/** Every [key, value] (a KeyedRecord's in bucket order, not insertion order: sort where order shows). */
export function entriesOf<T>(rec: Keyed<T>): [string, T][] {
  if (!(rec instanceof KeyedRecord)) return Object.entries(rec);
  const out: [string, T][] = [];
  for (const b of rec.buckets) for (const k in b) if (Object.hasOwn(b, k)) out.push([k, b[k]!]);
  return out;
}

export const keysOf = (rec: Keyed<unknown>): string[] => entriesOf(rec).map(([k]) => k);
export const valuesOf = <T>(rec: Keyed<T>): T[] => entriesOf(rec).map(([, v]) => v);

/** How many withEntries steps a commit follows back to the stored record before it compares every entry instead. */
const MAX_STEPS = 32;

/** Each record withEntries made: what it was made from, the keys it set, and how many steps back its line of deltas goes. */
const deltas = new WeakMap<object, { base: object; keys: readonly string[]; depth: number }>();
const EMPTY: readonly Readonly<Record<string, never>>[] = Object.freeze(Array.from({ length: BUCKETS }, () => Object.freeze({})));

/** A KeyedRecord holding `entries` (a store reading rows back, a test). */
export function keyedFrom<T>(entries: Iterable<readonly [string, T]>): KeyedRecord<T> {
  const buckets: Record<string, T>[] = Array.from({ length: BUCKETS }, () => ({}));
  let size = 0;
  for (const [k, v] of entries) {
    const b = buckets[bucketOf(k)]!;
    if (!Object.hasOwn(b, k)) size++;
    set(b, k, v);
  }
  return new KeyedRecord(buckets, size);
}

/**
 * `record` with each `[key, value]` set, or removed where the value is undefined; `record` is left
 * as it was. O(changes) for a KeyedRecord (a plain record is bucketed first, once).
 */
export function withEntries<T>(record: Keyed<T>, changes: Iterable<readonly [string, NoInfer<T> | undefined]>): KeyedRecord<T> {
  const from = record instanceof KeyedRecord ? record : keyedFrom(Object.entries(record));
  const buckets = from.buckets.slice() as Readonly<Record<string, T>>[];
  /** Buckets already copied for this call: each is copied once however many of its keys change. */
  const copied = new Set<number>();
  let size = from.size;
  const keys: string[] = [];
  for (const [key, value] of changes) {
    keys.push(key);
    const i = bucketOf(key);
    const had = Object.hasOwn(buckets[i]!, key);
    if (value === undefined && !had) continue;
    if (!copied.has(i)) {
      buckets[i] = { ...buckets[i] };
      copied.add(i);
    }
    const b = buckets[i] as Record<string, T>;
    if (value === undefined) {
      delete b[key];
      size--;
    } else {
      if (!had) size++;
      set(b, key, value);
    }
  }
  const next = new KeyedRecord(buckets, size);
  // Past MAX_STEPS nobody asks (changedKeys gives up there): a record that far down starts a new line,
  // so a line nobody rebases (a derived index) keeps at most MAX_STEPS records alive, not all of them.
  const depth = (deltas.get(record)?.depth ?? 0) + 1;
  if (depth <= MAX_STEPS) deltas.set(next, { base: record, keys, depth });
  return next;
}

/**
 * `record` is what storage holds now: the next diff stops at it (changedKeys(later, record)), so
 * forget how it was made. Every record before it can then be collected, and the records made from
 * it count their steps from it.
 */
export function rebase(record: object): void {
  deltas.delete(record);
}

/** An empty KeyedRecord (a kind's `init`). */
export const emptyKeyed = <T>(): KeyedRecord<T> => new KeyedRecord<T>(EMPTY as readonly Readonly<Record<string, T>>[], 0);

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
