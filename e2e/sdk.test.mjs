// The built client SDK (`@hearth/client`, the workspace package's packages/client/dist/) from plain
// Node against the real `wrangler dev`: no bundler, no browser. Node 24's global WebSocket (undici)
// is the transport. sdkPackage.test.mjs runs the packed tarball, installed as a user would.
//
// Relay rooms (POST /api/rooms) are the server side: events are published over HTTP
// (POST /api/rooms/:id/events) or as socket commands, and arrive as logged `publish` frames with
// a per-room seq. Presence frames (`presence.join`/`leave`) are ephemeral (no seq) and also reach
// the app as `frame` events, so every check below looks at the `publish` frames only.
//
// Every socket and proxy a test opens is closed in its `finally`: one leaked WebSocket keeps
// the process alive and the test runner never exits.
import assert from "node:assert/strict";
import { test } from "node:test";
import { HearthClientError, HearthSocket } from "@hearth/client";
import { BASE, WAIT_MS, api, devToken, startProxy, until } from "./helpers.mjs";

/** Hang guard for the reconnect after restore(); not a performance bound (the time is printed). */
const RECONNECT_GUARD_MS = 20_000;

const admin = await devToken({ sub: "e2e-sdk-admin", scope: "rooms:admin" });
const publisher = await devToken({ sub: "e2e-sdk-svc", scope: "events:publish" });

async function createRoom(prefix, config = {}) {
  const roomId = `${prefix}${crypto.randomUUID().slice(0, 8)}`;
  await api("POST", "/api/rooms", admin, { roomId, config });
  return roomId;
}

/** Publishes over HTTP (straight to wrangler, never through a proxy); resolves with the seq. */
async function publish(roomId, data) {
  const { seq } = await api("POST", `/api/rooms/${roomId}/events`, publisher, { type: "publish", data });
  assert.equal(typeof seq, "number");
  return seq;
}

/**
 * A HearthSocket for `roomId` (via `origin`, default the server itself) and everything it
 * emits, recorded in order. Pushed to `sockets` at once so the test's finally closes it.
 */
async function openSdk(sockets, roomId, { origin = BASE, sub = `sdk-${crypto.randomUUID().slice(0, 6)}`, ...options } = {}) {
  const token = await devToken({ sub, name: sub });
  const socket = new HearthSocket({ url: `${origin}/ws/rooms/${roomId}`, getToken: () => token, lifecycle: false, ...options });
  sockets.push(socket);
  const seen = { frames: [], snapshots: [], resumed: [], states: [], errors: [], closes: [], acks: [] };
  socket.on("frame", (f) => seen.frames.push(f));
  socket.on("snapshot", (s) => seen.snapshots.push(s));
  socket.on("resumed", (r) => seen.resumed.push(r));
  socket.on("state", (s) => seen.states.push(s));
  socket.on("error", (e) => seen.errors.push(e));
  socket.on("close", (c) => seen.closes.push(c));
  socket.on("ack", (a) => seen.acks.push(a));
  const published = () => seen.frames.filter((f) => f.type === "publish");
  return { socket, seen, published, sub };
}

function closeAll(sockets) {
  for (const s of sockets) {
    try {
      s.close();
    } catch {
      // closing is idempotent; nothing else can throw here
    }
  }
}

/** `ready()` with a bound, so a socket that never goes live fails the test instead of hanging it. */
function readyWithin(socket, ms, what) {
  return Promise.race([
    socket.ready(),
    new Promise((_, reject) => setTimeout(() => reject(new Error(`${what}: not live after ${ms} ms (state ${socket.state})`)), ms).unref()),
  ]);
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const seqsOf = (frames) => frames.map((f) => f.seq);

test("sdk: connect + ready(): snapshot first, then live; HTTP-published events arrive as frames in seq order, once each", { timeout: 60_000 }, async () => {
  const sockets = [];
  try {
    const roomId = await createRoom("sdk1");
    const before = await publish(roomId, { n: 0 }); // history the snapshot covers, never a frame
    const { socket, seen, published } = await openSdk(sockets, roomId);
    assert.equal(socket.state, "connecting");
    await readyWithin(socket, WAIT_MS, "first connect");
    assert.equal(socket.state, "live");
    assert.deepEqual(seen.states.filter((s) => s !== "connecting"), ["live"], "connecting -> live, no reconnect on the way");
    assert.equal(seen.snapshots.length, 1);
    const [snap] = seen.snapshots;
    assert.equal(snap.seq, before);
    assert.equal(typeof snap.epoch, "string");
    assert.equal(snap.recovered, undefined, "a fresh connect's snapshot has no recovered flag");
    assert.equal(snap.state.published, 1);
    assert.ok(snap.state.online.some((m) => m.id), "the snapshot lists who is online");
    assert.deepEqual(socket.position, { seq: before, epoch: snap.epoch });

    const expected = [];
    for (let n = 1; n <= 6; n++) expected.push(await publish(roomId, { n }));
    assert.deepEqual(expected, [before + 1, before + 2, before + 3, before + 4, before + 5, before + 6]);
    await until(() => published().length >= expected.length, "six publish frames");
    await sleep(300); // a late duplicate would show up here
    assert.deepEqual(seqsOf(published()), expected, "every published seq once, in order");
    assert.deepEqual(published().map((f) => f.data.n), [1, 2, 3, 4, 5, 6]);
    assert.ok(published().every((f) => f.epoch === snap.epoch && f.from === "e2e-sdk-svc"));
    // Whatever else came as a frame (presence) is ephemeral: no seq.
    assert.ok(seen.frames.filter((f) => f.type !== "publish").every((f) => f.seq === undefined), JSON.stringify(seen.frames));
    assert.deepEqual(socket.position, { seq: expected.at(-1), epoch: snap.epoch });
    assert.deepEqual(seen.errors, []);
  } finally {
    closeAll(sockets);
  }
});

test("sdk: sendCommand acks with the seq of its broadcast; invalid commands reject with COMMAND_REJECTED and a stable code", { timeout: 60_000 }, async () => {
  const sockets = [];
  try {
    const roomId = await createRoom("sdk2");
    const { socket, seen, published, sub } = await openSdk(sockets, roomId);
    await readyWithin(socket, WAIT_MS, "connect");

    const ack = await socket.sendCommand({ type: "publish", data: { hello: "world" } });
    assert.equal(typeof ack.id, "string");
    assert.equal(ack.seq, 1);
    assert.notEqual(ack.duplicate, true);
    await until(() => published().length >= 1, "the command's own broadcast");
    assert.deepEqual(seqsOf(published()), [ack.seq], "the ack did not swallow the broadcast of its seq");
    assert.deepEqual(published()[0].data, { hello: "world" });
    assert.equal(published()[0].from, sub);

    // The same id again: acknowledged as a duplicate, not applied (no new broadcast).
    const again = await socket.sendCommand({ type: "publish", data: { hello: "world" }, id: ack.id });
    assert.equal(again.id, ack.id);
    assert.equal(again.duplicate, true);

    // Invalid input (publish without `data`): zod refusal, BAD_COMMAND.
    const bad = await socket.sendCommand({ type: "publish", id: "bad-1" }).then(
      () => assert.fail("an invalid command must not be acknowledged"),
      (error) => error,
    );
    assert.ok(bad instanceof HearthClientError, String(bad));
    assert.equal(bad.code, "COMMAND_REJECTED");
    assert.equal(bad.detail.type, "error");
    assert.equal(bad.detail.id, "bad-1");
    assert.equal(bad.detail.code, "BAD_COMMAND");
    assert.ok(Array.isArray(bad.detail.details) && bad.detail.details.length > 0, "zod issues in details");

    // The kind's own refusal (a whisper to nobody): its own stable code.
    const absent = await socket.sendCommand({ type: "whisper", to: "nobody-here", data: 1 }).then(
      () => assert.fail("a whisper to an absent member must be refused"),
      (error) => error,
    );
    assert.equal(absent.code, "COMMAND_REJECTED");
    assert.equal(absent.detail.code, "NOT_PRESENT");

    // Rejections are also delivered as frames (the app may show them); nothing was applied.
    const errorFrames = seen.frames.filter((f) => f.type === "error");
    assert.deepEqual(errorFrames.map((f) => f.code), ["BAD_COMMAND", "NOT_PRESENT"]);
    assert.ok(errorFrames.every((f) => f.seq === undefined));
    const room = await api("GET", `/api/rooms/${roomId}`, publisher);
    assert.equal(room.seq, 1, "neither the duplicate nor the rejections moved the log");
    assert.equal(room.state.published, 1);
    assert.equal(socket.pending, 0, "nothing left in the outbox");
    assert.equal(socket.state, "live", "a rejection does not drop the connection");
  } finally {
    closeAll(sockets);
  }
});

test("sdk: startClosed waits for connect(); once fires once, off removes on and once listeners", { timeout: 60_000 }, async () => {
  const sockets = [];
  // Through a proxy only to count TCP connections: nothing is cut here.
  const proxy = await startProxy(BASE);
  try {
    // presence off: the first frame after the snapshot is the first publish, so once("frame") is exact.
    const roomId = await createRoom("sdk3", { presence: false });
    const { socket, seen } = await openSdk(sockets, roomId, { origin: proxy.url, startClosed: true });
    assert.equal(socket.state, "idle");
    await sleep(300);
    assert.equal(proxy.state.accepted, 0, "startClosed: no connection before connect()");
    assert.deepEqual(seen.states, []);

    const onceSnapshot = [];
    socket.once("snapshot", (s) => onceSnapshot.push(s));
    const onceFrames = [];
    socket.once("frame", (f) => onceFrames.push(f));
    const cancelledOnce = [];
    const cancelledOnceFn = (f) => cancelledOnce.push(f);
    socket.once("frame", cancelledOnceFn);
    socket.off("frame", cancelledOnceFn); // off() finds a once listener by the app's function
    const removed = [];
    const removedFn = (f) => removed.push(f);
    socket.on("frame", removedFn);
    socket.off("frame", removedFn);
    const unsubscribed = [];
    const stop = socket.on("frame", (f) => unsubscribed.push(f));
    stop();

    const ready = socket.ready(); // before connect(): waits, does not connect
    socket.connect();
    socket.connect(); // no-op while connecting
    await Promise.race([ready, readyWithin(socket, WAIT_MS, "connect()")]);
    assert.equal(socket.state, "live");
    assert.deepEqual(seen.states, ["connecting", "live"]);
    socket.connect(); // no-op while live
    await socket.ready(); // resolves at once when live
    assert.equal(onceSnapshot.length, 1);
    assert.equal(onceSnapshot[0].seq, 0);

    const seqs = [await publish(roomId, { n: 1 }), await publish(roomId, { n: 2 })];
    await until(() => seen.frames.filter((f) => f.type === "publish").length >= 2, "both publish frames");
    await sleep(200);
    assert.equal(proxy.state.accepted, 1, "one connection: the extra connect() calls did nothing");
    assert.equal(seen.snapshots.length, 1, "the on() listener saw the snapshot too");
    assert.deepEqual(seqsOf(onceFrames), [seqs[0]], "once: the first frame only");
    assert.deepEqual(cancelledOnce, [], "once + off: never called");
    assert.deepEqual(removed, [], "on + off: never called");
    assert.deepEqual(unsubscribed, [], "on + returned unsubscribe: never called");
    assert.deepEqual(seqsOf(seen.frames.filter((f) => f.type === "publish")), seqs);

    socket.close();
    assert.equal(socket.state, "closed");
    assert.equal(seen.states.at(-1), "closed");
    assert.equal(seen.closes.at(-1).final, true);
    await assert.rejects(socket.ready(), (e) => e.code === "CLOSED");
    assert.throws(() => socket.connect(), (e) => e.code === "CLOSED");
    assert.throws(() => socket.send({ type: "publish", data: 1 }), (e) => e.code === "CLOSED");
  } finally {
    closeAll(sockets);
    await proxy.close();
  }
});

test("sdk: a network cut (proxy) while events are published: reconnects by itself, resumes, every seq exactly once", { timeout: 90_000 }, async () => {
  const sockets = [];
  const proxy = await startProxy(BASE);
  try {
    const roomId = await createRoom("sdk4");
    const { socket, seen, published } = await openSdk(sockets, roomId, { origin: proxy.url });
    await readyWithin(socket, WAIT_MS, "connect through the proxy");
    const all = [await publish(roomId, { phase: "before", n: 1 }), await publish(roomId, { phase: "before", n: 2 })];
    await until(() => published().length >= 2, "the events before the cut");
    const cutAt = socket.position.seq;
    assert.equal(cutAt, all.at(-1));

    // ---- the cut ----
    proxy.cut();
    await until(() => socket.state === "reconnecting", "the SDK noticing the cut");
    assert.ok(seen.closes.length >= 1 && seen.closes.every((c) => !c.final), JSON.stringify(seen.closes));
    const missed = [];
    for (let n = 1; n <= 5; n++) missed.push(await publish(roomId, { phase: "during", n }));
    all.push(...missed);
    // At least one reconnect attempt hit the dead network, so the resume below is a real retry.
    await until(() => proxy.state.refused >= 1, "a reconnect attempt while cut off", RECONNECT_GUARD_MS);
    assert.equal(socket.state, "reconnecting");
    assert.equal(published().length, 2, "nothing arrived while cut off");

    // ---- back online ----
    const restoredAt = performance.now();
    proxy.restore();
    await until(() => socket.state === "live", "live again after restore()", RECONNECT_GUARD_MS);
    const reconnectMs = performance.now() - restoredAt;
    console.log(
      `sdk reconnect: restore() -> live in ${reconnectMs.toFixed(0)} ms ` +
        `(${proxy.state.refused} attempt(s) refused while cut, ${seen.closes.length} close event(s), default backoff)`,
    );

    // Resumed from the cursor: the 5 missed frames replayed, no snapshot fallback.
    assert.deepEqual(seen.resumed, [{ replayed: missed.length }]);
    assert.equal(seen.snapshots.length, 1, "only the first connect's snapshot; the log bridged the gap");
    assert.equal(seen.snapshots.filter((s) => s.recovered === false).length, 0);

    // And live afterwards.
    all.push(await publish(roomId, { phase: "after", n: 1 }));
    await until(() => published().length >= all.length, "every published event");
    await sleep(300);
    assert.deepEqual(seqsOf(published()), all, "every published seq exactly once, in order: no gap, no duplicate");
    assert.deepEqual(all, Array.from({ length: all.length }, (_, i) => i + 1));
    assert.deepEqual(socket.position.seq, all.at(-1));
    assert.equal(seen.states.filter((s) => s === "live").length, 2);
    assert.deepEqual(seen.errors, []);
  } finally {
    closeAll(sockets);
    await proxy.close();
  }
});

test("sdk: two sockets on two rooms in one process: each sees only its own room's frames", { timeout: 60_000 }, async () => {
  const sockets = [];
  try {
    const roomA = await createRoom("sdk5a");
    const roomB = await createRoom("sdk5b");
    const a = await openSdk(sockets, roomA);
    const b = await openSdk(sockets, roomB);
    await Promise.all([readyWithin(a.socket, WAIT_MS, "room A"), readyWithin(b.socket, WAIT_MS, "room B")]);

    const sent = { [roomA]: [], [roomB]: [] };
    for (let n = 1; n <= 4; n++) {
      for (const roomId of [roomA, roomB]) sent[roomId].push({ seq: await publish(roomId, { room: roomId, n }), n });
    }
    // One command each over the socket, too.
    const ackA = await a.socket.sendCommand({ type: "publish", data: { room: roomA, n: 5 } });
    const ackB = await b.socket.sendCommand({ type: "publish", data: { room: roomB, n: 5 } });
    sent[roomA].push({ seq: ackA.seq, n: 5 });
    sent[roomB].push({ seq: ackB.seq, n: 5 });

    await until(() => a.published().length >= 5 && b.published().length >= 5, "five frames on each socket");
    await sleep(300);
    for (const [sdk, roomId, other] of [[a, roomA, roomB], [b, roomB, roomA]]) {
      const frames = sdk.published();
      assert.ok(frames.every((f) => f.data.room === roomId), `${roomId} got a frame of ${other}: ${JSON.stringify(frames)}`);
      assert.deepEqual(frames.map((f) => ({ seq: f.seq, n: f.data.n })), sent[roomId]);
      assert.equal(sdk.seen.acks.length, 1, "each socket saw only its own ack");
      assert.deepEqual(sdk.seen.errors, []);
    }
    assert.notEqual(a.socket.position.epoch, b.socket.position.epoch, "two rooms, two histories");
  } finally {
    closeAll(sockets);
  }
});
