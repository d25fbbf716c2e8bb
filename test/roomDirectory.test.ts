import { describe, expect, it } from "vitest";
import harborWalk from "../examples/quests/harbor-walk.json";
import { newFeed, publishTo, subscribe } from "./feedHelpers.ts";
import { client, createRoom, gameAt, newLobby } from "./helpers/games.ts";
import { eventually } from "./helpers/objects.ts";
import { newRoom } from "./helpers/rooms.ts";
import { api } from "./helpers/socket.ts";
import { adminToken, token } from "./helpers/tokens.ts";

type Listed = { name: string; kind: string; roomId: string; createdAt: number; href: string | null };

async function listed(kind?: string): Promise<Listed[]> {
  const res = await api("GET", `/api/rooms${kind ? `?kind=${kind}` : ""}`, await adminToken());
  expect(res.status, JSON.stringify(res.json)).toBe(200);
  return res.json.rooms as Listed[];
}

describe("the room directory lists every system's rooms under ids that resolve (issue 16)", () => {
  it("relay, quest, tabletop, campaign, feed and games (lobby and game) rooms are listed once each, with a working href", async () => {
    const admin = await adminToken();
    const relayId = await newRoom();
    expect((await api("PUT", "/api/quests/harbor-walk", admin, harborWalk)).status).toBe(200);
    const ann = await token({ sub: `ann-${crypto.randomUUID().slice(0, 6)}`, name: "Ann" });
    const team = await api("POST", "/api/teams", ann, { questId: "harbor-walk", playerName: "Ann", mode: "team" });
    const teamCode = team.json.teamCode as string;
    const session = await api("POST", "/api/sessions", admin, { campaign_id: 7, dm_user_id: "dm-1" });
    const sessionId = session.json.session_id as string;
    const campaignId = `dir-${crypto.randomUUID().slice(0, 8)}`;
    expect((await api("POST", "/api/campaigns", await token({ sub: "dm-9" }), { campaign_id: campaignId, dm_user_id: "dm-9" })).status).toBe(201);
    const feed = await newFeed();
    await subscribe(feed, "dir-fan");
    expect((await publishTo(feed, { type: "teams.locked", tournamentId: "t", data: {} })).status).toBe(202);
    const shard = await newLobby();
    const host = await client(shard, "ann");
    const gameId = await createRoom(host, "Den");
    // [S8] A game lives in its creator's gateway and is listed by its address there.
    const game = (await gameAt(gameId)).address;

    const expected: Record<string, { kind: string; roomId: string }> = {
      [relayId]: { kind: "relay", roomId: relayId },
      [`quest:${teamCode}`]: { kind: "quest", roomId: teamCode },
      [`tabletop:${sessionId}`]: { kind: "tabletop", roomId: sessionId },
      [`campaign:${campaignId}`]: { kind: "campaign", roomId: campaignId },
      [`feed:${feed}`]: { kind: "feed", roomId: `feed:${feed}` },
      [`games:lobby:${shard}`]: { kind: "games.lobby", roomId: `games:lobby:${shard}` },
      [game]: { kind: "games.game", roomId: game },
    };
    // Objects record themselves after replying (waitUntil); give the last writes a moment.
    const rooms = await eventually(async () => {
      const all = await listed();
      // Own keys only: the directory is shared with other files' rooms, and security.test.ts
      // makes rooms named constructor, toString and __proto__ (which `in` finds on any object).
      const mine = all.filter((r) => Object.hasOwn(expected, r.name));
      if (mine.length < Object.keys(expected).length) throw new Error(`listed ${mine.map((r) => r.name).join(", ")}`);
      return mine;
    });
    expect(rooms).toHaveLength(Object.keys(expected).length);
    for (const r of rooms) {
      expect(r, r.name).toMatchObject(expected[r.name]!);
      if (r.href === null) continue;
      const res = await api("GET", r.href, admin);
      expect(res.status, `${r.name} -> ${r.href}: ${JSON.stringify(res.json)}`).toBe(200);
    }
    // Every system that has a GET route for its rooms gives one.
    expect(rooms.filter((r) => r.href === null).map((r) => r.kind).sort()).toEqual(["games.game"]);
    // [S8] The game has none, but the inspector reads it by its listed name (its address in its gateway), time travel included.
    const inspected = await api("GET", `/api/admin/rooms/${encodeURIComponent(game)}`, admin);
    expect(inspected.status, JSON.stringify(inspected.json)).toBe(200);
    expect(inspected.json).toMatchObject({ name: game, kind: "games.game", listed: true, state: { room_id: gameId, room_name: "Den" } });
    const log = await api("GET", `/api/admin/rooms/${encodeURIComponent(game)}/log?limit=5`, admin);
    expect(log.status).toBe(200);
    const seq = (log.json.entries as { seq: number }[]).at(-1)!.seq;
    expect((await api("GET", `/api/admin/rooms/${encodeURIComponent(game)}/state?at=${seq}`, admin)).json).toMatchObject({ at: seq, state: { room_id: gameId, room_name: "Den" } });
    // A kind filter.
    expect((await listed("tabletop")).every((r) => r.kind === "tabletop")).toBe(true);
  });

  it("pages newest first with `next`, and refuses non-admins and bad parameters", async () => {
    const admin = await adminToken();
    for (let i = 0; i < 3; i++) await newRoom();
    const first = await api("GET", "/api/rooms?limit=2", admin);
    expect(first.json.rooms).toHaveLength(2);
    expect(typeof first.json.next).toBe("number");
    const second = await api("GET", `/api/rooms?limit=2&before=${first.json.next}`, admin);
    expect(second.json.rooms.length).toBeGreaterThan(0);
    expect(second.json.rooms[0].createdAt).toBeLessThan(first.json.rooms[1].createdAt);
    expect((await api("GET", "/api/rooms", await token({ sub: "someone" }))).status).toBe(403);
    expect((await api("GET", "/api/rooms", null)).status).toBe(401);
    const bad = await api("GET", "/api/rooms?limit=0", admin);
    expect(bad.status).toBe(400);
    expect(bad.json.error.code).toBe("BAD_REQUEST");
  });
});

describe("GET /api/admin/rooms/:name: one room of any system, by object name", () => {
  it("shows a tabletop session's state as an admin sees it, and a campaign's metrics", async () => {
    const admin = await adminToken();
    const session = await api("POST", "/api/sessions", admin, { campaign_id: 3, dm_user_id: "dm-2" });
    const name = `tabletop:${session.json.session_id}`;
    const res = await api("GET", `/api/admin/rooms/${encodeURIComponent(name)}`, admin);
    expect(res.status, JSON.stringify(res.json)).toBe(200);
    expect(res.json).toMatchObject({ name, kind: "tabletop", roomId: session.json.session_id, seq: expect.any(Number), epoch: expect.any(String), href: `/api/sessions/${session.json.session_id}` });
    expect(res.json.state).toMatchObject({ session_id: session.json.session_id, campaign_id: 3 });
    expect(res.json).not.toHaveProperty("ok");

    const campaignId = `adm-${crypto.randomUUID().slice(0, 8)}`;
    await api("POST", "/api/campaigns", await token({ sub: "dm-3" }), { campaign_id: campaignId, dm_user_id: "dm-3" });
    const camp = await api("GET", `/api/admin/rooms/campaign%3A${campaignId}`, admin);
    expect(camp.status).toBe(200);
    expect(camp.json.metrics).toMatchObject({ connections: { current: 0 }, messages: expect.any(Object) });
  });

  it("404s an unknown room, 400s a malformed name, 403s a user", async () => {
    const admin = await adminToken();
    expect((await api("GET", `/api/admin/rooms/nope-${crypto.randomUUID()}`, admin)).json.error.code).toBe("ROOM_NOT_FOUND");
    expect((await api("GET", "/api/admin/rooms/has%20space", admin)).json.error.code).toBe("BAD_ROOM_NAME");
    expect((await api("GET", "/api/admin/rooms/x", await token({ sub: "u" }))).status).toBe(403);
  });
});
