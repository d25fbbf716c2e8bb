import type { Actor } from "../../core/kind.ts";

/**
 * How a caller reached the campaign. The campaign routes always overwrite the
 * actor's role with one of these (a token's own `role` claim never counts),
 * so the kind knows which socket is the DM's without trusting a frame.
 *
 * In a DM's table (tableKind.ts) the role also names the campaign the caller
 * came through, as `<role>:<campaign_id>` (`dm:c-1` is the DM socket opened
 * with `?campaign=c-1`, `api:c-1` an HTTP call on `/api/campaigns/c-1`); a
 * socket opened with `?dm=` has the bare role. Campaign ids never hold `:`.
 */
export const ROLE = { dm: "dm", player: "player", api: "api" } as const;

/** The route part of a role: `dm`, `player` or `api` (`player:c-1` -> `player`). */
export const routeOf = (actor: Actor): string => {
  const at = actor.role.indexOf(":");
  return at < 0 ? actor.role : actor.role.slice(0, at);
};

/** The campaign a caller came through, or null (`player:c-1` -> `c-1`; `player` -> null). */
export const campaignOf = (actor: Actor): string | null => {
  const at = actor.role.indexOf(":");
  return at < 0 ? null : actor.role.slice(at + 1) || null;
};

/** The role a route gives its caller: `role`, or `role:<campaign_id>` when it came through one campaign. */
export const roleVia = (role: string, campaignId: string | null): string => (campaignId ? `${role}:${campaignId}` : role);

/** The campaign's DM over a DM socket or HTTP, or a service over HTTP; never a player socket. */
export function maySendDmFrames(dmUserId: string, actor: Actor): boolean {
  if (routeOf(actor) === ROLE.player) return false;
  return actor.service || (dmUserId !== "" && actor.userId === dmUserId);
}

export const isDmUser = (dmUserId: string, actor: Actor) => dmUserId !== "" && actor.userId === dmUserId;
