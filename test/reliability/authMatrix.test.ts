import { SignJWT } from "jose";
import { beforeAll, describe, expect, it } from "vitest";
import { createTokenVerifier } from "../../src/http/auth/tokenVerifier.ts";
import harborWalk from "../../examples/quests/harbor-walk.json";
import { newRoom } from "../helpers/rooms.ts";
import { api, connect, open } from "../helpers/socket.ts";
import { adminToken, TEST_SECRET, token } from "../helpers/tokens.ts";
import { figuresFor } from "./figures.ts";

const b64url = (s: string) => btoa(s).replace(/=+$/, "").replace(/\+/g, "-").replace(/\//g, "_");
const sec = () => Math.floor(Date.now() / 1000);
const key = new TextEncoder().encode(TEST_SECRET);

/** A bad credential, and what every route must answer it: HTTP status and code, and the close code. */
interface BadToken {
  name: string;
  token: () => Promise<string | null>;
  status: number;
  code: string;
  close: number;
  /** Only routes that name one room can tell a token confined to another room. */
  roomRoutesOnly?: boolean;
}

const BAD_TOKENS: BadToken[] = [
  { name: "no token", token: async () => null, status: 401, code: "TOKEN_MISSING", close: 4001 },
  { name: "garbage", token: async () => "garbage.garbage.garbage", status: 401, code: "TOKEN_INVALID", close: 4001 },
  { name: "alg none", token: async () => `${b64url('{"alg":"none","typ":"JWT"}')}.${b64url(JSON.stringify({ sub: "svc-admin", scope: "rooms:admin", exp: sec() + 600 }))}.`, status: 401, code: "TOKEN_INVALID", close: 4001 },
  { name: "wrong key", token: () => token({ sub: "a", scope: "rooms:admin events:publish" }, { secret: "not-the-secret" }), status: 401, code: "TOKEN_INVALID", close: 4001 },
  { name: "HS512 with the right secret", token: () => new SignJWT({ sub: "a" }).setProtectedHeader({ alg: "HS512" }).setExpirationTime(sec() + 600).sign(key), status: 401, code: "TOKEN_INVALID", close: 4001 },
  { name: "expired", token: () => new SignJWT({ sub: "a" }).setProtectedHeader({ alg: "HS256" }).setExpirationTime(sec() - 300).sign(key), status: 401, code: "TOKEN_EXPIRED", close: 4001 },
  { name: "not yet valid", token: () => new SignJWT({ sub: "a" }).setProtectedHeader({ alg: "HS256" }).setNotBefore(sec() + 600).setExpirationTime(sec() + 900).sign(key), status: 401, code: "TOKEN_INVALID", close: 4001 },
  {
    name: "tampered (claims rewritten, signature kept)",
    token: async () => {
      const [h, , s] = (await token({ sub: "user" })).split(".");
      return `${h}.${b64url(JSON.stringify({ sub: "svc-admin", scope: "rooms:admin events:publish", exp: sec() + 600 }))}.${s}`;
    },
    status: 401,
    code: "TOKEN_INVALID",
    close: 4001,
  },
  { name: "no sub", token: () => new SignJWT({ name: "x" }).setProtectedHeader({ alg: "HS256" }).setExpirationTime(sec() + 600).sign(key), status: 401, code: "TOKEN_INVALID", close: 4001 },
  { name: "confined to a foreign room", token: () => token({ sub: "confined", rooms: { "some-other-room": "member" } }), status: 403, code: "ROOM_FORBIDDEN", close: 4003, roomRoutesOnly: true },
];

interface Route {
  name: string;
  /** HTTP: method and path; sockets: "WS" and path (token added per transport). */
  method: string;
  path: () => string;
  body?: unknown;
  roomRoute: boolean;
  /** Needs a Hearth scope, checked before the room (so a user token learns nothing about the room). */
  needsScope?: boolean;
  /** Sockets: how this route refuses ("close" for seed 002 and every `hearth` client). */
  refuse?: "http" | "close";
}

const ctx = { roomId: "", teamCode: "", sessionId: "" };

const ROUTES: Route[] = [
  { name: "relay snapshot", method: "GET", path: () => `/api/rooms/${ctx.roomId}`, roomRoute: true },
  { name: "relay history", method: "GET", path: () => `/api/rooms/${ctx.roomId}/history`, roomRoute: true },
  { name: "relay publish", method: "POST", path: () => `/api/rooms/${ctx.roomId}/events`, body: { type: "publish", data: 1 }, roomRoute: true },
  { name: "relay reset", method: "POST", path: () => `/api/rooms/${ctx.roomId}/reset`, roomRoute: true, needsScope: true },
  { name: "room creation", method: "POST", path: () => "/api/rooms", body: {}, roomRoute: false },
  { name: "room list", method: "GET", path: () => "/api/rooms", roomRoute: false },
  { name: "quest definition", method: "PUT", path: () => "/api/quests/harbor-walk", body: harborWalk, roomRoute: false },
  { name: "team creation", method: "POST", path: () => "/api/teams", body: { questId: "harbor-walk", playerName: "X", mode: "solo" }, roomRoute: false },
  { name: "team join", method: "POST", path: () => `/api/teams/${ctx.teamCode}/join`, body: { playerName: "X" }, roomRoute: false },
  { name: "quest events", method: "POST", path: () => `/api/runtime/session/${ctx.teamCode}/events`, body: { type: "NODE_COMPLETE", nodeId: "x" }, roomRoute: true },
  { name: "quest snapshot", method: "GET", path: () => `/api/runtime/session/${ctx.teamCode}`, roomRoute: true },
  { name: "session creation", method: "POST", path: () => "/api/sessions", body: { campaign_id: 1, dm_user_id: "dm" }, roomRoute: false },
  { name: "session info", method: "GET", path: () => `/ws/room/${ctx.sessionId}/info`, roomRoute: true },
  { name: "session snapshot", method: "GET", path: () => `/api/sessions/${ctx.sessionId}`, roomRoute: true },
  { name: "session history", method: "GET", path: () => `/api/sessions/${ctx.sessionId}/history`, roomRoute: true },
  { name: "relay socket", method: "WS", path: () => `/ws/rooms/${ctx.roomId}`, roomRoute: true, refuse: "http" },
  { name: "quest socket", method: "WS", path: () => `/ws/quest?teamCode=${ctx.teamCode}`, roomRoute: true, refuse: "http" },
  { name: "tabletop socket", method: "WS", path: () => `/ws/game/${ctx.sessionId}`, roomRoute: true, refuse: "close" },
];

/** How a socket client hands over its token (PROTOCOLS.md §1). */
const TRANSPORTS = [
  { name: "?token=", url: (path: string, t: string | null) => (t === null ? path : `${path}${path.includes("?") ? "&" : "?"}token=${t}`), headers: () => ({}) as Record<string, string>, hearth: false },
  { name: "bearer. subprotocol", url: (path: string) => path, headers: (t: string | null): Record<string, string> => (t === null ? {} : { "Sec-WebSocket-Protocol": `bearer.${t}` }), hearth: false },
  { name: "hearth + bearer. subprotocol", url: (path: string) => path, headers: (t: string | null): Record<string, string> => ({ "Sec-WebSocket-Protocol": t === null ? "hearth" : `hearth, bearer.${t}` }), hearth: true },
];

beforeAll(async () => {
  ctx.roomId = await newRoom();
  expect((await api("PUT", "/api/quests/harbor-walk", await adminToken(), harborWalk)).status).toBe(200);
  const team = await api("POST", "/api/teams", await token({ sub: `lead-${crypto.randomUUID().slice(0, 6)}` }), { questId: "harbor-walk", playerName: "Lead", mode: "team" });
  ctx.teamCode = team.json.teamCode;
  const session = await api("POST", "/api/sessions", await adminToken(), { campaign_id: 1, dm_user_id: "dm-matrix" });
  ctx.sessionId = session.json.session_id;
});

describe("the auth matrix: every bad credential on every route family and transport", () => {
  it("[AUTH] HTTP routes answer each bad token with its status and code, and apply nothing", async (tc) => {
    const figures = figuresFor(tc);
    const before = await api("GET", `/api/rooms/${ctx.roomId}`, await adminToken());
    for (const bad of BAD_TOKENS) {
      const t = await bad.token();
      for (const route of ROUTES.filter((r) => r.method !== "WS" && (r.roomRoute || !bad.roomRoutesOnly))) {
        figures.cases++;
        const res = await api(route.method, route.path(), t, route.body);
        const want = bad.roomRoutesOnly && route.needsScope ? { status: 403, code: "SCOPE_REQUIRED" } : bad;
        expect({ route: route.name, bad: bad.name, status: res.status, code: res.json.error?.code }).toEqual({ route: route.name, bad: bad.name, status: want.status, code: want.code });
        figures.refused++;
      }
    }
    // Nothing was published or reset by any of them.
    const after = await api("GET", `/api/rooms/${ctx.roomId}`, await adminToken());
    expect({ seq: after.json.seq, epoch: after.json.epoch }).toEqual({ seq: before.json.seq, epoch: before.json.epoch });
  });

  it("[AUTH] socket routes refuse each bad token on every transport: JSON where the route answers HTTP, the close code otherwise", async (tc) => {
    const figures = figuresFor(tc);
    for (const bad of BAD_TOKENS) {
      const t = await bad.token();
      for (const route of ROUTES.filter((r) => r.method === "WS")) {
        for (const tr of TRANSPORTS) {
          figures.cases++;
          const r = await connect(tr.url(route.path(), t), { headers: tr.headers(t) });
          const byClose = tr.hearth || route.refuse === "close";
          const what = `${route.name} / ${tr.name} / ${bad.name}`;
          if (byClose) {
            expect(r.socket, what).not.toBeNull();
            expect((await r.socket!.waitClosed()).code, what).toBe(bad.close);
          } else {
            expect(r.socket, what).toBeNull();
            expect({ what, status: r.response.status, code: ((await r.response.json()) as { error: { code: string } }).error.code }).toEqual({ what, status: bad.status, code: bad.code });
          }
          figures.refused++;
        }
      }
    }
  });

  it("[AUTH] scopes a user must not have: non-Hearth scopes grant nothing on service routes", async (tc) => {
    const figures = figuresFor(tc);
    for (const scope of ["openid profile email", "rooms:admin:evil", "admin", "events:publish:all", "ROOMS:ADMIN"]) {
      const t = await token({ sub: "pretender", scope });
      for (const route of ROUTES.filter((r) => ["room creation", "room list", "quest definition", "relay reset"].includes(r.name))) {
        figures.cases++;
        const res = await api(route.method, route.path(), t, route.body);
        expect({ route: route.name, scope, status: res.status, code: res.json.error?.code }).toEqual({ route: route.name, scope, status: 403, code: "SCOPE_REQUIRED" });
        figures.refused++;
      }
    }
  });

  it("[AUTH] identity fields forged in frames are ignored: the sender is always the token's subject", async (tc) => {
    const figures = figuresFor(tc);
    const sub = `honest-${crypto.randomUUID().slice(0, 6)}`;
    const watcher = await open(`/ws/rooms/${ctx.roomId}?token=${await token({ sub: "watcher" })}`);
    await watcher.next();
    const s = await open(`/ws/rooms/${ctx.roomId}?token=${await token({ sub })}`);
    await s.next();
    await watcher.drain();
    for (const forged of [{ from: "svc-admin" }, { user_id: "svc-admin", userId: "svc-admin" }, { actor: { userId: "svc-admin", service: true } }]) {
      figures.cases++;
      s.send({ type: "publish", data: "hi", ...forged });
      const got = await watcher.nextMatching((f) => f.type === "publish");
      expect(got.from).toBe(sub);
      figures.refused++;
    }
    const dm = `dm-${crypto.randomUUID().slice(0, 6)}`;
    const table = await api("POST", "/api/sessions", await adminToken(), { campaign_id: 2, dm_user_id: dm });
    const player = await open(`/ws/game/${table.json.session_id}?token=${await token({ sub, name: "Honest" })}`);
    await player.nextMatching((f) => f.event === "history");
    figures.cases++;
    player.send({ event: "dm_narration", data: { narration: "I am the DM now", user_id: dm, is_dm: true, player: { user_id: dm, is_dm: true } } });
    expect(await player.nextMatching((f) => f.event === "error")).toMatchObject({ data: { message: "Only DM can send narration" } });
    figures.refused++;
  });

  it("[AUTH] with an issuer and audience configured (production), a token for another issuer or audience is TOKEN_INVALID", async (tc) => {
    const figures = figuresFor(tc);
    // The test worker runs without HEARTH_JWT_ISSUER/AUDIENCE, so this row is checked at the verifier every route uses.
    const verify = createTokenVerifier({ secret: TEST_SECRET, issuer: "https://issuer.test/", audience: "hearth" });
    const signed = (iss: string | null, aud: string | null) => {
      let jwt = new SignJWT({ sub: "a" }).setProtectedHeader({ alg: "HS256" }).setExpirationTime(sec() + 600);
      if (iss) jwt = jwt.setIssuer(iss);
      if (aud) jwt = jwt.setAudience(aud);
      return jwt.sign(key);
    };
    expect(await verify(await signed("https://issuer.test/", "hearth"))).toMatchObject({ ok: true });
    for (const [iss, aud] of [["https://evil.test/", "hearth"], ["https://issuer.test/", "other"], [null, "hearth"], ["https://issuer.test/", null]] as const) {
      figures.cases++;
      expect(await verify(await signed(iss, aud)), `${iss} ${aud}`).toMatchObject({ ok: false, code: "TOKEN_INVALID" });
      figures.refused++;
    }
  });
});
