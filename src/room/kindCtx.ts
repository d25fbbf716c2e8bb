import type { Actor, KindCtx } from "../core/kind.ts";
import { seededRandom } from "./seededRandom.ts";
import type { RoomMeta } from "./store/RoomStore.ts";

/** What a kind context is made of: the room's fixed facts, the head the input found, who is online. */
export interface CtxFacts {
  meta: Pick<RoomMeta, "roomId" | "seed" | "config" | "epoch">;
  /** The head before the input: ctx.random is seeded with head + 1 (the seq it will be logged at). */
  head: number;
  online: readonly Actor[];
  /** [S8] KindCtx.holds: only a room hosted in a gateway has it (replay and the inspector don't). */
  holds?: (connId: string) => boolean;
}

/**
 * The one builder of the context every kind hook gets, used by the pipeline,
 * creation, replay (time travel) and the inspector alike, so they can't
 * disagree. `random` is seeded by the room's seed and the seq the input will
 * be logged at, so a replay rolls the same dice.
 */
export function buildCtx(facts: CtxFacts, actor: Actor, connId: string | null, now: number): KindCtx {
  const { meta } = facts;
  const ctx: KindCtx = { actor, connId, roomId: meta.roomId, now, random: seededRandom(meta.seed, facts.head + 1), config: meta.config, online: facts.online, head: Math.max(facts.head, 0), epoch: meta.epoch };
  if (facts.holds) ctx.holds = facts.holds;
  return ctx;
}

/** The core acting at creation, before anyone is in the room. */
export const creator = (userId: string): Actor => ({ userId, name: userId, role: "admin", service: true, scopes: [] });

/** The context `init` runs with (at creation or a reset): replay starts from the same. */
export function initCtx(meta: CtxFacts["meta"], now: number, by: string): KindCtx {
  return buildCtx({ meta, head: -1, online: [] }, creator(by), null, now);
}

/** The core itself acting: timers that fire. */
export const TIMER_ACTOR: Actor = { userId: "hearth:timer", name: "Hearth", role: "system", service: true, scopes: [] };

/** Another object acting through its outbox. */
export const objectActor = (name: string): Actor => ({ userId: name, name, role: "object", service: true, scopes: [] });
