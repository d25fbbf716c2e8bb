import type { RoomLimits } from "../../core/kind.ts";
import { Errors, type HearthError } from "../../core/hearthError.ts";
import type { AbuseGuard } from "../abuseGuard.ts";
import type { Input } from "./input.ts";

/** What stage 1 uses: the room's limits and the per-socket and per-user budgets. */
export interface LimitsPort {
  limits: Pick<RoomLimits, "maxFrameBytes">;
  abuse: Pick<AbuseGuard, "takeSocket" | "takeHttp" | "forgive" | "strike">;
}

/**
 * Stage 1: size and rate. A socket frame must fit `maxFrameBytes` and find a
 * token in its bucket; a refusal is a strike, and too many strikes close the
 * socket (`abuse: true`). HTTP bodies were size-checked by the worker; user
 * tokens get one socket's budget. Internal inputs (timers, objects, presence)
 * are the room's own work and pass.
 */
export function checkLimits(port: LimitsPort, input: Input, now: number): (HearthError & { abuse?: boolean }) | null {
  const { limits, abuse } = port;
  if (input.source === "socket") {
    const { data, ws } = input;
    const size = typeof data === "string" ? byteLength(data, limits.maxFrameBytes) : data.byteLength;
    const error = size > limits.maxFrameBytes ? Errors.tooLarge(limits.maxFrameBytes) : !abuse.takeSocket(ws, now) ? Errors.rateLimited() : null;
    if (!error) {
      abuse.forgive(ws);
      return null;
    }
    return abuse.strike(ws) ? { ...error, abuse: true } : error;
  }
  if (input.source === "http" && !input.actor.service && !abuse.takeHttp(input.actor.userId, now)) return Errors.rateLimited();
  return null;
}

/** UTF-8 length, computed exactly only when the cheap bound says it might matter. */
function byteLength(text: string, max: number): number {
  if (text.length * 3 <= max) return text.length;
  return new TextEncoder().encode(text).byteLength;
}
