import { describe, expect, it } from "vitest";
import { decideCommand } from "../../core/authorize.ts";
import type { Actor } from "../../core/kind.ts";
import { testCtx } from "../../core/testCtx.ts";
import { feedConfig } from "./feedConfig.ts";
import { feedRootKind, MAX_SHARDS, type FeedRootState } from "./feedRootKind.ts";

const config = feedConfig.parse({ feed: "main", epoch: "ep1", shardSize: 2 });
const svc = (scopes: string[]): Actor => ({ userId: "svc", name: "svc", role: "admin", service: true, scopes });
const ctx = (actor: Actor, now = Date.UTC(2024, 0, 1, 12)) => testCtx({ actor, now, config });
const event = { type: "workflow.started", tournamentId: "t-1", data: { tournamentId: "t-1" } };

describe("feedRootKind", () => {
  const s0 = feedRootKind.init(config, ctx(svc([])));

  it("assigns the next seq, logs the frame at exactly that seq, and sends it to every shard with its creation spec", () => {
    const s: FeedRootState = { seq: 7, shards: [{ from: 0 }, { from: 5 }] };
    const r = feedRootKind.apply(s, { type: "publish", event }, ctx(svc(["events:publish"])));
    if (!r.ok) throw new Error(r.code);
    const frame = { ...event, timestamp: "2024-01-01T12:00:00.000Z" };
    expect(r.state).toEqual({ seq: 8, shards: s.shards });
    // Logged at the next seq (8): the room's head moves with the counter (test/feed.test.ts checks the wire seqs).
    expect(r.emits).toEqual([{ body: frame }]);
    expect(r.effects).toEqual([
      { to: "feed:main:shard:0", body: { type: "event", seq: 8, frame, publishedAt: Date.UTC(2024, 0, 1, 12) }, create: { kind: "feed-shard", config: { feed: "main", shard: 0, limits: { maxConnections: 2, maxConnectionAgeMs: 3_600_000, logMaxEntries: 1000 } }, mirror: { epoch: "ep1" } } },
      { to: "feed:main:shard:1", body: expect.objectContaining({ seq: 8 }), create: expect.objectContaining({ mirror: { epoch: "ep1", head: 5 } }) },
    ]);
  });

  it("refuses a publisher without events:publish", () => {
    expect(decideCommand(feedRootKind, s0, { type: "publish", event }, ctx(svc(["rooms:admin"])))).toMatchObject({ ok: false, code: "SCOPE_REQUIRED", status: 403 });
  });

  it("grows by one shard starting at the current head, once per count seen (a crowd adds one, not many)", () => {
    const s: FeedRootState = { seq: 3, shards: [{ from: 0 }] };
    const grown = feedRootKind.apply(s, { type: "grow", seen: 1 }, ctx(svc(["rooms:admin"])));
    expect(grown).toMatchObject({ ok: true, state: { shards: [{ from: 0 }, { from: 3 }] }, result: { shards: 2 } });
    const stale = feedRootKind.apply(grown.ok ? grown.state : s, { type: "grow", seen: 1 }, ctx(svc(["rooms:admin"])));
    expect(stale).toMatchObject({ ok: true, result: { shards: 2 } });
    expect(stale.ok && stale.state).toBe(grown.ok && grown.state);
  });

  it("grows by `add` shards at once for a crowd, compare-and-set on the count kept, never past the cap", () => {
    const s: FeedRootState = { seq: 5, shards: [{ from: 0 }, { from: 2 }] };
    const grown = feedRootKind.apply(s, { type: "grow", seen: 2, add: 2 }, ctx(svc(["rooms:admin"])));
    expect(grown).toMatchObject({ ok: true, state: { shards: [{ from: 0 }, { from: 2 }, { from: 5 }, { from: 5 }] }, result: { shards: 4 } });
    const stale = feedRootKind.apply(grown.ok ? grown.state : s, { type: "grow", seen: 2, add: 4 }, ctx(svc(["rooms:admin"])));
    expect(stale).toMatchObject({ ok: true, result: { shards: 4 } });
    const near: FeedRootState = { seq: 0, shards: Array.from({ length: MAX_SHARDS - 1 }, () => ({ from: 0 })) };
    expect(feedRootKind.apply(near, { type: "grow", seen: MAX_SHARDS - 1, add: 8 }, ctx(svc(["rooms:admin"])))).toMatchObject({ ok: true, result: { shards: MAX_SHARDS } });
  });

  it("lets only Hearth's worker grow a feed, and never past its cap", () => {
    expect(decideCommand(feedRootKind, s0, { type: "grow", seen: 0 }, ctx(svc(["events:publish"])))).toMatchObject({ ok: false, code: "FORBIDDEN" });
    const full: FeedRootState = { seq: 0, shards: Array.from({ length: MAX_SHARDS }, () => ({ from: 0 })) };
    expect(feedRootKind.apply(full, { type: "grow", seen: MAX_SHARDS }, ctx(svc(["rooms:admin"])))).toMatchObject({ ok: false, code: "FEED_FULL", status: 503 });
  });

  it("shows its head, shards and config", () => {
    const view = feedRootKind.view({ seq: 2, shards: [{ from: 1 }] }, svc([]), ctx(svc([])));
    expect(view).toEqual({ feed: "main", head: 2, shards: [{ shard: 0, from: 1 }], config });
  });
});
