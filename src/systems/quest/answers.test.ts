import { describe, expect, it } from "vitest";
import { matchesAnswer, normalizeAnswer } from "./answers";

describe("normalizeAnswer", () => {
  it.each([
    ["Anchor", "anchor"],
    ["  an   ANCHOR  ", "ananchor"],
    ["Café", "cafe"],
    ["Bjørvika", "bjorvika"],
    ["Æbleskiver", "aebleskiver"],
    ["Straße", "strasse"],
    ["Łódź", "lodz"],
    ["Ålesund", "alesund"],
    ["St. Olav's!", "stolavs"],
    ["1,000", "1000"],
    ["ｆｕｌｌ ｗｉｄｔｈ", "fullwidth"],
    ["?!", ""],
  ])("%j -> %j", (input, expected) => {
    expect(normalizeAnswer(input)).toBe(expected);
  });
});

describe("matchesAnswer", () => {
  it("matches regardless of case, spacing, punctuation and accents", () => {
    expect(matchesAnswer("  BJORVIKA. ", ["Bjørvika"])).toBe(true);
    expect(matchesAnswer("an Anchor", ["anchor", "an anchor"])).toBe(true);
  });

  it("does not match a different word or a prefix", () => {
    expect(matchesAnswer("anchors", ["anchor"])).toBe(false);
    expect(matchesAnswer("anch", ["anchor"])).toBe(false);
    expect(matchesAnswer("boat", ["anchor"])).toBe(false);
  });

  it("never matches a submission with no letters or digits", () => {
    expect(matchesAnswer("   ", ["anchor"])).toBe(false);
    expect(matchesAnswer("!!", ["anchor"])).toBe(false);
  });
});
