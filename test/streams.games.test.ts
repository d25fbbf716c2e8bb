import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { client, createRoom, gameAt, newLobby, nextOf, startGame, type Client } from "./helpers/games.ts";
import { eventually, objectNamed, service } from "./helpers/objects.ts";
import type { Frame } from "./helpers/socket.ts";

/** The game's own frames a socket got (they carry the game's seq), in arrival order. */
const gameFrames = (c: Client, roomId: string) => c.socket.frames.filter((f) => f.room_id === roomId && typeof f.seq === "number");

/** Rolls `n` times for whoever's turn it is (the game must not end: bigger_dice needs 10 wins). */
async function roll(roomId: string, players: Client[], watch: Client, turn: unknown, n: number): Promise<unknown> {
  for (let i = 0; i < n; i++) {
    const roller = players.find((p) => p.wire === turn)!;
    roller.socket.send({ type: "bigger_dice.roll", room_id: roomId });
    const f = await watch.socket.nextMatching((x) => x.type === "turn_changed" || x.type === "game_ended", 10_000);
    if (f.type === "game_ended") throw new Error("the game ended early");
    turn = f.current_turn;
  }
  return turn;
}

/** Waits until the lobby heard every close (nothing left in flight when the test ends). */
async function allClosed(shard: string): Promise<void> {
  await eventually(async () => {
    const spread = await objectNamed(`games:lobby:${shard}`).spread();
    expect(spread.ok && spread.sockets).toBe(0);
  }, 10_000);
}

describe("games as streams ([S6])", () => {
  it("a roll touches only its game: the lobby hears nothing of it; every member's gateway gets the same seqs", { timeout: 60_000 }, async () => {
    // Two sockets per gateway: the players and the spectator sit on different objects.
    const shard = await newLobby({ limits: { idleTimeoutMs: null, socketsPerObject: 2 } });
    const [a, b, s] = (await Promise.all(["ann", "bob", "sam"].map((n) => client(shard, n)))) as [Client, Client, Client];
    const lobby = objectNamed(`games:lobby:${shard}`);
    const spread = await lobby.spread();
    expect(spread.ok && spread.gateways.length).toBe(2);
    const { roomId, started } = await startGame(a, b, "Streams");
    s.socket.send({ type: "spectate", room_id: roomId });
    await nextOf(s, "room_state", 20_000);
    const before = await lobby.metrics();
    const lobbyLoad = await lobby.load();
    // [S8] The game lives in the gateway of its creator's socket; its rolls are that object's remote inputs (in place or over RPC).
    const game = await gameAt(roomId);
    const gameLoad = await game.stub.load();
    await roll(roomId, [a, b], s, started.first_turn, 6);
    const after = await lobby.metrics();
    if (!before.ok || !after.ok) throw new Error("no metrics");
    // Not one frame of the rolls reached the lobby object: no input at all (its load), the game took them.
    expect(after.messages.in).toBe(before.messages.in);
    expect((await lobby.load()).total - lobbyLoad.total).toBe(0);
    expect((await game.stub.load()).inputs.remote - gameLoad.inputs.remote).toBe(6);
    // The frames of the game after the spectator joined: the same seqs everywhere, once each, in order.
    await b.socket.waitFor((f) => f.type === "turn_changed" && f.turn_number === 7, 10_000);
    const seqsOf = (c: Client) => gameFrames(c, roomId).filter((f) => String(f.type).startsWith("bigger_dice.") || f.type === "turn_changed").map((f) => [f.type, f.seq]);
    expect(seqsOf(s).length).toBeGreaterThanOrEqual(12);
    for (const c of [a, b]) expect(seqsOf(c).slice(-seqsOf(s).length)).toEqual(seqsOf(s));
    const seqs = gameFrames(s, roomId).map((f) => f.seq as number);
    expect(seqs).toEqual([...seqs].sort((x, y) => x - y));
    expect(new Set(seqs).size).toBe(seqs.length);
    for (const c of [a, b, s]) c.socket.close();
    await allClosed(shard);
  });

  it("[S8] a game lives in its creator's gateway: with every member there, a roll is that object's work alone (no push call, no hop)", { timeout: 60_000 }, async () => {
    const shard = await newLobby({ limits: { idleTimeoutMs: null } });
    const [a, b, s] = (await Promise.all(["ada", "bea", "sol"].map((n) => client(shard, n)))) as [Client, Client, Client];
    const { roomId, started } = await startGame(a, b, "Hosted");
    s.socket.send({ type: "spectate", room_id: roomId });
    await nextOf(s, "room_state", 20_000);
    const game = await gameAt(roomId);
    expect(game.address).toBe(`games:lobby:${shard}:gw:0/game:${roomId}`);
    // No object of its own was made for it.
    expect(await objectNamed(`game:${roomId}`).snapshot(service)).toMatchObject({ ok: false, code: "ROOM_NOT_FOUND" });
    const lobby = objectNamed(`games:lobby:${shard}`);
    const lobbyLoad = await lobby.load();
    const before = await game.stub.load();
    await roll(roomId, [a, b], s, started.first_turn, 6);
    await b.socket.waitFor((f) => f.type === "turn_changed" && f.turn_number === 7, 10_000);
    const after = await game.stub.load();
    // Six frames from its sockets, each handed to the game in place; no room pushed to it over RPC.
    expect(after.inputs.frame - before.inputs.frame).toBe(6);
    expect(after.inputs.remote - before.inputs.remote).toBe(6);
    expect(after.inputs.push - before.inputs.push).toBe(0);
    expect((await lobby.load()).total - lobbyLoad.total).toBe(0);
    const seqsOf = (c: Client) => gameFrames(c, roomId).filter((f) => String(f.type).startsWith("bigger_dice.") || f.type === "turn_changed").map((f) => [f.type, f.seq]);
    expect(seqsOf(s).length).toBeGreaterThanOrEqual(12);
    for (const c of [a, b]) expect(seqsOf(c).slice(-seqsOf(s).length)).toEqual(seqsOf(s));
    for (const c of [a, b, s]) c.socket.close();
    await allClosed(shard);
  });

  it("[S8] sockets on the game's gateway follow it from there: its opening sends the lobby nothing back, and no follow is pushed", { timeout: 60_000 }, async () => {
    // The list goes out once a minute: no list push reaches the gateway while this runs.
    const shard = await newLobby({ list_push_ms: 60_000, limits: { idleTimeoutMs: null } });
    const [a, b] = (await Promise.all(["ivy", "jon"].map((n) => client(shard, n)))) as [Client, Client];
    const lobby = objectNamed(`games:lobby:${shard}`);
    const gateway = objectNamed(`games:lobby:${shard}:gw:0`);
    const [lobbyBefore, gatewayBefore] = [await lobby.load(), await gateway.load()];
    const roomId = await createRoom(a, "Here");
    expect((await gameAt(roomId)).object).toBe(`games:lobby:${shard}:gw:0`);
    await nextOf(a, "room_state", 20_000);
    b.socket.send({ type: "join_room", room_name: "Here" });
    await nextOf(b, "room_state", 20_000);
    await a.socket.waitFor((f) => f.type === "room_joined" && f.room_id === roomId, 10_000);
    // The game told its lobby one thing: the new summary of the join (the two follows started where the sockets are).
    await eventually(async () => expect((await lobby.load()).inputs.message - lobbyBefore.inputs.message).toBe(1), 10_000);
    expect((await gateway.load()).inputs.push - gatewayBefore.inputs.push).toBe(0);
    // Both follow it: what they send about it goes straight to the game, and they hear its frames.
    a.socket.send({ type: "ready", room_id: roomId });
    b.socket.send({ type: "ready", room_id: roomId });
    for (const c of [a, b]) await c.socket.waitFor((f) => f.type === "game_started" && f.room_id === roomId, 10_000);
    expect((await lobby.load()).inputs.remote - lobbyBefore.inputs.remote).toBe(2);
    for (const c of [a, b]) c.socket.close();
    await allClosed(shard);
  });

  it("[S8] a hosted game nobody is in is retired once its time comes, and not while a socket still follows it", { timeout: 60_000 }, async () => {
    const shard = await newLobby({ limits: { idleTimeoutMs: null } });
    const [a, w] = (await Promise.all(["ari", "wes"].map((n) => client(shard, n)))) as [Client, Client];
    const roomId = await createRoom(a, "Brief");
    const game = await gameAt(roomId);
    w.socket.send({ type: "spectate", room_id: roomId });
    await nextOf(w, "room_state", 20_000);
    // The host's leaving ends the waiting room (Abandoned), and its socket goes.
    a.socket.send({ type: "leave_room", room_id: roomId });
    await nextOf(w, "player_left", 10_000);
    a.socket.close();
    await a.socket.waitClosed();
    const retireDue = () =>
      runInDurableObject(game.stub as unknown as DurableObjectStub, (_i, state) => {
        state.storage.sql.exec("UPDATE hosted_rooms SET retire_at = 1 WHERE name = ?", game.address);
      });
    // Its time comes while the spectator still follows it: it stays.
    await retireDue();
    await runDurableObjectAlarm(game.stub as unknown as DurableObjectStub);
    expect(await game.stub.snapshot(service, undefined, game.address)).toMatchObject({ ok: true });
    // The spectator goes too: once its time comes again, its rows go, and nothing else of the gateway's.
    w.socket.close();
    await w.socket.waitClosed();
    await eventually(async () => {
      const set = await runInDurableObject(game.stub as unknown as DurableObjectStub, (_i, state) =>
        state.storage.sql.exec<{ retire_at: number | null }>("SELECT retire_at FROM hosted_rooms WHERE name = ?", game.address).one().retire_at,
      );
      expect(set).not.toBeNull();
    }, 10_000);
    await retireDue();
    await runDurableObjectAlarm(game.stub as unknown as DurableObjectStub);
    expect(await game.stub.snapshot(service, undefined, game.address)).toMatchObject({ ok: false, code: "ROOM_NOT_FOUND" });
    const left = await runInDurableObject(game.stub as unknown as DurableObjectStub, (_i, state) => ({
      hosted: state.storage.sql.exec("SELECT COUNT(*) AS n FROM hosted_rooms WHERE name = ?", game.address).one().n,
      rows: state.storage.sql.exec("SELECT (SELECT COUNT(*) FROM hr_log) + (SELECT COUNT(*) FROM hr_room) + (SELECT COUNT(*) FROM hr_remote_sockets) AS n").one().n,
    }));
    expect(left).toEqual({ hosted: 0, rows: 0 });
    await allClosed(shard);
  });

  it("a dropped spectator resumes with its cursor: every missed game frame once, in order, then room_state", { timeout: 60_000 }, async () => {
    const shard = await newLobby({ limits: { idleTimeoutMs: null, socketsPerObject: 2 } });
    const [a, b, s] = (await Promise.all(["amy", "ben", "sid"].map((n) => client(shard, n)))) as [Client, Client, Client];
    const { roomId, started } = await startGame(a, b, "Resume");
    s.socket.send({ type: "spectate", room_id: roomId });
    const state = await nextOf(s, "room_state", 20_000);
    let turn = await roll(roomId, [a, b], s, started.first_turn, 2);
    const seen = gameFrames(s, roomId);
    const cursor = { since: seen.at(-1)!.seq as number, epoch: state.epoch as string };
    s.socket.close();
    await s.socket.waitClosed();
    // Missed while away: the spectator's own leaving, and three rolls.
    await a.socket.nextMatching((f) => f.type === "spectator_left", 10_000);
    turn = await roll(roomId, [a, b], a, turn, 3);
    const missed = gameFrames(a, roomId).filter((f) => (f.seq as number) > cursor.since && f.type !== "spectator_left");
    expect(missed.length).toBeGreaterThanOrEqual(6);

    const back = await client(shard, "sid", s.id);
    back.socket.send({ type: "spectate", room_id: roomId, ...cursor });
    const rs = await nextOf(back, "room_state", 20_000);
    const replay = gameFrames(back, roomId);
    // Exactly the frames after the cursor, once, in order (the spectator's leave and rejoin among them), ending with its room_state.
    const got = replay.map((f) => f.seq as number);
    expect(got).toEqual([...new Set(got)].sort((x, y) => x - y));
    expect(got[0]).toBe(cursor.since + 1);
    for (const m of missed) expect(replay.filter((f) => f.seq === m.seq)).toEqual([m]);
    expect(replay.at(-1)).toEqual(rs);
    expect(replay.map((f) => f.type)).toEqual(expect.arrayContaining(["spectator_left", "spectator_joined", "room_state"]));
    // And live after it.
    await roll(roomId, [a, b], back, turn, 1);
    const last = gameFrames(back, roomId).at(-1) as Frame;
    // The players sit on another gateway: their copy of the same frame may land a moment later.
    await a.socket.waitFor((f) => f.room_id === roomId && f.seq === last.seq, 10_000);
    expect(last.seq).toBe((gameFrames(a, roomId).at(-1) as Frame).seq);
    for (const c of [a, b, back]) c.socket.close();
    await allClosed(shard);
  });

  it("[S7] the seed's ping is answered by the socket's gateway: the lobby takes no input, and it keeps the socket alive", { timeout: 60_000 }, async () => {
    const shard = await newLobby({ limits: { idleTimeoutMs: 60_000 } });
    const c = await client(shard, "pia");
    const lobby = objectNamed(`games:lobby:${shard}`);
    const before = await lobby.load();
    for (let i = 0; i < 5; i++) {
      c.socket.send('{"type":"ping"}');
      expect(await c.socket.next(5000)).toEqual({ type: "pong" });
    }
    // Spelled otherwise it is an ordinary frame: the lobby answers it (one input).
    c.socket.send('{ "type": "ping" }');
    expect(await c.socket.next(5000)).toEqual({ type: "pong" });
    const after = await lobby.load();
    expect(after.total - before.total).toBe(1);
    expect(after.inputs.remote - before.inputs.remote).toBe(1);
    c.socket.close();
    await allClosed(shard);
  });
});
