import type { z } from "zod";
import type { HearthError } from "../../core/hearthError.ts";
import type { KindCtx } from "../../core/kind.ts";
import type { PlayerRecord } from "./wire.ts";

/** What a game type sees of its room when a player acts. */
export interface Table {
  roomId: string;
  players: readonly PlayerRecord[];
  currentTurn: string;
  turnNumber: number;
}

/** A game type's answer to a move: its new state, the scores, its own frames, whose turn is next. */
export interface Move<G> {
  game: G;
  /** userId -> score after the move. */
  scores: Readonly<Record<string, number>>;
  /** The game's own frames (`bigger_dice.rolled`, ...), in order; the room adds `turn_changed` / `game_ended`. */
  frames: Record<string, unknown>[];
  currentTurn: string;
  turnNumber: number;
  /** Set when the move ends the game. */
  winner?: string;
}

/**
 * One game (bigger_dice, ...). The lobby and the game object know games only
 * through this interface and the registry (gameTypes.ts): a second game is a
 * file and a line there. Pure, like a kind: dice come from ctx.random.
 */
export interface GameType<G = unknown> {
  /** The seed's `game_type` (`bigger_dice`). */
  readonly name: string;
  readonly maxPlayers: number;
  /**
   * What happens when the player whose turn it is stays disconnected for the lobby's
   * `turn_timeout_ms`: "forfeit", they lose the game to the player still connected
   * (`game_ended` with `reason: "timeout"`). The one rule so far; a game where a turn can
   * be passed would add "skip".
   */
  readonly turnTimeout: "forfeit";
  /** The frames this game adds, by type (`bigger_dice.roll`), each with its fields besides `room_id`. */
  readonly commands: Readonly<Record<string, z.ZodObject>>;
  /** All players are ready: the game's initial state and who moves first. */
  start(players: readonly PlayerRecord[], ctx: KindCtx): { game: G; firstTurn: string };
  /** A player's move; the room already checked it is a player's, in a running game of this type. */
  act(game: G, table: Table, command: { type: string } & Record<string, unknown>, actorId: string, ctx: KindCtx): Move<G> | HearthError;
}
