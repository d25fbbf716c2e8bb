import type { CommandAuth } from "../../core/kind.ts";
import { hearthError, type HearthError } from "../../core/hearthError.ts";
import { actorOf, type Input } from "./input.ts";

/**
 * Stage 4: may this actor send this command? Decided once, here, from the
 * kind's declared `authorize` table (by the command's `type`) and the scopes
 * the verified token carried; the kind's rules never check scopes. Only
 * commands (socket, HTTP) are authorized: timers, messages from other objects
 * and presence are the core's own. Refused with 403 before dedup, so a
 * refused command writes nothing.
 */
export function authorize(auth: CommandAuth | undefined, input: Input, command: unknown): HearthError | null {
  if (!auth || (input.source !== "socket" && input.source !== "http")) return null;
  const type = (command as { type?: unknown } | null)?.type;
  const rule = typeof type === "string" && Object.hasOwn(auth, type) ? auth[type] : undefined;
  if (!rule) return null;
  const actor = actorOf(input);
  if (rule.services && !actor.service) return null;
  if (rule.anyOf.some((scope) => actor.scopes.includes(scope))) return null;
  return hearthError(rule.code ?? "SCOPE_REQUIRED", rule.message, 403);
}
