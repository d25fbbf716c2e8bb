import type { Actor } from "../../core/kind.ts";
import { turnView } from "./combat";
import type { TurnView } from "./combat";
import { isDm } from "./roles";
import type { CombatState, Player, TabletopState } from "./state";

/**
 * The snapshot a viewer gets (resume fallback, room info). It carries only
 * shared state: whispers live in the core's audience-filtered log, never in
 * state, so no viewer can see someone else's. The invite list is the DM's business.
 */
export interface TabletopView {
  session_id: string | number;
  campaign_id: string | number;
  created_at: string;
  dm_user_id: string;
  players: Player[];
  player_count: number;
  combat: CombatState;
  turn: TurnView;
  you: { user_id: string; is_dm: boolean; in_room: boolean };
  invited?: string[] | null;
}

export function view(state: TabletopState, viewer: Actor): TabletopView {
  const dm = isDm(state, viewer);
  return {
    session_id: state.session_id,
    campaign_id: state.campaign_id,
    created_at: state.created_at,
    dm_user_id: state.dm_user_id,
    players: state.players,
    player_count: state.players.length,
    combat: state.combat,
    turn: turnView(state),
    you: { user_id: viewer.userId, is_dm: dm, in_room: state.players.some((p) => p.user_id === viewer.userId) },
    ...(dm ? { invited: state.invited } : {}),
  };
}
