import type { Context } from "hono";
import { jsonShapeError } from "../protocol/decodeJson.ts";
import { httpError } from "./middleware/httpError.ts";

/**
 * Reads a JSON body (size already bounded by bodyLimit) or answers 400:
 * BAD_JSON when it does not parse, JSON_TOO_DEEP / JSON_TOO_COMPLEX when it
 * breaks the shape bounds socket frames obey too (checked on the whole body,
 * ignored fields included, before anything reaches a room).
 */
export async function readJson(c: Context): Promise<{ ok: true; text: string; value: unknown } | { ok: false; response: Response }> {
  const text = await c.req.text();
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, response: httpError(c, 400, "BAD_JSON", "The request body is not valid JSON.") };
  }
  const shape = jsonShapeError(value);
  if (shape) return { ok: false, response: httpError(c, 400, shape.code, shape.message) };
  return { ok: true, text, value };
}
