import type { Context } from "hono";
import { httpError } from "./middleware/httpError.ts";

/** Reads a JSON body (size already bounded by bodyLimit) or answers 400 BAD_JSON. */
export async function readJson(c: Context): Promise<{ ok: true; text: string; value: unknown } | { ok: false; response: Response }> {
  const text = await c.req.text();
  try {
    return { ok: true, text, value: JSON.parse(text) };
  } catch {
    return { ok: false, response: httpError(c, 400, "BAD_JSON", "The request body is not valid JSON.") };
  }
}
