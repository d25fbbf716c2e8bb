/**
 * Decides how a (re)connecting socket catches up, after Centrifugo's recovery
 * rules: replay exactly the missed frames when the log still reaches back to
 * the cursor in the same epoch; otherwise one snapshot saying recovered:false.
 */
export type ResumePlan =
  | { mode: "fresh" }
  | { mode: "replay"; after: number }
  | { mode: "snapshot"; reason: "epoch_changed" | "no_epoch" | "future" | "too_far" };

export interface Cursor {
  since?: number;
  epoch?: string;
}

export interface LogWindow {
  epoch: string;
  /** Last committed seq. */
  head: number;
  /** Oldest seq still retained (head + 1 when the log is empty). */
  tail: number;
  /**
   * The most a replay may carry: the retention promise (logMaxEntries). Between two sweeps the
   * log can hold more; a gap beyond this gets a snapshot, which is also cheaper than the replay.
   */
  maxReplay: number;
}

export function planResume(cursor: Cursor, log: LogWindow): ResumePlan {
  if (cursor.since === undefined) return { mode: "fresh" };
  if (cursor.epoch === undefined) return { mode: "snapshot", reason: "no_epoch" };
  if (cursor.epoch !== log.epoch) return { mode: "snapshot", reason: "epoch_changed" };
  if (cursor.since > log.head) return { mode: "snapshot", reason: "future" };
  // Every seq in (since, head] must still be in the log: the first missing one is since + 1.
  if (cursor.since + 1 < log.tail || log.head - cursor.since > log.maxReplay) return { mode: "snapshot", reason: "too_far" };
  return { mode: "replay", after: cursor.since };
}

/** Reads `since`/`epoch` from query parameters; garbage means "no cursor". */
export function parseCursor(params: Readonly<Record<string, string | undefined>>): Cursor {
  const raw = params.since;
  if (raw === undefined || !/^\d{1,15}$/.test(raw)) return {};
  const epoch = params.epoch;
  return { since: Number(raw), ...(epoch ? { epoch } : {}) };
}
