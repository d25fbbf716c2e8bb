import { turnView } from "./combat";
import type { Player, TabletopState } from "./state";

/** A seed 002 wire body: `{"event": NAME, "data": {...}}`. The core adds `seq`/`epoch` beside them. */
export interface TabletopFrame {
  event: string;
  data: Record<string, unknown>;
  [key: string]: unknown;
}

export function frame(event: string, data: Record<string, unknown>): TabletopFrame {
  return { event, data };
}

/**
 * Personal `room_joined`: the seed's `{session_id, campaign_id, player, players}`
 * plus the present combat and turn, so a (re)joining player sees the fight as it is.
 */
export function roomJoinedFrame(state: TabletopState, player: Player): TabletopFrame {
  return frame("room_joined", {
    session_id: state.session_id,
    campaign_id: state.campaign_id,
    player,
    players: state.players,
    combat: state.combat,
    turn: turnView(state),
  });
}

/** Personal `player_list`: who is in the room now. */
export function playerListFrame(state: TabletopState): TabletopFrame {
  return frame("player_list", { players: state.players, total_players: state.players.length });
}
