import fc from "fast-check";
import { JSON_LIMITS } from "../../src/protocol/decodeJson.ts";
import { DEFAULT_LIMITS } from "../../src/room/limits.ts";

/** A frame a hostile client sends, and the code it must be refused with when that is certain. */
export interface HostileFrame {
  data: string | ArrayBuffer;
  /** The documented code of the refusal; absent when the frame may be valid or a rule may refuse it. */
  expect?: string;
}

/** How a system's frames are shaped: `{type, ...}` or `{event, data}`. */
export type Family = "type" | "event";

const wrap = (family: Family, name: string, payload: Record<string, unknown>) =>
  family === "type" ? { ...payload, type: name } : { event: name, data: payload };

/** Values a validator must survive: prototype keys, non-finite and huge numbers, odd types. */
const nasty = fc.oneof(
  fc.constantFrom<unknown>(null, true, 0, -1, 2 ** 53 + 1, -0, "", "\u0000", "\uFFFD", "<script>alert(1)</script>", [], {}),
  fc.constantFrom("99999999d99999999", "1d20+5", "d", "0d0", "1d1000000000", "(((1d6)))", "1d6".repeat(500), "-1d-1"),
  fc.string({ maxLength: 40 }),
  fc.integer(),
  fc.double(),
  fc.anything({ maxDepth: 3 }),
);

/** Raw text that is not JSON at all, or JSON numbers no double holds. */
const rawNumbers = ["1e309", "-1e309", "1e-400", "123456789012345678901234567890"];

/**
 * Hostile frames for a system whose commands are `names`: random text, random
 * JSON, nesting past the depth bound, values past the count bound, frames over
 * the size bound, binary frames, prototype keys, non-finite numbers, huge dice,
 * and well-named commands with random payloads.
 */
export function hostileFrames(family: Family, names: readonly string[]): fc.Arbitrary<HostileFrame> {
  const name = fc.constantFrom(...names);
  const payload = fc.dictionary(fc.oneof(fc.constantFrom("__proto__", "constructor", "prototype", "toString", "to", "data", "formula", "by", "nodeId", "message", "id", "user_id", "from", "result"), fc.string({ maxLength: 12 })), nasty, { maxKeys: 6 });
  return fc.oneof(
    // Random text: BAD_JSON exactly when it does not parse.
    fc.string({ maxLength: 200 }).map((t): HostileFrame => ({ data: t, ...(isJson(t) ? {} : { expect: "BAD_JSON" }) })),
    fc.json({ maxDepth: 4 }).map((t): HostileFrame => ({ data: t })),
    // Nesting past the bound, in the frame itself or inside a payload field.
    fc.integer({ min: JSON_LIMITS.maxDepth + 1, max: 5_000 }).chain((d) =>
      name.map((n): HostileFrame => ({ data: JSON.stringify(wrap(family, n, {})).replace(/\}$/, `,"deep":${"[".repeat(d)}${"]".repeat(d)}}`), expect: "JSON_TOO_DEEP" })),
    ),
    // More values than the bound in a small text.
    fc.integer({ min: JSON_LIMITS.maxNodes + 1, max: JSON_LIMITS.maxNodes + 500 }).map((n): HostileFrame => ({ data: `{"type":"x","data":[${"0,".repeat(n - 1)}0]}`, expect: "JSON_TOO_COMPLEX" })),
    // Over the frame size bound.
    fc.integer({ min: DEFAULT_LIMITS.maxFrameBytes + 1, max: DEFAULT_LIMITS.maxFrameBytes + 4_096 }).map((n): HostileFrame => ({ data: JSON.stringify({ type: "x", data: "x".repeat(n) }), expect: "FRAME_TOO_LARGE" })),
    fc.uint8Array({ maxLength: 64 }).map((b): HostileFrame => ({ data: b.slice().buffer, expect: "BAD_FRAME" })),
    // A command name with a payload of hostile values.
    fc.tuple(name, payload).map(([n, p]): HostileFrame => ({ data: JSON.stringify(wrap(family, n, p)) })),
    // Prototype keys spelled in the text (JSON.stringify would drop a real __proto__).
    name.map((n): HostileFrame => ({ data: JSON.stringify(wrap(family, n, {})).replace(/^\{/, '{"__proto__":{"polluted":1},"constructor":{"prototype":{"polluted":1}},') })),
    fc.tuple(name, fc.constantFrom(...rawNumbers)).map(([n, num]): HostileFrame => ({ data: JSON.stringify(wrap(family, n, { by: 0, data: 0, formula: 0 })).replace(/:0/g, `:${num}`) })),
    // The frame's own family, wrong: the other family's shape, or no name.
    fc.constantFrom<HostileFrame>({ data: "[]", expect: "BAD_FRAME" }, { data: "null", expect: "BAD_FRAME" }, { data: '"x"', expect: "BAD_FRAME" }, { data: "{}", expect: "BAD_FRAME" }),
  );
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}
