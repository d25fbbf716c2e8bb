import type { Actor } from "../core/kind.ts";

/** Who reads a frame: a user, and the groups they belong to right now (resolved lazily). */
export interface Reader {
  actor: Actor;
  inGroup(group: string): boolean;
}

/**
 * The one visibility rule, for live frames, replay and history alike: no
 * `to` and no `groups` is everyone; otherwise the users in `to` plus the
 * current members of any of `groups`.
 */
export function canSee(audience: { to?: readonly string[] | null; groups?: readonly string[] | undefined }, reader: Reader): boolean {
  const { to, groups } = audience;
  if (!to && !groups?.length) return true;
  if (to?.includes(reader.actor.userId)) return true;
  return !!groups?.some((g) => reader.inGroup(g));
}
