import type { Applied, Emit } from "../../core/kind.ts";
import type { Codec } from "../../protocol/codec.ts";
import type { Receivers } from "../hosted/receivers.ts";
import type { Retention } from "../retention.ts";
import type { Outcome } from "../rpc.ts";
import type { LogEntry, RoomStore } from "../store/RoomStore.ts";
import type { DedupRecord } from "./dedup.ts";
import type { Input } from "./input.ts";
import { journalRecord } from "./journal.ts";

/** The room's committed state: read by every stage, written only here. */
export interface StateCell {
  get(): unknown;
  set(state: unknown): void;
}

/** What stage 7 uses: the store's transaction, the encoder, the state, and what follows a commit. */
export interface CommitPort {
  store: Pick<RoomStore, "head" | "commit">;
  codec: Pick<Codec, "encode">;
  epoch: string;
  state: StateCell;
  /** The presence set, mirrored in memory once the change is durable. */
  presence: { committed(change: { add?: readonly string[]; remove?: readonly string[] }): void };
  retention: Pick<Retention, "committed">;
  /** [S8] Where each effect goes (its name, or the address of the object hosting it). */
  receivers: Pick<Receivers, "addressOf">;
}

/** One frame for fan-out: the text (encoded once) and who may get it. */
export interface Outgoing {
  frame: string;
  audience: Emit;
}

export interface Committed {
  /** The head after this commit: the seq of the input's last logged frame. */
  seq: number;
  /** What goes out, in the emits' order. */
  out: Outgoing[];
  /** HTTP: the answer, as stored with the Idempotency-Key. */
  response?: Outcome;
}

/**
 * Stage 7: one transaction holds the new state, its log entries, the dedup
 * record of stage 5, the kind's timer and its messages to other objects. A
 * logged frame is encoded once, here: the same text is stored and sent, so a
 * replay re-sends stored text. Nothing is written when nothing changed.
 * An input that moved the state or presence, or logged a frame, is journaled
 * with it ([J1]): it rides on its first log row, so time travel costs no extra
 * row for an input that broadcasts, and the inspector can show the input
 * behind every logged frame (a chat line moves no state but is still one).
 */
export function commit(port: CommitPort, input: Input, command: unknown, result: Applied<unknown>, record: DedupRecord, now: number): Committed {
  const { codec, epoch, store } = port;
  const before = port.state.get();
  const h = store.head();
  let seq = h;
  const entries: LogEntry[] = [];
  const out: Outgoing[] = [];
  for (const emit of result.emits) {
    if (emit.log === false) {
      out.push({ frame: codec.encode(emit.body), audience: emit });
      continue;
    }
    seq += 1;
    const frame = codec.encode(emit.body, { seq, epoch });
    entries.push({ seq, at: now, frame, to: emit.to ?? null, ...(emit.groups?.length ? { groups: emit.groups } : {}) });
    out.push({ frame, audience: emit });
  }
  const response = input.source === "http" ? input.answer(seq, result.result ?? null, result.state) : undefined;
  // A due timer is used up by the wake-up that ran it, unless the kind asks again.
  const wakeAt = record.consumesTimer ? (result.wakeAt ?? null) : result.wakeAt;
  const effects = result.effects ?? [];
  const sender = input.source === "socket" ? input.ws : null;
  const moved = result.state !== before;
  const changed = moved || entries.length > 0 || effects.length > 0 || wakeAt !== undefined || !!(record.commandId || record.idempotency || record.inbox || record.presence);
  if (changed) {
    store.commit({
      // The same object is the same state (kinds never mutate it): no rewrite of a state that can be large ([P9]).
      ...(moved ? { state: result.state } : {}),
      entries,
      ...(record.commandId ? { commandId: { ...record.commandId, seq } } : {}),
      ...(record.idempotency ? { idempotency: { ...record.idempotency, response: JSON.stringify(response), at: now } } : {}),
      ...(record.inbox ? { inbox: record.inbox } : {}),
      ...(record.presence ? { presence: record.presence } : {}),
      ...(wakeAt === undefined ? {} : { wakeAt }),
      ...(effects.length ? { outbox: effects.map((e) => ({ to: port.receivers.addressOf(e, sender), body: e.body, ...(e.create ? { create: e.create } : {}), at: now })) } : {}),
      // Replay needs what moved the state (or who is here, which kinds read as ctx.online); an input
      // that only logged frames replays to the same state and is kept so the log shows its cause.
      ...(moved || record.presence || entries.length > 0 ? { journal: journalRecord(input, command, h, seq, now) } : {}),
    });
    port.state.set(result.state);
  }
  if (record.presence) port.presence.committed(record.presence);
  port.retention.committed(seq, now);
  return { seq, out, ...(response ? { response } : {}) };
}
