import type { Applied } from "../../core/kind.ts";
import { DEDUP_TTL_MS, TRIM_EVERY_SEQS } from "../limits.ts";
import type { Outcome } from "../rpc.ts";
import type { LogEntry } from "../store/RoomStore.ts";
import type { RoomContext } from "../roomContext.ts";
import type { DedupRecord } from "./dedup.ts";
import type { Input } from "./input.ts";
import { journalRecord } from "./journal.ts";

export interface Committed {
  /** The head after this commit: the seq of the input's last logged frame. */
  seq: number;
  /** One encoded frame per emit, in order (null: a mirrored frame this room already had). */
  frames: (string | null)[];
  /** HTTP: the answer, as stored with the Idempotency-Key. */
  response?: Outcome;
}

/**
 * Stage 6: one transaction holds the new state, its log entries, the dedup
 * record of stage 4, the kind's timer and its messages to other objects. A
 * logged frame is encoded once, here: the same text is stored and sent, so a
 * replay re-sends stored text. Nothing is written when nothing changed.
 * An input that moved the state or presence is journaled with it ([J1]): it
 * rides on its first log row, so time travel costs no extra row for an input
 * that broadcasts.
 */
export function commit(rc: RoomContext, input: Input, command: unknown, result: Applied<unknown>, record: DedupRecord, now: number): Committed {
  const { codec, meta } = rc.l;
  const h = rc.store.head();
  let seq = h;
  const entries: LogEntry[] = [];
  const frames: (string | null)[] = [];
  for (const emit of result.emits) {
    if (emit.log === false) {
      frames.push(codec.encode(emit.body));
      continue;
    }
    if (emit.seq !== undefined && emit.seq <= seq) {
      frames.push(null);
      continue;
    }
    seq = emit.seq ?? seq + 1;
    const frame = codec.encode(emit.body, { seq, epoch: meta.epoch });
    entries.push({ seq, at: now, frame, to: emit.to ?? null, ...(emit.groups?.length ? { groups: emit.groups } : {}) });
    frames.push(frame);
  }
  const response = input.source === "http" ? input.answer(seq, result.result ?? null, result.state) : undefined;
  // A due timer is used up by the wake-up that ran it, unless the kind asks again.
  const wakeAt = record.consumesTimer ? (result.wakeAt ?? null) : result.wakeAt;
  const effects = result.effects ?? [];
  const changed =
    result.state !== rc.state ||
    entries.length > 0 ||
    effects.length > 0 ||
    wakeAt !== undefined ||
    !!(record.commandId || record.idempotency || record.inbox || record.presence);
  if (changed) {
    rc.store.commit({
      // The same object is the same state (kinds never mutate it): no rewrite of a state that can be large ([P9]).
      ...(result.state !== rc.state ? { state: result.state } : {}),
      entries,
      ...(record.commandId ? { commandId: { ...record.commandId, seq } } : {}),
      ...(record.idempotency ? { idempotency: { ...record.idempotency, response: JSON.stringify(response), at: now } } : {}),
      ...(record.inbox ? { inbox: record.inbox } : {}),
      ...(record.presence ? { presence: record.presence } : {}),
      ...(wakeAt === undefined ? {} : { wakeAt }),
      ...(effects.length ? { outbox: effects.map((e) => ({ to: e.to, body: e.body, ...(e.create ? { create: e.create } : {}), at: now })) } : {}),
      // Only what moved the state (or who is here, which kinds read as ctx.online) is needed to rebuild it.
      ...(result.state !== rc.state || record.presence ? { journal: journalRecord(input, command, h, seq, now) } : {}),
    });
    rc.state = result.state;
  }
  if (record.presence) rc.presence.committed(record.presence);
  // Retention holds whatever the traffic, not only while a sweep runs (HTTP-only rooms too).
  if (seq - rc.trimmedAt >= TRIM_EVERY_SEQS) {
    rc.store.trim({ now, maxEntries: rc.l.limits.logMaxEntries, maxAgeMs: rc.l.limits.logMaxAgeMs, dedupTtlMs: DEDUP_TTL_MS });
    rc.trimmedAt = seq;
  }
  return { seq, frames, ...(response ? { response } : {}) };
}
