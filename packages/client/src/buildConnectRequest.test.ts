import { describe, expect, it } from "vitest";
import { buildConnectRequest } from "./buildConnectRequest.js";

describe("buildConnectRequest", () => {
  it("puts the token in the subprotocol pair by default, not in the URL", () => {
    const request = buildConnectRequest({ url: "wss://h.test/ws/feed", token: "a.b.c", tokenIn: "protocol" });
    expect(request).toEqual({ url: "wss://h.test/ws/feed", protocols: ["hearth", "bearer.a.b.c"] });
  });

  it("puts the token in ?token= when asked", () => {
    const request = buildConnectRequest({ url: "wss://h.test/ws/feed", token: "a.b.c", tokenIn: "query" });
    expect(request.protocols).toEqual(["hearth"]);
    expect(new URL(request.url).searchParams.get("token")).toBe("a.b.c");
  });

  it("offers only `hearth` without a token (so refusals come back as close codes)", () => {
    expect(buildConnectRequest({ url: "wss://h.test/x", tokenIn: "protocol" })).toEqual({ url: "wss://h.test/x", protocols: ["hearth"] });
    expect(buildConnectRequest({ url: "wss://h.test/x", token: "", tokenIn: "protocol" })).toEqual({ url: "wss://h.test/x", protocols: ["hearth"] });
  });

  it("adds since/epoch from the cursor and lets them win over app params", () => {
    const request = buildConnectRequest({
      url: "wss://h.test/ws/game/s1?character_id=c1&since=99",
      params: { teamCode: "7TCJEM", epoch: "stale" },
      tokenIn: "protocol",
      cursor: { seq: 12, epoch: "e1" },
    });
    const query = new URL(request.url).searchParams;
    expect(query.get("character_id")).toBe("c1");
    expect(query.get("teamCode")).toBe("7TCJEM");
    expect(query.get("since")).toBe("12");
    expect(query.get("epoch")).toBe("e1");
  });

  it("drops a since/epoch the app put in the URL when there is no cursor", () => {
    const query = new URL(buildConnectRequest({ url: "wss://h.test/x?since=4&epoch=e", tokenIn: "protocol" }).url).searchParams;
    expect(query.has("since")).toBe(false);
    expect(query.has("epoch")).toBe(false);
  });

  it("resolves relative URLs and maps http(s) to ws(s)", () => {
    expect(buildConnectRequest({ url: "/ws/feed", tokenIn: "protocol", base: "https://app.test/page" }).url).toBe("wss://app.test/ws/feed");
    expect(buildConnectRequest({ url: "http://localhost:8787/ws", tokenIn: "protocol" }).url).toBe("ws://localhost:8787/ws");
  });

  it("throws on a URL it cannot parse", () => {
    expect(() => buildConnectRequest({ url: "not a url", tokenIn: "protocol" })).toThrow();
  });
});
