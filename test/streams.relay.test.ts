import { describe, expect, it } from "vitest";
import { newRoom, publish } from "./helpers/rooms.ts";
import { api, open, type Frame, type TestSocket } from "./helpers/socket.ts";
import { eventually } from "./helpers/objects.ts";
import { adminToken, token } from "./helpers/tokens.ts";

/** [S5] Where a room's sockets are (GET /api/rooms/:roomId as an admin). */
async function spreadOf(roomId: string) {
  const res = await api("GET", `/api/rooms/${roomId}`, await adminToken());
  expect(res.status).toBe(200);
  return res.json.spread as { objects: number; sockets: number; gateways: { name: string; sockets: number }[] };
}

/** Waits until the room has heard every close (its gateways forwarded them): nothing is left in flight. */
async function allClosed(roomId: string): Promise<void> {
  await eventually(async () => expect((await spreadOf(roomId)).sockets).toBe(0), 10_000);
}

async function openMany(roomId: string, n: number, from = 0, query = ""): Promise<{ socket: TestSocket; first: Frame }[]> {
  const out: { socket: TestSocket; first: Frame }[] = [];
  // In waves: a crowd arrives together, as placement must handle.
  for (let i = from; i < from + n; i += 50) {
    const wave = await Promise.all(
      Array.from({ length: Math.min(50, from + n - i) }, async (_, j) => {
        const socket = await open(`/ws/rooms/${roomId}?token=${await token({ sub: `u${i + j}`, name: `u${i + j}` })}${query}`);
        return { socket, first: await socket.next(5000) };
      }),
    );
    out.push(...wave);
  }
  return out;
}

const published = (s: TestSocket) => s.frames.filter((f) => f.type === "publish");

describe("a relay room spread over gateways ([S1]-[S5])", () => {
  it("socketsPerObject 50: 400 sockets on 8 objects, every event once with one seq, resume from any gateway", { timeout: 120_000 }, async () => {
    const roomId = await newRoom({ socketsPerObject: 50, presence: false });
    const sockets = await openMany(roomId, 400);
    for (const { first } of sockets) expect(first).toMatchObject({ type: "snapshot", seq: 0 });
    const spread = await spreadOf(roomId);
    expect(spread.sockets).toBe(400);
    expect(spread.objects).toBeGreaterThanOrEqual(8);
    // Never overfilled: no gateway holds more than its share.
    for (const g of spread.gateways) expect(g.sockets).toBeLessThanOrEqual(50);

    for (let i = 1; i <= 5; i++) expect((await publish(roomId, i)).status).toBe(200);
    for (const { socket } of sockets) await socket.waitFor((f) => f.type === "publish" && f.data === 5, 10_000);
    const epoch = sockets[0]!.first.epoch as string;
    for (const { socket } of sockets) {
      expect(published(socket).map((f) => [f.data, f.seq, f.epoch])).toEqual([1, 2, 3, 4, 5].map((i) => [i, i, epoch]));
    }

    // 40 sockets drop (spread over the gateways), miss 3 events, and come back with their cursor.
    const dropped = sockets.filter((_, i) => i % 10 === 3);
    for (const { socket } of dropped) socket.close();
    for (const { socket } of dropped) await socket.waitClosed(5000);
    for (let i = 6; i <= 8; i++) expect((await publish(roomId, i)).status).toBe(200);
    const back = await Promise.all(
      dropped.map(async (_, k) => {
        const socket = await open(`/ws/rooms/${roomId}?token=${await token({ sub: `back${k}`, name: `back${k}` })}&since=5&epoch=${epoch}`);
        await socket.waitFor((f) => f.type === "recovered", 10_000);
        return socket;
      }),
    );
    for (const socket of back) {
      expect(socket.frames.map((f) => [f.type, f.seq])).toEqual([
        ["publish", 6],
        ["publish", 7],
        ["publish", 8],
        ["recovered", 8],
      ]);
    }
    // And live after that, everywhere, once.
    expect((await publish(roomId, 9)).status).toBe(200);
    const live = [...sockets.filter((_, i) => i % 10 !== 3).map((s) => s.socket), ...back];
    for (const socket of live) await socket.waitFor((f) => f.type === "publish" && f.data === 9, 10_000);
    for (const socket of live) expect(published(socket).filter((f) => f.data === 9).map((f) => f.seq)).toEqual([9]);
    for (const socket of live) socket.close();
    await allClosed(roomId);
  });

  it("whispers reach exactly their reader, on whichever gateway it sits; the sender's ack comes back to its own socket", { timeout: 60_000 }, async () => {
    const roomId = await newRoom({ socketsPerObject: 3 });
    const sockets = await openMany(roomId, 12);
    expect((await spreadOf(roomId)).objects).toBeGreaterThanOrEqual(4);
    const alice = sockets[1]!.socket;
    const bob = sockets[10]!.socket;
    alice.send({ type: "whisper", to: "u10", data: "psst", id: "w1" });
    expect(await alice.nextMatching((f) => f.type === "ack")).toMatchObject({ type: "ack", id: "w1" });
    expect(await bob.nextMatching((f) => f.type === "whisper")).toMatchObject({ type: "whisper", data: "psst", from: "u1" });
    // A fence everyone gets: a whisper never reached anyone else before it.
    expect((await publish(roomId, "fence")).status).toBe(200);
    for (const { socket } of sockets) await socket.waitFor((f) => f.data === "fence", 10_000);
    // The whisper goes to its reader and back to its sender (relayKind), no one else.
    for (const [i, { socket }] of sockets.entries()) expect(socket.frames.filter((f) => f.type === "whisper").length).toBe(i === 10 || i === 1 ? 1 : 0);
    for (const { socket } of sockets) socket.close();
    await allClosed(roomId);
  });
});

describe("eviction with sockets on gateways ([S1], [R1])", () => {
  it("the room and a gateway evicted between events: nothing lost or doubled, sends and closes still reach the right sockets", { timeout: 60_000 }, async () => {
    const { evictDurableObject, env } = await import("cloudflare:test");
    const roomId = await newRoom({ socketsPerObject: 4, presence: false });
    const sockets = await openMany(roomId, 12);
    const spread = await spreadOf(roomId);
    expect(spread.gateways.length).toBe(2);
    expect((await publish(roomId, 1)).status).toBe(200);
    for (const { socket } of sockets) await socket.waitFor((f) => f.data === 1);
    const stub = (name: string) => env.ROOMS.get(env.ROOMS.idFromName(name));
    await evictDurableObject(stub(roomId));
    await evictDurableObject(stub(spread.gateways[0]!.name));
    expect((await publish(roomId, 2)).status).toBe(200);
    for (const { socket } of sockets) await socket.waitFor((f) => f.data === 2, 5000);
    // A socket on an evicted gateway still sends, and its ack comes back to it alone.
    const far = sockets[11]!.socket;
    far.send({ type: "publish", data: 3, id: "c3" });
    expect(await far.nextMatching((f) => f.type === "ack")).toMatchObject({ id: "c3", seq: 3 });
    for (const { socket } of sockets) await socket.waitFor((f) => f.data === 3, 5000);
    for (const { socket } of sockets) expect(published(socket).map((f) => f.seq)).toEqual([1, 2, 3]);
    expect((await spreadOf(roomId)).sockets).toBe(12);
    for (const { socket } of sockets) socket.close();
    await allClosed(roomId);
  });
});

describe("eviction mid-delivery ([S1])", () => {
  it("the room, a gateway and a sender's gateway evicted while a burst is in flight: every socket gets every event once, in order", { timeout: 60_000 }, async () => {
    const { evictDurableObject, env } = await import("cloudflare:test");
    const roomId = await newRoom({ socketsPerObject: 3, presence: false });
    const sockets = await openMany(roomId, 12);
    const { gateways } = await spreadOf(roomId);
    expect(gateways.length).toBe(3);
    const stub = (name: string) => env.ROOMS.get(env.ROOMS.idFromName(name));
    // A socket on the last gateway sends half of the burst; HTTP publishes the other half.
    const sender = sockets[11]!.socket;
    const burst = Array.from({ length: 20 }, (_, i) => i + 1);
    const posted = Promise.all(
      burst.map(async (i) => {
        if (i % 2 === 0) return sender.send({ type: "publish", data: i, id: `p${i}` });
        expect((await publish(roomId, i)).status).toBe(200);
      }),
    );
    await evictDurableObject(stub(gateways[0]!.name));
    await evictDurableObject(stub(roomId));
    await evictDurableObject(stub(gateways[2]!.name));
    await posted;
    // Every command of the sender is acked (a retry after the eviction is answered as a duplicate, not applied twice).
    for (const i of burst.filter((i) => i % 2 === 0)) await sender.waitFor((f) => f.type === "ack" && f.id === `p${i}`, 10_000);
    for (const { socket } of sockets) await socket.waitFor(() => published(socket).length >= 20, 10_000);
    for (const { socket } of sockets) {
      const got = published(socket);
      expect(got.map((f) => f.seq)).toEqual(burst);
      expect(new Set(got.map((f) => f.data)).size).toBe(20);
    }
    for (const { socket } of sockets) socket.close();
    await allClosed(roomId);
  });
});

describe("POST /api/objects/load ([S5])", () => {
  it("an admin reads each object's inputs by way in; anyone else is refused", async () => {
    const roomId = await newRoom({ socketsPerObject: 2, presence: false });
    const sockets = await openMany(roomId, 4);
    const { gateways } = await spreadOf(roomId);
    // Every socket publishes once: which two the room holds depends on the order the upgrades
    // arrived in, not on their index, so the counts below don't name a socket.
    sockets.forEach(({ socket }, i) => socket.send({ type: "publish", data: "x", id: `x${i}` }));
    for (const { socket } of sockets) await socket.waitFor((f) => f.type === "ack");
    const res = await api("POST", "/api/objects/load", await adminToken(), { names: [roomId, gateways[0]!.name] });
    expect(res.status).toBe(200);
    const [room, gw] = res.json.objects as { name: string; inputs: Record<string, number>; total: number }[];
    // 4 upgrades (2 held, 2 sent on with a 307) and the 2 admissions its gateway asked for; the
    // publishes of its own 2 sockets (frames) and of the gateway's 2 (remote inputs).
    expect(room).toMatchObject({ name: roomId, inputs: { connect: 6, frame: 2, remote: 2 } });
    expect(gw).toMatchObject({ name: gateways[0]!.name, inputs: { connect: 2, frame: 2 } });
    // Pushes reach it as calls or riding on the answers to its own inputs ([S1]).
    expect(gw!.inputs.push! + gw!.inputs.ride!).toBeGreaterThan(0);
    expect((await api("POST", "/api/objects/load", await token({ sub: "u", name: "u" }), { names: [roomId] })).status).toBe(403);
    expect((await api("POST", "/api/objects/load", await adminToken(), { names: [] })).status).toBe(400);
    for (const { socket } of sockets) socket.close();
    await allClosed(roomId);
  });
});
