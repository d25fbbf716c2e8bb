import type { Reader } from "./audience.ts";
import { canSee } from "./audience.ts";
import type { RoomStore } from "./store/RoomStore.ts";

export interface VisiblePage {
  entries: Record<string, unknown>[];
  /** Pass as `before` for the next (older) page; null when there is none. */
  next: number | null;
}

/**
 * Logged frames before `before` that `reader` may see, newest first. Frames
 * for others (whispers, groups the reader is not in) are skipped, so it
 * keeps reading until the page is full or the log ends.
 */
export function visibleBefore(store: Pick<RoomStore, "entriesBefore" | "tail">, reader: Reader, before: number, limit: number): VisiblePage {
  const out: Record<string, unknown>[] = [];
  let cursor = before;
  while (out.length < limit) {
    const rows = store.entriesBefore(cursor, limit * 2);
    if (rows.length === 0) return { entries: out, next: null };
    for (const e of rows) {
      cursor = e.seq;
      if (!canSee(e, reader)) continue;
      out.push(JSON.parse(e.frame) as Record<string, unknown>);
      if (out.length === limit) break;
    }
  }
  return { entries: out, next: cursor > store.tail() ? cursor : null };
}
