import { hearthError, type HearthError } from "../core/hearthError.ts";
import type { Actor, AnyKind, ApplyResult, KindCtx, PresenceChange } from "../core/kind.ts";
import { initCtx } from "./lifecycle.ts";
import { seededRandom } from "./seededRandom.ts";
import type { JournalRecord, RoomMeta } from "./store/RoomStore.ts";

export interface Replayed {
  ok: true;
  /** The kind's state after every journaled input up to `at`. */
  state: unknown;
  /** Who was online then (ctx.online as the kind saw it). */
  online: Actor[];
  /** Inputs applied. */
  inputs: number;
}

/**
 * Time travel ([J1]): the state at any seq, rebuilt from nothing but the
 * kind's `init` and the journal, through the same pure hooks the pipeline
 * calls, with the same context (actor, connection, time, the seed at the
 * head the input found, who was online). A kind is pure, so this equals the
 * state the room had then; the inspector's test holds it to that. An input
 * the kind refuses on replay proves it isn't (REPLAY_DIVERGED).
 *
 * `records` must be the whole journal since creation or the last reset, in
 * commit order (RoomStore.journal); the caller checks nothing was cut.
 */
export function replay(kind: AnyKind, meta: RoomMeta, records: readonly JournalRecord[], at: number): Replayed | HearthError {
  let state = kind.init(meta.config, initCtx(meta, meta.resetAt ?? meta.createdAt, meta.resetBy ?? meta.createdBy));
  const online = new Map<string, Actor>();
  let inputs = 0;
  for (const rec of records) {
    if (rec.seq > at) break;
    if (rec.source === "presence") {
      // The pipeline updates who is online before the presence hook runs.
      const change = rec.body as Omit<PresenceChange, "actor">;
      if (change.kind === "join") online.set(rec.actor.userId, rec.actor);
      else online.delete(rec.actor.userId);
    }
    const ctx: KindCtx = { actor: rec.actor, connId: rec.conn, roomId: meta.roomId, now: rec.at, random: seededRandom(meta.seed, rec.h + 1), config: meta.config, online: [...online.values()] };
    const result = step(kind, state, rec, ctx);
    inputs++;
    if (result.ok) state = result.state;
    // The pipeline keeps the state when a presence hook refuses (presence is a fact); so does replay.
    else if (rec.source !== "presence") {
      return hearthError("REPLAY_DIVERGED", `Replaying the input at seq ${rec.seq} (${rec.source}) was refused with ${result.code}: the kind is not deterministic.`, 500, { seq: rec.seq, code: result.code });
    }
  }
  return { ok: true, state, online: [...online.values()], inputs };
}

function step(kind: AnyKind, state: unknown, rec: JournalRecord, ctx: KindCtx): ApplyResult<unknown> {
  switch (rec.source) {
    case "socket":
    case "http":
      return kind.apply(state, rec.body, ctx);
    case "timer":
      return kind.wake ? kind.wake(state, ctx) : { ok: true, state, emits: [] };
    case "object":
      return kind.receive!(state, rec.body as { from: string; body: Record<string, unknown> }, ctx);
    case "presence": {
      const change = rec.body as Omit<PresenceChange, "actor">;
      return kind.presence ? kind.presence(state, { ...change, actor: rec.actor }, ctx) : { ok: true, state, emits: [] };
    }
  }
}
