import type { RoomLimits } from "../core/kind.ts";
import { DEDUP_TTL_MS, TRIM_EVERY_SEQS } from "./limits.ts";
import type { RoomStore } from "./store/RoomStore.ts";

/**
 * The one place that trims a room's log, journal and dedup records
 * (RoomStore.trim) to its limits: every TRIM_EVERY_SEQS seqs after a commit,
 * so retention holds whatever the traffic (HTTP-only rooms too), and on
 * every alarm sweep.
 */
export class Retention {
  readonly #store: Pick<RoomStore, "trim">;
  readonly #limits: Pick<RoomLimits, "logMaxEntries" | "logMaxAgeMs">;
  /** Head seq at the last trim. */
  #trimmedAt: number;

  constructor(store: Pick<RoomStore, "trim">, limits: Pick<RoomLimits, "logMaxEntries" | "logMaxAgeMs">, head: number) {
    this.#store = store;
    this.#limits = limits;
    this.#trimmedAt = head;
  }

  /** After a commit that left the head at `seq`: trims when enough seqs went by. */
  committed(seq: number, now: number): void {
    if (seq - this.#trimmedAt >= TRIM_EVERY_SEQS) this.trim(now, seq);
  }

  trim(now: number, head?: number): void {
    this.#store.trim({ now, maxEntries: this.#limits.logMaxEntries, maxAgeMs: this.#limits.logMaxAgeMs, dedupTtlMs: DEDUP_TTL_MS });
    if (head !== undefined) this.#trimmedAt = head;
  }
}
