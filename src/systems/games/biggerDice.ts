import { z } from "zod";
import { reject } from "../../core/kind.ts";
import type { GameType } from "./gameType.ts";
import { wireId } from "./wire.ts";

/** Points (rounds won) that win the game. */
export const WINNING_SCORE = 10;

export interface BiggerDiceState {
  /** userId -> this round's roll, for the players who rolled in it so far. */
  rolls: Record<string, number>;
  round: number;
}

/**
 * bigger_dice (seed 004): two players take turns rolling 1d6 on the server;
 * when both rolled, the higher roll wins the round and a point (a tie gives
 * none); the first to 10 points wins. Turns strictly alternate, so the round's
 * second roller opens the next one.
 */
export const biggerDice: GameType<BiggerDiceState> = {
  name: "bigger_dice",
  maxPlayers: 2,
  // Two players: an absent player's turn can't pass to anyone but the one who just rolled.
  turnTimeout: "forfeit",
  commands: { "bigger_dice.roll": z.object({}) },
  start(players, ctx) {
    const first = players[Math.floor(ctx.random() * players.length)]!;
    return { game: { rolls: {}, round: 1 }, firstTurn: first.userId };
  },
  act(game, table, command, actorId, ctx) {
    if (command.type !== "bigger_dice.roll") return reject("UNKNOWN_COMMAND", `bigger_dice has no ${command.type}.`, 400);
    if (actorId !== table.currentTurn) return reject("NOT_YOUR_TURN", "It's not your turn to roll");
    const [p1, p2] = table.players as [(typeof table.players)[0], (typeof table.players)[0]];
    const me = actorId === p1.userId ? p1 : p2;
    const other = me === p1 ? p2 : p1;
    const roll = 1 + Math.floor(ctx.random() * 6);
    const rolls = { ...game.rolls, [actorId]: roll };
    const scores: Record<string, number> = { [p1.userId]: p1.score, [p2.userId]: p2.score };
    const frames: Record<string, unknown>[] = [];
    const rolled = { type: "bigger_dice.rolled", room_id: table.roomId, player_id: wireId(me.userId), player_username: me.username, roll, new_score: 0 };
    frames.push(rolled);
    const next = { currentTurn: other.userId, turnNumber: table.turnNumber + 1 };
    if (!(other.userId in rolls)) {
      rolled.new_score = scores[me.userId]!;
      return { game: { ...game, rolls }, scores, frames, ...next };
    }
    const r1 = rolls[p1.userId]!;
    const r2 = rolls[p2.userId]!;
    const roundWinner = r1 === r2 ? null : r1 > r2 ? p1 : p2;
    if (roundWinner) scores[roundWinner.userId]! += 1;
    rolled.new_score = scores[me.userId]!;
    frames.push({
      type: "bigger_dice.round_result",
      room_id: table.roomId,
      player1_id: wireId(p1.userId),
      player1_roll: r1,
      player2_id: wireId(p2.userId),
      player2_roll: r2,
      winner_id: roundWinner ? wireId(roundWinner.userId) : null,
      is_tie: roundWinner === null,
      round: game.round,
    });
    const won = roundWinner && scores[roundWinner.userId]! >= WINNING_SCORE ? { winner: roundWinner.userId } : {};
    return { game: { rolls: {}, round: game.round + 1 }, scores, frames, ...next, ...won };
  },
};
