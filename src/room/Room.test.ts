import { describe, expect, it } from "vitest";
import { RoomHarness, settle, user } from "./testing/roomHarness.ts";

const ann = user("ann");
const bob = user("bob");
const cat = user("cat");

/** The pipeline rules of docs/spec.md, over the memory store and a fake host. */
describe("Room pipeline", () => {
  it("[P1] refusals name their stage and write nothing: decode, validate, apply", () => {
    const h = new RoomHarness().create();
    const ws = h.connect(ann);
    const head = h.store.head();
    expect(h.send(ws, "not json")).toMatchObject([{ type: "error", code: "BAD_JSON" }]);
    expect(h.send(ws, { type: "inc", by: "x" })).toMatchObject([{ type: "error", code: "BAD_COMMAND" }]);
    expect(h.send(ws, { type: "refuse", id: "c1" })).toMatchObject([{ type: "error", code: "NOT_ALLOWED", id: "c1" }]);
    expect(h.store.head()).toBe(head);
    expect(h.store.commandSeq("ann", "c1")).toBeNull();
  });

  it("[P1] limits run before decode: an oversized garbage frame is FRAME_TOO_LARGE, not BAD_JSON", () => {
    const h = new RoomHarness().create({ limits: { maxFrameBytes: 256 } });
    const ws = h.connect(ann);
    expect(h.send(ws, "x".repeat(300))).toMatchObject([{ type: "error", code: "FRAME_TOO_LARGE" }]);
  });

  it("[P2] state, log entry and command id commit together", () => {
    const h = new RoomHarness().create();
    const ws = h.connect(ann);
    const out = h.send(ws, { type: "inc", by: 2, id: "c1" });
    const seq = h.store.head();
    expect(out).toEqual([
      { type: "count", count: 2, from: "ann", seq, epoch: expect.any(String) },
      { type: "ack", id: "c1", seq, socket_id: expect.any(String) },
    ]);
    expect(h.store.state()).toMatchObject({ count: 2 });
    expect(h.store.commandSeq("ann", "c1")).toBe(seq);
    expect(JSON.parse(h.store.entriesAfter(seq - 1, 1)[0]!.frame)).toMatchObject({ type: "count", count: 2 });
  });

  it("[P3] a joining socket gets its snapshot before anything else, including its own join's effects", () => {
    const h = new RoomHarness().create();
    const a = h.connect(ann);
    const { ws, result } = h.connectResult(bob);
    expect(result.ok).toBe(true);
    const first = ws.take();
    expect(first[0]).toMatchObject({ type: "snapshot", seq: h.store.head(), state: { online: ["ann", "bob"], me: "bob" } });
    // Peers heard the join; the joiner did not get it live (its snapshot already reflects it).
    expect(a.take()).toMatchObject([{ type: "join", user: "bob" }]);
    expect(first.filter((f) => f.type === "join")).toEqual([]);
  });

  it("[P3] a resume replays exactly the missed frames, then recovered, then live ones", () => {
    const h = new RoomHarness().create();
    const a = h.connect(ann);
    h.send(a, { type: "inc" });
    const since = h.store.head();
    const epoch = h.store.meta()!.epoch;
    h.send(a, { type: "inc" });
    h.send(a, { type: "inc" });
    const { ws } = h.connectResult(bob, { since: String(since), epoch });
    const frames = ws.take();
    expect(frames.map((f) => f.type)).toEqual(["count", "count", "join", "recovered"]);
    expect(frames.map((f) => f.seq)).toEqual([since + 1, since + 2, since + 3, since + 3]);
  });

  it("[P4] seqs rise by exactly one per logged frame, and a replay sends the stored text byte for byte", () => {
    const h = new RoomHarness().create();
    const a = h.connect(ann);
    const live = [h.send(a, { type: "inc" })[0]!, h.send(a, { type: "inc" })[0]!];
    expect(live[1]!.seq).toBe((live[0]!.seq as number) + 1);
    const { ws } = h.connectResult(bob, { since: String((live[0]!.seq as number) - 1), epoch: h.store.meta()!.epoch });
    const replayed = ws.outgoing.slice(0, 2);
    expect(replayed).toEqual(h.store.entriesAfter((live[0]!.seq as number) - 1, 2).map((e) => e.frame));
  });

  it("[P5] every refused frame gets an error frame with a code, its id, and the socket id", () => {
    const h = new RoomHarness().create();
    const ws = h.connect(ann);
    const cases: (string | Record<string, unknown>)[] = ["{", "[]", "null", '{"type":1}', { type: "nope", id: "x" }, { type: "inc", by: 1.5, id: 7 }, { type: "boom", id: "b" }, "{".repeat(200) + "}".repeat(200)];
    for (const c of cases) {
      const out = h.send(ws, c);
      expect(out, JSON.stringify(c).slice(0, 40)).toHaveLength(1);
      expect(out[0]).toMatchObject({ type: "error", code: expect.stringMatching(/^[A-Z_]+$/), socket_id: expect.any(String) });
    }
    expect(h.send(ws, { type: "nope", id: "x" })[0]).toMatchObject({ id: "x" });
  });

  it("[P6] a repeated socket command id is acknowledged as a duplicate and not applied again", () => {
    const h = new RoomHarness().create();
    const ws = h.connect(ann);
    const first = h.send(ws, { type: "inc", id: "same" });
    const again = h.send(ws, { type: "inc", id: "same" });
    expect(again).toEqual([{ type: "ack", id: "same", seq: first[1]!.seq, duplicate: true, socket_id: expect.any(String) }]);
    expect(h.store.state()).toMatchObject({ count: 1 });
  });

  it("[P6] a repeated Idempotency-Key replays the first answer; another body under it is refused", () => {
    const h = new RoomHarness().create();
    const one = h.room.submit(ann, { type: "inc" }, { idempotencyKey: "k", bodyHash: "h1" });
    const two = h.room.submit(ann, { type: "inc" }, { idempotencyKey: "k", bodyHash: "h1" });
    expect(two).toEqual({ ...one, replayed: true });
    expect(h.room.submit(ann, { type: "inc", by: 5 }, { idempotencyKey: "k", bodyHash: "h2" })).toMatchObject({ ok: false, code: "IDEMPOTENCY_KEY_REUSED", status: 422 });
    expect(h.store.state()).toMatchObject({ count: 1 });
  });

  it("[P7] an input that changes nothing writes nothing", () => {
    const h = new RoomHarness().create();
    const ws = h.connect(ann);
    const before = JSON.stringify([h.store.head(), h.store.state()]);
    let commits = 0;
    const commit = h.store.commit.bind(h.store);
    h.store.commit = (c) => {
      commits++;
      commit(c);
    };
    expect(h.send(ws, { type: "noop" })).toEqual([]);
    expect(h.send(ws, { type: "ping" })).toEqual([{ type: "pong", conn: expect.any(String) }]);
    expect(commits).toBe(0);
    expect(JSON.stringify([h.store.head(), h.store.state()])).toBe(before);
  });

  it("[P8] a kind that throws costs the input (INTERNAL), never the room", () => {
    const h = new RoomHarness().create();
    const ws = h.connect(ann);
    expect(h.send(ws, { type: "boom" })).toMatchObject([{ type: "error", code: "INTERNAL" }]);
    expect(h.room.submit(ann, { type: "boom" })).toMatchObject({ ok: false, code: "INTERNAL", status: 500 });
    expect(h.send(ws, { type: "inc" })).toMatchObject([{ type: "count", count: 1 }]);
  });

  it("[L1] frames over the rate budget are refused, and enough strikes in a row close with 4008", () => {
    const h = new RoomHarness().create({ limits: { rateBurst: 2, ratePerSec: 0.1, strikesBeforeClose: 3 } });
    const ws = h.connect(ann);
    h.send(ws, { type: "noop" });
    h.send(ws, { type: "noop" });
    expect(h.send(ws, { type: "noop" })).toMatchObject([{ code: "RATE_LIMITED" }]);
    expect(h.send(ws, { type: "noop" })).toMatchObject([{ code: "RATE_LIMITED" }]);
    h.send(ws, { type: "noop" });
    expect(ws.closed).toEqual({ code: 4008, reason: "Rate limit or frame size exceeded" });
  });

  it("[L2] the log keeps to its retention whatever the traffic, HTTP-only rooms included", () => {
    const h = new RoomHarness().create({ limits: { logMaxEntries: 10 } });
    for (let i = 0; i < 200; i++) h.room.submit(user("svc", { service: true }), { type: "inc" });
    expect(h.store.head()).toBe(200);
    expect(h.store.head() - h.store.tail() + 1).toBeLessThanOrEqual(10 + 64);
  });

  it("[R1] a fresh Room over the same store and sockets carries on: seq, presence, roles", () => {
    const h = new RoomHarness().create();
    const a = h.connect(ann);
    const b = h.connect(bob);
    a.take();
    const before = h.send(a, { type: "inc" })[0]!;
    b.take();
    h.evict();
    const after = h.send(a, { type: "inc" })[0]!;
    expect(after.seq).toBe((before.seq as number) + 1);
    expect(b.take()).toMatchObject([{ type: "count", seq: after.seq }]);
    // A second tab of ann after the eviction is not a new join.
    h.connect(ann);
    expect(b.take()).toEqual([]);
  });

  it("[R2] presence is per user: the first socket joins, the last to close leaves, once each", () => {
    const h = new RoomHarness().create();
    const watcher = h.connect(cat);
    const t1 = h.connect(ann);
    const t2 = h.connect(ann);
    expect(watcher.take().map((f) => f.type)).toEqual(["join"]);
    h.room.closed(t1);
    h.room.closed(t1);
    expect(watcher.take()).toEqual([]);
    t2.readyState = 3;
    h.room.closed(t2);
    h.room.closed(t2);
    expect(watcher.take()).toMatchObject([{ type: "leave", user: "ann" }]);
  });

  it("refuses admission by the kind (4003) and capacity (4009, always by closing)", () => {
    const h = new RoomHarness().create({ limits: { maxConnections: 1 } });
    expect(h.connectResult(user("banned")).result).toMatchObject({ ok: false, close: { code: 4003 }, error: { code: "BANNED" } });
    h.connect(ann);
    expect(h.connectResult(bob).result).toMatchObject({ ok: false, close: { code: 4009 }, overHttp: false });
  });

  it("[C6] capacity closes with 4009 whichever refusal style the connect asked for", () => {
    const h = new RoomHarness().create({ limits: { maxConnections: 1 } });
    h.connect(ann);
    expect(h.connectResult(bob, {}, { refuse: "http" }).result).toMatchObject({ ok: false, close: { code: 4009 }, error: { code: "ROOM_FULL", status: 503 }, overHttp: false });
    expect(h.connectResult(bob).result).toMatchObject({ overHttp: false });
  });

  it("[C7] a room counts its live deliveries and failed sends in its one set of figures", async () => {
    const h = new RoomHarness().create();
    const a = h.connect(ann);
    const b = h.connect(bob);
    a.take();
    b.failSends = true;
    h.send(a, { type: "inc" });
    // Sent to ann: bob's join, then the count; bob's copy failed.
    expect(h.room.metrics()).toMatchObject({ connections: { current: 1 }, deliveries: { sent: 2, failed: 1 } });
    // bob's leave, after the fan-out, reaches ann: one more send.
    await settle();
    expect(h.room.metrics()).toMatchObject({ connections: { current: 1 }, deliveries: { sent: 3, failed: 1 } });
    expect(h.room.snapshot(user("svc", { service: true, scopes: ["rooms:admin"] }))).not.toHaveProperty("stats");
  });

  it("unknown rooms and rooms of another kind are not found (4004)", () => {
    const h = new RoomHarness();
    expect(h.connectResult(ann).result).toMatchObject({ ok: false, close: { code: 4004 } });
    h.create();
    expect(h.connectResult(ann, {}, { kind: "quest" }).result).toMatchObject({ ok: false, close: { code: 4004 } });
  });

  it("asking to create a room that exists (ROOM_EXISTS) keeps the assembled room: its state is not read again", () => {
    const h = new RoomHarness().create();
    const ws = h.connect(ann);
    h.send(ws, { type: "inc" });
    let reads = 0;
    const state = h.store.state.bind(h.store);
    h.store.state = () => (reads++, state());
    // Every games socket's connect asks its lobby to exist: a lobby of a thousand rooms re-read them all each time.
    expect(h.room.create({ roomId: "room-1", kind: "fixture", config: {}, createdBy: "test" })).toMatchObject({ ok: false, code: "ROOM_EXISTS" });
    h.send(ws, { type: "inc" });
    expect(reads).toBe(0);
    // (What a fresh instance reads, for contrast: the test can see a re-read.)
    h.evict();
    h.connect(bob);
    expect(reads).toBe(1);
  });
});

describe("Room audiences", () => {
  it("[A1] whispers reach their users live, in replay and in history, and nobody else", () => {
    const h = new RoomHarness().create();
    const [a, b, c] = [h.connect(ann), h.connect(bob), h.connect(cat)];
    [a, b, c].forEach((s) => s.take());
    h.send(a, { type: "whisper", to: "bob" });
    expect(b.take()).toMatchObject([{ type: "whisper", from: "ann" }]);
    expect(c.take()).toEqual([]);
    const seq = h.store.head();
    const epoch = h.store.meta()!.epoch;
    const replayFor = (who: string) => h.connectResult(user(who), { since: String(seq - 1), epoch }).ws.take().map((f) => f.type);
    expect(replayFor("bob")).toEqual(["whisper", "recovered"]);
    expect(replayFor("dan")).toEqual(["join", "recovered"]);
    const historyTypes = (who: string) => (h.room.history(user(who), undefined, 50) as { entries: Record<string, unknown>[] }).entries.map((e) => e.type);
    expect(historyTypes("bob")).toContain("whisper");
    expect(historyTypes("cat")).not.toContain("whisper");
  });

  it("[A1][A3] group frames reach current members only, and membership changes while sockets stay open", () => {
    const h = new RoomHarness().create();
    const [a, b, c] = [h.connect(ann), h.connect(bob), h.connect(cat)];
    h.send(b, { type: "enter", group: "g1" });
    [a, b, c].forEach((s) => s.take());
    h.send(a, { type: "say", group: "g1" });
    expect(b.take()).toMatchObject([{ type: "said", group: "g1" }]);
    expect(a.take()).toEqual([]);
    expect(c.take()).toEqual([]);
    h.send(c, { type: "enter", group: "g1" });
    h.send(b, { type: "exit", group: "g1" });
    h.send(a, { type: "say", group: "g1" });
    expect(c.take()).toMatchObject([{ type: "said" }]);
    expect(b.take()).toEqual([]);
    // History follows current membership: cat (now a member) reads both, bob (left) neither.
    const said = (who: string) => (h.room.history(user(who), undefined, 50) as { entries: Record<string, unknown>[] }).entries.filter((e) => e.type === "said").length;
    expect(said("cat")).toBe(2);
    expect(said("bob")).toBe(0);
    // Replay too.
    const { ws } = h.connectResult(user("cat"), { since: "0", epoch: h.store.meta()!.epoch });
    expect(ws.take().filter((f) => f.type === "said")).toHaveLength(2);
  });

  it("[A2] skipOrigin keeps a frame from the sending connection only", () => {
    const h = new RoomHarness().create();
    const a1 = h.connect(ann);
    const a2 = h.connect(ann);
    const b = h.connect(bob);
    [a1, a2, b].forEach((s) => s.take());
    expect(h.send(a1, { type: "others" })).toEqual([{ type: "sent" }]);
    expect(a2.take()).toMatchObject([{ type: "others" }]);
    expect(b.take()).toMatchObject([{ type: "others" }]);
  });

  it("[C5] a failed send marks the socket dead; its user's leave comes after the fan-out, in seq order", async () => {
    const h = new RoomHarness().create();
    const [a, b, c] = [h.connect(ann), h.connect(bob), h.connect(cat)];
    [a, b, c].forEach((s) => s.take());
    b.die();
    h.send(a, { type: "inc" });
    await settle();
    const seen = c.take();
    expect(seen.map((f) => f.type)).toEqual(["count", "leave"]);
    expect(seen[1]!.seq).toBe((seen[0]!.seq as number) + 1);
  });

  it("[C5] a fan-out reads no socket's readyState: one the peer closed (its close event on the way) fails its send and is buried like a dead one", async () => {
    const h = new RoomHarness().create();
    const [a, b, c] = [h.connect(ann), h.connect(bob), h.connect(cat)];
    [a, b, c].forEach((s) => s.take());
    b.readyState = 3;
    h.send(a, { type: "inc" });
    await settle();
    expect(b.outgoing).toEqual([]);
    expect(c.take().map((f) => f.type)).toEqual(["count", "leave"]);
    // The close event arrives later: the user already left, nothing is said twice.
    h.room.closed(b);
    await settle();
    expect(c.take()).toEqual([]);
  });
});
