// Seed 004 (Blazing Sun's game rooms), as a client written from its document: one socket on
// `/ws/games` for lobby and game, `{type, ...}` frames: create_room, join_room, spectate, ready,
// bigger_dice.roll in turn until game_ended; a dropped player reconnects and sends rejoin_room,
// which answers room_state; ping every 30 s as the seed's page does.
// Additions to the seed's client: the JWT in `?token=` (the seed allows cookie or query param).
// The frames' `user_id`/`username`/`avatar_id` are sent as the seed's page sends them; Hearth
// ignores them and takes the user from the token.
import assert from "node:assert/strict";
import { test } from "node:test";
import { devToken } from "./helpers.mjs";
import { SeedSocket, intId, unique } from "./seedSocket.mjs";

/** The seed's GamesPage socket for one user (numeric ids, as the seed's i64 user ids). */
async function gamesPage(user) {
  const s = await SeedSocket.open(`/ws/games?token=${await devToken({ sub: String(user.id), name: user.name })}`);
  const heartbeat = setInterval(() => s.closed || s.send({ type: "ping" }), 30_000);
  s.ws.addEventListener("close", () => clearInterval(heartbeat));
  s.cmd = (type, fields = {}) => s.send({ type, user_id: user.id, username: user.name, avatar_id: 1, ...fields });
  return s;
}

test("seed 004: a full bigger_dice game with a spectator, turn checks and a player who drops and rejoins", { timeout: 150_000 }, async () => {
  const base = intId(1_000_000, 8_000_000);
  const ann = { id: base, name: "ann" };
  const ben = { id: base + 1, name: "ben" };
  const cleo = { id: base + 2, name: "cleo" };
  const room_name = `Den ${unique()}`;

  const a = await gamesPage(ann);
  a.cmd("create_room", { game_type: "bigger_dice", room_name });
  const created = await a.waitType("room_created", (f) => f.room_name === room_name);
  const { room_id } = created;
  assert.equal(created.game_type, "bigger_dice");
  assert.equal(created.host_id, ann.id);
  assert.equal(created.host_username, "ann");
  assert.equal((await a.waitType("room_state", (f) => f.room.room_id === room_id)).room.status, "Waiting");

  let b = await gamesPage(ben);
  b.cmd("list_rooms");
  const list = await b.waitType("room_list");
  assert.ok(list.rooms.some((r) => r.room_id === room_id), "the new room is listed");
  b.cmd("join_room", { room_name });
  for (const s of [a, b]) {
    const joined = await s.waitType("room_joined", (f) => f.player?.user_id === ben.id);
    assert.equal(joined.room_id, room_id);
    assert.deepEqual([joined.player.username, joined.player.score, joined.player.is_ready], ["ben", 0, false]);
  }

  const c = await gamesPage(cleo);
  c.cmd("spectate", { room_id });
  assert.equal((await c.waitType("room_state")).room.room_id, room_id);
  await a.waitType("spectator_joined", (f) => f.user_id === cleo.id && f.username === "cleo");

  a.cmd("ready", { room_id });
  b.cmd("ready", { room_id });
  for (const id of [ann.id, ben.id]) await c.waitType("player_ready", (f) => f.user_id === id);
  const started = await c.waitType("game_started");
  assert.equal(started.room_id, room_id);
  assert.deepEqual(started.players.map((p) => p.user_id).sort(), [ann.id, ben.id].sort());
  assert.ok([ann.id, ben.id].includes(started.first_turn));

  const pageOf = (id) => (id === ann.id ? a : b);
  const other = (id) => (id === ann.id ? ben.id : ann.id);

  // Out of turn, and a spectator: refused with the seed's error shape.
  pageOf(other(started.first_turn)).cmd("bigger_dice.roll", { room_id });
  const notYours = await pageOf(other(started.first_turn)).waitType("error", (f) => f.code === "NOT_YOUR_TURN");
  assert.ok(notYours.message && notYours.socket_id);
  c.cmd("bigger_dice.roll", { room_id });
  assert.equal((await c.waitType("error", (f) => f.code === "SPECTATOR_CANNOT_ACT")).code, "SPECTATOR_CANNOT_ACT");

  // Play to the end; everyone's view comes from the spectator's socket.
  let turn = started.first_turn;
  let rolls = 0;
  let rounds = 0;
  let rejoined = false;
  let ended;
  while (!ended) {
    if (!rejoined && rounds === 3) {
      // Ben's connection drops mid-game; his page reconnects and sends rejoin_room.
      b.close();
      await a.waitType("player_disconnected", (f) => f.user_id === ben.id);
      b = await gamesPage(ben);
      b.cmd("rejoin_room", { room_id });
      const state = await b.waitType("room_state", (f) => f.room?.room_id === room_id);
      assert.equal(state.room.status, "InProgress");
      assert.equal(state.room.current_turn, turn);
      assert.deepEqual(state.room.players.map((p) => p.user_id).sort(), [ann.id, ben.id].sort());
      assert.deepEqual(state.room.spectators, [cleo.id]);
      await a.waitType("player_rejoined", (f) => f.user_id === ben.id);
      rejoined = true;
    }
    pageOf(turn).cmd("bigger_dice.roll", { room_id });
    const rolled = await c.waitType("bigger_dice.rolled");
    assert.equal(rolled.player_id, turn);
    assert.ok(rolled.roll >= 1 && rolled.roll <= 6);
    rolls++;
    if (rolls % 2 === 0) {
      const result = await c.waitType("bigger_dice.round_result");
      assert.equal(result.is_tie, result.player1_roll === result.player2_roll);
      rounds++;
    }
    // turn_number counts moves (the start's turn_changed is 1), so this skips none and reads none twice.
    const next = await c.waitFor((f) => f.type === "game_ended" || (f.type === "turn_changed" && f.turn_number === rolls + 1), `turn_changed ${rolls + 1} or game_ended`);
    if (next.type === "game_ended") ended = next;
    else turn = next.current_turn;
    assert.ok(rolls < 400, "the game ends");
  }

  // Everyone, the rejoined socket included, hears the end: the winner has 10.
  assert.ok(rejoined);
  for (const s of [a, b]) assert.equal((await s.waitType("game_ended")).winner_id, ended.winner_id);
  const winner = ended.final_scores.find(([id]) => id === ended.winner_id);
  assert.deepEqual(winner, [ended.winner_id, ended.winner_id === ann.id ? "ann" : "ben", 10]);
  assert.equal(ended.winner_username, winner[1]);
  assert.ok(ended.final_scores.find(([id]) => id !== ended.winner_id)[2] < 10);

  c.send({ type: "ping" });
  await c.waitType("pong");
  c.cmd("leave_spectate", { room_id });
  for (const s of [a, b, c]) s.close();
});
