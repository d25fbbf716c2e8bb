/**
 * Hearth's service scopes: the only values of a token's `scope` claim that grant anything
 * (PROTOCOLS.md §1). They live in the core because kinds decide with them too (a kind sees
 * them on `ctx.actor.scopes`), and a kind must not reach into the HTTP edge for a constant.
 */
export const SCOPES = { publish: "events:publish", admin: "rooms:admin" } as const;
export type HearthScope = (typeof SCOPES)[keyof typeof SCOPES];

const HEARTH_SCOPES: readonly string[] = Object.values(SCOPES);

/** True for one of Hearth's own scopes; an identity provider's `openid`, `rooms:admin:x` and the like are not. */
export function isHearthScope(scope: string): scope is HearthScope {
  return HEARTH_SCOPES.includes(scope);
}
