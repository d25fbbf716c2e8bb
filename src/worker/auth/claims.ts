import { z } from "zod";

/** The claims Hearth reads (PROTOCOLS.md §1); everything else in a token is ignored. */
export const hearthClaims = z.object({
  sub: z.string().min(1).max(200),
  name: z.string().max(100).optional(),
  role: z.string().max(50).optional(),
  /** Per-room roles. When present, the token is good for these rooms only. */
  rooms: z.record(z.string(), z.string().max(50)).optional(),
  scope: z.union([z.string().max(1000), z.array(z.string().max(100)).max(50)]).optional(),
  exp: z.number().optional(),
});
export type HearthClaims = z.infer<typeof hearthClaims>;

export const SCOPES = { publish: "events:publish", admin: "rooms:admin" } as const;
export type HearthScope = (typeof SCOPES)[keyof typeof SCOPES];
const HEARTH_SCOPES: readonly string[] = Object.values(SCOPES);

/**
 * The Hearth service scopes a token carries. Every other scope value (an
 * identity provider's `openid profile email`, another API's scopes) is
 * ignored: it grants nothing and does not make the caller a service.
 */
export function scopesOf(claims: HearthClaims): HearthScope[] {
  if (!claims.scope) return [];
  const all = Array.isArray(claims.scope) ? claims.scope : claims.scope.split(/\s+/);
  return [...new Set(all.filter((s): s is HearthScope => HEARTH_SCOPES.includes(s)))];
}
