import { describe, expect, it } from "vitest";
import { tokenFrom } from "./tokenFrom.ts";

const req = (url: string, headers: Record<string, string> = {}) => new Request(url, { headers });

describe("tokenFrom", () => {
  it("reads a `token` cookie (seed 004) when no header, subprotocol or query carries one", () => {
    expect(tokenFrom(req("https://h/ws/games", { Cookie: "theme=dark; token=abc.def.ghi; x=1" })).token).toBe("abc.def.ghi");
    expect(tokenFrom(req("https://h/ws/games", { Cookie: "mytoken=nope" })).token).toBeNull();
  });

  it("prefers the Authorization header, then the subprotocol, then ?token= over the cookie", () => {
    const cookie = { Cookie: "token=from-cookie" };
    expect(tokenFrom(req("https://h/?token=from-query", cookie)).token).toBe("from-query");
    expect(tokenFrom(req("https://h/", { ...cookie, "Sec-WebSocket-Protocol": "bearer.from-protocol" })).token).toBe("from-protocol");
    expect(tokenFrom(req("https://h/", { ...cookie, Authorization: "Bearer from-header" })).token).toBe("from-header");
  });
});
