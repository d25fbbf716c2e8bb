// Seed 002 (RollScape's tabletop), as a client written from its document: the app creates the
// session under its own integer id, then each page opens `/ws/game/{session_id}?token=&character_id=`
// and speaks `{event, data}` frames: chat, dice, DM narration, player actions, turns, combat, ping;
// `GET /ws/room/{session_id}/info`; close 4001 "Invalid token" and 4004 "Session not found".
// Additions to the seed's client: a real JWT in `?token=` (the seed's "Production Implementation"),
// and one call by the app's backend, `POST /api/sessions {session_id, campaign_id, dm_user_id}`.
import assert from "node:assert/strict";
import { test } from "node:test";
import { devToken } from "./helpers.mjs";
import { SeedSocket, call, intId } from "./seedSocket.mjs";

/** The seed's useGameSocket, reduced to what it keeps: its players list and the frames it handled. */
class GamePage {
  constructor(sessionId, token, characterId) {
    this.players = [];
    this.connected = false;
    this.socket = new SeedSocket(`/ws/game/${sessionId}?token=${token}${characterId === undefined ? "" : `&character_id=${characterId}`}`);
    this.socket.onFrame = ({ event, data }) => {
      if (event === "room_joined" || event === "player_list") this.players = data.players ?? this.players;
      if (event === "player_joined") this.players = [...this.players.filter((p) => p.user_id !== data.player.user_id), data.player];
      if (event === "player_left") this.players = this.players.filter((p) => p.user_id !== data.player.user_id);
    };
    this.socket.ws.addEventListener("open", () => (this.connected = true));
  }
  send(event, data = {}) {
    this.socket.send({ event, data });
  }
  next(event, extra) {
    return this.socket.waitType(event, extra);
  }
}

test("seed 002: a DM and two players at the app's own integer session id: join, chat, dice, narration, actions, turns, combat, ping, info, leave", { timeout: 120_000 }, async () => {
  const svc = await devToken({ sub: "rollscape-api", scope: "events:publish" });
  const sessionId = intId(); // the app's own row id
  const campaignId = intId(1, 1000);
  const dmId = `dm-${sessionId}`;
  const [aId, bId] = [`a-${sessionId}`, `b-${sessionId}`];

  const created = await call("POST", "/api/sessions", svc, { session_id: sessionId, campaign_id: campaignId, dm_user_id: dmId });
  assert.equal(created.status, 201, JSON.stringify(created.json));
  assert.deepEqual(created.json, { session_id: sessionId });
  const again = await call("POST", "/api/sessions", svc, { session_id: sessionId, campaign_id: campaignId, dm_user_id: dmId });
  assert.equal(again.status, 409);
  assert.equal(again.json.error.code, "ROOM_EXISTS");

  const dm = new GamePage(sessionId, await devToken({ sub: dmId, name: "Dana" }));
  const joinedDm = await dm.next("room_joined");
  assert.equal(joinedDm.data.session_id, sessionId);
  assert.equal(joinedDm.data.player.is_dm, true);

  const a = new GamePage(sessionId, await devToken({ sub: aId, name: "Ann" }), 11);
  const b = new GamePage(sessionId, await devToken({ sub: bId, name: "Ben" }), 12);
  for (const [page, id] of [[a, aId], [b, bId]]) {
    const joined = await page.next("room_joined");
    assert.equal(joined.data.player.user_id, id);
    assert.equal(joined.data.player.is_dm, false);
    assert.equal(String(joined.data.player.character_id), id === aId ? "11" : "12");
    for (const k of ["user_id", "username", "is_dm", "connected_at"]) assert.ok(k in joined.data.player, `Player.${k}`);
    await page.next("player_list");
  }
  for (const id of [aId, bId]) await dm.next("player_joined", (f) => f.data.player.user_id === id);
  assert.deepEqual(dm.players.map((p) => p.user_id).sort(), [aId, bId, dmId].sort());

  // Chat: the seed's ChatMessage {player, message, timestamp}, to the whole room.
  a.send("chat_message", { message: "Hello, everyone!" });
  for (const page of [dm, a, b]) {
    const f = await page.next("chat_message");
    assert.equal(f.data.message, "Hello, everyone!");
    assert.equal(f.data.player.username, "Ann");
    assert.ok(f.data.timestamp);
  }

  // Dice: the seed's client sends {formula, result, rolls, modifier}; the server rolls, so the
  // broadcast's result is the server's own, consistent with its rolls and modifier.
  b.send("dice_roll", { formula: "1d20+5", result: 18, rolls: [13], modifier: 5 });
  for (const page of [dm, a, b]) {
    const { data } = await page.next("dice_roll");
    const roll = data.roll ?? data; // the seed's handler reads roll.roll.result
    assert.equal(data.formula, "1d20+5");
    assert.equal(data.modifier, 5);
    assert.equal(data.rolls.length, 1);
    assert.ok(data.rolls[0] >= 1 && data.rolls[0] <= 20);
    assert.equal(data.result, data.rolls[0] + 5);
    assert.equal(roll.result, data.result);
    assert.equal(data.player.user_id, bId);
    assert.ok(data.timestamp);
  }

  // DM narration: the DM's reaches everyone; a player's is refused with the seed's error.
  dm.send("dm_narration", { narration: "You enter a dark cave..." });
  for (const page of [dm, a, b]) assert.equal((await page.next("dm_narration")).data.narration, "You enter a dark cave...");
  a.send("dm_narration", { narration: "I am the DM now" });
  assert.equal((await a.next("error")).data.message, "Only DM can send narration");

  // Player action, then the DM's turn order and combat.
  a.send("player_action", { action_type: "attack", details: { target: "Goblin", weapon: "Longsword" } });
  for (const page of [dm, b]) {
    const { data } = await page.next("player_action");
    assert.equal(data.player.user_id, aId);
    assert.equal(data.action.action_type, "attack");
    assert.deepEqual(data.action.details, { target: "Goblin", weapon: "Longsword" });
  }
  dm.send("combat_update", { combat: { active: true, participants: [{ name: "Ann", initiative: 15 }, { name: "Goblin", initiative: 12, is_npc: true }] } });
  for (const page of [a, b]) assert.equal((await page.next("combat_update")).data.combat.active, true);
  dm.send("turn_change", { turn: { current_character_name: "Goblin" } });
  for (const page of [a, b]) assert.ok((await page.next("turn_change")).data.turn);
  b.send("turn_change", { turn: { current_character_name: "Ben" } });
  assert.ok((await b.next("error")).data.message);

  // Heartbeat.
  a.send("ping", { timestamp: new Date().toISOString() });
  await a.next("pong");

  // Room info, under the app's id.
  const info = await call("GET", `/ws/room/${sessionId}/info`, svc);
  assert.equal(info.status, 200, JSON.stringify(info.json));
  assert.equal(info.json.session_id, sessionId);
  assert.equal(info.json.campaign_id, campaignId);
  assert.equal(info.json.player_count, 3);
  assert.ok(info.json.created_at);

  // A player leaves; the DM leaving keeps the room for the others.
  b.socket.close();
  await dm.next("player_left", (f) => f.data.player.user_id === bId);
  dm.socket.close();
  await a.next("player_left", (f) => f.data.player.user_id === dmId);
  a.send("chat_message", { message: "still here" });
  assert.equal((await a.next("chat_message", (f) => f.data.message === "still here")).data.player.user_id, aId);
  a.socket.close();
});

test("seed 002: refusals are the seed's close codes: 4001 Invalid token, 4004 Session not found", { timeout: 90_000 }, async () => {
  const svc = await devToken({ sub: "rollscape-api", scope: "events:publish" });
  const sessionId = intId();
  assert.equal((await call("POST", "/api/sessions", svc, { session_id: sessionId, campaign_id: 1, dm_user_id: "dm-x" })).status, 201);
  const user = await devToken({ sub: "someone" });
  // Both at once: how soon a refusal's close event fires is another branch's work (`closes`).
  const [badToken, unknown] = await Promise.all([
    new SeedSocket(`/ws/game/${sessionId}?token=not-a-jwt`).waitClosed(),
    new SeedSocket(`/ws/game/${sessionId + 1_000_000}?token=${user}`).waitClosed(),
  ]);
  assert.deepEqual([badToken.code, badToken.reason], [4001, "Invalid token"]);
  assert.deepEqual([unknown.code, unknown.reason], [4004, "Session not found"]);
});
