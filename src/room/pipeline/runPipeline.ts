import type { Answer, Applied, CommandAuth, Follow } from "../../core/kind.ts";
import type { HearthError } from "../../core/hearthError.ts";
import type { Codec } from "../../protocol/codec.ts";
import type { DeliveryAck } from "../RoomHost.ts";
import type { Outcome } from "../rpc.ts";
import { apply, type ApplyPort } from "./apply.ts";
import { authorize } from "./authorize.ts";
import { commit, type CommitPort } from "./commit.ts";
import { decode } from "./decode.ts";
import { dedup, type DedupPort } from "./dedup.ts";
import { fanOut, type FanOutPort } from "./fanOut.ts";
import type { Input, Stage } from "./input.ts";
import { checkLimits, type LimitsPort } from "./limits.ts";
import { validate, type ValidatePort } from "./validate.ts";

export type Verdict =
  /** Refused at `stage`; nothing was written. `abuse`: the socket used up its warnings. */
  | { ok: false; stage: Stage; error: HearthError; id?: string; abuse?: boolean }
  /** Applied before (same command id, Idempotency-Key, sender seq): acknowledged, not applied again. */
  | { ok: true; duplicate: true; seq: number; id?: string; response?: Outcome & { ok: true } }
  | { ok: true; duplicate: false; seq: number; applied: Applied<unknown>; id?: string; response?: Outcome };

/** A receiver's verdict as the sender's outbox reads it: refusals are final (a retry would be refused again). */
export function deliveryAck(verdict: Verdict): DeliveryAck {
  if (verdict.ok) return { ok: true, duplicate: verdict.duplicate };
  return { ok: false, retry: false, code: verdict.error.code, message: verdict.error.message };
}

/** What happens after a commit, outside the pipeline's own stages. */
export interface AfterCommit {
  /** One input's broadcast reached `recipients` sockets `latencyMs` after it arrived ([M2]). */
  broadcast(latencyMs: number, recipients: number): void;
  /** Messages to other objects were committed: deliver them. */
  effects(): void;
  /** The kind asked to be woken at `at`. */
  wakeAt(at: number): void;
  /** The kind settled commands it had accepted as pending: ack or error to each one's socket ([P14]). */
  answers(answers: readonly Answer[], seq: number): void;
  /** [S6] Sockets that start following another stream (Applied.follows). */
  follows(follows: readonly Follow[]): void;
}

/** Every stage's port, and nothing else: the pipeline reaches no further. Room.ts wires them. */
export interface PipelinePorts {
  now(): number;
  limits: LimitsPort;
  codec: Pick<Codec, "decode">;
  validate: ValidatePort;
  authorize: CommandAuth | undefined;
  dedup: DedupPort;
  apply: ApplyPort;
  commit: CommitPort;
  fanOut: FanOutPort;
  after: AfterCommit;
}

/**
 * The one path every input takes, in one fixed order (docs/spec.md [P1]):
 *
 *   limits -> decode -> validate -> authorize -> dedup -> apply -> commit -> fan-out
 *
 * Each stage is a file of this folder and gets only its own port. A refusal
 * at any stage writes nothing and says which stage refused; after commit,
 * frames go out through the outlet and messages to other objects leave
 * through the outbox.
 */
export function runPipeline(p: PipelinePorts, input: Input, now = p.now()): Verdict {
  const limited = checkLimits(p.limits, input, now);
  if (limited) return { ok: false, stage: "limits", error: limited, ...(limited.abuse ? { abuse: true } : {}) };

  const decoded = decode(p.codec, input);
  if (!decoded.ok) return { ok: false, stage: "decode", error: decoded };
  const id = decoded.id;
  const withId = id === undefined ? {} : { id };

  const valid = validate(p.validate, input, decoded.command);
  if (!valid.ok) return { ok: false, stage: "validate", error: valid, ...withId };

  const denied = authorize(p.authorize, input, valid.command);
  if (denied) return { ok: false, stage: "authorize", error: denied, ...withId };

  const seen = dedup(p.dedup, input, id, now);
  if ("ok" in seen) return { ok: false, stage: "dedup", error: seen, ...withId };
  if (!seen.fresh) return { ok: true, duplicate: true, seq: seen.seq, ...withId, ...(seen.response ? { response: seen.response } : {}) };

  const result = apply(p.apply, input, valid.command, now, id);
  if (!result.ok) return { ok: false, stage: "apply", error: result, ...withId };

  const done = commit(p.commit, input, valid.command, result, seen.record, now);
  const sent = fanOut(p.fanOut, done.out, input.source === "socket" ? input.ws : undefined, input.source === "presence" ? input.exclude : undefined);
  // Latency from arrival (the worker's clock for HTTP, the room's for frames) to the last send ([M2]).
  if (result.emits.length > 0 && (input.source === "socket" || input.source === "http")) {
    p.after.broadcast(p.now() - (input.source === "http" ? (input.opts.receivedAt ?? now) : now), sent);
  }
  if (result.effects?.length) p.after.effects();
  if (typeof result.wakeAt === "number") p.after.wakeAt(result.wakeAt);
  if (result.answers?.length) p.after.answers(result.answers, done.seq);
  if (result.follows?.length) p.after.follows(result.follows);
  return { ok: true, duplicate: false, seq: done.seq, applied: result, ...withId, ...(done.response ? { response: done.response } : {}) };
}
