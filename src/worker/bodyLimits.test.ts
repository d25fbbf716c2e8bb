import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import type { System } from "../core/system.ts";
import { bodyLimits } from "./bodyLimits.ts";

const system = (prefix: string, maxBytes: number) => ({ bodyLimits: [{ prefix, maxBytes }] }) as unknown as System;

function appWith(systems: System[]) {
  const app = new Hono();
  app.use("/api/*", bodyLimits(systems, 100));
  app.post("/api/*", async (c) => c.json({ bytes: (await c.req.text()).length }));
  return app;
}

const post = (app: Hono, path: string, bytes: number) => app.request(path, { method: "POST", body: "x".repeat(bytes) });

describe("bodyLimits", () => {
  const app = appWith([system("/api/big", 1000), system("/api/big/bigger", 5000)]);

  it("[L3] a system's prefix raises the bound for its own paths only", async () => {
    expect((await post(app, "/api/big", 900)).status).toBe(200);
    expect((await post(app, "/api/big/x/y", 900)).status).toBe(200);
    expect((await post(app, "/api/big", 1001)).status).toBe(413);
    expect((await post(app, "/api/other", 101)).status).toBe(413);
    expect((await post(app, "/api/other", 100)).status).toBe(200);
    // A prefix is a path segment boundary: /api/bigfoot is not under /api/big.
    expect((await post(app, "/api/bigfoot", 101)).status).toBe(413);
  });

  it("[L3] the longest matching prefix wins, and the refusal is BODY_TOO_LARGE", async () => {
    expect((await post(app, "/api/big/bigger/z", 4000)).status).toBe(200);
    const refused = await post(app, "/api/big/bigger/z", 5001);
    expect(refused.status).toBe(413);
    expect(await refused.json()).toEqual({ error: { code: "BODY_TOO_LARGE", message: "Request bodies may be at most 5000 bytes." } });
  });
});
