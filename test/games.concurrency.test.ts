import { describe, expect, it } from "vitest";
import { client, newLobby, nextOf, playToEnd, startGame, type Client } from "./helpers/games.ts";

const GAMES = 50;
/** Frames the lobby sends to the list's browsers, whatever room they name. */
const LOBBY_WIDE = new Set(["room_created", "rooms_updated"]);

describe("games isolation", () => {
  it(`${GAMES} games played at once: no frame of one game reaches another game's sockets`, async () => {
    // Test clients don't run the seed's 30 s ping; the 40 s rule has its own test (games.resilience).
    const shard = await newLobby({ limits: { idleTimeoutMs: null } });
    const tables = await Promise.all(
      Array.from({ length: GAMES }, async (_, i) => {
        const [a, b, s] = (await Promise.all([`a${i}`, `b${i}`, `s${i}`].map((n) => client(shard, n)))) as [Client, Client, Client];
        return { i, a, b, s };
      }),
    );
    const played = await Promise.all(
      tables.map(async (t) => {
        const { roomId, started } = await startGame(t.a, t.b, `Table ${t.i}`);
        t.s.socket.send({ type: "spectate", room_id: roomId });
        await nextOf(t.s, "room_state", 20_000);
        const ended = await playToEnd(roomId, [t.a, t.b], t.s, started.first_turn);
        await Promise.all([t.a, t.b].map((p) => nextOf(p, "game_ended", 20_000)));
        return { ...t, roomId, ended };
      }),
    );
    const ids = new Set(played.map((p) => p.roomId));
    expect(ids.size).toBe(GAMES);
    for (const p of played) {
      for (const c of [p.a, p.b, p.s]) {
        const foreign = c.socket.frames.filter((f) => typeof f.room_id === "string" && f.room_id !== p.roomId && !LOBBY_WIDE.has(String(f.type)));
        expect(foreign).toEqual([]);
        // Each socket saw its own game end exactly once, with its own winner.
        expect(c.socket.frames.filter((f) => f.type === "game_ended")).toEqual([p.ended]);
      }
      expect([p.a.wire, p.b.wire]).toContain(p.ended.winner_id);
    }
  }, 300_000);
});
