import { expect } from "vitest";
import harborWalk from "../../examples/quests/harbor-walk.json";
import type { Contract } from "./contract.ts";
import { token } from "./tokens.ts";

/**
 * The contract test's calls into each system (test/openapi.contract.test.ts):
 * for every operation, a success and the errors a caller can cause, each
 * checked against /openapi.json by `contract.expect`.
 */
interface Ctx {
  admin: string;
  fresh: (prefix: string) => string;
}

const userOf = (sub: string) => token({ sub, name: sub.toUpperCase() });

export async function questCalls(contract: Contract, { admin, fresh }: Ctx) {
  const put = "PUT /api/quests/{questId}";
  await contract.expect(put, 200, { token: admin, params: { questId: "harbor-walk" }, body: harborWalk });
  const bad = await contract.expect(put, 400, { token: admin, params: { questId: "harbor-walk" }, body: { ...harborWalk, objects: "none" } });
  expect(bad.json.error.code).toBe("BAD_QUEST");
  await contract.expect(put, 400, { token: admin, params: { questId: "bad id!" }, body: harborWalk });
  await contract.expect(put, 403, { token: await userOf("q"), params: { questId: "harbor-walk" }, body: harborWalk });

  const ann = await userOf(fresh("ann-"));
  const created = await contract.expect("POST /api/teams", 201, { token: ann, body: { questId: "harbor-walk", playerName: "Ann", mode: "team" } });
  const teamCode = created.json.teamCode as string;
  await contract.expect("POST /api/teams", 404, { token: ann, body: { questId: fresh("none"), playerName: "Ann", mode: "team" } });
  await contract.expect("POST /api/teams", 400, { token: ann, body: { questId: "harbor-walk", playerName: "Ann", mode: "duo" } });

  const join = "POST /api/teams/{teamCode}/join";
  await contract.expect(join, 200, { token: await userOf(fresh("bob-")), params: { teamCode }, body: { playerName: "Bob" } });
  await contract.expect(join, 404, { token: await userOf(fresh("bob-")), params: { teamCode: "ZZZZZZ" }, body: { playerName: "Bob" } });
  const solo = await contract.expect("POST /api/teams", 201, { token: ann, body: { questId: "harbor-walk", playerName: "Ann", mode: "solo" } });
  await contract.expect(join, 409, { token: await userOf(fresh("cid-")), params: { teamCode: solo.json.teamCode }, body: { playerName: "Cid" } });

  const events = "POST /api/runtime/session/{sessionId}/events";
  const at = { sessionId: teamCode };
  await contract.expect(events, 200, { token: ann, params: at, body: { type: "OBJECT_ARRIVE", objectId: "object1", lat: 59.9139, lng: 10.7522 } });
  const rejected = await contract.expect(events, 409, { token: ann, params: at, body: { type: "OBJECT_ARRIVE", objectId: "object1", lat: 59.9139, lng: 10.7522 } });
  expect(rejected.json.success).toBe(false);
  await contract.expect(events, 400, { token: ann, params: at, body: { type: "NO_SUCH_EVENT" } });
  await contract.expect(events, 400, { token: ann, params: at, body: "[" });
  await contract.expect(events, 404, { token: ann, params: at, body: { type: "OBJECT_ARRIVE", objectId: "object-unknown" } });
  await contract.expect(events, 403, { token: await userOf(fresh("stranger-")), params: at, body: { type: "NODE_COMPLETE", nodeId: "x" } });
  await contract.expect(events, 401, { params: at, body: {} });

  const read = "GET /api/runtime/session/{sessionId}";
  await contract.expect(read, 200, { token: ann, params: at });
  await contract.expect(read, 404, { token: ann, params: { sessionId: "ZZZZZZ" } });

  const ws = "GET /ws/quest";
  await contract.expect(ws, 101, { upgrade: true, query: { teamCode, token: ann } });
  await contract.expect(ws, 426, { query: { teamCode, token: ann } });
  await contract.expect(ws, 401, { upgrade: true, query: { teamCode } });
  await contract.expect(ws, 403, { upgrade: true, query: { teamCode, token: await userOf(fresh("stranger-")) } });
}

export async function tabletopCalls(contract: Contract, { admin, fresh }: Ctx) {
  const create = "POST /api/sessions";
  const session_id = fresh("s");
  await contract.expect(create, 201, { token: admin, body: { session_id, campaign_id: 7, dm_user_id: "dm-1" } });
  await contract.expect(create, 201, { token: admin, body: { session_id: Math.floor(Math.random() * 1e12), campaign_id: "c", dm_user_id: 5 } });
  await contract.expect(create, 409, { token: admin, body: { session_id, campaign_id: 7, dm_user_id: "dm-1" } });
  await contract.expect(create, 403, { token: await userOf("mallory"), body: { campaign_id: 7, dm_user_id: "dm-1" } });
  await contract.expect(create, 400, { token: admin, body: { session_id: "bad id!", campaign_id: 7, dm_user_id: "dm-1" } });

  const dm = await userOf("dm-1");
  const at = { session_id };
  const none = { session_id: fresh("none") };
  await contract.expect("GET /ws/room/{session_id}/info", 200, { token: dm, params: at });
  await contract.expect("GET /ws/room/{session_id}/info", 404, { token: dm, params: none });
  await contract.expect("GET /api/sessions/{session_id}", 200, { token: dm, params: at });
  await contract.expect("GET /api/sessions/{session_id}", 404, { token: dm, params: none });
  await contract.expect("GET /api/sessions/{session_id}/history", 200, { token: dm, params: at });
  await contract.expect("GET /api/sessions/{session_id}/history", 400, { token: dm, params: at, query: { before: "x" } });

  const ws = "GET /ws/game/{session_id}";
  await contract.expect(ws, 101, { upgrade: true, params: at, query: { token: dm, character_id: "c1", character_name: "Ayla" } });
  // Seed 002 refuses by closing: a bad token is a 101, then close 4001.
  await contract.expect(ws, 101, { upgrade: true, params: at, query: { token: "not-a-jwt" } });
  await contract.expect(ws, 426, { params: at, query: { token: dm } });
}

export async function campaignCalls(contract: Contract, { admin, fresh }: Ctx) {
  const dmId = fresh("dm-");
  const dm = await userOf(dmId);
  const player = fresh("p-");
  const id = fresh("camp-");
  const create = "POST /api/campaigns";
  await contract.expect(create, 201, { token: dm, body: { campaign_id: id, dm_user_id: dmId, players: [player] } });
  await contract.expect(create, 409, { token: admin, body: { campaign_id: id, dm_user_id: dmId } });
  await contract.expect(create, 403, { token: await userOf("mallory"), body: { campaign_id: fresh("camp-"), dm_user_id: dmId } });
  await contract.expect(create, 400, { token: dm, body: { campaign_id: "no spaces", dm_user_id: dmId } });

  const at = { id };
  await contract.expect("GET /api/campaigns/{id}", 200, { token: dm, params: at });
  await contract.expect("GET /api/campaigns/{id}", 404, { token: dm, params: { id: fresh("none-") } });
  await contract.expect("GET /api/campaigns/{id}", 403, { token: await userOf(fresh("outsider-")), params: at });
  await contract.expect("GET /api/campaigns/{id}/metrics", 200, { token: dm, params: at });
  await contract.expect("GET /api/campaigns/{id}/metrics", 403, { token: await userOf(player), params: at });

  const idem = { "Idempotency-Key": fresh("k") };
  await contract.expect("POST /api/campaigns/{id}/update", 409, { token: dm, params: at, body: { structured_data: { turn: "1" } } });
  await contract.expect("POST /api/campaigns/{id}/load", 200, { token: dm, params: at, body: { structured_data: { narrative: "Once" } }, headers: idem });
  await contract.expect("POST /api/campaigns/{id}/load", 200, { token: dm, params: at, body: { structured_data: { narrative: "Once" } }, headers: idem });
  await contract.expect("POST /api/campaigns/{id}/load", 422, { token: dm, params: at, body: { structured_data: { narrative: "Twice" } }, headers: idem });
  await contract.expect("POST /api/campaigns/{id}/load", 400, { token: dm, params: at, body: { structured_data: "text" } });
  await contract.expect("POST /api/campaigns/{id}/update", 200, { token: dm, params: at, body: { structured_data: { turn: "2" } } });
  await contract.expect("POST /api/campaigns/{id}/update", 403, { token: await userOf(player), params: at, body: { structured_data: { turn: "3" } } });

  const ws = { query: { campaign: id, token: await userOf(player) } };
  await contract.expect("GET /ws/campaign/player", 101, { upgrade: true, ...ws });
  await contract.expect("GET /ws/campaign/player", 426, ws);
  await contract.expect("GET /ws/campaign/dm", 101, { upgrade: true, query: { dm: dmId, token: dm } });
  await contract.expect("GET /ws/campaign/dm", 426, { query: { dm: dmId, token: dm } });

  await contract.expect("POST /api/campaigns/{id}/deactivate", 200, { token: dm, params: at });
  await contract.expect("POST /api/campaigns/{id}/deactivate", 409, { token: dm, params: at, body: "{}" });

  const active = "POST /api/dms/{dm_user_id}/active";
  await contract.expect(active, 200, { token: dm, params: { dm_user_id: dmId }, body: { campaign_id: id } });
  const other = fresh("camp-");
  await contract.expect(create, 201, { token: admin, body: { campaign_id: other, dm_user_id: fresh("dm-") } });
  await contract.expect(active, 409, { token: dm, params: { dm_user_id: dmId }, body: { campaign_id: other } });
  await contract.expect(active, 403, { token: await userOf(player), params: { dm_user_id: dmId }, body: { campaign_id: id } });
  await contract.expect(active, 404, { token: dm, params: { dm_user_id: dmId }, body: { campaign_id: fresh("none-") } });
}

export async function gamesCalls(contract: Contract, { fresh }: Ctx) {
  const me = await userOf(fresh("g-"));
  await contract.expect("GET /api/games/rooms", 200, { token: me });
  await contract.expect("GET /api/games/rooms", 400, { token: me, query: { lobby: "bad lobby" } });
  await contract.expect("GET /api/games/rooms", 401, {});
  await contract.expect("GET /ws/games", 101, { upgrade: true, query: { token: me } });
  await contract.expect("GET /ws/games", 426, { query: { token: me } });
  await contract.expect("GET /ws/games", 401, { upgrade: true });
  await contract.expect("GET /ws/games", 400, { upgrade: true, query: { token: me, lobby: "bad lobby" } });
}

export async function feedCalls(contract: Contract, { admin, fresh }: Ctx) {
  const feed = fresh("f");
  await contract.expect("POST /api/feeds", 201, { token: admin, body: { feed, shardSize: 10 } });
  await contract.expect("POST /api/feeds", 409, { token: admin, body: { feed } });
  await contract.expect("POST /api/feeds", 400, { token: admin, body: { feed, shardSize: 0 } });
  await contract.expect("POST /api/feeds", 403, { token: await userOf("u"), body: { feed: fresh("f") } });

  const svc = await token({ sub: "svc-feed", scope: "events:publish" });
  const publish = "POST /api/feed/events";
  const event = { type: "match.started", tournamentId: "t1", data: { round: 1 } };
  const idem = { "Idempotency-Key": fresh("k") };
  await contract.expect(publish, 202, { token: svc, query: { feed }, body: event, headers: idem });
  const replay = await contract.expect(publish, 200, { token: svc, query: { feed }, body: event, headers: idem });
  expect(replay.headers.get("Idempotent-Replayed")).toBe("true");
  await contract.expect(publish, 422, { token: svc, query: { feed }, body: { ...event, data: {} }, headers: idem });
  await contract.expect(publish, 400, { token: svc, query: { feed }, body: { type: "x" } });
  await contract.expect(publish, 400, { token: svc, query: { feed: "bad feed" }, body: event });
  await contract.expect(publish, 403, { token: await userOf("u"), query: { feed }, body: event });

  await contract.expect("GET /api/feed", 200, { token: svc, query: { feed } });
  await contract.expect("GET /api/feed", 403, { token: await userOf("u"), query: { feed } });
  await contract.expect("GET /api/feed", 404, { token: svc, query: { feed: fresh("none") } });

  const me = await userOf(fresh("sub-"));
  await contract.expect("GET /ws/feed", 101, { upgrade: true, query: { feed, token: me } });
  await contract.expect("GET /ws/feed", 404, { upgrade: true, query: { feed: fresh("none"), token: me } });
  await contract.expect("GET /ws/feed", 426, { query: { feed, token: me } });
  await contract.expect("GET /ws/feed", 401, { upgrade: true, query: { feed } });
}
