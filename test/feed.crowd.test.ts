import { describe, expect, it } from "vitest";
import { allClosed, events, metrics, newFeed, publishTo, SEED_EVENTS } from "./feedHelpers.ts";
import { connect } from "./helpers/socket.ts";
import { token } from "./helpers/tokens.ts";

describe("feed: crowd placement (issue 24 item 6, on streams: issue 22)", () => {
  it("40 subscribers arriving together at a fresh feed with shardSize 5 all get sockets, on 8 objects none overfilled, and each gets a publish once with one seq", async () => {
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
    expect(m).toMatchObject({ subscribers: 40, sockets: 40 });
    // The feed's room counts placements on their way ([S5]): the crowd fills 8 objects of 5, no more.
    expect(m.spread.objects).toBe(8);
    expect(m.spread.gateways).toHaveLength(7);
    for (const g of m.spread.gateways) expect(g.sockets).toBe(5);

    const res = await publishTo(feed, SEED_EVENTS[0]!);
    expect(res.status, JSON.stringify(res.json)).toBe(202);
    const seq = (res.json as { seq: number }).seq;
    for (const s of sockets) {
      expect(await events(s, 1)).toEqual([expect.objectContaining({ type: SEED_EVENTS[0]!.type, seq })]);
      expect((await s.drain()).filter((f) => typeof f.seq === "number")).toEqual([]);
    }
    console.log(`crowd of 40: placed in ${placedMs} ms on ${m.spread.objects} objects`);
    for (const s of sockets) s.close();
    // Every gateway has forwarded its closes before the test ends (nothing left running at teardown).
    await allClosed(feed);
  });
});
