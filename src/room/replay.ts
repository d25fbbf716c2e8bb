import { hearthError, type HearthError } from "../core/hearthError.ts";
import type { Actor, AnyKind } from "../core/kind.ts";
import { dispatch } from "./dispatch.ts";
import { buildCtx, initCtx } from "./kindCtx.ts";
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
 * kind's `init` and the journal, through the one dispatch and the one context
 * builder the pipeline uses (dispatch.ts, kindCtx.ts), with the same facts
 * (actor, connection, time, the seed at the head the input found, who was
 * online). A kind is pure, so this equals the state the room had then; the
 * inspector's test holds it to that. An input the kind refuses on replay
 * proves it isn't (REPLAY_DIVERGED).
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
      if ((rec.body as { kind: string }).kind === "join") online.set(rec.actor.userId, rec.actor);
      else online.delete(rec.actor.userId);
    }
    const ctx = buildCtx({ meta, head: rec.h, online: [...online.values()] }, rec.actor, rec.conn, rec.at);
    // A refused presence change keeps the state in both places (dispatch.ts).
    const result = dispatch(kind, state, rec, ctx);
    inputs++;
    if (!result.ok) {
      return hearthError("REPLAY_DIVERGED", `Replaying the input at seq ${rec.seq} (${rec.source}) was refused with ${result.code}: the kind is not deterministic.`, 500, { seq: rec.seq, code: result.code });
    }
    state = result.state;
  }
  return { ok: true, state, online: [...online.values()], inputs };
}
