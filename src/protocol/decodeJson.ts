import type { DecodeError } from "./codec.ts";

/** Parses a client frame into a plain object, or says why it is not one. */
export function decodeJson(text: string): { ok: true; value: Record<string, unknown> } | DecodeError {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, code: "BAD_JSON", message: "Frame is not valid JSON." };
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return { ok: false, code: "BAD_FRAME", message: "Frame must be a JSON object." };
  }
  return { ok: true, value: value as Record<string, unknown> };
}

/** A client command id: short printable string, or absent. */
export function commandId(raw: unknown): string | undefined | DecodeError {
  if (raw === undefined || raw === null) return undefined;
  if (typeof raw === "number" && Number.isSafeInteger(raw)) return String(raw);
  if (typeof raw === "string" && raw.length > 0 && raw.length <= 128) return raw;
  return { ok: false, code: "BAD_FRAME", message: "`id` must be a string of 1-128 characters or an integer." };
}
