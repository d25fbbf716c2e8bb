import { describe, expect, it } from "vitest";
import { decodeJson, JSON_LIMITS, jsonShapeError } from "./decodeJson.ts";
import { eventCodec } from "./eventCodec.ts";
import { typeCodec } from "./typeCodec.ts";

/** `levels` arrays inside each other, as text (never built recursively). */
const nestedText = (levels: number, inner = "0") => "[".repeat(levels) + inner + "]".repeat(levels);

describe("JSON shape bounds (decodeJson)", () => {
  it("[H2] accepts exactly maxDepth levels and refuses one more with JSON_TOO_DEEP", () => {
    // The frame object itself is level 1.
    const atLimit = `{"type":"publish","data":${nestedText(JSON_LIMITS.maxDepth - 1)}}`;
    const overLimit = `{"type":"publish","data":${nestedText(JSON_LIMITS.maxDepth)}}`;
    expect(decodeJson(atLimit)).toMatchObject({ ok: true });
    expect(decodeJson(overLimit)).toMatchObject({ ok: false, code: "JSON_TOO_DEEP" });
  });

  it("[H2] the check is iterative: it walks 200,000 levels without a stack overflow", () => {
    const value = JSON.parse(nestedText(200_000));
    // Unbounded, the walk visits every level: a recursive walker would throw RangeError here.
    expect(jsonShapeError(value, { maxDepth: Infinity, maxNodes: Infinity })).toBeNull();
    expect(jsonShapeError(value)).toMatchObject({ ok: false, code: "JSON_TOO_DEEP" });
    expect(decodeJson(`{"data":${nestedText(200_000)}}`)).toMatchObject({ ok: false, code: "JSON_TOO_DEEP" });
  });

  it("[H2] caps keys plus array items with JSON_TOO_COMPLEX", () => {
    const many = (n: number) => `{"type":"publish","data":[${Array(n).fill(0).join(",")}]}`;
    // The frame's two keys count too.
    expect(decodeJson(many(JSON_LIMITS.maxNodes - 2))).toMatchObject({ ok: true });
    expect(decodeJson(many(JSON_LIMITS.maxNodes - 1))).toMatchObject({ ok: false, code: "JSON_TOO_COMPLEX" });
    const keys = Object.fromEntries(Array.from({ length: JSON_LIMITS.maxNodes + 1 }, (_, i) => [`k${i}`, i]));
    expect(jsonShapeError(keys)).toMatchObject({ code: "JSON_TOO_COMPLEX" });
  });

  it("[H2] scalars and flat values pass; limits can be narrowed", () => {
    expect(jsonShapeError(1)).toBeNull();
    expect(jsonShapeError({ a: [1, 2, { b: null }] })).toBeNull();
    expect(jsonShapeError({ a: { b: {} } }, { maxDepth: 2, maxNodes: 100 })).toMatchObject({ code: "JSON_TOO_DEEP" });
    expect(jsonShapeError([1, 2, 3], { maxDepth: 2, maxNodes: 2 })).toMatchObject({ code: "JSON_TOO_COMPLEX" });
  });

  it("[H2] every codec refuses deep frames with the code", () => {
    const deep = nestedText(5_000);
    expect(typeCodec().decode(`{"type":"publish","data":${deep}}`)).toMatchObject({ ok: false, code: "JSON_TOO_DEEP" });
    expect(eventCodec().decode(`{"event":"player_action","data":{"details":${deep}}}`)).toMatchObject({ ok: false, code: "JSON_TOO_DEEP" });
  });
});
