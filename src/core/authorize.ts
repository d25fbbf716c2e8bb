import { hearthError } from "./hearthError.ts";
import type { Actor, AnyKind, ApplyResult, CommandAuth, KindCtx, Rejection } from "./kind.ts";

/**
 * The one authorization rule for commands: the actor must hold one of the
 * scopes the kind's `authorize` table names for the command's `type`
 * (`services`: only services are held to it). The pipeline's authorize stage
 * runs it once, before dedup and apply; a kind's rules never check scopes.
 */
export function authorizeCommand(auth: CommandAuth | undefined, actor: Actor, command: unknown): Rejection | null {
  if (!auth) return null;
  const type = (command as { type?: unknown } | null)?.type;
  const rule = typeof type === "string" && Object.hasOwn(auth, type) ? auth[type] : undefined;
  if (!rule || (rule.services && !actor.service)) return null;
  if (rule.anyOf.some((scope) => actor.scopes.includes(scope))) return null;
  return hearthError(rule.code ?? "SCOPE_REQUIRED", rule.message, 403);
}

/** What the pipeline decides for one validated command, in its order: authorize, then the kind's rules. For kind tests. */
export function decideCommand<S>(kind: AnyKind, state: S, command: unknown, ctx: KindCtx): ApplyResult<S> {
  return authorizeCommand(kind.authorize, ctx.actor, command) ?? (kind.apply!(state, command, ctx) as ApplyResult<S>);
}
