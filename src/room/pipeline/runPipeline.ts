import type { Applied } from "../../core/kind.ts";
import type { HearthError } from "../../core/hearthError.ts";
import type { RoomContext } from "../roomContext.ts";
import type { Outcome } from "../rpc.ts";
import { apply } from "./apply.ts";
import { commit } from "./commit.ts";
import { decode } from "./decode.ts";
import { dedup } from "./dedup.ts";
import { fanOut } from "./fanOut.ts";
import type { Input, Stage } from "./input.ts";
import { checkLimits } from "./limits.ts";
import { validate } from "./validate.ts";

export type Verdict =
  /** Refused at `stage`; nothing was written. `abuse`: the socket used up its warnings. */
  | { ok: false; stage: Stage; error: HearthError; id?: string; abuse?: boolean }
  /** Applied before (same command id, Idempotency-Key, sender seq): acknowledged, not applied again. */
  | { ok: true; duplicate: true; seq: number; id?: string; response?: string }
  | { ok: true; duplicate: false; seq: number; applied: Applied<unknown>; id?: string; response?: Outcome };

/**
 * The one path every input takes, in one fixed order (docs/spec.md [P1]):
 *
 *   limits -> decode -> validate -> dedup -> apply -> commit -> fan-out
 *
 * Each stage is a file of this folder. A refusal at any stage writes nothing
 * and says which stage refused; after commit, frames go out and messages to
 * other objects leave through the outbox.
 */
export function runPipeline(rc: RoomContext, input: Input, now = rc.now()): Verdict {
  const limited = checkLimits(rc, input, now);
  if (limited) return { ok: false, stage: "limits", error: limited, ...(limited.abuse ? { abuse: true } : {}) };

  const decoded = decode(rc, input);
  if (!decoded.ok) return { ok: false, stage: "decode", error: decoded };
  const id = decoded.id;
  const withId = id === undefined ? {} : { id };

  const valid = validate(rc, input, decoded.command);
  if (!valid.ok) return { ok: false, stage: "validate", error: valid, ...withId };

  const seen = dedup(rc, input, id, now);
  if ("ok" in seen) return { ok: false, stage: "dedup", error: seen, ...withId };
  if (!seen.fresh) return { ok: true, duplicate: true, seq: seen.seq, ...withId, ...(seen.response ? { response: seen.response } : {}) };

  const result = apply(rc, input, valid.command, now);
  if (!result.ok) return { ok: false, stage: "apply", error: result, ...withId };

  const done = commit(rc, input, valid.command, result, seen.record, now);
  const sent = fanOut(rc, result.emits, done.frames, input.source === "socket" ? input.ws : undefined, input.source === "presence" ? input.exclude : undefined);
  // Latency from arrival (the worker's clock for HTTP, the room's for frames) to the last send ([M2]).
  if (result.emits.length > 0 && (input.source === "socket" || input.source === "http")) {
    rc.metrics.broadcast(rc.now() - (input.source === "http" ? (input.opts.receivedAt ?? now) : now), sent);
  }
  if (result.effects?.length) rc.outbox.kick();
  if (typeof result.wakeAt === "number") void rc.alarm.ensure(result.wakeAt);
  return { ok: true, duplicate: false, seq: done.seq, applied: result, ...withId, ...(done.response ? { response: done.response } : {}) };
}
