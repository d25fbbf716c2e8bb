import type { Context } from "hono";
import type { SubmitOptions } from "../room/rpc.ts";
import { bodyHash } from "./bodyHash.ts";
import { httpError } from "./middleware/httpError.ts";

/**
 * Reads `Idempotency-Key` and ties it to this exact request: its method, path and body. One
 * object may answer several paths (a DM's table serves every campaign of that DM), so the same
 * key sent for another campaign is a different request: 422, never the other one's answer.
 * Returns the options for `Room.submit`, or a 400 for a malformed key.
 */
export async function idempotencyOptions(c: Context, bodyText: string): Promise<{ ok: true; options: SubmitOptions } | { ok: false; response: Response }> {
  const key = c.req.header("Idempotency-Key");
  if (key === undefined) return { ok: true, options: {} };
  if (key.length === 0 || key.length > 200) {
    return { ok: false, response: httpError(c, 400, "BAD_IDEMPOTENCY_KEY", "Idempotency-Key must be 1-200 characters.") };
  }
  const path = new URL(c.req.url).pathname;
  return { ok: true, options: { idempotencyKey: key, bodyHash: await bodyHash(`${c.req.method} ${path}\n${bodyText}`) } };
}
