import { describe, expect, it } from "vitest";
import { eventsPath, parseTarget, socketPath } from "./targets.mjs";

describe("targets", () => {
  it("reads a relay id, <kind>:<id>, kinds with a colon and bare system names", () => {
    expect(parseTarget("demo-1")).toEqual({ kind: "relay", id: "demo-1" });
    expect(parseTarget("tabletop:42")).toEqual({ kind: "tabletop", id: "42" });
    expect(parseTarget("campaign.table:dm-1")).toEqual({ kind: "campaign.table", id: "dm-1" });
    expect(parseTarget("games:lobby:main")).toEqual({ kind: "games:lobby", id: "main" });
    expect(parseTarget("games")).toEqual({ kind: "games:lobby", id: "main" });
    expect(parseTarget("feed")).toEqual({ kind: "feed", id: "default" });
    expect(parseTarget("feed:default:shard:3")).toEqual({ kind: "feed-shard", id: "default:shard:3" });
    expect(parseTarget("/ws/feed?feed=x")).toEqual({ path: "/ws/feed?feed=x" });
  });

  it("maps each system to its own socket route, ids encoded", () => {
    expect(socketPath("demo 1")).toBe("/ws/rooms/demo%201");
    expect(socketPath("tabletop:42")).toBe("/ws/game/42");
    expect(socketPath("campaign:dragon")).toBe("/ws/campaign/player?campaign=dragon");
    expect(socketPath("campaign.table:dm-1")).toBe("/ws/campaign/player?dm=dm-1");
    expect(socketPath("quest:7TCJEM")).toBe("/ws/quest?teamCode=7TCJEM");
    expect(socketPath("feed:default")).toBe("/ws/feed?feed=default");
    expect(socketPath("games")).toBe("/ws/games?lobby=main");
    expect(socketPath("/ws/rooms/x?batch=1")).toBe("/ws/rooms/x?batch=1");
  });

  it("refuses what has no socket or no HTTP event route, saying where to go instead", () => {
    expect(() => socketPath("game:r1")).toThrow(expect.objectContaining({ code: "NOT_FOLLOWABLE", message: expect.stringContaining("hearth tail games") }));
    expect(() => socketPath("feed:default:shard:0")).toThrow(expect.objectContaining({ code: "NOT_FOLLOWABLE" }));
    expect(() => socketPath("nope:1")).toThrow(expect.objectContaining({ code: "NOT_FOLLOWABLE", message: expect.stringContaining('"nope"') }));
    expect(() => eventsPath("tabletop:42")).toThrow(expect.objectContaining({ code: "NO_HTTP_EVENTS" }));
    expect(() => parseTarget("  ")).toThrow(expect.objectContaining({ code: "BAD_TARGET" }));
  });

  it("maps the systems that take HTTP events to their routes", () => {
    expect(eventsPath("demo-1")).toBe("/api/rooms/demo-1/events");
    expect(eventsPath("quest:ABC")).toBe("/api/runtime/session/ABC/events");
    expect(eventsPath("feed")).toBe("/api/feed/events?feed=default");
    expect(eventsPath("campaign:c/1")).toBe("/api/campaigns/c%2F1/update");
    expect(eventsPath("/api/rooms")).toBe("/api/rooms");
  });
});
