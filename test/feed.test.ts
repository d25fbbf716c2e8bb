import { evictDurableObject, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { gatewayObjectName } from "../src/core/objectName.ts";
import { SqliteRoomStore } from "../src/room/store/sqliteRoomStore.ts";
import { rootName } from "../src/systems/feed/names.ts";
import { allClosed, events, metrics, newFeed, publishTo, SEED_EVENTS, subscribe } from "./feedHelpers.ts";
import { eventually, objectNamed } from "./helpers/objects.ts";
import { api, connect } from "./helpers/socket.ts";
import { token } from "./helpers/tokens.ts";

/** The seqs the feed's room has logged. */
const feedLog = (feed: string) =>
  runInDurableObject(objectNamed(rootName(feed)), (_i, state) => new SqliteRoomStore(state.storage).entriesAfter(0, 1000).map((e) => e.seq));
const gateway = (feed: string, k: number) => gatewayObjectName(rootName(feed), k);

describe("workflow event feed (seed 003), one stream over gateways", () => {
  it("delivers the four seed events to every subscriber over three objects, once each, in one order, with equal seqs", async () => {
    const feed = await newFeed({ shardSize: 2 });
    const subs = [];
    for (let i = 0; i < 6; i++) subs.push(await subscribe(feed, `fan-${i}`));
    for (const s of subs) expect(s.first).toMatchObject({ type: "snapshot", seq: 0, epoch: expect.any(String) });

    const m = await metrics(feed);
    // The feed's own object holds 2, then gateways 0 and 1 hold 2 each ([S5]).
    expect(m).toMatchObject({ subscribers: 6, sockets: 6, objects: 3 });
    expect(m.spread.gateways).toEqual([
      { name: gateway(feed, 0), sockets: 2 },
      { name: gateway(feed, 1), sockets: 2 },
    ]);

    const published = [];
    for (const e of SEED_EVENTS) {
      const res = await publishTo(feed, e);
      expect(res.status, JSON.stringify(res.json)).toBe(202);
      published.push(res.json as { seq: number; epoch: string });
    }
    expect(published.map((p) => p.seq)).toEqual([1, 2, 3, 4]);
    const epoch = published[0]!.epoch;
    expect(subs[0]!.first.epoch).toBe(epoch);

    for (const s of subs) {
      const got = await events(s.socket, 4);
      // Seed 003's payloads exactly, plus Hearth's seq and epoch; nothing else.
      got.forEach((f, i) => {
        expect(Object.keys(f).sort()).toEqual(["data", "epoch", "seq", "timestamp", "tournamentId", "type"]);
        expect(f).toEqual({ ...SEED_EVENTS[i], timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/), seq: i + 1, epoch });
      });
      expect(await s.socket.drain()).toEqual([]);
    }
    // One timestamp per event, the same on every object (set once, at the commit).
    const stamps = await Promise.all(subs.map(async (s) => s.socket.frames.filter((f) => f.seq && f.type !== "snapshot").map((f) => f.timestamp)));
    for (const st of stamps) expect(st).toEqual(stamps[0]);
    // One frame per socket per event, wherever the socket is.
    expect(await metrics(feed)).toMatchObject({ head: 4, subscribers: 6, sockets: 6, deliveries: 24, failures: 0 });
    for (const s of subs) s.socket.close();
    await allClosed(feed);
  });

  it("answers ping with pong and anything else with ack (seed 003)", async () => {
    const feed = await newFeed();
    const { socket } = await subscribe(feed, "talker");
    socket.send({ type: "ping" });
    expect(await socket.next()).toEqual({ type: "pong", timestamp: expect.stringMatching(/Z$/) });
    socket.send({ type: "subscribe", topic: "x" });
    expect(await socket.next()).toEqual({ type: "ack", message: "Message received" });
    socket.send("not json at all");
    expect(await socket.next()).toEqual({ type: "ack", message: "Message received" });
    socket.send({ type: "ping", id: 7 });
    expect(await socket.next()).toEqual({ type: "pong", timestamp: expect.any(String) });
  });

  it("closes a connection older than the feed's TTL with 4010, on the feed's object and on a gateway", async () => {
    const feed = await newFeed({ connectionTtlMs: 400, shardSize: 2 });
    const subs = [await subscribe(feed, "old-0"), await subscribe(feed, "old-1"), await subscribe(feed, "old-2")];
    expect((await metrics(feed)).objects).toBe(2);
    for (const { socket } of subs) expect(await socket.waitClosed(4000)).toEqual({ code: 4010, reason: "Connection age limit reached" });
    await allClosed(feed);
  });

  it("refuses a publish from a player token (403) and bad bodies (400 with details), applying nothing", async () => {
    const feed = await newFeed();
    const player = await token({ sub: "player-1" });
    const res = await api("POST", `/api/feed/events?feed=${feed}`, player, SEED_EVENTS[0]);
    expect(res.status).toBe(403);
    expect(res.json.error.code).toBe("SCOPE_REQUIRED");
    const bad = await publishTo(feed, { type: "", tournamentId: 5, data: [] });
    expect(bad.status).toBe(400);
    expect([...new Set(bad.json.error.details.map((d: { path: string }) => d.path))].sort()).toEqual(["data", "tournamentId", "type"]);
    expect(await publishTo(feed, { ...SEED_EVENTS[0], extra: 1 })).toMatchObject({ status: 400 });
    // A new workflow step is fine: unknown types are allowed.
    expect(await publishTo(feed, { type: "bracket.published", tournamentId: "t-9", data: {} })).toMatchObject({ status: 202, json: { seq: 1 } });
  });

  it("applies an Idempotency-Key once", async () => {
    const feed = await newFeed();
    const { socket } = await subscribe(feed, "idem");
    const first = await publishTo(feed, SEED_EVENTS[0]!, { "Idempotency-Key": "step-1" });
    const again = await publishTo(feed, SEED_EVENTS[0]!, { "Idempotency-Key": "step-1" });
    expect(first).toMatchObject({ status: 202, json: { seq: 1 } });
    expect(again).toMatchObject({ status: 200, json: { seq: 1, epoch: first.json.epoch } });
    expect((await events(socket, 1)).map((f) => f.seq)).toEqual([1]);
    expect(await socket.drain()).toEqual([]);
  });

  it("keeps feeds apart: a subscriber of one feed never sees another's events, and unknown feeds are 404", async () => {
    const a = await newFeed();
    const b = await newFeed();
    const sa = await subscribe(a, "reader-a");
    await publishTo(b, SEED_EVENTS[0]!);
    await publishTo(a, SEED_EVENTS[1]!);
    expect((await events(sa.socket, 1))[0]).toMatchObject({ type: "tournament.registered", seq: 1 });
    expect(await sa.socket.drain()).toEqual([]);
    const missing = await connect(`/ws/feed?feed=nope-${crypto.randomUUID().slice(0, 6)}&token=${await token({ sub: "x" })}`);
    expect(missing.response.status).toBe(404);
    const bad = await connect(`/ws/feed?feed=a:b&token=${await token({ sub: "x" })}`);
    expect(bad.response.status).toBe(400);
  });

  it("drops a subscriber that went away without slowing or breaking the others, on its own object and beside it", async () => {
    const feed = await newFeed({ shardSize: 2 });
    const subs = [await subscribe(feed, "d0"), await subscribe(feed, "d1"), await subscribe(feed, "d2"), await subscribe(feed, "d3")];
    await publishTo(feed, SEED_EVENTS[0]!);
    for (const s of subs) await events(s.socket, 1);
    // Clients vanish without a word reaching the feed first: d1 on the feed's object, d2 on gateway 0.
    subs[1]!.socket.close(1001);
    subs[2]!.socket.close(1001);
    for (const e of SEED_EVENTS.slice(1)) await publishTo(feed, e);
    for (const s of [subs[0]!, subs[3]!]) expect((await events(s.socket, 3)).map((f) => f.seq)).toEqual([2, 3, 4]);
    const m = await eventually(async () => {
      const x = await metrics(feed);
      expect(x).toMatchObject({ sockets: 2, subscribers: 2 });
      return x;
    });
    // The two live sockets got each frame once; the gone ones at most their three before they were dropped.
    expect(m.deliveries).toBeGreaterThanOrEqual(4 + 2 * 3);
    expect(m.deliveries + m.failures).toBeLessThanOrEqual(4 + 4 * 3);
    for (const s of [subs[0]!, subs[3]!]) s.socket.close();
    await allClosed(feed);
  });

  it("over 3 gateways: a publish reaches every subscriber once with one seq, and subscribers that drop and come back with their cursor miss nothing, whichever object they land on (the feed evicted between publishes)", { timeout: 60_000 }, async () => {
    const feed = await newFeed({ shardSize: 2 });
    const subs = [];
    for (let i = 0; i < 8; i++) subs.push(await subscribe(feed, `g-${i}`));
    const m = await metrics(feed);
    expect(m.spread.gateways.map((g) => [g.name, g.sockets])).toEqual([0, 1, 2].map((k) => [gateway(feed, k), 2]));

    await publishTo(feed, SEED_EVENTS[0]!);
    await evictDurableObject(objectNamed(rootName(feed)));
    await publishTo(feed, SEED_EVENTS[1]!);
    const epoch = subs[0]!.first.epoch;
    for (const s of subs) expect((await events(s.socket, 2)).map((f) => [f.type, f.seq, f.epoch])).toEqual([[SEED_EVENTS[0]!.type, 1, epoch], [SEED_EVENTS[1]!.type, 2, epoch]]);

    // One subscriber on the feed's object and one on each of two gateways drop, and miss two events.
    const gone = [1, 4, 7];
    for (const i of gone) subs[i]!.socket.close();
    await eventually(async () => expect((await metrics(feed)).sockets).toBe(5));
    await publishTo(feed, SEED_EVENTS[2]!);
    await evictDurableObject(objectNamed(rootName(feed)));
    await evictDurableObject(objectNamed(gateway(feed, 2)));
    await publishTo(feed, SEED_EVENTS[3]!);
    // They come back with their cursor (in reverse order, so they land on other objects than before).
    const back = [];
    for (const i of [...gone].reverse()) back.push(await subscribe(feed, `g-${i}`, `&since=2&epoch=${epoch}`));
    for (const b of back) {
      await b.socket.nextMatching((f) => f.type === "recovered");
      expect(b.socket.frames.map((f) => [f.type, f.seq])).toEqual([
        ["players.assigned", 3],
        ["teams.locked", 4],
        ["recovered", 4],
      ]);
    }
    expect((await metrics(feed)).spread.sockets).toBe(8);

    // Live again, everywhere, once, one seq.
    expect((await publishTo(feed, { type: "bracket.published", tournamentId: "t", data: {} })).json).toMatchObject({ seq: 5 });
    const live = [...subs.filter((_, i) => !gone.includes(i)).map((s) => s.socket), ...back.map((b) => b.socket)];
    for (const socket of live) await socket.waitFor((f) => f.type === "bracket.published", 5000);
    for (const socket of live) expect(socket.frames.filter((f) => f.type === "bracket.published").map((f) => f.seq)).toEqual([5]);
    for (const s of subs.filter((_, i) => !gone.includes(i))) expect(s.socket.frames.filter((f) => typeof f.seq === "number" && f.type !== "snapshot").map((f) => f.seq)).toEqual([1, 2, 3, 4, 5]);
    expect(await feedLog(feed)).toEqual([1, 2, 3, 4, 5]);
    for (const socket of live) socket.close();
    await allClosed(feed);
  });

  it("loses nothing and sends nothing twice when a gateway is evicted during deliveries", async () => {
    const feed = await newFeed({ shardSize: 2 });
    const subs = [];
    for (let i = 0; i < 5; i++) subs.push(await subscribe(feed, `e${i}`));
    for (let n = 0; n < 8; n++) {
      await publishTo(feed, { type: "step", tournamentId: "t", data: { n } });
      await evictDurableObject(objectNamed(gateway(feed, n % 2)));
    }
    for (const s of subs) {
      const got = await events(s.socket, 8);
      expect(got.map((f) => [f.seq, (f.data as { n: number }).n])).toEqual([0, 1, 2, 3, 4, 5, 6, 7].map((n) => [n + 1, n]));
      expect(await s.socket.drain()).toEqual([]);
    }
    expect(await feedLog(feed)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    for (const s of subs) s.socket.close();
    await allClosed(feed);
  });
});
