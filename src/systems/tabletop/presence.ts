import { applied } from "../../core/kind.ts";
import type { KindCtx, ApplyResult, Emit, PresenceChange } from "../../core/kind.ts";
import { frame } from "./frame";
import { makePlayer } from "./player";
import { isDm } from "./roles";
import type { TabletopState } from "./state";

/**
 * The core calls this on a user's first socket open and last socket close.
 * It is idempotent anyway (a repeated join or leave changes nothing), so two
 * tabs count once however the calls arrive. The DM leaving is an ordinary
 * leave: the room, its combat and its history go on.
 */
export function presence(state: TabletopState, change: PresenceChange, ctx: KindCtx): ApplyResult<TabletopState> {
  const userId = change.actor.userId;
  const existing = state.players.find((p) => p.user_id === userId);

  if (change.kind === "join") {
    if (existing) return applied(state);
    const player = makePlayer(
      change.actor,
      { character_id: change.params.character_id, character_name: change.params.character_name },
      isDm(state, change.actor),
      ctx.now,
    );
    const players = [...state.players, player];
    // The seed tells everyone but the joiner (who gets room_joined instead); an
    // old client would otherwise list itself twice. Sockets that left via
    // leave_room but are still open count as listeners too.
    const others = [...new Set([...state.players.map((p) => p.user_id), ...ctx.online.map((a) => a.userId)])].filter(
      (id) => id !== userId,
    );
    const emits: Emit[] =
      others.length === 0
        ? []
        : [{ body: frame("player_joined", { player, total_players: players.length }), to: others }];
    return applied({ ...state, players }, emits);
  }

  if (!existing) return applied(state);
  const players = state.players.filter((p) => p.user_id !== userId);
  return applied({ ...state, players }, [
    { body: frame("player_left", { player: existing, total_players: players.length }) },
  ]);
}
