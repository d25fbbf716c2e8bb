import { describe, expect, it } from "vitest";
import harborWalk from "../examples/quests/harbor-walk.json";
import { newRoom } from "./helpers/rooms.ts";
import { api, connect, open, type Frame, type TestSocket } from "./helpers/socket.ts";
import { adminToken, token } from "./helpers/tokens.ts";

/** What an Auth0 access token usually carries: scopes, none of them Hearth's. */
const OIDC_SCOPE = "openid profile email";

const uid = (prefix: string) => `${prefix}-${crypto.randomUUID().slice(0, 8)}`;

/** A quest team with one member (its creator); returns the code and the member's token. */
async function questTeam() {
  const put = await api("PUT", "/api/quests/harbor-walk", await adminToken(), harborWalk);
  expect(put.status, JSON.stringify(put.json)).toBe(200);
  const ann = await token({ sub: uid("ann"), name: "Ann" });
  const created = await api("POST", "/api/teams", ann, { questId: "harbor-walk", playerName: "Ann", mode: "team" });
  expect(created.status, JSON.stringify(created.json)).toBe(201);
  return { teamCode: created.json.teamCode as string, ann };
}

/** A tabletop session limited to `players` (and its DM). */
async function tabletopSession(players: string[]) {
  const dm = uid("dm");
  const res = await api("POST", "/api/sessions", await token({ sub: "rollscape-api", scope: "events:publish" }), { campaign_id: 7, dm_user_id: dm, players });
  expect(res.status, JSON.stringify(res.json)).toBe(201);
  return { sessionId: res.json.session_id as string, dm };
}

/** Reads the tabletop connect frames up to and including `history`. */
async function tabletopWelcome(s: TestSocket) {
  for (;;) if ((await s.next()).event === "history") return;
}

describe("H1: only Hearth's own scopes make a caller a service", () => {
  it("[H1] a scope claim that is not a Hearth service scope grants nothing on quest routes (team snapshot and /ws/quest refused)", async () => {
    const { teamCode, ann } = await questTeam();
    const eve = await token({ sub: uid("eve"), scope: OIDC_SCOPE });
    const snap = await api("GET", `/api/runtime/session/${teamCode}`, eve);
    expect(snap.status).toBe(403);
    expect(snap.json.error.code).toBe("NOT_ON_TEAM");
    const ws = await connect(`/ws/quest?teamCode=${teamCode}&token=${eve}`);
    expect(ws.socket).toBeNull();
    expect(ws.response.status).toBe(403);
    // Array form of the claim, too.
    const eve2 = await token({ sub: uid("eve"), scope: ["openid", "profile"] as unknown as string });
    expect((await api("GET", `/api/runtime/session/${teamCode}`, eve2)).status).toBe(403);
    // The team member still reads it; a real service scope still does.
    expect((await api("GET", `/api/runtime/session/${teamCode}`, ann)).status).toBe(200);
    expect((await api("GET", `/api/runtime/session/${teamCode}`, await token({ sub: "geo", scope: "openid events:publish" }))).status).toBe(200);
  });

  it("[H1] a scope claim that is not a Hearth service scope grants nothing on a players-restricted tabletop session (info, snapshot, history, socket)", async () => {
    const { sessionId } = await tabletopSession(["invited"]);
    const eve = await token({ sub: uid("eve"), scope: OIDC_SCOPE });
    for (const path of [`/ws/room/${sessionId}/info`, `/api/sessions/${sessionId}`, `/api/sessions/${sessionId}/history`]) {
      const res = await api("GET", path, eve);
      expect(res.status, path).toBe(403);
    }
    const s = await open(`/ws/game/${sessionId}?token=${eve}`);
    expect((await s.waitClosed()).code).toBe(4003);
    // The invited player still gets in.
    expect((await api("GET", `/api/sessions/${sessionId}`, await token({ sub: "invited" }))).status).toBe(200);
  });

  it("[H1] a user whose token carries only non-Hearth scopes is rate limited on POST /api/rooms/:id/events", async () => {
    const roomId = await newRoom({ limits: { rateBurst: 3, ratePerSec: 0.1 } });
    const eve = await token({ sub: uid("eve"), scope: OIDC_SCOPE });
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await api("POST", `/api/rooms/${roomId}/events`, eve, { type: "publish", data: i })).status);
    expect(statuses).toEqual([200, 200, 200, 429, 429]);
  });

  it("[H1] non-Hearth scopes do not satisfy a required scope and do not pass for rooms:admin", async () => {
    const res = await api("POST", "/api/rooms", await token({ sub: "u", scope: "openid rooms:admin:evil admin" }), {});
    expect(res.status).toBe(403);
    expect(res.json.error.code).toBe("SCOPE_REQUIRED");
  });
});

/** `levels` arrays inside each other, as text. */
const nested = (levels: number) => "[".repeat(levels) + "0" + "]".repeat(levels);

describe("H2-H4: JSON depth and size of shape are bounded at decode", () => {
  it("[H2] a deeply nested socket publish is refused with JSON_TOO_DEEP and the room's history still answers 200", async () => {
    const roomId = await newRoom();
    const sender = await open(`/ws/rooms/${roomId}?token=${await token({ sub: "deep-sender" })}`);
    expect(await sender.next()).toMatchObject({ type: "snapshot" });
    const peer = await open(`/ws/rooms/${roomId}?token=${await token({ sub: "deep-peer" })}`);
    expect(await peer.next()).toMatchObject({ type: "snapshot" });
    await sender.drain();
    const frame = `{"type":"publish","data":${nested(5_000)}}`;
    expect(frame.length).toBeGreaterThan(10_000);
    sender.send(frame);
    expect(await sender.nextMatching((f) => f.type === "error")).toMatchObject({ type: "error", code: "JSON_TOO_DEEP", message: expect.any(String) });
    // Nothing was broadcast; the socket still works.
    expect((await peer.drain()).filter((f) => f.type === "publish")).toEqual([]);
    sender.send({ type: "publish", data: { fine: [1, [2, [3]]] } });
    expect(await peer.nextMatching((f) => f.type === "publish")).toMatchObject({ data: { fine: [1, [2, [3]]] } });
    const history = await api("GET", `/api/rooms/${roomId}/history`, await adminToken());
    expect(history.status, JSON.stringify(history.json)).toBe(200);
  });

  it("[H2] a socket frame with too many values is refused with JSON_TOO_COMPLEX", async () => {
    const roomId = await newRoom();
    const s = await open(`/ws/rooms/${roomId}?token=${await token({ sub: "wide-sender" })}`);
    expect(await s.next()).toMatchObject({ type: "snapshot" });
    s.send(`{"type":"publish","data":[${Array(30_000).fill(0).join(",")}]}`);
    expect(await s.nextMatching((f) => f.type === "error")).toMatchObject({ code: "JSON_TOO_COMPLEX" });
  });

  it("[H3] deep player_action.details on a tabletop socket gets an error frame (JSON_TOO_DEEP), and the socket keeps working", async () => {
    const { sessionId, dm } = await tabletopSession([]);
    const d = await open(`/ws/game/${sessionId}?token=${await token({ sub: dm })}`);
    await tabletopWelcome(d);
    const frame = `{"event":"player_action","data":{"action_type":"attack","details":${nested(2_000)}}}`;
    expect(frame.length).toBeLessThan(4_200);
    d.send(frame);
    const err = (await d.nextMatching((f: Frame) => f.event === "error", 1000)).data;
    expect(err).toMatchObject({ code: "JSON_TOO_DEEP", message: expect.any(String) });
    d.send({ event: "ping", data: { timestamp: 7 } });
    expect((await d.nextMatching((f) => f.event === "pong")).data).toMatchObject({ timestamp: 7 });
    expect((await api("GET", `/api/sessions/${sessionId}/history`, await token({ sub: dm }))).status).toBe(200);
  });

  const deepBody = (body: Record<string, unknown>) => JSON.stringify(body).replace(/}$/, `,"ignored":${nested(5_000)}}`);

  it("[H4] a deeply nested body on POST /api/rooms/:id/events is 400 JSON_TOO_DEEP, even in an ignored field", async () => {
    const roomId = await newRoom();
    const res = await api("POST", `/api/rooms/${roomId}/events`, await adminToken(), deepBody({ type: "publish", data: 1 }));
    expect(res.status, JSON.stringify(res.json)).toBe(400);
    expect(res.json.error.code).toBe("JSON_TOO_DEEP");
    const wide = await api("POST", `/api/rooms/${roomId}/events`, await adminToken(), `{"type":"publish","data":[${Array(30_000).fill(0).join(",")}]}`);
    expect(wide.status).toBe(400);
    expect(wide.json.error.code).toBe("JSON_TOO_COMPLEX");
    expect((await api("GET", `/api/rooms/${roomId}`, await adminToken())).json.state.published).toBe(0);
  });

  it("[H4] a deeply nested body on POST /api/runtime/session/:id/events is 400 JSON_TOO_DEEP", async () => {
    const { teamCode, ann } = await questTeam();
    const res = await api("POST", `/api/runtime/session/${teamCode}/events`, ann, deepBody({ type: "PUZZLE_SUBMIT", nodeId: "x", answer: "a" }));
    expect(res.status, JSON.stringify(res.json)).toBe(400);
    expect(res.json.error.code).toBe("JSON_TOO_DEEP");
  });

  it("[H4] a deeply nested body on POST /api/sessions is 400 JSON_TOO_DEEP", async () => {
    const res = await api("POST", "/api/sessions", await token({ sub: "rollscape-api", scope: "events:publish" }), deepBody({ campaign_id: 1, dm_user_id: "dm-x" }));
    expect(res.status, JSON.stringify(res.json)).toBe(400);
    expect(res.json.error.code).toBe("JSON_TOO_DEEP");
  });
});

describe("H5: rooms-claim confinement holds for prototype-named rooms", () => {
  const PROTO_NAMES = ["constructor", "toString", "__proto__", "hasOwnProperty"];

  /** Creates the relay room `roomId` once per run (another test may have made it already). */
  async function ensureRoom(roomId: string) {
    const res = await api("POST", "/api/rooms", await adminToken(), { roomId });
    expect([201, 409], JSON.stringify(res.json)).toContain(res.status);
  }

  it("[H5] a relay room named constructor (and toString, __proto__) works normally for an unconfined admin token", async () => {
    for (const roomId of PROTO_NAMES) {
      await ensureRoom(roomId);
      const admin = await adminToken();
      const snap = await api("GET", `/api/rooms/${roomId}`, admin);
      expect(snap.status, `${roomId} ${JSON.stringify(snap.json)}`).toBe(200);
      expect(snap.json).toMatchObject({ roomId, kind: "relay" });
      const s = await open(`/ws/rooms/${roomId}?token=${await token({ sub: uid("u") })}`);
      expect(await s.next(), roomId).toMatchObject({ type: "snapshot" });
      const pub = await api("POST", `/api/rooms/${roomId}/events`, admin, { type: "publish", data: roomId });
      expect(pub.status, roomId).toBe(200);
      expect(await s.nextMatching((f) => f.type === "publish"), roomId).toMatchObject({ data: roomId });
      expect((await api("GET", `/api/rooms/${roomId}/history`, admin)).status, roomId).toBe(200);
      s.close();
    }
  });

  it("[H5] a token confined to room A is refused 403 on rooms named constructor, toString, __proto__ (HTTP and socket)", async () => {
    const a = await newRoom();
    const confined = await token({ sub: uid("ann"), rooms: { [a]: "member" } });
    for (const roomId of PROTO_NAMES) {
      await ensureRoom(roomId);
      for (const path of [`/api/rooms/${roomId}`, `/api/rooms/${roomId}/history`]) {
        const res = await api("GET", path, confined);
        expect(res.status, `${path} ${JSON.stringify(res.json)}`).toBe(403);
        expect(res.json.error.code, path).toBe("ROOM_FORBIDDEN");
      }
      const pub = await api("POST", `/api/rooms/${roomId}/events`, confined, { type: "publish", data: 1 });
      expect(pub.status, roomId).toBe(403);
      const ws = await connect(`/ws/rooms/${roomId}?token=${confined}`);
      expect(ws.socket, roomId).toBeNull();
      expect(ws.response.status, roomId).toBe(403);
    }
    expect((await api("GET", `/api/rooms/${a}`, confined)).status).toBe(200);
  });

  it("[H5] a token whose rooms claim names __proto__ is good for that room only", async () => {
    await ensureRoom("__proto__");
    const other = await newRoom();
    const t = await token({ sub: uid("pat"), rooms: JSON.parse('{"__proto__":"member"}') });
    expect((await api("GET", "/api/rooms/__proto__", t)).status).toBe(200);
    expect((await api("GET", `/api/rooms/${other}`, t)).status).toBe(403);
  });

  it("[H5] socket params named constructor or __proto__ are ordinary params", async () => {
    const roomId = await newRoom();
    const s = await open(`/ws/rooms/${roomId}?token=${await token({ sub: uid("q") })}&constructor=1&__proto__=2&toString=3`);
    expect(await s.next()).toMatchObject({ type: "snapshot" });
    s.send({ type: "publish", data: 1 });
    expect(await s.nextMatching((f) => f.type === "publish")).toMatchObject({ data: 1 });
  });
});

describe("one claims schema", () => {
  it("[CLAIMS] POST /dev/token validates with claims.ts's schema (scope arrays up to 50, as verification allows)", async () => {
    const scopes = (n: number) => ["rooms:admin", ...Array.from({ length: n - 1 }, (_, i) => `x:${i}`)];
    const ok = await api("POST", "/dev/token", null, { sub: "dev-many", scope: scopes(50), ttl: 60 });
    expect(ok.status, JSON.stringify(ok.json)).toBe(200);
    // The minted token verifies, and only its Hearth scope counts.
    expect((await api("POST", "/api/rooms", ok.json.token, {})).status).toBe(201);
    const tooMany = await api("POST", "/dev/token", null, { sub: "dev-many", scope: scopes(51) });
    expect(tooMany.status).toBe(400);
    expect(tooMany.json.error.code).toBe("BAD_REQUEST");
    expect((await api("POST", "/dev/token", null, { sub: "dev", ttl: 0 })).status).toBe(400);
  });
});
