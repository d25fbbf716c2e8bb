import { describe, expect, it } from "vitest";
import { hostedName, isHostedIn } from "./objectName.ts";

describe("isHostedIn", () => {
  const gw = "games:lobby:main:gw:3";
  it("is true for a room hosted inside the object, and only that object", () => {
    expect(isHostedIn(hostedName(gw, "game:r1"), gw)).toBe(true);
    expect(isHostedIn(hostedName(gw, "game:r1"), "games:lobby:main:gw:4")).toBe(false);
  });
  it("is false for the object's own room and for another object's", () => {
    expect(isHostedIn(gw, gw)).toBe(false);
    expect(isHostedIn("games:lobby:main", gw)).toBe(false);
  });
});
