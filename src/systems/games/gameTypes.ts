import { biggerDice } from "./biggerDice.ts";
import type { GameType } from "./gameType.ts";

/** Every game the lobby offers, by `game_type`. A second game is a file beside this one and a line here. */
const TYPES: readonly GameType[] = [biggerDice as GameType];

export const gameTypes: ReadonlyMap<string, GameType> = new Map(TYPES.map((t) => [t.name, t]));

/** Which game type a game command (`bigger_dice.roll`) belongs to. */
export const gameTypeOfCommand: ReadonlyMap<string, GameType> = new Map(TYPES.flatMap((t) => Object.keys(t.commands).map((c) => [c, t] as const)));
