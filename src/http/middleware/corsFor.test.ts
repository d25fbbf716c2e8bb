import { SELF } from "cloudflare:test";
import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import type { Env } from "../env.ts";
import { corsFor } from "./corsFor.ts";

// The test config runs with HEARTH_DEV_AUTH=1 and no allowlist: open, as `npm start` is.
describe("corsFor", () => {
  it("answers a preflight for an API route with the caller's origin and the headers Hearth reads", async () => {
    const res = await SELF.fetch("https://hearth.test/api/rooms/r1/events", {
      method: "OPTIONS",
      headers: { Origin: "https://app.example", "Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "authorization, content-type, idempotency-key" },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get("Access-Control-Allow-Origin")).toBe("https://app.example");
    expect(res.headers.get("Access-Control-Allow-Headers")?.toLowerCase()).toContain("idempotency-key");
    expect(res.headers.get("Access-Control-Allow-Methods")).toContain("POST");
  });

  it("marks real responses (errors included) for the allowed origin", async () => {
    const res = await SELF.fetch("https://hearth.test/api/rooms/r1", { headers: { Origin: "https://app.example" } });
    expect(res.status).toBe(401);
    expect(res.headers.get("Access-Control-Allow-Origin")).toBe("https://app.example");
  });
});

describe("corsFor with an allowlist (production)", () => {
  const app = new Hono<{ Bindings: Env }>().use("/api/*", corsFor()).get("/api/x", (c) => c.json({ ok: 1 }));
  const env = { HEARTH_ALLOWED_ORIGINS: "https://ok.example", HEARTH_DEV_AUTH: "0" } as Env;

  it("allows a listed origin and no other", async () => {
    const ok = await app.request("https://hearth.test/api/x", { headers: { Origin: "https://ok.example" } }, env);
    expect(ok.headers.get("Access-Control-Allow-Origin")).toBe("https://ok.example");
    const other = await app.request("https://hearth.test/api/x", { headers: { Origin: "https://evil.example" } }, env);
    expect(other.headers.get("Access-Control-Allow-Origin")).toBeNull();
    const preflight = await app.request("https://hearth.test/api/x", { method: "OPTIONS", headers: { Origin: "https://evil.example", "Access-Control-Request-Method": "POST" } }, env);
    expect(preflight.headers.get("Access-Control-Allow-Origin")).toBeNull();
  });
});
