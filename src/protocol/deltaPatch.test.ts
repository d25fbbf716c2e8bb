import { describe, expect, it } from "vitest";
import { canonicalJson, documentChecksum } from "./deltaChecksum.ts";
import { applyDocumentDelta, diffDocument } from "./deltaPatch.ts";

const campaign = () => ({
  narrative: "The party reaches the ford.",
  all_narratives: ["Dawn.", "The road.", "The party reaches the ford."],
  turn: "3",
  status: null,
  characters: [
    { id: "c1", name: "Ayla", hp: 31, max_hp: 40, conditions: ["blessed"] },
    { id: "c2", name: "Bram", hp: 22, max_hp: 28, conditions: [] },
  ],
  turn_info: { active: "c1", round: 2 },
  environmental_conditions: "Rain, poor light",
  immediate_threats: [{ name: "Bandit", count: 3 }],
  story_progression: { act: 1, beats: ["met the ferryman"] },
});

describe("[W1] document deltas: build, apply, checksum", () => {
  it("a small update is a small patch that rebuilds the same document, nulls included", () => {
    const base = campaign();
    const next = structuredClone(base);
    next.turn = "4";
    next.characters[0]!.hp = 24;
    next.all_narratives.push("Arrows from the reeds.");
    (next as Record<string, unknown>).status = { combat: true };
    const delta = diffDocument("structured_data", 7, base, next);
    expect(delta).toMatchObject({ field: "structured_data", base: 7, sum: documentChecksum(next) });
    expect(delta.ops.map((o) => o.op).sort()).toEqual(["add", "replace", "replace", "replace"]);
    expect(JSON.stringify(delta).length).toBeLessThan(JSON.stringify(next).length);
    const rebuilt = applyDocumentDelta(base, delta);
    expect(rebuilt).toEqual({ ok: true, doc: next });
    // The base is not touched.
    expect(base.turn).toBe("3");
    // A value set back to null stays a value (why this is JSON Patch and not merge patch).
    const back = diffDocument("structured_data", 8, next, base);
    expect(applyDocumentDelta(next, back)).toEqual({ ok: true, doc: base });
  });

  it("a wrong base fails its checksum or its patch, with a stable code", () => {
    const base = campaign();
    const next = { ...base, turn: "4" };
    const delta = diffDocument("structured_data", 1, base, next);
    expect(applyDocumentDelta({ ...base, narrative: "Elsewhere." }, delta)).toMatchObject({ ok: false, code: "DELTA_CHECKSUM" });
    const removal = diffDocument("structured_data", 1, base, { ...base, characters: [] });
    expect(applyDocumentDelta({ ...base, characters: undefined }, removal)).toMatchObject({ ok: false, code: "DELTA_BAD_PATCH" });
  });

  it("the checksum reads the canonical JSON: key order does not matter, values do", () => {
    expect(canonicalJson({ b: 1, a: { d: [2, { f: null, e: "x" }], c: true } })).toBe('{"a":{"c":true,"d":[2,{"e":"x","f":null}]},"b":1}');
    expect(documentChecksum({ a: 1, b: 2 })).toBe(documentChecksum({ b: 2, a: 1 }));
    expect(documentChecksum({ a: 1, b: 2 })).not.toBe(documentChecksum({ a: 1, b: 3 }));
    expect(documentChecksum({})).toMatch(/^[0-9a-f]{8}$/);
    // FNV-1a 32 of the text `"a"` (the JSON of the string a): 0x811c9dc5 basis, 0x01000193 prime.
    expect(documentChecksum("a")).toBe(fnvByHand('"a"'));
  });
});

/** The textbook loop, spelled out with BigInt so it does not share Math.imul with the code under test. */
function fnvByHand(text: string): string {
  let h = 0x811c9dc5n;
  for (const ch of text) h = ((h ^ BigInt(ch.charCodeAt(0))) * 0x01000193n) % 2n ** 32n;
  return h.toString(16).padStart(8, "0");
}
