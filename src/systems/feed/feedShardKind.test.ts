import { describe, expect, it } from "vitest";
import type { Actor } from "../../core/kind.ts";
import { testCtx } from "../../core/testCtx.ts";
import { feedShardKind } from "./feedShardKind.ts";

const config = { feed: "main", shard: 1 };
const sub: Actor = { userId: "u1", name: "u1", role: "member", service: false, scopes: [] };
const ctx = (now = 5_000) => testCtx({ actor: sub, now, config, online: [sub] });
const frame = { type: "teams.locked", tournamentId: "t", data: { status: "locked" }, timestamp: "2024-01-01T12:00:10.000Z" };
const delivery = (seq: number, publishedAt = 4_000) => ({ from: "feed:main", body: { type: "event", seq, frame, publishedAt } });

describe("feedShardKind", () => {
  const s0 = feedShardKind.init(config, ctx());

  it("mirrors the root's event at the root's seq, and measures publish-to-shard latency", () => {
    const r = feedShardKind.receive!(s0, delivery(12), ctx());
    expect(r).toMatchObject({ ok: true, emits: [], mirrored: [{ seq: 12, body: frame }], state: { events: 1, lastSeq: 12, lastLatencyMs: 1000, maxLatencyMs: 1000 } });
  });

  it("takes events only from its own feed's root, and only well-formed ones", () => {
    expect(feedShardKind.receive!(s0, { ...delivery(1), from: "feed:other" }, ctx())).toMatchObject({ ok: false, code: "FORBIDDEN" });
    expect(feedShardKind.receive!(s0, { from: "feed:main", body: { type: "event", seq: 0, frame } }, ctx())).toMatchObject({ ok: false, code: "BAD_DELIVERY" });
    expect(feedShardKind.receive!(s0, { from: "feed:main", body: { type: "event", seq: 1, frame: { ...frame, extra: 1 }, publishedAt: 0 } }, ctx())).toMatchObject({ ok: false, code: "BAD_DELIVERY" });
  });

  it("answers ping with pong and anything else with ack, storing nothing (seed 003)", () => {
    const pong = feedShardKind.apply(s0, { type: "ping" }, ctx(Date.UTC(2024, 0, 1)));
    expect(pong).toEqual({ ok: true, state: s0, emits: [], replies: [{ type: "pong", timestamp: "2024-01-01T00:00:00.000Z" }] });
    expect(feedShardKind.apply(s0, { type: "message" }, ctx())).toEqual({ ok: true, state: s0, emits: [], replies: [{ type: "ack", message: "Message received" }] });
  });

  it("has no presence hook: a join never takes a seq that the root did not assign", () => {
    expect(feedShardKind.sockets!.presence).toBeUndefined();
  });

  it("shows its figures", () => {
    expect(feedShardKind.view(s0, sub, ctx())).toEqual({ feed: "main", shard: 1, events: 0, lastSeq: 0, lastLatencyMs: null, maxLatencyMs: 0, subscribers: 1 });
  });
});
