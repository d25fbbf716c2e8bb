import { describe, expect, it } from "vitest";
import { parseDiceFormula, rollDice } from "./dice";
import { face, noRandom, scripted } from "./fixtures";

const roll = (formula: string, random: () => number) => {
  const out = rollDice(formula, random);
  if (!out.ok) throw new Error(out.message);
  return out.roll;
};

const errorOf = (formula: string) => rollDice(formula, noRandom);

describe("rollDice: shapes and sums", () => {
  it("rolls 1d20+5 into the seed's roll shape", () => {
    expect(roll("1d20+5", scripted(face(13, 20)))).toEqual({
      formula: "1d20+5",
      result: 18,
      rolls: [13],
      kept: [13],
      dropped: [],
      modifier: 5,
      terms: [
        { notation: "1d20", sign: 1, count: 1, sides: 20, keep: null, keep_count: 1, rolls: [13], kept: [13], dropped: [], subtotal: 13 },
      ],
    });
  });

  it("is case-insensitive and whitespace tolerant, and writes the canonical formula", () => {
    const r = roll(" 2D6 + d4 - 1 ", scripted(face(6, 6), face(2, 6), face(3, 4)));
    expect(r.formula).toBe("2d6+1d4-1");
    expect(r.rolls).toEqual([6, 2, 3]);
    expect(r.modifier).toBe(-1);
    expect(r.result).toBe(10);
  });

  it("subtracts a negative dice term", () => {
    const r = roll("1d20-1d4", scripted(face(10, 20), face(3, 4)));
    expect(r.result).toBe(7);
    expect(r.terms.map((t) => t.subtotal)).toEqual([10, -3]);
    expect(r.formula).toBe("1d20-1d4");
  });

  it("sums several constants into modifier", () => {
    const r = roll("1d6+2-5", scripted(face(4, 6)));
    expect(r.modifier).toBe(-3);
    expect(r.result).toBe(1);
  });

  it("accepts a leading sign", () => {
    expect(roll("-1d4+10", scripted(face(4, 4))).result).toBe(6);
  });

  it("reads d% as a hundred-sided die", () => {
    const r = roll("d%", scripted(face(77, 100)));
    expect(r.formula).toBe("1d100");
    expect(r.result).toBe(77);
  });

  it("draws dice in term order from the injected random", () => {
    const r = roll("3d6", scripted(face(1, 6), face(6, 6), face(3, 6)));
    expect(r.rolls).toEqual([1, 6, 3]);
    expect(r.result).toBe(10);
  });

  it("clamps a misbehaving random source into 1..sides", () => {
    expect(roll("1d6", () => 1).rolls).toEqual([6]);
    expect(roll("1d6", () => -0.5).rolls).toEqual([1]);
    expect(roll("1d6", () => Number.NaN).rolls).toEqual([1]);
  });
});

describe("rollDice: keep and drop", () => {
  it("4d6kh3 keeps the three highest, reporting all dice in rolls", () => {
    const r = roll("4d6kh3", scripted(face(6, 6), face(3, 6), face(6, 6), face(1, 6)));
    expect(r.rolls).toEqual([6, 3, 6, 1]);
    expect(r.kept).toEqual([6, 3, 6]);
    expect(r.dropped).toEqual([1]);
    expect(r.result).toBe(15);
    expect(r.terms[0]).toMatchObject({ keep: "kh", keep_count: 3, notation: "4d6kh3" });
  });

  it("4d6kl1 keeps the lowest; on a tie the earlier die is kept", () => {
    const r = roll("4d6kl1", scripted(face(4, 6), face(2, 6), face(5, 6), face(2, 6)));
    expect(r.kept).toEqual([2]);
    expect(r.dropped).toEqual([4, 5, 2]);
    expect(r.result).toBe(2);
  });

  it("advantage 2d20kh1 and disadvantage 2d20kl1", () => {
    expect(roll("2d20kh1+3", scripted(face(7, 20), face(15, 20))).result).toBe(18);
    expect(roll("2d20kl1+3", scripted(face(7, 20), face(15, 20))).result).toBe(10);
  });

  it("k alone means keep highest, a missing count means 1", () => {
    const r = roll("2d20k", scripted(face(7, 20), face(15, 20)));
    expect(r.formula).toBe("2d20kh1");
    expect(r.result).toBe(15);
  });

  it("dl/dh drop the lowest/highest", () => {
    const dl = roll("4d6dl1", scripted(face(6, 6), face(3, 6), face(6, 6), face(1, 6)));
    expect(dl.result).toBe(15);
    expect(dl.formula).toBe("4d6dl1");
    expect(dl.terms[0]).toMatchObject({ keep: "kh", keep_count: 3 });
    const dh = roll("4d6 DH 2", scripted(face(6, 6), face(3, 6), face(6, 6), face(1, 6)));
    expect(dh.kept).toEqual([3, 1]);
    expect(dh.result).toBe(4);
  });

  it("keeps per term in a multi-term formula", () => {
    const r = roll("2d20kh1 + 2d6kl1 + 1", scripted(face(3, 20), face(19, 20), face(5, 6), face(2, 6)));
    expect(r.rolls).toEqual([3, 19, 5, 2]);
    expect(r.kept).toEqual([19, 2]);
    expect(r.dropped).toEqual([3, 5]);
    expect(r.result).toBe(22);
  });
});

describe("rollDice: bounds are errors with code BAD_FORMULA", () => {
  const cases: [string, string][] = [
    ["999d999999", "too many dice (999 > 100)"],
    ["101d6", "too many dice (101 > 100)"],
    ["0d6", "a dice term needs at least 1 die (got 0d6)"],
    ["1d1", "dice must have 2 to 1000 sides (got d1)"],
    ["1d1001", "dice must have 2 to 1000 sides (got d1001)"],
    ["100d6+100d6+1d6", "too many dice in total (201 > 200)"],
    ["1d4" + "+1".repeat(20), "too many terms (21 > 20)"],
    ["1d20+" + " ".repeat(96), "formula is too long (101 > 100 characters)"],
    ["", "formula is empty"],
    ["   ", "formula is empty"],
    ["5", "formula has no dice (e.g. 1d20+5)"],
    ["1d20+", "formula ends too early (expected a number or dice)"],
    ["1d20x", `expected '+' or '-' at position 5, found "x"`],
    ["abc", `unexpected character "a" at position 1`],
    ["1d", "missing number of sides after 'd'"],
    ["1dx", "expected the number of sides after 'd' at position 3"],
    ["1 0d6", `expected '+' or '-' at position 3, found "0"`],
    ["4d6kh5", "cannot keep 5 of 4 dice"],
    ["4d6kh0", "keep count must be at least 1 (got 0)"],
    ["4d6dl4", "cannot drop 4 of 4 dice"],
    ["1d20+20000", "modifier too large (20000 > 10000)"],
    ["1d20*2", `expected '+' or '-' at position 5, found "*"`],
  ];
  for (const [formula, message] of cases) {
    it(`${JSON.stringify(formula)} -> ${message}`, () => {
      expect(errorOf(formula)).toEqual({ ok: false, code: "BAD_FORMULA", message });
    });
  }

  it("accepts the limits themselves", () => {
    expect(parseDiceFormula("100d6+100d6").ok).toBe(true);
    expect(parseDiceFormula("1d2+1d1000").ok).toBe(true);
    expect(parseDiceFormula("1d4" + "+1".repeat(19)).ok).toBe(true);
    expect(parseDiceFormula("1d20+" + " ".repeat(94) + "1").ok).toBe(true);
  });

  it("prints huge numbers as written, not in exponent form", () => {
    expect(errorOf("99999999999999999999d6")).toEqual({
      ok: false,
      code: "BAD_FORMULA",
      message: "too many dice (99999999999999999999 > 100)",
    });
  });
});
