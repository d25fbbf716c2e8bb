import { evictDurableObject, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { SqliteRoomStore } from "../src/room/store/sqliteRoomStore.ts";
import { shardName } from "../src/systems/feed/names.ts";
import { events, metrics, newFeed, publishTo, SEED_EVENTS, subscribe } from "./feedHelpers.ts";
import { eventually, objectNamed } from "./helpers/objects.ts";
import { api, connect } from "./helpers/socket.ts";
import { token } from "./helpers/tokens.ts";

const shardLog = (feed: string, k: number) =>
  runInDurableObject(objectNamed(shardName(feed, k)), (_i, state) => new SqliteRoomStore(state.storage).entriesAfter(0, 1000).map((e) => e.seq));

describe("workflow event feed (seed 003), sharded", () => {
  it("delivers the four seed events to every subscriber of three shards, once each, in one order, with equal seqs", async () => {
    const feed = await newFeed({ shardSize: 2 });
    const subs = [];
    for (let i = 0; i < 6; i++) subs.push(await subscribe(feed, `fan-${i}`));
    for (const s of subs) expect(s.first).toMatchObject({ type: "snapshot", seq: 0, epoch: expect.any(String) });

    const m = await metrics(feed);
    expect(m.shardCount).toBe(3);
    expect(m.shards.map((s) => s.subscribers)).toEqual([2, 2, 2]);

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
    // One timestamp per event, the same on every shard (set once, at the root).
    const stamps = await Promise.all(subs.map(async (s) => s.socket.frames.filter((f) => f.seq && f.type !== "snapshot").map((f) => f.timestamp)));
    for (const st of stamps) expect(st).toEqual(stamps[0]);

    const after = await eventually(async () => {
      const x = await metrics(feed);
      expect(x.shards.every((s) => s.behind === 0)).toBe(true);
      return x;
    });
    expect(after).toMatchObject({ head: 4, shardCount: 3, subscribers: 6, lastPublishToLastDeliveryMs: expect.any(Number) });
    expect(after.shards.map((s) => [s.sockets, s.deliveries, s.failures])).toEqual([[2, 8, 0], [2, 8, 0], [2, 8, 0]]);
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

  it("closes a connection older than the feed's TTL with 4010", async () => {
    const feed = await newFeed({ connectionTtlMs: 400 });
    const { socket } = await subscribe(feed, "old-timer");
    expect(await socket.waitClosed(4000)).toEqual({ code: 4010, reason: "Connection age limit reached" });
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

  it("drops a subscriber that went away on its first failed send without slowing or breaking the others", async () => {
    const feed = await newFeed({ shardSize: 3 });
    const subs = [await subscribe(feed, "d0"), await subscribe(feed, "d1"), await subscribe(feed, "d2")];
    await publishTo(feed, SEED_EVENTS[0]!);
    for (const s of subs) await events(s.socket, 1);
    // The client vanishes without a word reaching the shard first: its next send may fail.
    subs[1]!.socket.close(1001);
    for (const e of SEED_EVENTS.slice(1)) await publishTo(feed, e);
    for (const s of [subs[0]!, subs[2]!]) expect((await events(s.socket, 3)).map((f) => f.seq)).toEqual([2, 3, 4]);
    const m = await eventually(async () => {
      const x = await metrics(feed);
      expect(x.shards[0]).toMatchObject({ sockets: 2, subscribers: 2, behind: 0 });
      return x;
    });
    // The two live sockets got each frame once; the gone one got at most its three before it was dropped.
    const { deliveries, failures } = m.shards[0]!;
    expect(deliveries).toBeGreaterThanOrEqual(3 + 2 * 3);
    expect(deliveries + failures).toBeLessThanOrEqual(3 + 3 * 3);
  });

  it("resumes a subscriber whose shard was evicted mid-stream without a gap, on whichever shard it lands", async () => {
    const feed = await newFeed({ shardSize: 1 });
    const first = await subscribe(feed, "resumer");
    const second = await subscribe(feed, "stayer");
    await publishTo(feed, SEED_EVENTS[0]!);
    await publishTo(feed, SEED_EVENTS[1]!);
    const seen = await events(first.socket, 2);
    first.socket.close();
    await evictDurableObject(objectNamed(shardName(feed, 0)));
    await publishTo(feed, SEED_EVENTS[2]!);
    await evictDurableObject(objectNamed(shardName(feed, 0)));
    await publishTo(feed, SEED_EVENTS[3]!);
    // The socket that stayed open across its shard's evictions missed nothing either.
    expect((await events(second.socket, 4)).map((f) => f.seq)).toEqual([1, 2, 3, 4]);

    const back = await subscribe(feed, "resumer", `&since=${seen[1]!.seq}&epoch=${seen[1]!.epoch}`);
    await back.socket.nextMatching((f) => f.type === "recovered");
    expect(back.socket.frames.map((f) => [f.type, f.seq])).toEqual([
      ["players.assigned", 3],
      ["teams.locked", 4],
      ["recovered", 4],
    ]);
    expect(await back.socket.drain()).toEqual([]);
  });

  it("starts a late shard at the root's head, and resumes a cursor from before it on an older shard that has room", async () => {
    const feed = await newFeed({ shardSize: 1 });
    const early = await subscribe(feed, "early");
    await publishTo(feed, SEED_EVENTS[0]!);
    const [one] = await events(early.socket, 1);
    // Shard 0 is full: the next subscriber makes shard 1, which starts at root seq 1.
    const late = await subscribe(feed, "late");
    expect(late.first).toMatchObject({ type: "snapshot", seq: 1, epoch: one!.epoch, state: { shard: 1 } });
    await publishTo(feed, SEED_EVENTS[1]!);
    await events(early.socket, 1);
    expect((await events(late.socket, 1))[0]).toMatchObject({ type: "tournament.registered", seq: 2 });
    // A cursor at seq 0 is older than shard 1's log: with shard 0 full, it lands on a new shard 2 and gets a snapshot.
    const cold = await subscribe(feed, "cold", `&since=0&epoch=${one!.epoch}`);
    expect(cold.first).toMatchObject({ type: "snapshot", recovered: false, seq: 2, state: { shard: 2 } });
    // Once shard 0 has room, the same cursor is placed there and replayed exactly.
    early.socket.close();
    await eventually(async () => expect((await metrics(feed)).shards[0]).toMatchObject({ sockets: 0 }));
    const warm = await subscribe(feed, "warm", `&since=0&epoch=${one!.epoch}`);
    await warm.socket.nextMatching((f) => f.type === "recovered");
    expect(warm.socket.frames.map((f) => [f.type, f.seq])).toEqual([
      ["workflow.started", 1],
      ["tournament.registered", 2],
      ["recovered", 2],
    ]);
  });

  it("loses nothing and applies nothing twice when a shard is evicted during deliveries", async () => {
    const feed = await newFeed({ shardSize: 1 });
    const subs = [await subscribe(feed, "e0"), await subscribe(feed, "e1"), await subscribe(feed, "e2")];
    for (let n = 0; n < 8; n++) {
      await publishTo(feed, { type: "step", tournamentId: "t", data: { n } });
      await evictDurableObject(objectNamed(shardName(feed, 1)));
    }
    for (const s of subs) {
      const got = await events(s.socket, 8);
      expect(got.map((f) => [f.seq, (f.data as { n: number }).n])).toEqual([0, 1, 2, 3, 4, 5, 6, 7].map((n) => [n + 1, n]));
      expect(await s.socket.drain()).toEqual([]);
    }
    for (const k of [0, 1, 2]) expect(await shardLog(feed, k)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });
});
