import { describe, expect, it } from "vitest";
import { client, createRoom, gameRoom, newLobby, nextOf, playToEnd, startGame, type Client } from "./helpers/games.ts";
import type { Frame } from "./helpers/socket.ts";

const ofType = (c: Client, type: string) => c.socket.frames.filter((f) => f.type === type);

describe("games (seed 004) over real sockets", () => {
  it("two players and a spectator play bigger_dice to the end, with every frame the seed lists", async () => {
    const shard = await newLobby();
    const [alice, bob, sam, dora] = await Promise.all(["alice", "bob", "sam", "dora"].map((n) => client(shard, n)));
    const a = alice!, b = bob!, s = sam!, d = dora!;

    // auth is answered with the token's identity; the frame's user_id and username change nothing.
    a.socket.send({ type: "auth", user_id: 1, username: "mallory", avatar_id: 9 });
    expect(await nextOf(a, "authenticated")).toMatchObject({ user_id: a.wire, username: "alice", socket_id: expect.any(String) });

    a.socket.send({ type: "create_room", user_id: 1, username: "mallory", avatar_id: 9, game_type: "bigger_dice", room_name: "Table One" });
    const created = await nextOf(a, "room_created");
    expect(created).toMatchObject({ room_id: expect.stringMatching(/^room_/), room_name: "Table One", game_type: "bigger_dice", host_id: a.wire, host_username: "alice" });
    const roomId = created.room_id as string;
    // Every socket browsing the list sees the room appear.
    expect(await nextOf(d, "room_created")).toMatchObject({ room_id: roomId });
    const hostState = await nextOf(a, "room_state");
    expect(hostState.room).toMatchObject({ room_id: roomId, status: "Waiting", host_id: a.wire, players: [{ user_id: a.wire, username: "alice", avatar_id: null, score: 0, is_ready: false }] });

    d.socket.send({ type: "list_rooms" });
    expect((await nextOf(d, "room_list")).rooms).toEqual([expect.objectContaining({ room_id: roomId, room_name: "Table One", status: "Waiting", player_count: 1, max_players: 2 })]);

    b.socket.send({ type: "join_room", user_id: a.wire, username: "alice", room_name: "Table One" });
    const joined = await nextOf(b, "room_joined");
    expect(joined).toMatchObject({ room_id: roomId, room_name: "Table One", player: { user_id: b.wire, username: "bob", score: 0, is_ready: false, avatar_id: null } });
    expect(Object.keys(joined.player as object)).toEqual(expect.arrayContaining(["user_id", "username", "avatar_id", "score", "is_ready", "joined_at"]));
    expect((await nextOf(b, "room_state")).room).toMatchObject({ players: [{ user_id: a.wire }, { user_id: b.wire }] });
    expect(await nextOf(a, "room_joined")).toMatchObject({ player: { user_id: b.wire } });

    s.socket.send({ type: "spectate", room_id: roomId });
    expect(await nextOf(s, "spectator_joined")).toMatchObject({ room_id: roomId, user_id: s.wire, username: "sam" });
    expect((await nextOf(s, "room_state")).room).toMatchObject({ spectators: [s.wire] });
    // Dora watches for a moment and leaves: she hears her own spectator_left, then nothing of this game.
    d.socket.send({ type: "spectate", room_id: roomId });
    await nextOf(d, "room_state");
    d.socket.send({ type: "leave_spectate", room_id: roomId });
    expect(await nextOf(d, "spectator_left")).toMatchObject({ room_id: roomId, user_id: d.wire, username: "dora" });
    expect(await nextOf(s, "spectator_left")).toMatchObject({ user_id: d.wire });

    a.socket.send({ type: "ready", room_id: roomId });
    expect(await nextOf(b, "player_ready")).toMatchObject({ room_id: roomId, user_id: a.wire, username: "alice" });
    b.socket.send({ type: "ready", user_id: a.wire, room_id: roomId });
    const started = await nextOf(s, "game_started");
    expect(started).toMatchObject({ room_id: roomId, players: [{ user_id: a.wire, is_ready: true }, { user_id: b.wire, is_ready: true }] });
    expect([a.wire, b.wire]).toContain(started.first_turn);
    expect(await nextOf(s, "turn_changed")).toMatchObject({ room_id: roomId, current_turn: started.first_turn, turn_number: 1 });

    const ended = await playToEnd(roomId, [a, b], s, started.first_turn);
    const winner = ended.winner_id === a.wire ? a : b;
    const loser = winner === a ? b : a;
    expect(ended).toMatchObject({ room_id: roomId, winner_id: winner.wire, winner_username: winner.name });
    expect(ended.final_scores).toEqual(expect.arrayContaining([[winner.wire, winner.name, 10], [loser.wire, loser.name, expect.any(Number)]]));

    // The same game, frame for frame, on all three sockets; its rounds add up to the final scores.
    await Promise.all([a, b].map((p) => p.socket.nextMatching((f) => f.type === "game_ended", 10_000)));
    const gameFrames = (c: Client) => c.socket.frames.filter((f) => f.room_id === roomId && String(f.type).startsWith("bigger_dice."));
    expect(gameFrames(a)).toEqual(gameFrames(s));
    expect(gameFrames(b)).toEqual(gameFrames(s));
    const rolled = ofType(s, "bigger_dice.rolled");
    for (const r of rolled) {
      // The seed's fields, and the game's own seq and epoch (Hearth's addition, PROTOCOLS.md 6).
      expect(Object.keys(r).sort()).toEqual(["player_id", "player_username", "roll", "new_score", "room_id", "type", "seq", "epoch"].sort());
      expect(r.roll).toBeGreaterThanOrEqual(1);
      expect(r.roll).toBeLessThanOrEqual(6);
    }
    const rounds = ofType(s, "bigger_dice.round_result");
    expect(rounds.length * 2).toBe(rolled.length);
    const wins = new Map<unknown, number>();
    for (const r of rounds) {
      expect(r).toMatchObject({ room_id: roomId, player1_id: a.wire, player2_id: b.wire, is_tie: r.player1_roll === r.player2_roll });
      expect(r.winner_id).toBe(r.is_tie ? null : (r.player1_roll as number) > (r.player2_roll as number) ? a.wire : b.wire);
      if (!r.is_tie) wins.set(r.winner_id, (wins.get(r.winner_id) ?? 0) + 1);
    }
    expect(wins.get(winner.wire)).toBe(10);
    expect(ended.final_scores).toContainEqual([loser.wire, loser.name, wins.get(loser.wire) ?? 0]);
    // Turns alternate and count up by one.
    const turns = ofType(s, "turn_changed");
    turns.forEach((t, i) => expect(t.turn_number).toBe(i + 1));

    // The lobby saw the room start and end; the browsing socket saw none of the game's own frames.
    // (batched: changes within one push interval arrive as one rooms_updated, the latest summary winning)
    const finished = (f: Frame) => f.type === "rooms_updated" && (f.rooms as Frame[]).some((r) => r.room_id === roomId && r.status === "Finished");
    const pushed = await d.socket.nextMatching(finished, 10_000);
    expect(pushed.rooms).toContainEqual(expect.objectContaining({ room_id: roomId, room_name: "Table One", status: "Finished", player_count: 2 }));
    expect(d.socket.frames.filter((f) => String(f.type).startsWith("bigger_dice.") || f.type === "game_started" || f.type === "turn_changed")).toEqual([]);
    expect((await gameRoom(roomId))).toMatchObject({ status: "Finished", winner_id: winner.wire, finished_at: expect.any(String) });

    // The name is free again once the room is over.
    d.socket.send({ type: "create_room", game_type: "bigger_dice", room_name: "Table One" });
    expect(await nextOf(d, "room_created")).toMatchObject({ room_name: "Table One", host_id: d.wire });
  }, 120_000);

  it("refuses wrong-turn, spectator, outsider and forged-user_id rolls with codes, and changes nothing", async () => {
    const shard = await newLobby();
    const [a, b, s, o] = (await Promise.all(["ann", "ben", "spec", "out"].map((n) => client(shard, n)))) as [Client, Client, Client, Client];
    const { roomId, started } = await startGame(a, b, "Refusals");
    s.socket.send({ type: "spectate", room_id: roomId });
    await nextOf(s, "room_state");
    const mover = started.first_turn === a.wire ? a : b;
    const waiter = mover === a ? b : a;
    const before = await gameRoom(roomId);
    await Promise.all([a, b, s, o].map((c) => c.socket.drain()));

    const socketId = async (c: Client) => {
      c.socket.send({ type: "auth" });
      return (await nextOf(c, "authenticated")).socket_id;
    };
    const refusal = async (c: Client, frame: Frame) => {
      const sid = await socketId(c);
      c.socket.send(frame);
      const e = await nextOf(c, "error");
      expect(e.socket_id).toBe(sid);
      return e.code;
    };
    const roll = { type: "bigger_dice.roll", room_id: roomId };
    expect(await refusal(waiter, roll)).toBe("NOT_YOUR_TURN");
    // A frame naming the mover's user_id still acts as its sender.
    expect(await refusal(waiter, { ...roll, user_id: mover.wire, username: mover.name })).toBe("NOT_YOUR_TURN");
    expect(await refusal(s, roll)).toBe("SPECTATOR_CANNOT_ACT");
    expect(await refusal(o, { ...roll, user_id: mover.wire })).toBe("NOT_IN_ROOM");
    expect(await refusal(o, { ...roll, room_id: "room_nope" })).toBe("ROOM_NOT_FOUND");
    expect(await refusal(s, { type: "ready", room_id: roomId })).toBe("SPECTATOR_CANNOT_ACT");
    expect(await refusal(o, { type: "leave_room", room_id: roomId, user_id: mover.wire })).toBe("NOT_IN_ROOM");
    expect(await refusal(o, { type: "join_room", room_name: "Refusals" })).toBe("GAME_ALREADY_STARTED");
    expect(await refusal(o, { type: "create_room", game_type: "bigger_dice", room_name: " refusals " })).toBe("ROOM_NAME_TAKEN");
    expect(await refusal(o, { type: "create_room", game_type: "chess", room_name: "x" })).toBe("UNKNOWN_GAME_TYPE");
    expect(await refusal(a, { type: "create_room", game_type: "bigger_dice", room_name: "Second seat" })).toBe("ALREADY_IN_ROOM");
    expect(await refusal(o, { type: "bigger_dice.roll" })).toBe("BAD_COMMAND");
    expect(await refusal(o, { type: "teleport", room_id: roomId })).toBe("BAD_COMMAND");
    o.socket.send("{not json");
    expect((await nextOf(o, "error")).code).toBe("BAD_JSON");

    // Nothing moved: same turn, same scores, and no game frame reached anyone.
    expect(await gameRoom(roomId)).toEqual(before);
    for (const c of [a, b, s, o]) expect((await c.socket.drain()).filter((f) => String(f.type).startsWith("bigger_dice.") || f.type === "turn_changed")).toEqual([]);
    // The rightful mover still can.
    mover.socket.send(roll);
    expect(await nextOf(s, "bigger_dice.rolled")).toMatchObject({ player_id: mover.wire });
  }, 60_000);

  it("a full room refuses a third player, and a frame's identity fields never seat someone else", async () => {
    const shard = await newLobby();
    const [a, b, c] = (await Promise.all(["p", "q", "r"].map((n) => client(shard, n)))) as [Client, Client, Client];
    const roomId = await createRoom(a, "Full");
    b.socket.send({ type: "join_room", room_name: "Full" });
    await nextOf(b, "room_state");
    c.socket.send({ type: "join_room", room_name: "Full", user_id: b.wire });
    expect(await nextOf(c, "error")).toMatchObject({ code: "ROOM_FULL", room_id: roomId });
    // The refused seat is released: c may create a room of its own.
    c.socket.send({ type: "create_room", game_type: "bigger_dice", room_name: "Mine" });
    expect(await nextOf(c, "room_created")).toMatchObject({ host_id: c.wire });
    // b leaves a waiting room: the seat frees, and b hears its own player_left.
    b.socket.send({ type: "leave_room", room_id: roomId });
    expect(await nextOf(b, "player_left")).toMatchObject({ room_id: roomId, user_id: b.wire, username: "q" });
    expect(await nextOf(a, "player_left")).toMatchObject({ user_id: b.wire });
    expect((await gameRoom(roomId)).players.map((p: Frame) => p.user_id)).toEqual([a.wire]);
  }, 60_000);

  it("sends lobby-wide frames to the users in no room only (every change to those who asked list_rooms), and to players again once their room ends", async () => {
    const shard = await newLobby({ list_push_ms: 50 });
    const [a, b, c, w, x] = (await Promise.all(["ava", "ben", "cal", "wes", "xia"].map((n) => client(shard, n)))) as [Client, Client, Client, Client, Client];
    // Wes asks for the whole list, and so hears all of its changes; Xia only browses (the joinable rooms).
    w.socket.send({ type: "list_rooms" });
    await nextOf(w, "room_list");
    const { roomId } = await startGame(a, b, "Busy");
    // Cal (browsing) opens a room: Wes and Xia see it appear (it is joinable); Cal hears its own room_created.
    const otherId = await createRoom(c, "Other");
    for (const v of [w, x]) expect(await v.socket.nextMatching((f) => f.type === "room_created" && f.room_id === otherId)).toMatchObject({ room_name: "Other", host_id: c.wire });
    // Ava and Ben are seated: the lobby answers each one's list_rooms after it pushed room_created to
    // every browser (its outputs reach a gateway in order), and neither got it.
    for (const p of [a, b]) {
      p.socket.send({ type: "list_rooms" });
      expect((await nextOf(p, "room_list")).rooms).toContainEqual(expect.objectContaining({ room_id: otherId }));
      expect(p.socket.frames.filter((f) => f.type === "room_created" && f.room_id === otherId)).toEqual([]);
    }
    // Ben forfeits: the game ends, both players browse again and hear that it ended.
    b.socket.send({ type: "leave_room", room_id: roomId });
    const ended = (f: Frame) => f.type === "rooms_updated" && (f.rooms as Frame[]).some((r) => r.room_id === roomId && r.status === "Finished");
    for (const p of [a, b, w]) await p.socket.nextMatching(ended, 10_000);
    // Cal, seated in Other since its room_created (a push from before, while it browsed, may precede it), got none of it.
    c.socket.send({ type: "list_rooms" });
    expect((await nextOf(c, "room_list")).rooms).toEqual([expect.objectContaining({ room_id: otherId })]);
    const seated = c.socket.frames.findIndex((f) => f.type === "room_created" && f.room_id === otherId);
    expect(c.socket.frames.slice(seated).filter((f) => f.type === "rooms_updated")).toEqual([]);
    // Ava opens a room after Busy ended: when Xia sees it, she has had every earlier push (one
    // stream, in order), and none of them told her Busy started or ended: it was never joinable
    // for her after it filled. Wes heard both.
    const laterId = await createRoom(a, "Later");
    await x.socket.nextMatching((f) => f.type === "room_created" && f.room_id === laterId, 10_000);
    const told = (v: Client) => v.socket.frames.flatMap((f) => (f.type === "rooms_updated" ? (f.rooms as Frame[]) : [])).filter((r) => r.room_id === roomId).map((r) => r.status);
    expect(told(x).filter((s) => s !== "Waiting")).toEqual([]);
    expect(told(w)).toEqual(expect.arrayContaining(["Finished"]));
    expect(x.socket.frames.filter((f) => f.type === "rooms_updated").every((f) => typeof f.open_rooms === "number")).toBe(true);
  }, 60_000);
});
