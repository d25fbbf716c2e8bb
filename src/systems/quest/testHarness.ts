/**
 * Test-only helpers for the quest kind (imported by *.test.ts, never by the kind).
 * A QuestSession drives the kind the way the core does: parse with the
 * command schema, apply, keep the new state only when accepted. Every hook
 * gets a KindCtx whose `config` is the session's validated config (the
 * definition lives there, not in state). Every input state, and the config,
 * is deep-frozen first, so any mutation by apply() throws.
 */
import { expect } from "vitest";
import { decideCommand } from "../../core/authorize.ts";
import { testCtx } from "../../core/testCtx.ts";
import harborWalk from "../../../examples/quests/harbor-walk.json";
import type { Actor, Applied, KindCtx, ApplyResult, Emit, Rejection } from "../../core/kind.ts";
import type { QuestDelta } from "./deltas";
import { questKind } from "./questKind";
import type { QuestConfig } from "./schema";
import type { QuestState } from "./state";

export { harborWalk };

export const ROOM = "7TCJEM";
/** 2025-12-30T12:00:00.000Z, the seed's example day. */
export const T0 = Date.UTC(2025, 11, 30, 12, 0, 0);

export const player = (userId: string, name: string): Actor => ({ userId, name, role: "player", service: false, scopes: [] });
export const ana = player("p-ana", "Ana");
export const ben = player("p-ben", "Ben");
export const cai = player("p-cai", "Cai");
export const stranger = player("p-eve", "Eve");
/** The worker registering team members. */
export const admin: Actor = { userId: "service:worker", name: "worker", role: "admin", service: true, scopes: ["rooms:admin"] };
/** A backend (e.g. a geofence service) publishing runtime events for players. */
export const publisher: Actor = { userId: "service:geo", name: "geo", role: "service", service: true, scopes: ["events:publish"] };

/** The lighthouse of harbor-walk (object1) and a point ~1.1 km away. */
export const AT_LIGHTHOUSE = { lat: 59.9139, lng: 10.7522 };
export const FAR_AWAY = { lat: 59.9239, lng: 10.7522 };

export function deepFreeze<T>(value: T): T {
  if (typeof value === "object" && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

export function ctxFor(actor: Actor, now: number, config: Readonly<Record<string, unknown>>, roomId = ROOM): KindCtx {
  return { actor, connId: null, roomId, now, random: () => 0.5, config, online: [], head: 0, epoch: "e" };
}

export interface SessionOptions {
  definition?: unknown;
  mode?: "solo" | "team";
  /** Registered through REGISTER_PLAYER by `admin`, in order. */
  players?: readonly Actor[];
}

export class QuestSession {
  state: QuestState;
  /** The room's validated creation config, as the core hands it to every hook in ctx.config. */
  readonly config: QuestConfig;
  now = T0;

  constructor(opts: SessionOptions = {}) {
    const definition = (opts.definition ?? harborWalk) as { questId: string };
    this.config = deepFreeze(questKind.config!.parse({ questId: definition.questId, definition, mode: opts.mode ?? "team" }) as QuestConfig);
    this.state = deepFreeze(questKind.init(this.config, testCtx({ now: this.now, roomId: ROOM, config: this.config })));
    for (const p of opts.players ?? [ana, ben, cai]) this.ok(admin, { type: "REGISTER_PLAYER", playerId: p.userId, playerName: p.name });
  }

  /** The context the core would pass for `actor` now. */
  ctx(actor: Actor): KindCtx {
    return ctxFor(actor, this.now, this.config);
  }

  tick(ms: number): this {
    this.now += ms;
    return this;
  }

  /** Parses like the core does, authorizes and applies; keeps the new state if accepted. */
  send(actor: Actor, raw: unknown): ApplyResult<QuestState> {
    const command = questKind.command.parse(raw);
    const result = decideCommand(questKind, this.state, command, this.ctx(actor));
    if (result.ok) this.state = deepFreeze(result.state);
    return result;
  }

  /** Expects acceptance with exactly one logged runtime_delta emit; returns its deltas. */
  ok(actor: Actor, raw: unknown): QuestDelta[] {
    const result = this.send(actor, raw);
    if (!result.ok) throw new Error(`expected acceptance, got ${result.code}: ${result.message}`);
    const deltas = (result.result as { deltas: QuestDelta[] }).deltas;
    if (deltas.length === 0) {
      expect(result.emits).toEqual([]);
      return deltas;
    }
    expect(result.emits).toEqual([{ body: { type: "runtime_delta", sessionId: ROOM, deltas } }]);
    return deltas;
  }

  /** Accepted, whatever it emits. */
  accepted(actor: Actor, raw: unknown): Applied<QuestState> {
    const result = this.send(actor, raw);
    if (!result.ok) throw new Error(`expected acceptance, got ${result.code}: ${result.message}`);
    return result;
  }

  /** Expects a rejection with this code and status that leaves the state untouched. */
  rejected(actor: Actor, raw: unknown, code: string, status: number): Rejection {
    const before = this.state;
    const json = JSON.stringify(before);
    const result = this.send(actor, raw);
    if (result.ok) throw new Error(`expected ${code}, but it was accepted`);
    expect({ code: result.code, status: result.status }).toEqual({ code, status });
    expect(this.state).toBe(before);
    expect(JSON.stringify(this.state)).toBe(json);
    return result;
  }

  presence(kind: "join" | "leave", actor: Actor): Applied<QuestState> {
    const result = questKind.sockets!.presence!(this.state, { kind, actor, params: {} }, this.ctx(actor));
    if (!result.ok) throw new Error(`presence rejected: ${result.code}`);
    this.state = deepFreeze(result.state);
    return result;
  }
}

/** The delta types in order, the usual thing a test asserts about a step. */
export const types = (deltas: readonly QuestDelta[]) => deltas.map((d) => d.type);

/** Only the emits' bodies. */
export const bodies = (emits: readonly Emit[]) => emits.map((e) => e.body);
