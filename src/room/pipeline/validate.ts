import { Errors, type HearthError } from "../../core/hearthError.ts";
import type { RoomContext } from "../roomContext.ts";
import type { Input } from "./input.ts";

/**
 * Stage 3: the kind's zod schema. A schema that throws (a bug, or a shape
 * the decoder let through) costs this command, never the room, and the
 * sender still gets an error with a code.
 */
export function validate(rc: RoomContext, input: Input, command: unknown): { ok: true; command: unknown } | HearthError {
  if (input.source !== "socket" && input.source !== "http") return { ok: true, command };
  try {
    const parsed = rc.l.kind.command.safeParse(command);
    return parsed.success ? { ok: true, command: parsed.data } : Errors.badCommand(issues(parsed.error));
  } catch (err) {
    rc.log.error("validate_threw", { roomId: rc.l.meta.roomId, err: String(err) });
    return Errors.badCommand([{ path: "", message: "The command could not be validated." }]);
  }
}

/** zod issues as `details`: at most 20, each `{path, message}`. */
export function issues(error: { issues: readonly { path: readonly PropertyKey[]; message: string }[] }) {
  return error.issues.slice(0, 20).map((i) => ({ path: i.path.map(String).join("."), message: i.message }));
}
