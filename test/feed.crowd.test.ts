import { describe, expect, it } from "vitest";
import { events, metrics, newFeed, publishTo, SEED_EVENTS } from "./feedHelpers.ts";
import { eventually } from "./helpers/objects.ts";
import { connect } from "./helpers/socket.ts";
import { token } from "./helpers/tokens.ts";

describe("feed: crowd placement (issue 24 item 6)", () => {
  it("40 subscribers arriving together at a fresh feed with shardSize 5 all get sockets, and each gets a publish once with one seq", async () => {
    const feed = await newFeed({ shardSize: 5 });
    const tokens = await Promise.all(Array.from({ length: 40 }, (_, i) => token({ sub: `crowd-${i}` })));
    const t0 = Date.now();
    const tries = await Promise.all(tokens.map((t) => connect(`/ws/feed?feed=${feed}&token=${t}`)));
    const refused = await Promise.all(tries.filter((r) => !r.socket).map(async (r) => `${r.response.status} ${await r.response.text()}`));
    expect(refused).toEqual([]);
    const sockets = tries.map((r) => r.socket!);
    for (const s of sockets) expect(await s.next(10_000)).toMatchObject({ type: "snapshot" });
    const placedMs = Date.now() - t0;

    const m = await metrics(feed);
    expect(m.subscribers).toBe(40);
    // Grown for the crowd (doubling at most), not to the cap.
    expect(m.shardCount).toBeGreaterThanOrEqual(8);
    expect(m.shardCount).toBeLessThanOrEqual(16);
    expect(m.shards.every((s) => s.subscribers <= 5)).toBe(true);

    const res = await publishTo(feed, SEED_EVENTS[0]!);
    expect(res.status, JSON.stringify(res.json)).toBe(202);
    const seq = (res.json as { seq: number }).seq;
    for (const s of sockets) {
      expect(await events(s, 1)).toEqual([expect.objectContaining({ type: SEED_EVENTS[0]!.type, seq })]);
      expect((await s.drain()).filter((f) => typeof f.seq === "number")).toEqual([]);
    }
    console.log(`crowd of 40: placed in ${placedMs} ms on ${m.shardCount} shards`);
    for (const s of sockets) s.close();
    // Every shard has seen its sockets go before the test ends (nothing left running at teardown).
    await eventually(async () => expect((await metrics(feed)).subscribers).toBe(0));
  });
});
