/**
 * Test fixtures for the tabletop kind: actors, a deterministic ctx, scripted
 * dice and a deep freeze that turns any mutation of state into a thrown error.
 * Not a test file itself (no .test suffix), imported by the tests beside it.
 */
import type { Actor, KindCtx, ApplyResult, Applied } from "../../core/kind.ts";
import { presence } from "./presence";
import { initTabletopState } from "./state";
import type { TabletopState } from "./state";

export const NOW = Date.UTC(2024, 0, 15, 10, 0, 0);
export const NOW_ISO = "2024-01-15T10:00:00.000Z";

export function actor(userId: string, name = userId): Actor {
  return { userId, name, role: "member", service: false, scopes: [] };
}

export const dm = actor("dm-1", "Dana");
export const alice = actor("u-alice", "Alice");
export const bob = actor("u-bob", "Bob");
export const carol = actor("u-carol", "Carol");
export const mallory = actor("u-mallory", "Mallory");

/** A [0,1) value that makes a `sides`-sided die show `value`. */
export const face = (value: number, sides: number): number => (value - 0.5) / sides;

/** Scripted randomness; running out fails the test instead of silently repeating. */
export function scripted(...values: number[]): () => number {
  let i = 0;
  return () => {
    if (i >= values.length) throw new Error(`random() called ${i + 1} times, only ${values.length} scripted`);
    return values[i++] as number;
  };
}

export const noRandom = (): number => {
  throw new Error("random() must not be called here");
};

export function ctx(
  who: Actor,
  opts: { now?: number; random?: () => number; online?: readonly Actor[]; config?: Record<string, unknown> } = {},
): KindCtx {
  return {
    actor: who,
    connId: null,
    roomId: "session-42",
    now: opts.now ?? NOW,
    random: opts.random ?? noRandom,
    config: opts.config ?? {},
    online: opts.online ?? [],
    head: 0,
    epoch: "e",
  };
}

export function deepFreeze<T>(value: T): T {
  if (typeof value === "object" && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

export function ok<S>(result: ApplyResult<S>): Applied<S> {
  if (!result.ok) throw new Error(`expected success, got ${result.code}: ${result.message}`);
  return result;
}

export function newSession(config: Record<string, unknown> = { campaign_id: "camp-7", dm_user_id: dm.userId }): TabletopState {
  return deepFreeze(initTabletopState(config, { now: NOW, roomId: "session-42" }));
}

/** A session with `who` joined in order (presence join, as the core does on first socket open). */
export function sessionWith(who: readonly Actor[], config?: Record<string, unknown>): TabletopState {
  let state = newSession(config);
  for (const a of who) state = deepFreeze(ok(presence(state, { kind: "join", actor: a, params: {} }, ctx(a))).state);
  return state;
}

/** The expected shape of "no fight running" (combat state and turn), as tests assert it. */
export const NO_FIGHT = { active: false, round: 0, current_turn: 0, participants: [] };
export const NO_TURN = {
  current_character_id: null,
  current_character_name: null,
  current_user_id: null,
  current_turn: null,
  round: 0,
  initiative_order: [],
};
