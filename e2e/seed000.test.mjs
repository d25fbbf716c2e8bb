// Seed 000 (the quest runtime), as a client written from its document: each phone registers or
// joins a team over HTTP, opens `websocketUrl + "?teamCode=" + teamCode`, sends the seed's `join`
// frame, and refreshes on every `runtime_delta`; runtime events go in over HTTP and come back as
// `{snapshot, deltas}`; a reconnecting phone fetches `GET /api/runtime/session/{sessionId}`.
// Additions to the seed's client: a token (`Authorization` on HTTP, `&token=` on the socket URL).
// Hearth's own: the quest definition (`PUT /api/quests/:questId`, a service's call; seed 000 names none).
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { devToken } from "./helpers.mjs";
import { SeedSocket, call, unique } from "./seedSocket.mjs";

const LIGHTHOUSE = { lat: 59.9139, lng: 10.7522 };
const types = (deltas) => deltas.map((d) => d.type);

/** The seed's useTeamWebSocket: on `runtime_delta` it dispatches the deltas (here: keeps them). */
function phone(websocketUrl, teamCode, token, playerName) {
  const socket = new SeedSocket(`${websocketUrl}?teamCode=${teamCode}&token=${token}`);
  socket.ws.addEventListener("open", () => socket.send({ type: "join", sessionId: teamCode, playerName }));
  socket.deltas = [];
  socket.onFrame = (msg) => {
    if (msg.type === "runtime_delta") socket.deltas.push(...msg.deltas);
  };
  return socket;
}

test("seed 000: a team of three registers, joins by teamCode, and every phone hears the runtime events as runtime_delta", { timeout: 120_000 }, async () => {
  const admin = await devToken({ sub: "quest-admin", scope: "rooms:admin" });
  const questId = `seed000-${unique()}`;
  const quest = { ...JSON.parse(readFileSync(new URL("../examples/quests/harbor-walk.json", import.meta.url), "utf8")), questId };
  const put = await call("PUT", `/api/quests/${questId}`, admin, quest);
  assert.equal(put.status, 200, JSON.stringify(put.json));

  const who = { ann: await devToken({ sub: `ann-${unique()}`, name: "Ann" }), bob: await devToken({ sub: `bob-${unique()}`, name: "Bob" }), cara: await devToken({ sub: `cara-${unique()}`, name: "Cara" }) };

  // Registration: the seed's response shape, sessionId equal to the team code.
  const reg = await call("POST", "/api/teams", who.ann, { questId, playerName: "Ann", mode: "team" });
  assert.equal(reg.status, 201, JSON.stringify(reg.json));
  const { teamCode, session, websocketUrl } = reg.json;
  assert.match(teamCode, /^[A-Z0-9]{6}$/);
  assert.deepEqual(session, { sessionId: teamCode, playerName: "Ann", mode: "team" });
  assert.match(websocketUrl, /^wss?:\/\//);
  for (const [name, t] of [["Bob", who.bob], ["Cara", who.cara]]) {
    const joined = await call("POST", `/api/teams/${teamCode}/join`, t, { playerName: name });
    assert.equal(joined.status, 200, JSON.stringify(joined.json));
    assert.equal(joined.json.teamCode, teamCode);
    assert.equal(joined.json.session.sessionId, teamCode);
    assert.equal(joined.json.websocketUrl, websocketUrl);
  }

  // Each phone connects and sends the seed's join; the team hears PLAYER_JOINED.
  const ann = phone(websocketUrl, teamCode, who.ann, "Ann");
  await ann.waitType("joined");
  const bob = phone(websocketUrl, teamCode, who.bob, "Bob");
  const cara = phone(websocketUrl, teamCode, who.cara, "Cara");
  await bob.waitType("joined");
  await cara.waitType("joined");
  await ann.until(() => ann.deltas.filter((d) => d.type === "PLAYER_JOINED").length >= 2, "PLAYER_JOINED for Bob and Cara");

  /** One runtime event over HTTP; the others' phones hear the same deltas as `runtime_delta`. */
  async function event(token, body, listeners) {
    const r = await call("POST", `/api/runtime/session/${teamCode}/events`, token, body, { "idempotency-key": crypto.randomUUID() });
    assert.equal(r.status, 200, JSON.stringify(r.json));
    assert.equal(r.json.success, true);
    assert.ok(r.json.snapshot);
    for (const d of r.json.deltas) assert.ok(!Number.isNaN(Date.parse(d.timestamp)), `ISO timestamp on ${d.type}`);
    for (const l of listeners) {
      const f = await l.waitFor((m) => m.type === "runtime_delta" && JSON.stringify(m.deltas) === JSON.stringify(r.json.deltas), `runtime_delta ${types(r.json.deltas)}`);
      assert.equal(f.sessionId, teamCode);
    }
    return r.json.deltas;
  }

  let deltas = await event(who.ann, { type: "OBJECT_ARRIVE", objectId: "object1", ...LIGHTHOUSE }, [bob, cara]);
  assert.deepEqual(types(deltas), ["OBJECT_ARRIVED", "NODE_UNLOCKED"]);
  assert.equal(deltas[1].nodeId, "tl_object1__audio_intro");
  deltas = await event(who.bob, { type: "NODE_COMPLETE", nodeId: "tl_object1__audio_intro" }, [ann, cara]);
  assert.ok(types(deltas).includes("NODE_COMPLETED"));
  deltas = await event(who.cara, { type: "PUZZLE_SUBMIT", nodeId: "tl_object1__riddle", answer: "anchor" }, [ann, bob]);
  assert.deepEqual(types(deltas), ["PUZZLE_SUBMITTED", "NODE_COMPLETED", "NODE_UNLOCKED"]);

  // The session gate: "n of 3 players succeeded", then the object completes and the window slides.
  const lift = "tl_object1__lift";
  assert.deepEqual(types(await event(who.ann, { type: "ACTION_ATTEMPT", nodeId: lift }, [bob, cara])), ["ACTION_ATTEMPTED"]);
  deltas = await event(who.ann, { type: "ACTION_RESULT", nodeId: lift, success: true }, [bob, cara]);
  assert.deepEqual(deltas.find((d) => d.type === "CONSENSUS_UPDATED"), { ...deltas.find((d) => d.type === "CONSENSUS_UPDATED"), nodeId: lift, count: 1, required: 3 });
  deltas = await event(who.bob, { type: "ACTION_RESULT", nodeId: lift, success: true }, [ann, cara]);
  assert.equal(deltas.find((d) => d.type === "CONSENSUS_UPDATED").count, 2);
  deltas = await event(who.cara, { type: "ACTION_RESULT", nodeId: lift, success: true }, [ann, bob]);
  assert.deepEqual(types(deltas), ["ACTION_SUCCESS", "CONSENSUS_UPDATED", "NODE_COMPLETED", "OBJECT_COMPLETED", "OBJECT_AVAILABLE"]);

  // A phone that drops fetches the snapshot (the seed's reconnect), which never holds puzzle answers.
  cara.close();
  await ann.until(() => ann.deltas.some((d) => d.type === "PLAYER_LEFT"), "PLAYER_LEFT for Cara");
  const snap = await call("GET", `/api/runtime/session/${teamCode}`, who.cara);
  assert.equal(snap.status, 200, JSON.stringify(snap.json));
  assert.ok(snap.json.snapshot);
  assert.ok(!JSON.stringify(snap.json.snapshot).includes("an anchor"), "no puzzle answers in the snapshot");
  const back = phone(websocketUrl, teamCode, who.cara, "Cara");
  await back.waitType("joined");
  await ann.until(() => ann.deltas.filter((d) => d.type === "PLAYER_JOINED").length >= 3, "PLAYER_JOINED for Cara again");
  for (const s of [ann, bob, back]) s.close();
});
