import { describe, expect, it } from "vitest";
import { decideCommand } from "../../core/authorize.ts";
import type { Actor } from "../../core/kind.ts";
import { testCtx } from "../../core/testCtx.ts";
import { feedConfig, feedLimits, MAX_OBJECTS, MAX_SUBSCRIBERS } from "./feedConfig.ts";
import { feedKind } from "./feedKind.ts";
import { roomLimitsOverride, MAX_SPREAD_CONNECTIONS } from "../../room/limits.ts";

const config = feedConfig.parse({ feed: "main", shardSize: 2 });
const svc = (scopes: string[]): Actor => ({ userId: "svc", name: "svc", role: "admin", service: true, scopes });
const sub: Actor = { userId: "u1", name: "u1", role: "member", service: false, scopes: [] };
const ctx = (actor: Actor, now = Date.UTC(2024, 0, 1, 12)) => testCtx({ actor, now, config, online: [sub] });
const event = { type: "workflow.started", tournamentId: "t-1", data: { tournamentId: "t-1" } };

describe("feedKind", () => {
  const s0 = feedKind.init(config, ctx(svc([])));

  it("logs a publish at the next seq with its timestamp set once, and nothing else", () => {
    const r = feedKind.apply({ seq: 7 }, { type: "publish", event }, ctx(svc(["events:publish"])));
    expect(r).toEqual({ ok: true, state: { seq: 8 }, emits: [{ body: { ...event, timestamp: "2024-01-01T12:00:00.000Z" } }] });
  });

  it("refuses a publisher without events:publish", () => {
    expect(decideCommand(feedKind, s0, { type: "publish", event }, ctx(svc(["rooms:admin"])))).toMatchObject({ ok: false, code: "SCOPE_REQUIRED", status: 403 });
  });

  it("answers ping with pong and anything else with ack, storing nothing (seed 003)", () => {
    expect(feedKind.apply(s0, { type: "ping" }, ctx(sub, Date.UTC(2024, 0, 1)))).toEqual({ ok: true, state: s0, emits: [], replies: [{ type: "pong", timestamp: "2024-01-01T00:00:00.000Z" }] });
    expect(feedKind.apply(s0, { type: "message" }, ctx(sub))).toEqual({ ok: true, state: s0, emits: [], replies: [{ type: "ack", message: "Message received" }] });
  });

  it("holds sockets with no presence hook (a join takes no seq), no idle timeout and seed 003's TTL", () => {
    expect(feedKind.sockets).toBeDefined();
    expect(feedKind.sockets!.presence).toBeUndefined();
    expect(feedKind.limits).toEqual({ idleTimeoutMs: null, maxConnectionAgeMs: 3_600_000 });
  });

  it("spreads its sockets shardSize per object, up to MAX_OBJECTS objects' worth within what a spread room may hold", () => {
    expect(feedLimits(config)).toEqual({ socketsPerObject: 2, maxConnections: 2 * MAX_OBJECTS, maxConnectionAgeMs: 3_600_000, logMaxEntries: 1000 });
    const big = feedLimits(feedConfig.parse({ feed: "main" }));
    expect(MAX_SUBSCRIBERS).toBe(MAX_SPREAD_CONNECTIONS);
    expect(big).toMatchObject({ socketsPerObject: 5000, maxConnections: MAX_SPREAD_CONNECTIONS });
    // Valid room limits, past one object's 32,000 only because socketsPerObject is beside it.
    expect(roomLimitsOverride.safeParse(big).success).toBe(true);
    expect(roomLimitsOverride.safeParse({ maxConnections: big.maxConnections }).success).toBe(false);
    expect(feedConfig.safeParse({ feed: "main", shardSize: 1 }).success).toBe(false);
  });

  it("shows its head and distinct subscribers", () => {
    expect(feedKind.view({ seq: 2 }, svc([]), ctx(svc([])))).toEqual({ feed: "main", head: 2, subscribers: 1 });
  });
});
