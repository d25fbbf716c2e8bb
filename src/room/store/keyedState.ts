/**
 * A kind's state stored field by field ([P10]): the fields a kind names in `Kind.keyedFields`
 * (records of id -> value, like a lobby's open rooms) are stored one row per key, and the rest of
 * the state as one JSON value. Kinds never mutate their state, so an entry whose value is the same
 * object as the one last stored is unchanged: a commit writes the keys that changed, not the whole
 * record. A lobby of a thousand rooms then writes one room's row per change instead of ~400 KB.
 *
 * Pure: the store (sqliteRoomStore.ts) runs the rows this plans.
 */

/** Stands in the rest of the state for a field stored by key ("inline" when absent: a state saved before the kind named the field). */
export const KEYED = Object.freeze({ $keyed: 1 });

import { changedKeys, entriesOf, entryOf, hasEntry, keyedFrom, keysOf, KeyedRecord, rebase, type Keyed } from "../../core/keyedRecord.ts";

type Rec = Record<string, unknown>;

/** A plain record (not an array, not null): only those are stored by key; anything else stays inline. */
export const isRecord = (v: unknown): v is Rec => typeof v === "object" && v !== null && !Array.isArray(v);

const isMarker = (v: unknown) => isRecord(v) && v.$keyed === 1 && Object.keys(v).length === 1;

/** What one commit writes for a keyed field. `clear`: drop every row of the field first (it was inline, or is inline again). */
export interface FieldRows {
  field: string;
  clear: boolean;
  put: [key: string, json: string][];
  drop: string[];
}

export interface Split {
  /** The state without its keyed fields (each replaced by KEYED), as JSON: stored only when it changed. */
  rest: string;
  rows: FieldRows[];
  /** What is stored now, per keyed field: the next commit diffs against it. */
  stored: Map<string, Keyed<unknown>>;
}

/**
 * Plans a commit of `state`: `stored` is what each keyed field holds in storage (absent: its rows
 * are not known to match, so all are written). A field whose value is not a record is kept inline
 * in `rest`, and its rows are dropped.
 */
export function splitState(state: unknown, fields: readonly string[], stored: ReadonlyMap<string, Keyed<unknown>>): Split {
  const next = new Map<string, Keyed<unknown>>();
  if (!isRecord(state) || fields.length === 0) return { rest: JSON.stringify(state), rows: [], stored: next };
  const rest: Rec = { ...state };
  const rows: FieldRows[] = [];
  for (const field of fields) {
    const value = state[field];
    const before = stored.get(field);
    if (!(value instanceof KeyedRecord) && !isRecord(value)) {
      if (before) rows.push({ field, clear: true, put: [], drop: [] });
      continue;
    }
    rest[field] = KEYED;
    next.set(field, value);
    if (value === before) continue;
    const put: [string, string][] = [];
    const drop: string[] = [];
    // Made from what is stored by withEntries: only the keys it changed can differ.
    const keys = before ? changedKeys(value, before) : null;
    for (const key of keys ?? keysOf(value)) {
      if (!hasEntry(value, key)) {
        if (before && hasEntry(before, key)) drop.push(key);
        continue;
      }
      const v = entryOf(value, key);
      if (before && hasEntry(before, key) && entryOf(before, key) === v) continue;
      put.push([key, JSON.stringify(v)]);
    }
    if (before && !keys) for (const [key] of entriesOf(before)) if (!hasEntry(value, key)) drop.push(key);
    if (put.length || drop.length || !before) rows.push({ field, clear: !before, put, drop });
  }
  return { rest: JSON.stringify(rest), rows, stored: next };
}

/**
 * `stored` (a Split's) was committed: each record is the base of the next diff, so the steps it was
 * made by are forgotten (keyedRecord.ts `rebase`) and the versions before it can be collected.
 */
export function settled(stored: ReadonlyMap<string, Keyed<unknown>>): void {
  for (const record of stored.values()) rebase(record);
}

/**
 * The state as stored: `rest` (parsed) with each keyed field that holds KEYED rebuilt from its
 * rows. `rowsOf` reads one field's rows. Returns the state and what each keyed field holds, for
 * the next commit's diff. A field still inline is left as it is and isn't in `stored`: the first
 * commit writes its rows.
 */
export function joinState(rest: unknown, fields: readonly string[], rowsOf: (field: string) => Iterable<[string, string]>): { state: unknown; stored: Map<string, Keyed<unknown>> } {
  const stored = new Map<string, Keyed<unknown>>();
  if (!isRecord(rest)) return { state: rest, stored };
  const state: Rec = { ...rest };
  for (const field of fields) {
    if (!isMarker(rest[field])) continue;
    // Read back as a KeyedRecord: the kind's first change after a wake-up costs O(change) too.
    const rec = keyedFrom([...rowsOf(field)].map(([k, json]) => [k, JSON.parse(json) as unknown] as const));
    state[field] = rec;
    stored.set(field, rec);
  }
  return { state, stored };
}
