import { describe, expect, it } from "vitest";
import { client, newLobby, startGame } from "./helpers/games.ts";

describe("games: a command's ack means its game applied it ([P14], issue 24 item 2)", () => {
  it("[P14] [P5] two rolls back to back: r1 is acked after its effect, r2 gets NOT_YOUR_TURN with id r2 and no ack", async () => {
    const shard = await newLobby();
    const a = await client(shard, "ann");
    const b = await client(shard, "bob");
    const { roomId, started } = await startGame(a, b, "Acks");
    const roller = started.first_turn === a.wire ? a : b;
    const other = roller === a ? b : a;
    await roller.socket.drain();
    roller.socket.send({ type: "bigger_dice.roll", room_id: roomId, id: "r1" });
    roller.socket.send({ type: "bigger_dice.roll", room_id: roomId, id: "r2" });

    const ack = await roller.socket.nextMatching((f) => f.type === "ack", 10_000);
    expect(ack).toMatchObject({ type: "ack", id: "r1" });
    // Its effect came first: the turn passed to the other player before r1 was acknowledged.
    const before = roller.socket.frames.slice(0, roller.socket.frames.indexOf(ack));
    expect(before.some((f) => f.type === "turn_changed" && f.current_turn === other.wire)).toBe(true);

    const error = await roller.socket.nextMatching((f) => f.type === "error", 10_000);
    expect(error).toMatchObject({ type: "error", code: "NOT_YOUR_TURN", id: "r2", room_id: roomId, socket_id: expect.any(String) });
    const rest = await roller.socket.drain();
    expect([...roller.socket.frames, ...rest].filter((f) => f.type === "ack" && f.id === "r2")).toEqual([]);
    // The refusal is the sender's socket's alone.
    expect((await other.socket.drain()).filter((f) => f.type === "error")).toEqual([]);
    a.socket.close();
    b.socket.close();
  });

  it("[P14] a lobby command with an id is acked at once, and a room command without an id is answered as before (no ack)", async () => {
    const shard = await newLobby();
    const a = await client(shard, "ann");
    const b = await client(shard, "bob");
    const { roomId, started } = await startGame(a, b, "NoIds");
    const waiting = started.first_turn === a.wire ? b : a;
    await waiting.socket.drain();
    waiting.socket.send({ type: "list_rooms", id: "l1" });
    expect(await waiting.socket.nextMatching((f) => f.type === "ack", 10_000)).toMatchObject({ id: "l1" });
    waiting.socket.send({ type: "bigger_dice.roll", room_id: roomId });
    const error = await waiting.socket.nextMatching((f) => f.type === "error", 10_000);
    expect(error).toMatchObject({ code: "NOT_YOUR_TURN", room_id: roomId, socket_id: expect.any(String) });
    expect(error.id).toBeUndefined();
    expect((await waiting.socket.drain()).filter((f) => f.type === "ack")).toEqual([]);
    a.socket.close();
    b.socket.close();
  });
});
