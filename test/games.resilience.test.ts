import { evictDurableObject, runDurableObjectAlarm } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { client, gameAt, gameRoom, newLobby, nextOf, playToEnd, startGame, type Client } from "./helpers/games.ts";
import { eventually, objectNamed, service } from "./helpers/objects.ts";
import type { Frame } from "./helpers/socket.ts";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("games resilience (seed 004)", () => {
  it("a player who drops is shown disconnected; a new socket rejoins, gets room_state and every later frame", async () => {
    const shard = await newLobby();
    const [a, b0, s] = (await Promise.all(["ada", "bea", "sid"].map((n) => client(shard, n)))) as [Client, Client, Client];
    const { roomId, started } = await startGame(a, b0, "Drop");
    s.socket.send({ type: "spectate", room_id: roomId });
    await nextOf(s, "room_state");

    b0.socket.close();
    expect(await nextOf(a, "player_disconnected", 10_000)).toMatchObject({ room_id: roomId, user_id: b0.wire, username: "bea" });
    expect((await gameRoom(roomId)).players.find((p: Frame) => p.user_id === b0.wire)).toMatchObject({ is_connected: false });

    const b = await client(shard, "bea", b0.id);
    b.socket.send({ type: "rejoin_room", user_id: 1, room_id: roomId });
    const state = await nextOf(b, "room_state");
    expect(state.room).toMatchObject({ room_id: roomId, status: "InProgress", current_turn: started.first_turn, players: [{ user_id: a.wire, is_connected: true }, { user_id: b.wire, is_connected: true }] });
    expect(await nextOf(a, "player_rejoined")).toMatchObject({ room_id: roomId, user_id: b.wire, username: "bea" });
    expect(await nextOf(s, "player_rejoined")).toMatchObject({ user_id: b.wire });

    const ended = await playToEnd(roomId, [a, b], s, started.first_turn);
    await nextOf(b, "game_ended", 10_000);
    // The new socket got every frame of the rest of the game, the same as the spectator.
    const after = (c: Client) => c.socket.frames.filter((f) => f.room_id === roomId && (String(f.type).startsWith("bigger_dice.") || f.type === "turn_changed" || f.type === "game_ended"));
    expect(after(b)).toEqual(after(s).filter((f) => f.type !== "turn_changed" || (f.turn_number as number) > 1));
    expect(after(b).at(-1)).toEqual(ended);
    // A stranger can't rejoin someone else's room.
    const x = await client(shard, "xan");
    x.socket.send({ type: "rejoin_room", room_id: roomId });
    expect((await nextOf(x, "error")).code).toBe("ROOM_NOT_FOUND");
  }, 120_000);

  it("closes a silent socket (the 40 s rule, on a short clock) and keeps one that pings; the dropped player shows disconnected", async () => {
    // Short enough for a test, long enough that starting a game (create, join, ready: several
    // objects) never leaves the quiet player silent past it.
    const shard = await newLobby({ limits: { idleTimeoutMs: 1500 } });
    const [quiet, chatty] = (await Promise.all(["quiet", "chatty"].map((n) => client(shard, n)))) as [Client, Client];
    const { roomId } = await startGame(chatty, quiet, "Heartbeat");
    // The chatty one pings (both ways the seed allows) until the quiet one is closed, by its
    // gateway's alarm: the idle rule is kept where the pings arrive ([S3]).
    for (let i = 0; !quiet.socket.closed && i < 100; i++) {
      chatty.socket.send(i % 2 ? "ping" : { type: "ping" });
      await sleep(100);
    }
    expect(await quiet.socket.waitClosed(5000)).toEqual({ code: 4000, reason: "Idle timeout" });
    expect(chatty.socket.closed).toBeNull();
    expect(chatty.socket.frames).toContainEqual({ type: "pong" });
    expect(await nextOf(chatty, "player_disconnected", 10_000)).toMatchObject({ room_id: roomId, user_id: quiet.wire });
  }, 60_000);

  it("abandons a game whose players are both gone, by its timer, across an eviction", async () => {
    const shard = await newLobby({ abandon_after_ms: 300 });
    const [a, b, watcher] = (await Promise.all(["amy", "bo", "wat"].map((n) => client(shard, n)))) as [Client, Client, Client];
    // The watcher asked for the whole list: it hears a started room end.
    watcher.socket.send({ type: "list_rooms" });
    await nextOf(watcher, "room_list");
    const { roomId } = await startGame(a, b, "Empty");
    a.socket.close();
    b.socket.close();
    // [S8] The game lives in its creator's gateway: that object is evicted, and its alarm runs the game's.
    const at = await gameAt(roomId);
    const game = at.stub;
    await eventually(async () => expect((await gameRoom(roomId)).players.every((p: Frame) => p.is_connected === false)).toBe(true), 10_000);
    await evictDurableObject(game);
    await eventually(async () => {
      await runDurableObjectAlarm(game);
      expect(await gameRoom(roomId)).toMatchObject({ status: "Abandoned", finished_at: expect.any(String) });
    }, 10_000);
    const update = await watcher.socket.nextMatching((f) => f.type === "rooms_updated" && (f.rooms as Frame[]).some((r) => r.room_id === roomId && r.status === "Abandoned"), 10_000);
    expect(update.rooms).toContainEqual(expect.objectContaining({ room_id: roomId, room_name: "Empty", status: "Abandoned" }));
    watcher.socket.send({ type: "list_rooms" });
    expect((await nextOf(watcher, "room_list")).rooms).toEqual([]);
    // Applied once: another alarm changes nothing.
    const head = (await game.snapshot(service, undefined, at.address)) as { seq: number };
    await runDurableObjectAlarm(game);
    expect(((await game.snapshot(service, undefined, at.address)) as { seq: number }).seq).toBe(head.seq);
  }, 60_000);

  it("a rejoin before the timer keeps the game; leave_room mid-game forfeits it to the other player", async () => {
    const shard = await newLobby({ abandon_after_ms: 60_000 });
    const [a, b0] = (await Promise.all(["cal", "dee"].map((n) => client(shard, n)))) as [Client, Client];
    const { roomId } = await startGame(a, b0, "Forfeit");
    a.socket.close();
    b0.socket.close();
    await eventually(async () => expect((await gameRoom(roomId)).players.every((p: Frame) => !p.is_connected)).toBe(true), 10_000);
    const b = await client(shard, "dee", b0.id);
    b.socket.send({ type: "rejoin_room", room_id: roomId });
    expect((await nextOf(b, "room_state")).room).toMatchObject({ status: "InProgress" });
    b.socket.send({ type: "leave_room", room_id: roomId });
    expect(await nextOf(b, "player_left")).toMatchObject({ room_id: roomId, user_id: b.wire });
    expect(await nextOf(b, "game_ended")).toMatchObject({ room_id: roomId, winner_id: a.wire, winner_username: "cal", reason: "forfeit" });
    expect(await gameRoom(roomId)).toMatchObject({ status: "Finished", winner_id: a.wire });
  }, 60_000);
});
