import type { KindCtx, ApplyResult, ConnectInfo, PresenceChange, Rejection } from "../../core/kind.ts";
import { applied, reject } from "../../core/kind.ts";
import type { QuestDelta } from "./deltas";
import { isoTime, runtimeDeltaEmit } from "./deltas";
import type { QuestState } from "./state";
import { findPlayer, shallowCopy } from "./state";

/**
 * The core calls this when a player's first socket opens or last one closes.
 * It becomes PLAYER_JOINED / PLAYER_LEFT for the team and the `online` flag
 * in the snapshot (view() has no ctx.online, so the flag lives in state).
 */
export function questPresence(state: QuestState, change: PresenceChange, ctx: KindCtx): ApplyResult<QuestState> {
  const { actor } = change;
  const player = actor.service ? undefined : findPlayer(state, actor.userId);
  // admit() keeps strangers out; services have no place in the team's story.
  if (!player) return applied(state);
  const online = change.kind === "join";
  const draft: QuestState = {
    ...shallowCopy(state),
    players: state.players.map((p) => (p.playerId === player.playerId ? { ...p, online } : p)),
  };
  const delta: QuestDelta = {
    type: online ? "PLAYER_JOINED" : "PLAYER_LEFT",
    playerId: player.playerId,
    playerName: player.playerName,
    timestamp: isoTime(ctx.now),
  };
  return applied(draft, [runtimeDeltaEmit(ctx.roomId, [delta])], { result: { deltas: [delta] } });
}

/** Only team members (and services) may open a socket on a session; others are closed with 4003. */
export function questAdmit(state: QuestState, info: ConnectInfo): Rejection | null {
  if (info.actor.service || findPlayer(state, info.actor.userId)) return null;
  return reject("NOT_ON_TEAM", "Only members of this team can connect to its session.", 403);
}
