import { describe, expect, it } from "vitest";
import { testCtx } from "../../core/testCtx.ts";
import { biggerDice, WINNING_SCORE } from "./biggerDice.ts";
import type { PlayerRecord } from "./wire.ts";

const p = (userId: string, score = 0): PlayerRecord => ({ userId, username: userId.toUpperCase(), score, isReady: true, joinedAt: 0, connected: true });
/** ctx.random returning these faces (1..6), in order. */
const dice = (...faces: number[]) => testCtx({ random: () => (faces.shift()! - 1) / 6 + 0.01 });
const table = (players: PlayerRecord[], currentTurn: string, turnNumber = 1) => ({ roomId: "r", players, currentTurn, turnNumber });

describe("bigger_dice", () => {
  it("refuses a roll out of turn and anything that isn't a roll", () => {
    const t = table([p("1"), p("2")], "1");
    expect(biggerDice.act({ rolls: {}, round: 1 }, t, { type: "bigger_dice.roll" }, "2", dice(3))).toMatchObject({ ok: false, code: "NOT_YOUR_TURN" });
    expect(biggerDice.act({ rolls: {}, round: 1 }, t, { type: "bigger_dice.cheat" }, "1", dice(3))).toMatchObject({ ok: false, code: "UNKNOWN_COMMAND" });
  });

  it("passes the turn after the first roll and compares the round after the second", () => {
    const first = biggerDice.act({ rolls: {}, round: 1 }, table([p("1"), p("2")], "2"), { type: "bigger_dice.roll" }, "2", dice(5));
    if (!("game" in first)) throw new Error(first.code);
    expect(first).toMatchObject({ currentTurn: "1", turnNumber: 2, frames: [{ type: "bigger_dice.rolled", player_id: 2, player_username: "2", roll: 5, new_score: 0 }] });
    const second = biggerDice.act(first.game, table([p("1"), p("2")], "1", 2), { type: "bigger_dice.roll" }, "1", dice(3));
    if (!("game" in second)) throw new Error(second.code);
    expect(second.scores).toEqual({ 1: 0, 2: 1 });
    expect(second.frames[1]).toEqual({ type: "bigger_dice.round_result", room_id: "r", player1_id: 1, player1_roll: 3, player2_id: 2, player2_roll: 5, winner_id: 2, is_tie: false, round: 1 });
    expect(second.game).toEqual({ rolls: {}, round: 2 });
    expect(second.winner).toBeUndefined();
  });

  it("gives nobody a point on a tie, and ends the game at 10", () => {
    const tie = biggerDice.act({ rolls: { 1: 4 }, round: 3 }, table([p("1"), p("2")], "2"), { type: "bigger_dice.roll" }, "2", dice(4));
    if (!("game" in tie)) throw new Error(tie.code);
    expect(tie.frames[1]).toMatchObject({ winner_id: null, is_tie: true });
    expect(tie.scores).toEqual({ 1: 0, 2: 0 });
    const win = biggerDice.act({ rolls: { 2: 1 }, round: 20 }, table([p("1", WINNING_SCORE - 1), p("2", 7)], "1"), { type: "bigger_dice.roll" }, "1", dice(6));
    if (!("game" in win)) throw new Error(win.code);
    expect(win).toMatchObject({ winner: "1", scores: { 1: 10, 2: 7 }, frames: [{ new_score: 10 }, { winner_id: 1 }] });
  });
});
