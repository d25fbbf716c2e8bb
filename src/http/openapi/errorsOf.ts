import { ANY_RULE, type ErrorsDoc, type RouteDoc } from "./routeDocs.ts";

const TOKEN = ["TOKEN_MISSING", "TOKEN_INVALID", "TOKEN_EXPIRED", "TOKEN_REVOKED"];
const JSON_SHAPE = ["BAD_JSON", "JSON_TOO_DEEP", "JSON_TOO_COMPLEX"];

/** Adds `codes` under `status`, once each. */
export function addErrors(into: Map<number, Set<string>>, errors: ErrorsDoc | undefined) {
  for (const [status, codes] of Object.entries(errors ?? {})) {
    const set = into.get(Number(status)) ?? new Set<string>();
    for (const code of codes) set.add(code);
    into.set(Number(status), set);
  }
}

/**
 * The errors a route's middlewares answer with, read from what they check
 * (routeDocs.ts `documented`): a body validator's 400s, a token's 401s, a
 * scope's and a foreign room's 403s, a malformed id's refusal, a socket
 * route's 426. A socket route that refuses by closing (seeds 001, 002)
 * answers its token and room refusals with a close code after the 101, so
 * only its 426 (no `Upgrade` header) is an HTTP error.
 */
export function middlewareErrors(facts: RouteDoc, path: string): ErrorsDoc {
  const errors: Record<number, string[]> = { 500: ["INTERNAL"] };
  const add = (status: number, ...codes: string[]) => (errors[status] = [...(errors[status] ?? []), ...codes]);
  const byClose = facts.upgrade && facts.refuseByClose;
  if (facts.body) {
    add(400, ...JSON_SHAPE, facts.bodyCode ?? "BAD_REQUEST");
    if (path.startsWith("/api/")) add(413, "BODY_TOO_LARGE");
  }
  if (facts.query) add(400, "BAD_REQUEST");
  if (facts.auth) add(500, "AUTH_NOT_CONFIGURED");
  if (facts.auth && !byClose) add(401, ...TOKEN);
  if (facts.scope && !byClose) add(403, "SCOPE_REQUIRED");
  if (facts.invalid && !byClose) add(facts.invalid.status, facts.invalid.code);
  if (facts.roomForbidden && !byClose) add(403, "ROOM_FORBIDDEN");
  if (facts.upgrade) add(426, "UPGRADE_REQUIRED");
  if (facts.upgrade && !byClose) add(403, "ORIGIN_NOT_ALLOWED");
  return errors;
}

/** Codes as a schema: an enum, or any string when a kind's rules decide. */
export const codeSchema = (codes: readonly string[]) =>
  codes.includes(ANY_RULE) ? { type: "string", description: `A kind's rule code, or one of: ${codes.filter((c) => c !== ANY_RULE).join(", ")}` } : { type: "string", enum: [...codes].sort() };

export const codesText = (codes: readonly string[]) =>
  codes.map((c) => (c === ANY_RULE ? "a rule code of the room's kind" : `\`${c}\``)).join(", ");
