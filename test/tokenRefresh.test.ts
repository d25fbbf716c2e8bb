import { runDurableObjectAlarm } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { newFeed } from "./feedHelpers.ts";
import { newRoom, stubFor } from "./helpers/rooms.ts";
import { api, open } from "./helpers/socket.ts";
import { token } from "./helpers/tokens.ts";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const uid = (p: string) => `${p}-${crypto.randomUUID().slice(0, 8)}`;

/** Token refresh over a real socket with real HS256 tokens ([K1]-[K4], docs/protocol.md "Presenting a fresh token"). */
describe("token refresh on open sockets", () => {
  it("[K4] a socket refreshed three times past its first token's expiry stays open, then closes 4001 when the last token expires", async () => {
    const roomId = await newRoom();
    const sub = uid("fresh");
    const s = await open(`/ws/rooms/${roomId}?token=${await token({ sub, name: sub }, { ttlSec: 2 })}`);
    await s.next();
    const firstExp = Date.now() + 2_000;
    let expiresAt = 0;
    for (let i = 0; i < 3; i++) {
      await sleep(900);
      s.send({ type: "hearth.token", token: await token({ sub, name: sub }, { ttlSec: 3 }) });
      const ack = await s.nextMatching((f) => f.type === "hearth.token");
      expect(ack).toMatchObject({ ok: true, expiresAt: expect.any(Number) });
      expiresAt = ack.expiresAt as number;
      expect(expiresAt).toBeGreaterThan(Date.now());
      await runDurableObjectAlarm(stubFor(roomId));
    }
    await sleep(Math.max(0, firstExp + 300 - Date.now()));
    expect(Date.now()).toBeGreaterThan(firstExp);
    await runDurableObjectAlarm(stubFor(roomId));
    await s.drain();
    expect(s.closed).toBeNull();
    await sleep(Math.max(0, expiresAt + 100 - Date.now()));
    await runDurableObjectAlarm(stubFor(roomId));
    expect(await s.waitClosed()).toEqual({ code: 4001, reason: "Token expired" });
  });

  it("[K2] a fresh token for another user, or signed with another key, closes the socket 4001", async () => {
    const roomId = await newRoom();
    const sub = uid("ann");
    const a = await open(`/ws/rooms/${roomId}?token=${await token({ sub })}`);
    await a.next();
    a.send({ type: "hearth.token", token: await token({ sub: uid("bob") }) });
    expect(await a.waitClosed()).toEqual({ code: 4001, reason: "Token is for another user" });
    const b = await open(`/ws/rooms/${roomId}?token=${await token({ sub })}`);
    await b.next();
    b.send({ type: "hearth.token", token: await token({ sub }, { secret: "another-secret-entirely-0123456789" }) });
    expect(await b.waitClosed()).toEqual({ code: 4001, reason: "Invalid token" });
  });

  it("[K3] a fresh token whose rooms claim leaves this room out, or that adds a scope, closes 4001; one that names it is accepted", async () => {
    const roomId = await newRoom();
    const sub = uid("scoped");
    const a = await open(`/ws/rooms/${roomId}?token=${await token({ sub, rooms: { [roomId]: "member" } })}`);
    await a.next();
    a.send({ type: "hearth.token", token: await token({ sub, rooms: { [roomId]: "member", other: "member" } }) });
    expect(await a.nextMatching((f) => f.type === "hearth.token")).toMatchObject({ ok: true });
    a.send({ type: "hearth.token", token: await token({ sub, rooms: { other: "member" } }) });
    expect(await a.waitClosed()).toEqual({ code: 4001, reason: "Token is not valid for this room" });
    const b = await open(`/ws/rooms/${roomId}?token=${await token({ sub })}`);
    await b.next();
    b.send({ type: "hearth.token", token: await token({ sub, scope: "rooms:admin" }) });
    expect(await b.waitClosed()).toEqual({ code: 4001, reason: "Token changes the socket's role or scopes" });
  });

  it("[K3] sockets a route moved or gave its own role refresh against what their token granted: a campaign player and DM at the DM's table, a feed subscriber in a shard", async () => {
    const dm = uid("dm");
    const campaign = uid("camp");
    const made = await api("POST", "/api/campaigns", await token({ sub: "gaia-api", scope: "events:publish" }), { campaign_id: campaign, dm_user_id: dm });
    expect(made.status, JSON.stringify(made.json)).toBe(201);
    const confined = { [`campaign:${campaign}`]: "member" };
    const pl = uid("pl");
    const player = await open(`/ws/campaign/player?campaign=${campaign}&token=${await token({ sub: pl, rooms: confined })}`);
    await player.next();
    player.send({ type: "hearth.token", token: await token({ sub: pl, rooms: confined }) });
    expect(await player.nextMatching((f) => f.type === "hearth.token")).toMatchObject({ ok: true });
    const dmWs = await open(`/ws/campaign/dm?campaign=${campaign}&token=${await token({ sub: dm })}`);
    await dmWs.next();
    dmWs.send({ type: "hearth.token", token: await token({ sub: dm }) });
    expect(await dmWs.nextMatching((f) => f.type === "hearth.token")).toMatchObject({ ok: true });

    const feed = await newFeed();
    const sub = uid("reader");
    const feedConfined = { [`feed:${feed}`]: "member" };
    const reader = await open(`/ws/feed?feed=${feed}&token=${await token({ sub, rooms: feedConfined })}`);
    await reader.next();
    reader.send({ type: "hearth.token", token: await token({ sub, rooms: feedConfined }) });
    expect(await reader.nextMatching((f) => f.type === "hearth.token")).toMatchObject({ ok: true });
    expect([player.closed, dmWs.closed, reader.closed]).toEqual([null, null, null]);
  });
});
