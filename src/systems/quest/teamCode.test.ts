import { describe, expect, it } from "vitest";
import { newTeamCode, TEAM_CODE, TEAM_CODE_ALPHABET } from "./teamCode.ts";

describe("newTeamCode", () => {
  it("makes 6 characters of the unambiguous alphabet", () => {
    for (let i = 0; i < 200; i++) expect(newTeamCode()).toMatch(TEAM_CODE);
    expect(TEAM_CODE_ALPHABET).not.toMatch(/[0O1IL5S2Z8B]/);
    expect(new Set(TEAM_CODE_ALPHABET).size).toBe(TEAM_CODE_ALPHABET.length);
  });
  it("skips biased bytes (rejection sampling)", () => {
    const bytes = [255, 254, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
    expect(newTeamCode(() => new Uint8Array(bytes))).toBe("ACDEFG");
  });
});
