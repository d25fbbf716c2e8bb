import type { AnyKind } from "../../core/kind.ts";
import { Errors, hearthError, type HearthError } from "../../core/hearthError.ts";
import type { Logger } from "../logger.ts";
import type { Input } from "./input.ts";

/** What stage 3 uses: the kind's command schema, and where to say that it threw. */
export interface ValidatePort {
  kind: Pick<AnyKind, "name" | "command">;
  log: Logger;
  roomId: string;
}

/**
 * Stage 3: the kind's zod schema. A kind that takes no commands refuses every
 * one (NO_COMMANDS). A schema that throws (a bug, or a shape the decoder let
 * through) costs this command, never the room, and the sender still gets an
 * error with a code.
 */
export function validate(port: ValidatePort, input: Input, command: unknown): { ok: true; command: unknown } | HearthError {
  if (input.source !== "socket" && input.source !== "http") return { ok: true, command };
  const { kind } = port;
  if (!kind.command) return hearthError("NO_COMMANDS", `Rooms of kind ${kind.name} take no commands.`, 400);
  try {
    const parsed = kind.command.safeParse(command);
    return parsed.success ? { ok: true, command: parsed.data } : Errors.badCommand(issues(parsed.error));
  } catch (err) {
    port.log.error("validate_threw", { roomId: port.roomId, err: String(err) });
    return Errors.badCommand([{ path: "", message: "The command could not be validated." }]);
  }
}

/** zod issues as `details`: at most 20, each `{path, message}`. */
export function issues(error: { issues: readonly { path: readonly PropertyKey[]; message: string }[] }) {
  return error.issues.slice(0, 20).map((i) => ({ path: i.path.map(String).join("."), message: i.message }));
}
