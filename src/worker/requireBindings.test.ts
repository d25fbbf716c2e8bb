import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import { requireBindings } from "./requireBindings.ts";

const app = new Hono()
  .use(requireBindings())
  .get("/health", (c) => c.text("ok"))
  .get("/api/rooms", (c) => c.text("listed"))
  .post("/api/rooms", (c) => c.text("created"));

const ROOMS = {} as DurableObjectNamespace;
const DIRECTORY = {} as D1Database;

describe("requireBindings", () => {
  it("refuses every route of a Worker without the ROOMS binding, by name", async () => {
    const res = await app.request("/health", {}, {});
    expect(res.status).toBe(500);
    expect(await res.json()).toMatchObject({ error: { code: "NOT_CONFIGURED", message: expect.stringContaining("ROOMS") } });
  });

  it("without D1, refuses only the routes that read it", async () => {
    expect((await app.request("/health", {}, { ROOMS })).status).toBe(200);
    expect((await app.request("/api/rooms", { method: "POST" }, { ROOMS })).status).toBe(200);
    const listing = await app.request("/api/rooms", {}, { ROOMS });
    expect(listing.status).toBe(501);
    expect(await listing.json()).toMatchObject({ error: { code: "DIRECTORY_NOT_CONFIGURED" } });
    expect(await (await app.request("/api/rooms", {}, { ROOMS, DIRECTORY })).text()).toBe("listed");
  });
});
