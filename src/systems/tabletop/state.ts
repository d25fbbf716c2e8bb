import { tabletopConfig } from "./schema";
import { isoTimestamp } from "./timestamp";

/**
 * The seed's Player, exactly: `{user_id, username, character_id?, character_name?, is_dm, connected_at}`.
 * Ids are strings because Hearth's user ids are token subjects, not database integers.
 */
export interface Player {
  user_id: string;
  username: string;
  character_id?: string;
  character_name?: string;
  is_dm: boolean;
  connected_at: string;
}

/** One entry of the initiative order. */
export interface Combatant {
  /** Stable key used to follow "whose turn" across updates: given id, else character_id, else name. */
  id: string;
  name: string;
  /** Absent only when the DM gave an explicit order (turn_change.initiative_order) without numbers. */
  initiative?: number;
  initiative_modifier?: number;
  /** The d20 the server rolled when the DM left initiative out. */
  initiative_roll?: number;
  user_id?: string;
  character_id?: string;
  hp?: number;
  max_hp?: number;
  conditions?: string[];
  is_npc?: boolean;
}

/** Combat as the seed's CombatUpdate carries it: `{active, participants, current_turn}` plus the round. */
export interface CombatState {
  active: boolean;
  /** 0 while no combat runs, 1.. during one. */
  round: number;
  /** Index into `participants` of whoever acts now. */
  current_turn: number;
  participants: Combatant[];
}

/**
 * A turn set outside combat ("the spotlight is on Mira"). During combat the
 * turn is derived from `combat`, so this is cleared when combat starts.
 */
export interface FreeTurn {
  current_character_id: string | null;
  current_character_name: string | null;
  round: number;
}

export interface TabletopState {
  /** The app's id as it created the session (an integer stays one); its text is the room id. */
  session_id: string | number;
  campaign_id: string | number;
  dm_user_id: string;
  /** Who may connect besides the DM; null lets any authenticated user in. */
  invited: string[] | null;
  created_at: string;
  /**
   * Who is in the room now, one entry per user, in join order. An array, not
   * an object keyed by user id, because numeric-looking keys would reorder.
   */
  players: Player[];
  combat: CombatState;
  turn: FreeTurn | null;
  /**
   * When combat or the turn last changed. Lets `welcome` stamp the present
   * combat/turn frames with the time they happened (welcome has no clock).
   */
  combat_changed_at: string | null;
}

export const NO_COMBAT: CombatState = { active: false, round: 0, current_turn: 0, participants: [] };

/**
 * Builds a fresh room. The core validates the config with `tabletopConfig`
 * first; it is parsed again here because `init` only gets `unknown`s, and a
 * config that still fails yields a room without a DM rather than a crash.
 */
export function initTabletopState(raw: Readonly<Record<string, unknown>>, ctx: { now: number; roomId: string }): TabletopState {
  const parsed = tabletopConfig.safeParse(raw);
  const config = parsed.success ? parsed.data : { session_id: undefined, campaign_id: "", dm_user_id: "", players: undefined, created_at: undefined };
  return {
    // Only the id this room was made for: a config naming another id (never sent by the route) is ignored.
    session_id: config.session_id !== undefined && String(config.session_id) === ctx.roomId ? config.session_id : ctx.roomId,
    campaign_id: config.campaign_id,
    dm_user_id: config.dm_user_id,
    invited: config.players ? [...config.players] : null,
    created_at: config.created_at ?? isoTimestamp(ctx.now),
    players: [],
    combat: NO_COMBAT,
    turn: null,
    combat_changed_at: null,
  };
}
