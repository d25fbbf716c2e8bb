import type { Actor } from "../core/kind.ts";
import { canSee } from "./audience.ts";
import { readerFor } from "./kindCtx.ts";
import type { RoomContext } from "./roomContext.ts";

export interface VisiblePage {
  entries: Record<string, unknown>[];
  /** Pass as `before` for the next (older) page; null when there is none. */
  next: number | null;
}

/**
 * Logged frames before `before` that `actor` may see, newest first. Frames
 * for others (whispers, groups the reader is not in) are skipped, so it
 * keeps reading until the page is full or the log ends.
 */
export function visibleBefore(rc: RoomContext, actor: Actor, before: number, limit: number): VisiblePage {
  const reader = readerFor(rc, actor);
  const out: Record<string, unknown>[] = [];
  let cursor = before;
  while (out.length < limit) {
    const rows = rc.store.entriesBefore(cursor, limit * 2);
    if (rows.length === 0) return { entries: out, next: null };
    for (const e of rows) {
      cursor = e.seq;
      if (!canSee(e, reader)) continue;
      out.push(JSON.parse(e.frame) as Record<string, unknown>);
      if (out.length === limit) break;
    }
  }
  return { entries: out, next: cursor > rc.store.tail() ? cursor : null };
}
