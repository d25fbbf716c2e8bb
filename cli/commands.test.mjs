// The commands' own parsing and shaping, without a server (e2e/cli.test.mjs runs them against one).
import { describe, expect, it } from "vitest";
import { pickField } from "./commands/get.mjs";
import { inspectPath } from "./commands/inspect.mjs";
import { checkedJson } from "./commands/post.mjs";
import { roomLine } from "./commands/rooms.mjs";
import { tokenClaims } from "./commands/token.mjs";
import { wsUrl } from "./commands/ws.mjs";
import { serverUrl, tokenSource } from "./settings.mjs";
import { stopRule } from "./stopRule.mjs";

describe("token claims", () => {
  it("takes the JSON argument, with flags laid over it", () => {
    expect(tokenClaims('{"sub":"ann","name":"Ann"}', {})).toEqual({ sub: "ann", name: "Ann" });
    expect(tokenClaims(undefined, { sub: "bob", scope: "rooms:admin", ttl: 60 })).toEqual({ sub: "bob", scope: "rooms:admin", ttl: 60 });
    expect(tokenClaims('{"sub":"ann"}', { sub: "bob" })).toEqual({ sub: "bob" });
  });
  it("names what is wrong", () => {
    expect(() => tokenClaims("{sub", {})).toThrow(expect.objectContaining({ code: "BAD_JSON" }));
    expect(() => tokenClaims("[1]", {})).toThrow(expect.objectContaining({ code: "BAD_CLAIMS" }));
    expect(() => tokenClaims(undefined, {})).toThrow(expect.objectContaining({ code: "BAD_CLAIMS", message: expect.stringContaining("--sub") }));
  });
});

describe("settings", () => {
  it("checks the server URL and drops a trailing slash", () => {
    expect(serverUrl({ url: "http://localhost:8787/" })).toBe("http://localhost:8787");
    expect(serverUrl({})).toBe("http://localhost:8787");
    expect(() => serverUrl({ url: "localhost:8787" })).toThrow(expect.objectContaining({ code: "BAD_URL" }));
    expect(() => serverUrl({ url: "nonsense" })).toThrow(expect.objectContaining({ code: "BAD_URL" }));
  });
  it("a given token is used as is and cannot be re-minted", async () => {
    const source = tokenSource({ url: "http://localhost:1", token: "t" });
    expect(await source.get()).toBe("t");
    expect(source.fresh).toBeNull();
  });
});

describe("commands", () => {
  it("get: one field of JSON, strings bare, the rest as JSON", () => {
    expect(pickField('{"a":{"b":"x"}}', "a.b")).toBe("x");
    expect(pickField('{"a":{"b":[1]}}', "a")).toBe('{"b":[1]}');
    expect(() => pickField('{"a":1}', "b")).toThrow(expect.objectContaining({ code: "NO_FIELD" }));
    expect(() => pickField("<html>", "a")).toThrow(expect.objectContaining({ code: "BAD_JSON" }));
  });
  it("inspect: the admin routes, the name encoded", () => {
    expect(inspectPath("tabletop:42")).toBe("/api/admin/rooms/tabletop%3A42");
    expect(inspectPath("demo-1", 0)).toBe("/api/admin/rooms/demo-1/state?at=0");
    expect(() => inspectPath("/api/x")).toThrow(expect.objectContaining({ code: "BAD_ROOM_NAME" }));
  });
  it("post: an event must be JSON before anything is sent", () => {
    expect(checkedJson('{"type":"publish"}')).toBe('{"type":"publish"}');
    expect(() => checkedJson("  ")).toThrow(expect.objectContaining({ code: "NO_EVENT" }));
    expect(() => checkedJson("{type:1}")).toThrow(expect.objectContaining({ code: "BAD_JSON" }));
  });
  it("rooms: one aligned line per room", () => {
    expect(roomLine({ name: "tabletop:42", kind: "tabletop", roomId: "42", createdAt: Date.UTC(2026, 0, 2, 3, 4, 5, 678), href: "/api/sessions/42" })).toBe(
      `${"tabletop:42".padEnd(32)}  ${"tabletop".padEnd(14)}  2026-01-02T03:04:05Z  /api/sessions/42`,
    );
    expect(roomLine({ name: "feed:x:shard:0", kind: "feed-shard", createdAt: 0, href: null }).endsWith("  -")).toBe(true);
  });
  it("ws: paths are on the server, URLs as given", () => {
    expect(wsUrl("/ws/feed?token=t", "https://h.example")).toBe("wss://h.example/ws/feed?token=t");
    expect(wsUrl("ws://x/ws/games", "http://localhost:8787")).toBe("ws://x/ws/games");
  });
  it("--until / --count", () => {
    const byName = stopRule({ until: "dice_roll" });
    expect(byName.reached({ type: "snapshot" })).toBe(false);
    expect(byName.reached({ event: "dice_roll", data: {} })).toBe(true);
    const byCount = stopRule({ count: 2 });
    expect(byCount.reached("pong")).toBe(false);
    expect(byCount.reached({})).toBe(true);
    expect(stopRule({}).reached({ type: "x" })).toBe(false);
  });
});
