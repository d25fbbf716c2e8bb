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
