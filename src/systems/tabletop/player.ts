import type { Actor } from "../../core/kind.ts";
import type { Player } from "./state";
import { isoTimestamp } from "./timestamp";

/** Where a player's character comes from: the socket's `?character_id=` / `?character_name=`, or join_room's data. */
export interface CharacterChoice {
  character_id?: string | undefined;
  character_name?: string | undefined;
}

const MAX_NAME = 100;
const MAX_CHARACTER_ID = 128;

/** Only a non-empty, bounded value counts; query parameters arrive unvalidated. */
const bounded = (value: string | undefined, max: number): string | undefined =>
  value !== undefined && value.trim() !== "" && value.length <= max ? value : undefined;

/**
 * The seed's Player for `actor`, joining now. Optional fields are left out
 * rather than set to undefined so the JSON shape is stable.
 */
export function makePlayer(actor: Actor, character: CharacterChoice, isDm: boolean, now: number): Player {
  const characterId = bounded(character.character_id, MAX_CHARACTER_ID);
  const characterName = bounded(character.character_name, MAX_NAME);
  // The display name comes from a token; a huge one must not bloat every frame.
  const username = (actor.name.trim() === "" ? actor.userId : actor.name).slice(0, MAX_NAME);
  return {
    user_id: actor.userId,
    username,
    ...(characterId === undefined ? {} : { character_id: characterId }),
    ...(characterName === undefined ? {} : { character_name: characterName }),
    is_dm: isDm,
    connected_at: isoTimestamp(now),
  };
}
