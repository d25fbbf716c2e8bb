import { evictDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { stubFor } from "./helpers/rooms.ts";
import { api, connect, open, type Frame, type TestSocket } from "./helpers/socket.ts";
import { token } from "./helpers/tokens.ts";

const svc = () => token({ sub: "gaia-api", scope: "events:publish" });
const uid = (prefix: string) => `${prefix}-${crypto.randomUUID().slice(0, 8)}`;

async function createCampaign(options: { players?: string[]; max_connections?: number; dm?: string } = {}) {
  const dm = options.dm ?? uid("dm");
  const campaign_id = uid("camp");
  const res = await api("POST", "/api/campaigns", await svc(), {
    campaign_id,
    dm_user_id: dm,
    ...(options.players ? { players: options.players } : {}),
    ...(options.max_connections ? { max_connections: options.max_connections } : {}),
  });
  expect(res.status, JSON.stringify(res.json)).toBe(201);
  return { id: campaign_id, dm, dmToken: await token({ sub: dm, name: "Dana the DM" }) };
}

const userToken = (sub: string, extra: { role?: string } = {}) => token({ sub, name: sub.toUpperCase(), ...extra });

/** A player socket, its snapshot already read. */
async function player(campaignId: string, sub: string, query = "") {
  const socket = await open(`/ws/campaign/player?campaign=${campaignId}&token=${await userToken(sub)}${query}`);
  const snapshot = await socket.next();
  expect(snapshot).toMatchObject({ type: "snapshot", seq: expect.any(Number), epoch: expect.any(String) });
  return { socket, snapshot };
}

async function dmSocket(campaignId: string, dmToken: string) {
  const socket = await open(`/ws/campaign/dm?campaign=${campaignId}&token=${dmToken}`);
  expect(await socket.next()).toMatchObject({ type: "snapshot" });
  return socket;
}

const load = async (id: string, t: string, structured_data: Record<string, unknown>, headers: Record<string, string> = {}) =>
  api("POST", `/api/campaigns/${id}/load`, t, { structured_data }, headers);

const ofType = (frames: Frame[], type: string) => frames.filter((f) => f.type === type);
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

describe("campaign sync (seed 001): creation", () => {
  it("answers 201 with both socket URLs, 409 when the campaign exists, 403 for someone else's DM id", async () => {
    const dm = uid("dm");
    const campaign_id = uid("camp");
    const dmToken = await userToken(dm);
    const res = await api("POST", "/api/campaigns", dmToken, { campaign_id, dm_user_id: dm });
    expect(res.status).toBe(201);
    expect(res.json).toEqual({
      campaign_id,
      websocket_urls: {
        player: `wss://hearth.test/ws/campaign/player?campaign=${campaign_id}`,
        dm: `wss://hearth.test/ws/campaign/dm?campaign=${campaign_id}`,
      },
    });
    const again = await api("POST", "/api/campaigns", await svc(), { campaign_id, dm_user_id: dm });
    expect(again.status).toBe(409);
    expect(again.json.error.code).toBe("ROOM_EXISTS");
    const impostor = await api("POST", "/api/campaigns", await userToken("mallory"), { campaign_id: uid("camp"), dm_user_id: dm });
    expect(impostor.status).toBe(403);
    const badId = await api("POST", "/api/campaigns", dmToken, { campaign_id: "no spaces/or:colons", dm_user_id: dm });
    expect(badId.status).toBe(400);
    expect(badId.json.error.code).toBe("BAD_REQUEST");
    expect((await api("POST", "/api/campaigns", null, { campaign_id: uid("camp"), dm_user_id: dm })).status).toBe(401);
    // The directory lists it for admins.
    const rooms = await api("GET", "/api/rooms", await token({ sub: "admin", scope: "rooms:admin" }));
    expect(rooms.json.rooms).toContainEqual(expect.objectContaining({ name: `campaign:${campaign_id}`, roomId: campaign_id, kind: "campaign", href: `/api/campaigns/${campaign_id}` }));
  });
});

describe("campaign sync (seed 001): the DM's flow reaches every player", () => {
  it("load, socket update, mid-campaign join, status, heartbeat, deactivate, leave", async () => {
    const { id, dm, dmToken } = await createCampaign();
    const dmWs = await dmSocket(id, dmToken);
    // Inactive: a player gets Hearth's snapshot and nothing else.
    const alice = await player(id, uid("alice"));
    expect(alice.snapshot.state).toMatchObject({ campaign_id: id, active: false, structured_data: null });
    expect(await alice.socket.drain()).toEqual([]);
    const joined = await dmWs.nextMatching((f) => f.type === "player_joined");
    expect(Object.keys(joined).sort()).toEqual(["epoch", "seq", "timestamp", "type", "user_id", "username"]);
    expect(joined).toMatchObject({ user_id: expect.stringMatching(/^alice-/), username: expect.stringMatching(/^ALICE-/), timestamp: expect.stringMatching(ISO) });

    // The DM loads over HTTP: every socket gets campaign_loaded, exactly the seed's fields (plus seq/epoch).
    const data = { narrative: "The gates open.", turn: "Round 1", status: "exploring", characters: "Thorn, Mira", turn_info: { current: "Thorn" }, all_narratives: ["The gates open."], mood: "tense" };
    const loaded = await load(id, dmToken, data);
    expect(loaded.status, JSON.stringify(loaded.json)).toBe(200);
    expect(loaded.json).toMatchObject({ campaign_id: id, active: true, structured_data: data, seq: expect.any(Number), epoch: expect.any(String) });
    for (const s of [alice.socket, dmWs]) {
      const f = await s.nextMatching((x) => x.type === "campaign_loaded");
      expect(Object.keys(f).sort()).toEqual(["campaign_id", "epoch", "seq", "structured_data", "timestamp", "type"]);
      // Unknown top-level keys (`mood`) are kept.
      expect(f).toMatchObject({ campaign_id: id, structured_data: data, timestamp: expect.stringMatching(ISO), seq: loaded.json.seq });
    }

    // The DM socket updates: acked, and the broadcast carries the merged whole.
    dmWs.send({ type: "campaign_updated", id: "u1", structured_data: { narrative: "A dragon lands.", immediate_threats: "Dragon" } });
    const updated = await alice.socket.nextMatching((f) => f.type === "campaign_updated");
    expect(updated.structured_data).toEqual({ ...data, narrative: "A dragon lands.", immediate_threats: "Dragon" });
    expect(await dmWs.nextMatching((f) => f.type === "ack")).toMatchObject({ id: "u1", seq: updated.seq });

    // A player who connects mid-campaign gets campaign_active with the latest data right after the snapshot.
    const bobId = uid("bob");
    const bobWs = await open(`/ws/campaign/player?campaign=${id}&token=${await userToken(bobId)}`);
    expect((await bobWs.next()).type).toBe("snapshot");
    const active = await bobWs.next();
    expect(Object.keys(active).sort()).toEqual(["campaign_id", "structured_data", "timestamp", "type"]);
    expect(active).toMatchObject({ type: "campaign_active", campaign_id: id, structured_data: updated.structured_data, timestamp: expect.stringMatching(ISO) });
    const bobJoined = await dmWs.nextMatching((f) => f.type === "player_joined");
    expect(bobJoined).toMatchObject({ user_id: bobId });

    // Player status goes to the DM only.
    bobWs.send({ type: "player_status", status: "ready" });
    // Ephemeral (no seq): a status is news now, not history to replay.
    expect(await dmWs.nextMatching((f) => f.type === "player_status")).toEqual({ type: "player_status", user_id: bobId, username: bobId.toUpperCase(), status: "ready", timestamp: expect.stringMatching(ISO) });
    bobWs.send({ type: "player_status", status: "dancing" });
    expect(await bobWs.nextMatching((f) => f.type === "error")).toMatchObject({ code: "BAD_COMMAND" });

    // Heartbeat: answered to the sender, never logged or broadcast.
    alice.socket.send({ type: "heartbeat" });
    const beat = await alice.socket.nextMatching((f) => f.type === "heartbeat");
    expect(beat).toEqual({ type: "heartbeat", timestamp: expect.stringMatching(ISO) });

    // GET shows the data and who is online.
    const got = await api("GET", `/api/campaigns/${id}`, dmToken);
    expect(got.status).toBe(200);
    expect(got.json).toMatchObject({ campaign_id: id, active: true, structured_data: updated.structured_data, seq: bobJoined.seq, epoch: updated.epoch, online: { dm: true } });
    expect(got.json.online.players.map((p: { user_id: string }) => p.user_id)).toEqual([joined.user_id, bobId]);

    // Deactivate: a frame without structured_data; then update is a 409 with a stable code.
    const off = await api("POST", `/api/campaigns/${id}/deactivate`, dmToken);
    expect(off.status).toBe(200);
    const gone = await bobWs.nextMatching((f) => f.type === "campaign_deactivated");
    expect(Object.keys(gone).sort()).toEqual(["campaign_id", "epoch", "seq", "timestamp", "type"]);
    const stale = await api("POST", `/api/campaigns/${id}/update`, dmToken, { structured_data: { narrative: "late" } });
    expect(stale.status).toBe(409);
    expect(stale.json.error.code).toBe("CAMPAIGN_INACTIVE");
    dmWs.send({ type: "campaign_updated", id: "u2", structured_data: { narrative: "late" } });
    expect(await dmWs.nextMatching((f) => f.type === "error")).toMatchObject({ code: "CAMPAIGN_INACTIVE", id: "u2" });

    // A player leaving is told to the DM only.
    bobWs.close();
    expect(await dmWs.nextMatching((f) => f.type === "player_left")).toMatchObject({ user_id: bobId, username: bobId.toUpperCase(), timestamp: expect.stringMatching(ISO) });
    const aliceSaw = await alice.socket.drain();
    expect(ofType(aliceSaw, "player_left")).toEqual([]);
    expect(ofType(aliceSaw, "player_joined")).toEqual([]);
    expect(ofType(aliceSaw, "player_status")).toEqual([]);
    expect(dm).toBeTruthy();
  });

  it("a player offline during two updates resumes with since/epoch and gets both, in order, once", async () => {
    const { id, dmToken } = await createCampaign();
    await load(id, dmToken, { narrative: "one" });
    const { socket, snapshot } = await player(id, uid("carol"));
    expect(await socket.next()).toMatchObject({ type: "campaign_active", structured_data: { narrative: "one" } });
    socket.close();
    await socket.waitClosed();
    for (const narrative of ["two", "three"]) {
      expect((await api("POST", `/api/campaigns/${id}/update`, dmToken, { structured_data: { narrative } })).status).toBe(200);
    }
    const back = await open(`/ws/campaign/player?campaign=${id}&token=${await userToken("carol-again")}&since=${snapshot.seq}&epoch=${snapshot.epoch}`);
    const frames: Frame[] = [];
    for (;;) {
      const f = await back.next();
      frames.push(f);
      if (f.type === "recovered") break;
    }
    const updates = ofType(frames, "campaign_updated");
    expect(updates.map((f) => (f.structured_data as { narrative: string }).narrative)).toEqual(["two", "three"]);
    expect((updates[1]!.seq as number) > (updates[0]!.seq as number)).toBe(true);
    expect(frames.at(-1)).toMatchObject({ type: "recovered", recovered: true });
    // Then the seed's campaign_active (its client reads only that), and nothing repeated.
    expect(await back.next()).toMatchObject({ type: "campaign_active", structured_data: { narrative: "three" } });
    expect(ofType(await back.drain(), "campaign_updated")).toEqual([]);
  });

  it("the campaign survives eviction: open sockets keep receiving, a new player gets campaign_active", async () => {
    const { id, dmToken } = await createCampaign();
    const dmWs = await dmSocket(id, dmToken);
    const { socket } = await player(id, uid("gil"));
    await load(id, dmToken, { narrative: "before" });
    await socket.nextMatching((f) => f.type === "campaign_loaded");
    await evictDurableObject(stubFor(`campaign:${id}`));
    dmWs.send({ type: "campaign_updated", id: "after", structured_data: { turn: "2" } });
    expect(await socket.nextMatching((f) => f.type === "campaign_updated")).toMatchObject({ structured_data: { narrative: "before", turn: "2" } });
    const late = await player(id, uid("hal"));
    expect(await late.socket.next()).toMatchObject({ type: "campaign_active", structured_data: { narrative: "before", turn: "2" } });
  });

  it("Idempotency-Key: a retried load answers the first response and broadcasts once", async () => {
    const { id, dmToken } = await createCampaign();
    const { socket } = await player(id, uid("dave"));
    const headers = { "Idempotency-Key": "load-1" };
    const first = await load(id, dmToken, { narrative: "once" }, headers);
    const retry = await load(id, dmToken, { narrative: "once" }, headers);
    expect(retry.status).toBe(200);
    expect(retry.headers.get("Idempotent-Replayed")).toBe("true");
    expect(retry.json).toMatchObject({ seq: first.json.seq, replayed: true });
    const other = await load(id, dmToken, { narrative: "different" }, headers);
    expect(other.status).toBe(422);
    await socket.nextMatching((f) => f.type === "campaign_loaded");
    expect(ofType(await socket.drain(), "campaign_loaded")).toEqual([]);
    const off1 = await api("POST", `/api/campaigns/${id}/deactivate`, dmToken, undefined, { "Idempotency-Key": "off" });
    const off2 = await api("POST", `/api/campaigns/${id}/deactivate`, dmToken, undefined, { "Idempotency-Key": "off" });
    expect([off1.status, off2.status]).toEqual([200, 200]);
    expect(off2.json.seq).toBe(off1.json.seq);
  });

  it("Idempotency-Key: the same key and body for another campaign of the same DM is refused (422), never answered with the first one's result", async () => {
    const dm = uid("dm");
    const a = await createCampaign({ dm });
    const b = await createCampaign({ dm });
    const headers = { "Idempotency-Key": "same" };
    const first = await load(a.id, a.dmToken, { narrative: "one" }, headers);
    expect(first.status).toBe(200);
    const other = await load(b.id, b.dmToken, { narrative: "one" }, headers);
    expect(other.status).toBe(422);
    expect(other.json.error.code).toBe("IDEMPOTENCY_KEY_REUSED");
  });
});

describe("campaign sync (seed 001): security", () => {
  it("only the campaign's players may connect or read; only its DM opens the DM socket (4003)", async () => {
    const alice = uid("alice");
    const { id, dm, dmToken } = await createCampaign({ players: [alice] });
    const outsider = await connect(`/ws/campaign/player?campaign=${id}&token=${await userToken("mallory")}`);
    expect(await outsider.socket!.waitClosed()).toMatchObject({ code: 4003 });
    const playerAsDm = await connect(`/ws/campaign/dm?campaign=${id}&token=${await userToken(alice, { role: "dm" })}`);
    expect(await playerAsDm.socket!.waitClosed()).toMatchObject({ code: 4003 });
    expect((await api("GET", `/api/campaigns/${id}`, await userToken("mallory"))).status).toBe(403);
    const forged = await load(id, await userToken("mallory", { role: "dm" }), { narrative: "pwned" });
    expect(forged.status).toBe(403);
    expect(forged.json.error.code).toBe("NOT_CAMPAIGN_DM");
    // The invited player may read, and the DM may connect on the player route too.
    expect((await api("GET", `/api/campaigns/${id}`, await userToken(alice))).status).toBe(200);
    const dmAsPlayer = await open(`/ws/campaign/player?campaign=${id}&token=${dmToken}`);
    expect((await dmAsPlayer.next()).type).toBe("snapshot");
    // The invite list is for the DM's eyes.
    expect((await api("GET", `/api/campaigns/${id}`, dmToken)).json.players).toEqual([alice]);
    expect((await api("GET", `/api/campaigns/${id}`, await userToken(alice))).json.players).toBeUndefined();
    expect(dm).toBeTruthy();
  });

  it("a player socket can never send DM frames, not even the DM's own player socket", async () => {
    const { id, dmToken } = await createCampaign();
    await load(id, dmToken, { narrative: "calm" });
    const { socket } = await player(id, uid("erin"));
    await socket.next(); // campaign_active
    const dmAsPlayer = await open(`/ws/campaign/player?campaign=${id}&token=${dmToken}`);
    await dmAsPlayer.next();
    await dmAsPlayer.next();
    for (const s of [socket, dmAsPlayer]) {
      s.send({ type: "campaign_updated", id: "x", structured_data: { narrative: "hijacked" } });
      expect(await s.nextMatching((f) => f.type === "error")).toMatchObject({ code: "DM_ONLY", id: "x" });
      s.send({ type: "campaign_deactivated" });
      expect(await s.nextMatching((f) => f.type === "error")).toMatchObject({ code: "DM_ONLY" });
    }
    expect(ofType(await socket.drain(), "campaign_updated")).toEqual([]);
    const got = await api("GET", `/api/campaigns/${id}`, dmToken);
    expect(got.json).toMatchObject({ active: true, structured_data: { narrative: "calm" } });
  });

  it("authentication: no token or a bad one closes 4001; an unknown or missing campaign 4004", async () => {
    const { id } = await createCampaign();
    for (const q of ["", "&token=not-a-jwt", `&token=${await token({ sub: "x" }, { secret: "wrong-secret" })}`]) {
      const r = await connect(`/ws/campaign/player?campaign=${id}${q}`);
      expect(await r.socket!.waitClosed()).toMatchObject({ code: 4001 });
    }
    const unknown = await connect(`/ws/campaign/player?campaign=nope-${uid("x")}&token=${await userToken("u")}`);
    expect(await unknown.socket!.waitClosed()).toMatchObject({ code: 4004 });
    const missing = await connect(`/ws/campaign/player?token=${await userToken("u")}`);
    expect(await missing.socket!.waitClosed()).toMatchObject({ code: 4004 });
    expect((await api("GET", `/api/campaigns/${id}`, null)).status).toBe(401);
    expect((await api("GET", `/api/campaigns/nope-${uid("x")}`, await svc())).status).toBe(404);
  });

  it("rate limiting: a flood gets RATE_LIMITED, then close 4008", async () => {
    const { id } = await createCampaign();
    const { socket } = await player(id, uid("flood"));
    for (let i = 0; i < 80; i++) socket.send({ type: "heartbeat" });
    expect(await socket.nextMatching((f) => f.type === "error")).toMatchObject({ code: "RATE_LIMITED" });
    expect(await socket.waitClosed()).toMatchObject({ code: 4008 });
  });

  it("rate limiting over HTTP: a user's burst past the budget is 429 with Retry-After; services are not limited", async () => {
    const { id, dmToken } = await createCampaign();
    // Sent at once, so the bucket (burst 30, 10/s) cannot refill in between, however slow the machine.
    const results = await Promise.all(Array.from({ length: 60 }, (_, i) => load(id, dmToken, { narrative: `n${i}` })));
    const limited = results.find((r) => r.status === 429);
    expect(limited?.json.error.code).toBe("RATE_LIMITED");
    expect(limited?.headers.get("Retry-After")).toBe("1");
    expect(results.filter((r) => r.status === 200).length).toBeGreaterThanOrEqual(30);
    expect((await load(id, await svc(), { narrative: "service" })).status).toBe(200);
  });

  it("a connection limit per campaign: the socket over it is closed 4009", async () => {
    const { id, dmToken } = await createCampaign({ max_connections: 2 });
    await dmSocket(id, dmToken);
    await player(id, uid("p1"));
    const third = await connect(`/ws/campaign/player?campaign=${id}&token=${await userToken(uid("p2"))}`);
    expect(await third.socket!.waitClosed()).toMatchObject({ code: 4009, reason: "Room full" });
  });

  it("validation: every frame and body is checked; 256 KiB of structured_data is accepted, more is refused", async () => {
    const { id, dmToken } = await createCampaign();
    const dmWs = await dmSocket(id, dmToken);
    const { socket } = await player(id, uid("frank"));
    dmWs.send({ type: "campaign_loaded", id: "bad", structured_data: { narrative: 42 } });
    expect(await dmWs.nextMatching((f) => f.type === "error")).toMatchObject({ code: "BAD_COMMAND", id: "bad", details: [{ path: "structured_data.narrative" }] });
    dmWs.send({ type: "campaign_loaded", structured_data: "not an object" });
    expect((await dmWs.nextMatching((f) => f.type === "error")).code).toBe("BAD_COMMAND");
    dmWs.send({ type: "teleport" });
    expect((await dmWs.nextMatching((f) => f.type === "error")).code).toBe("BAD_COMMAND");
    dmWs.send("{not json");
    expect((await dmWs.nextMatching((f) => f.type === "error")).code).toBe("BAD_JSON");
    const httpBad = await api("POST", `/api/campaigns/${id}/load`, dmToken, { structured_data: { turn_info: 7 } });
    expect(httpBad.status).toBe(400);
    expect(httpBad.json.error.details[0].path).toBe("structured_data.turn_info");

    // 200 KiB passes on both paths (the worker's default HTTP bound is 64 KiB; campaign routes take 256 KiB).
    const big = "x".repeat(200 * 1024);
    dmWs.send({ type: "campaign_loaded", id: "big", structured_data: { narrative: big } });
    expect(await dmWs.nextMatching((f) => f.type === "ack")).toMatchObject({ id: "big" });
    expect(((await socket.nextMatching((f) => f.type === "campaign_loaded")).structured_data as { narrative: string }).narrative).toHaveLength(big.length);
    const overHttp = await api("POST", `/api/campaigns/${id}/update`, dmToken, { structured_data: { story_progression: big } });
    expect(overHttp.status).toBe(413);
    expect(overHttp.json.error.code).toBe("STRUCTURED_DATA_TOO_LARGE");
    const fits = await api("POST", `/api/campaigns/${id}/load`, dmToken, { structured_data: { narrative: big } });
    expect(fits.status).toBe(200);
    // Over 256 KiB: refused on the socket and over HTTP, and nothing changed.
    const huge = "y".repeat(257 * 1024);
    dmWs.send({ type: "campaign_loaded", structured_data: { narrative: huge } });
    expect((await dmWs.nextMatching((f) => f.type === "error")).code).toBe("FRAME_TOO_LARGE");
    const tooBig = await api("POST", `/api/campaigns/${id}/load`, dmToken, { structured_data: { narrative: huge } });
    expect(tooBig.status).toBe(413);
    expect(tooBig.json.error.code).toBe("BODY_TOO_LARGE");
    // Other routes keep the 64 KiB bound.
    const elsewhere = await api("POST", "/api/sessions", dmToken, { campaign_id: big, dm_user_id: "x" });
    expect(elsewhere.status).toBe(413);
    const after = await api("GET", `/api/campaigns/${id}`, dmToken);
    expect((after.json.structured_data.narrative as string).startsWith("x")).toBe(true);
  });
});

describe("campaign sync (seed 001): metrics", () => {
  it("connections, messages and bytes both ways, errors by code and broadcast latency, for the DM and services only", async () => {
    const alice = uid("alice");
    const { id, dmToken } = await createCampaign();
    const dmWs = await dmSocket(id, dmToken);
    const { socket } = await player(id, alice);
    await load(id, dmToken, { narrative: "counted" });
    await socket.nextMatching((f) => f.type === "campaign_loaded");
    dmWs.send({ type: "campaign_loaded", structured_data: { narrative: 1 } });
    await dmWs.nextMatching((f) => f.type === "error");
    socket.send({ type: "heartbeat" });
    await socket.nextMatching((f) => f.type === "heartbeat");

    const res = await api("GET", `/api/campaigns/${id}/metrics`, dmToken);
    expect(res.status, JSON.stringify(res.json)).toBe(200);
    const m = res.json;
    expect(m.campaign_id).toBe(id);
    expect(m.connections).toMatchObject({ current: 2, opened: 2, refused: 0, peak: 2 });
    expect(m.messages).toMatchObject({ in: 2, http: 1 });
    expect(m.bytes.in).toBeGreaterThan(0);
    // Out: two snapshots, the DM's player_joined, campaign_loaded to both, the error and the heartbeat reply.
    expect(m.messages.out).toBe(7);
    expect(m.bytes.out).toBeGreaterThan(m.bytes.in);
    expect(m.errors).toEqual({ total: 1, byCode: { BAD_COMMAND: 1 } });
    expect(m.broadcasts).toMatchObject({ count: 1, recipients: 2 });
    expect(m.broadcasts.latencyMs).toMatchObject({ max: expect.any(Number), mean: expect.any(Number), p50: expect.any(Number), p95: expect.any(Number) });

    expect((await api("GET", `/api/campaigns/${id}/metrics`, await svc())).status).toBe(200);
    const asPlayer = await api("GET", `/api/campaigns/${id}/metrics`, await userToken(alice));
    expect(asPlayer.status).toBe(403);
    expect(asPlayer.json.error.code).toBe("NOT_CAMPAIGN_DM");
  });
});

describe("campaign sync (seed 001): switching the DM's active campaign", () => {
  it("deactivates A for A's players before loading B for B's", async () => {
    const dm = uid("dm");
    const a = await createCampaign({ dm });
    const b = await createCampaign({ dm });
    const other = await createCampaign();
    await load(a.id, a.dmToken, { narrative: "in A" });
    await load(other.id, other.dmToken, { narrative: "someone else's" });
    const inA = await player(a.id, uid("pa"));
    await inA.socket.next(); // campaign_active
    const inB = await player(b.id, uid("pb"));
    // Every player socket sits at the DM's table and follows the DM's active campaign (issue 23), whichever campaign it came through.
    expect(await inB.socket.next()).toMatchObject({ type: "campaign_active", campaign_id: a.id });

    const switched = await api("POST", `/api/dms/${dm}/active`, a.dmToken, { campaign_id: b.id, structured_data: { narrative: "in B" } });
    expect(switched.status, JSON.stringify(switched.json)).toBe(200);
    expect(switched.json).toMatchObject({ dm_user_id: dm, campaign_id: b.id, deactivated: [a.id], active: true, structured_data: { narrative: "in B" } });
    expect(await inA.socket.next()).toMatchObject({ type: "campaign_deactivated", campaign_id: a.id });
    expect(await inA.socket.next()).toMatchObject({ type: "campaign_loaded", campaign_id: b.id });
    expect(await inB.socket.next()).toMatchObject({ type: "campaign_deactivated", campaign_id: a.id });
    expect(await inB.socket.next()).toMatchObject({ type: "campaign_loaded", campaign_id: b.id, structured_data: { narrative: "in B" } });
    expect((await api("GET", `/api/campaigns/${a.id}`, a.dmToken)).json.active).toBe(false);
    expect((await api("GET", `/api/campaigns/${other.id}`, other.dmToken)).json.active).toBe(true);

    // Back to A without data: A is loaded with its last data; B is deactivated first.
    const back = await api("POST", `/api/dms/${dm}/active`, await svc(), { campaign_id: a.id });
    expect(back.json).toMatchObject({ deactivated: [b.id], structured_data: { narrative: "in A" } });
    expect(await inB.socket.next()).toMatchObject({ type: "campaign_deactivated", campaign_id: b.id });
    expect(await inA.socket.next()).toMatchObject({ type: "campaign_deactivated", campaign_id: b.id });
    expect(await inA.socket.next()).toMatchObject({ type: "campaign_loaded", campaign_id: a.id, structured_data: { narrative: "in A" } });

    // Someone else's campaign, or someone else asking, is refused.
    const foreign = await api("POST", `/api/dms/${dm}/active`, a.dmToken, { campaign_id: other.id });
    expect(foreign.status).toBe(409);
    expect(foreign.json.error.code).toBe("NOT_DMS_CAMPAIGN");
    expect((await api("POST", `/api/dms/${dm}/active`, await userToken("mallory"), { campaign_id: a.id })).status).toBe(403);
    expect((await api("POST", `/api/dms/${dm}/active`, a.dmToken, { campaign_id: `nope-${uid("x")}` })).status).toBe(404);
  });
});
