import type { DecodeError } from "./codec.ts";

/**
 * Shape bounds for every JSON value Hearth accepts from outside (socket frames
 * and HTTP bodies). Byte size is bounded elsewhere (maxFrameBytes, bodyLimit);
 * these bound what a small text can still cost: nesting (recursive validators,
 * structured clone and storage blow the stack on deep values) and the number
 * of values (keys plus array items) every later walk has to visit.
 */
export const JSON_LIMITS = {
  /** Containers (objects/arrays) nested inside each other, the outermost counting 1. */
  maxDepth: 64,
  /** Object keys plus array items, over the whole value. */
  maxNodes: 20_000,
} as const;

export interface JsonLimits {
  maxDepth: number;
  maxNodes: number;
}

export type JsonShapeError = { ok: false; code: "JSON_TOO_DEEP" | "JSON_TOO_COMPLEX"; message: string };

/**
 * Checks a parsed JSON value against the shape bounds, or says which one it
 * breaks. Iterative (an explicit stack), so a hostile value cannot overflow
 * the call stack of the check itself; stops as soon as a bound is crossed.
 */
export function jsonShapeError(value: unknown, limits: JsonLimits = JSON_LIMITS): JsonShapeError | null {
  const values: unknown[] = [value];
  const depths: number[] = [1];
  let nodes = 0;
  while (values.length > 0) {
    const v = values.pop();
    const depth = depths.pop()!;
    if (typeof v !== "object" || v === null) continue;
    if (depth > limits.maxDepth) {
      return { ok: false, code: "JSON_TOO_DEEP", message: `JSON may nest at most ${limits.maxDepth} objects/arrays deep.` };
    }
    const children: unknown[] = Array.isArray(v) ? v : Object.values(v);
    nodes += children.length;
    if (nodes > limits.maxNodes) {
      return { ok: false, code: "JSON_TOO_COMPLEX", message: `JSON may hold at most ${limits.maxNodes} keys and array items in total.` };
    }
    for (const child of children) {
      if (typeof child === "object" && child !== null) {
        values.push(child);
        depths.push(depth + 1);
      }
    }
  }
  return null;
}

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
  const shape = jsonShapeError(value);
  if (shape) return shape;
  return { ok: true, value: value as Record<string, unknown> };
}

/** A client command id: short printable string, or absent. */
export function commandId(raw: unknown): string | undefined | DecodeError {
  if (raw === undefined || raw === null) return undefined;
  if (typeof raw === "number" && Number.isSafeInteger(raw)) return String(raw);
  if (typeof raw === "string" && raw.length > 0 && raw.length <= 128) return raw;
  return { ok: false, code: "BAD_FRAME", message: "`id` must be a string of 1-128 characters or an integer." };
}
