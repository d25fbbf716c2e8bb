import type { Actor } from "../../core/kind.ts";

/**
 * How a caller reached the campaign. The campaign routes always overwrite the
 * actor's role with one of these (a token's own `role` claim never counts),
 * so the kind knows which socket is the DM's without trusting a frame.
 */
export const ROLE = { dm: "dm", player: "player", api: "api" } as const;

/** The campaign's DM over a DM socket or HTTP, or a service over HTTP; never a player socket. */
export function maySendDmFrames(dmUserId: string, actor: Actor): boolean {
  if (actor.role === ROLE.player) return false;
  return actor.service || (dmUserId !== "" && actor.userId === dmUserId);
}

export const isDmUser = (dmUserId: string, actor: Actor) => dmUserId !== "" && actor.userId === dmUserId;
