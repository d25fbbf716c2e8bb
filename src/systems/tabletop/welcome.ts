import type { ConnectInfo } from "../../core/kind.ts";
import { turnView } from "./combat";
import { frame, playerListFrame, roomJoinedFrame } from "./frame";
import { makePlayer } from "./player";
import { isDm } from "./roles";
import type { TabletopState } from "./state";

/** How many of the newest logged frames (chat, rolls, narration, actions, whispers...) a joiner gets. */
export const HISTORY_ON_JOIN = 50;

/**
 * What a socket gets on connect, before live frames: the seed's personal
 * `room_joined` and `player_list`, then Hearth's `history` (the newest logged
 * frames this user may see, oldest first, already filtered by the core so
 * other people's whispers never appear), then, while a fight runs, the
 * present `combat_update` and `turn_change` so a client written for the seed
 * (which ignores `history`) still shows the fight as it is now.
 */
export function welcome(
  state: TabletopState,
  info: ConnectInfo,
  recent: readonly Record<string, unknown>[],
): Record<string, unknown>[] {
  let seen = state;
  let player = state.players.find((p) => p.user_id === info.actor.userId);
  if (!player) {
    // The core should run presence(join) first; if it has not, show the
    // joiner anyway. welcome has no clock, so created_at stands in for connected_at.
    const joined = Date.parse(state.created_at);
    player = makePlayer(
      info.actor,
      { character_id: info.params.character_id, character_name: info.params.character_name },
      isDm(state, info.actor),
      Number.isFinite(joined) ? joined : 0,
    );
    seen = { ...state, players: [...state.players, player] };
  }

  const frames: Record<string, unknown>[] = [
    roomJoinedFrame(seen, player),
    playerListFrame(seen),
    frame("history", { entries: [...recent] }),
  ];
  if (state.combat.active) {
    const timestamp = state.combat_changed_at ?? state.created_at;
    frames.push(frame("combat_update", { combat: state.combat, timestamp }));
    frames.push(frame("turn_change", { turn: turnView(state), timestamp }));
  }
  return frames;
}
