import { z } from "zod";
import { isHearthScope, type HearthScope } from "../../core/scopes.ts";

// The scopes are the core's (kinds decide with them); re-exported for the edge's older importers.
export { SCOPES, type HearthScope } from "../../core/scopes.ts";

/**
 * Per-room roles, kept in a prototype-less record so no room id (`__proto__`,
 * `constructor`, `toString`) can reach Object.prototype. Built from the
 * token's own entries: a plain zod record would silently drop `__proto__`.
 */
const roomsClaim = z
  .preprocess(
    (raw) => (raw !== null && typeof raw === "object" && !Array.isArray(raw) ? Object.entries(raw) : raw),
    z.array(z.tuple([z.string(), z.string().max(50)]), { error: "`rooms` must be an object of room id -> role" }),
  )
  .transform((entries) => {
    const rooms: Record<string, string> = Object.create(null);
    for (const [roomId, role] of entries) rooms[roomId] = role;
    return rooms;
  });

/** The claims Hearth reads (PROTOCOLS.md §1); everything else in a token is ignored. */
export const hearthClaims = z.object({
  sub: z.string().min(1).max(200),
  name: z.string().max(100).optional(),
  role: z.string().max(50).optional(),
  /** Per-room roles. When present, the token is good for these rooms only. */
  rooms: roomsClaim.optional(),
  scope: z.union([z.string().max(1000), z.array(z.string().max(100)).max(50)]).optional(),
  exp: z.number().optional(),
  /** Issued at (seconds): a user's revocation refuses the tokens issued at or before it ([V2]). */
  iat: z.number().optional(),
  /** Token id: what `POST /api/revocations {jti}` names ([V1]). */
  jti: z.string().min(1).max(200).optional(),
});
export type HearthClaims = z.infer<typeof hearthClaims>;

/**
 * The Hearth service scopes a token carries. Every other scope value (an
 * identity provider's `openid profile email`, another API's scopes) is
 * ignored: it grants nothing and does not make the caller a service.
 */
export function scopesOf(claims: HearthClaims): HearthScope[] {
  if (!claims.scope) return [];
  const all = Array.isArray(claims.scope) ? claims.scope : claims.scope.split(/\s+/);
  return [...new Set(all.filter(isHearthScope))];
}

/** The role a `rooms` claim gives for one room, looked up without the prototype. */
export function roomRole(rooms: Readonly<Record<string, string>>, roomId: string): string | undefined {
  if (!Object.hasOwn(rooms, roomId)) return undefined;
  const role = rooms[roomId];
  return typeof role === "string" ? role : undefined;
}
