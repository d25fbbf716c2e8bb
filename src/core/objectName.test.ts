import { describe, expect, it } from "vitest";
import { hostedName, isHostedIn, objectIdOf, objectName, ROOM_ID } from "./objectName.ts";

// These strings are where existing rooms live (idFromName): pinned byte for byte.
describe("objectName", () => {
  it("names every system's objects exactly as before core v3", () => {
    expect(objectName("campaign", "c-1")).toBe("campaign:c-1");
    expect(objectName("quest", "7TCJEM")).toBe("quest:7TCJEM");
    expect(objectName("tabletop", "5f0c")).toBe("tabletop:5f0c");
    expect(objectName("feed", "default")).toBe("feed:default");
    expect(objectName("games:lobby", "main")).toBe("games:lobby:main");
    expect(objectName("game", "r1")).toBe("game:r1");
  });

  it("reads the id back out of a name of its kind, and leaves other names alone", () => {
    expect(objectIdOf("feed", "feed:default")).toBe("default");
    expect(objectIdOf("feed", "default")).toBe("default");
    expect(objectIdOf("feed", "feed-shard:x")).toBe("feed-shard:x");
    expect(objectIdOf("quest", objectName("quest", "ABC123"))).toBe("ABC123");
  });

  it("room ids can't hold the separator", () => {
    expect(ROOM_ID.test("a-b_C9")).toBe(true);
    expect(ROOM_ID.test("a:b")).toBe(false);
  });
});

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
