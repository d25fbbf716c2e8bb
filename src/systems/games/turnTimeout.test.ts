import { describe, expect, it } from "vitest";
import type { Applied, ApplyResult, KindCtx } from "../../core/kind.ts";
import { testCtx } from "../../core/testCtx.ts";
import { gameKind, type GameState } from "./gameKind.ts";
import type { ToLobby } from "./messages.ts";

const LOBBY = "games:lobby:t";
const config = gameKind.config!.parse({ room_id: "room_1", room_name: "R", game_type: "bigger_dice", lobby: LOBBY, abandon_after_ms: 1000, turn_timeout_ms: 30_000, host: { userId: "1", username: "one" } });
const ctx = (now = 5000, over: Partial<KindCtx> = {}) => testCtx({ config, now, ...over });
const ok = (r: ApplyResult<GameState>): Applied<GameState> => {
  if (!r.ok) throw new Error(`${r.code}: ${r.message}`);
  return r;
};
const user = (id: string) => ({ userId: id, username: `u${id}` });
const cmd = (state: GameState, id: string, command: Record<string, unknown>, now = 5000) =>
  ok(gameKind.receive!(state, { from: LOBBY, body: { op: "cmd", user: user(id), conn: `c${id}`, command: { room_id: "room_1", ...command } } }, ctx(now)));
const gone = (state: GameState, id: string, now = 5000) => ok(gameKind.receive!(state, { from: LOBBY, body: { op: "gone", user: user(id) } }, ctx(now)));
const told = (r: Applied<GameState>) => r.effects![0]!.body as unknown as ToLobby;

function running(): GameState {
  let s = gameKind.init(config, ctx());
  s = cmd(s, "2", { type: "join_room" }).state;
  s = cmd(s, "1", { type: "ready" }).state;
  return cmd(s, "2", { type: "ready" }).state;
}

describe("turn timeout (issue 24 item 4)", () => {
  it("[G-TURN1] the player whose turn it is drops: after turn_timeout_ms they lose by the game type's rule (forfeit), and everyone is told", () => {
    const s = running();
    const absent = s.room.currentTurn!;
    const other = absent === "1" ? "2" : "1";
    const dropped = gone(s, absent, 6000);
    expect(dropped.wakeAt).toBe(36_000);
    // Before the deadline the timer does nothing but re-arm itself.
    expect(ok(gameKind.wake!(dropped.state, ctx(20_000)))).toMatchObject({ emits: [], wakeAt: 36_000 });
    const ended = ok(gameKind.wake!(dropped.state, ctx(36_000)));
    expect(ended.state.room).toMatchObject({ status: "Finished", winnerId: other, currentTurn: null });
    expect(ended.wakeAt).toBeNull();
    expect(ended.emits.map((f) => f.body)).toEqual([expect.objectContaining({ type: "game_ended", reason: "timeout", winner_id: Number(other) })]);
    expect(told(ended).summary).toMatchObject({ status: "Finished" });
  });

  it("[G-TURN2] a rejoin before the deadline stops the clock, and the old wake-up changes nothing", () => {
    const s = running();
    const absent = s.room.currentTurn!;
    const dropped = gone(s, absent, 6000);
    const back = cmd(dropped.state, absent, { type: "rejoin_room" }, 10_000);
    expect(back.wakeAt).toBeNull();
    expect(back.state.turnDeadline).toBeNull();
    const late = ok(gameKind.wake!(back.state, ctx(36_000)));
    expect(late.state.room.status).toBe("InProgress");
    expect(late.emits).toEqual([]);
  });

  it("[G-TURN3] the waiting player dropping starts no clock; the turn passing to them does", () => {
    const s = running();
    const mover = s.room.currentTurn!;
    const waiting = mover === "1" ? "2" : "1";
    const dropped = gone(s, waiting, 6000);
    expect(dropped.wakeAt).toBeUndefined();
    expect(dropped.state.turnDeadline ?? null).toBeNull();
    const rolled = cmd(dropped.state, mover, { type: "bigger_dice.roll" }, 7000);
    expect(rolled.state.room.currentTurn).toBe(waiting);
    expect(rolled.wakeAt).toBe(37_000);
  });
});
