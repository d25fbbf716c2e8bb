import { authorizeCommand } from "../../core/authorize.ts";
import type { CommandAuth } from "../../core/kind.ts";
import type { HearthError } from "../../core/hearthError.ts";
import { actorOf, type Input } from "./input.ts";

/**
 * Stage 4: may this actor send this command? Decided once, here, by the
 * kind's `authorize` table and the scopes the verified token carried
 * (core/authorize.ts); the kind's rules never check scopes. Only commands
 * (socket, HTTP) are authorized: timers, messages from other objects and
 * presence are the core's own. A refusal writes nothing.
 */
export function authorize(auth: CommandAuth | undefined, input: Input, command: unknown): HearthError | null {
  if (input.source !== "socket" && input.source !== "http") return null;
  return authorizeCommand(auth, actorOf(input), command);
}
