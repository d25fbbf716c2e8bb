import { hearthError, type HearthError } from "../core/hearthError.ts";
import type { Actor, AnyKind } from "../core/kind.ts";
import type { Attachment } from "./connections.ts";
import { buildCtx } from "./kindCtx.ts";
import { replay } from "./replay.ts";
import type { HostSocket } from "./RoomHost.ts";
import type { JournalRecord, RoomMeta, RoomStore } from "./store/RoomStore.ts";

/** What time travel reads: the journal and the log's ends, the meta and the kind. */
export interface InspectPort {
  store: Pick<RoomStore, "head" | "tail" | "journalCut" | "journal" | "entriesBefore">;
  meta: RoomMeta;
  kind: AnyKind;
}

/** More journal than this is not replayed on one request (retention keeps 1,000 log entries by default). */
export const REPLAY_MAX_INPUTS = 200_000;

/** Operators' view of a room (rooms:admin; the worker checks who asks): nothing here is sent to peers. */

export interface InspectedState {
  ok: true;
  /** The seq asked for, and the room's head now. */
  at: number;
  head: number;
  /** The state at `at` as the asking admin would have seen it (Kind.view), rebuilt by replay ([J1]). */
  state: unknown;
  /** Users online at `at`. */
  online: string[];
  /** Journaled inputs replayed to get there. */
  inputs: number;
}

/**
 * The room's state at seq `at` ([J1]): replayed from the kind's init through
 * the journal. Refused with LOG_TRIMMED (409) once retention cut the journal
 * (the start is gone), with NO_JOURNAL (409) for a room created before the
 * journal existed, and BAD_SEQ (400) outside [0, head].
 */
export function stateAt(port: InspectPort, viewer: Actor, at: number): InspectedState | HearthError {
  const { meta, kind, store } = port;
  const head = store.head();
  if (!Number.isSafeInteger(at) || at < 0 || at > head) return hearthError("BAD_SEQ", `Ask for a seq from 0 to the head (${head}).`, 400, { head });
  if (!meta.journal) return hearthError("NO_JOURNAL", "This room was created before Hearth journaled inputs; it can't be replayed. A reset starts a journal.", 409);
  const cut = store.journalCut();
  if (cut > 0) {
    return hearthError("LOG_TRIMMED", `Retention dropped the start of this room's journal (through seq ${cut}); replay needs all of it. The log still holds entries from seq ${store.tail()}.`, 409, { earliestSeq: store.tail(), cut });
  }
  const records = store.journal(at, REPLAY_MAX_INPUTS + 1);
  if (records.length > REPLAY_MAX_INPUTS) return hearthError("REPLAY_TOO_LONG", `More than ${REPLAY_MAX_INPUTS} inputs to replay.`, 413);
  let replayed;
  try {
    replayed = replay(kind, meta, records, at);
  } catch (err) {
    return hearthError("REPLAY_DIVERGED", `The kind threw while replaying: ${String(err).slice(0, 200)}`, 500);
  }
  if (!replayed.ok) return replayed;
  const last = records.at(-1);
  const ctx = buildCtx({ meta, head: at, online: replayed.online }, viewer, null, last?.at ?? meta.createdAt);
  return { ok: true, at, head, state: kind.view(replayed.state, viewer, ctx), online: replayed.online.map((a) => a.userId), inputs: replayed.inputs };
}

export interface InspectedEntry {
  seq: number;
  at: number;
  /** The frame as sent (parsed). */
  frame: unknown;
  /** Who may see it: null for everyone. */
  to: readonly string[] | null;
  groups?: readonly string[];
}

export interface InspectedLog {
  ok: true;
  head: number;
  /** Oldest seq the log still holds. */
  tail: number;
  /** Newest first, every audience (an operator sees whispers too). */
  entries: InspectedEntry[];
  /** The journaled inputs behind those entries, oldest first. */
  inputs: JournalRecord[];
  next: number | null;
}

/**
 * How far past a page's ends to look for the inputs that logged its entries: one input logs its
 * frames h+1..seq (a roll, its round result and the next turn), so the input behind a page's
 * oldest or newest entry may sit just outside the page. The stores file a record under its first
 * or its last entry; looking this far either way finds it in both.
 */
export const INPUT_REACH = 64;

/** One page of the raw log, newest first, with the inputs that produced it. */
export function logPage(store: InspectPort["store"], before: number | undefined, limit: number): InspectedLog {
  const head = store.head();
  const rows = store.entriesBefore(before ?? head + 1, limit);
  const entries = rows.map((e) => ({ seq: e.seq, at: e.at, frame: JSON.parse(e.frame) as unknown, to: e.to, ...(e.groups ? { groups: e.groups } : {}) }));
  const lo = rows.at(-1)?.seq ?? head + 1;
  const hi = rows[0]?.seq ?? head;
  // Every input whose entries (h+1..seq; none when seq = h) overlap this page's lo..hi.
  const overlaps = (i: JournalRecord) => i.seq >= lo && Math.min(i.h + 1, i.seq) <= hi;
  const inputs = rows.length ? store.journal(hi + INPUT_REACH, REPLAY_MAX_INPUTS, Math.max(0, lo - INPUT_REACH)).filter(overlaps) : [];
  const tail = store.tail();
  return { ok: true, head, tail, entries, inputs, next: rows.length === limit && lo > tail ? lo : null };
}

export interface InspectedConnection {
  connId: string;
  userId: string;
  name: string;
  role: string;
  connectedAt: number;
  params: Record<string, string>;
}

/** The room's open sockets, as their attachments say. */
export function connectionsOf(sockets: { open(): HostSocket[]; attachment(ws: HostSocket): Attachment | null }, limit = 500): { total: number; list: InspectedConnection[] } {
  const open = sockets.open();
  const list: InspectedConnection[] = [];
  for (const ws of open.slice(0, limit)) {
    const att = sockets.attachment(ws);
    if (att) list.push({ connId: att.connId, userId: att.actor.userId, name: att.actor.name, role: att.actor.role, connectedAt: att.connectedAt, params: att.params });
  }
  return { total: open.length, list };
}
