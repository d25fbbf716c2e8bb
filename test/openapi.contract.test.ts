import { Hono } from "hono";
import { beforeAll, describe, expect, it } from "vitest";
import { undocumentedRoutes } from "../src/http/openapi/openApiDocument.ts";
import { describeRoute } from "../src/http/openapi/routeDocs.ts";
import { SCALAR_SCRIPT } from "../src/http/openapi/referenceRoutes.ts";
import { createApp } from "../src/worker/app.ts";
import { registry } from "../src/systems/registry.ts";
import { Contract } from "./helpers/contract.ts";
import { adminToken, token } from "./helpers/tokens.ts";
import { campaignCalls, feedCalls, gamesCalls, questCalls, tabletopCalls } from "./helpers/contractCalls.ts";

/**
 * The API reference is true: every route of the app is documented, and for
 * every documented operation real calls through the Worker produce a success
 * and an error (at least), each with a documented status and a body that
 * validates against the documented schema (test/helpers/contract.ts).
 */

/** Operations no caller can make fail: they take no input and need no token. */
const NO_CALLER_ERROR = ["GET /health", "GET /openapi.json", "GET /docs"];

const fresh = (prefix: string) => `${prefix}${crypto.randomUUID().slice(0, 10)}`;

let contract: Contract;
let admin: string;
let user: string;

beforeAll(async () => {
  contract = await Contract.load();
  admin = await adminToken();
  user = await token({ sub: fresh("u-"), name: "User" });
});

describe("the document lists every route", () => {
  it("every route of the app has a describeRoute, and is in /openapi.json", () => {
    const app = createApp(registry);
    expect(undocumentedRoutes(app.routes)).toEqual([]);
    const routes = new Set(app.routes.filter((r) => r.method !== "ALL" && !r.path.includes("*")).map((r) => `${r.method} ${r.path.replace(/:([A-Za-z_]+)/g, "{$1}")}`));
    expect(new Set(contract.operations())).toEqual(routes);
  });

  it("finds a route that has no doc (the check above can fail)", () => {
    const app = new Hono().get("/documented", describeRoute({ summary: "x", responses: {} }), (c) => c.text("")).post("/forgotten", (c) => c.text(""));
    expect(undocumentedRoutes(app.routes)).toEqual(["POST /forgotten"]);
  });

  it("refuses an undocumented status and a body that breaks its schema (the checks can fail)", () => {
    expect(contract.problems("GET /health", 200, "application/json", '{"ok":true}')).toEqual([]);
    expect(contract.problems("GET /health", 200, "application/json", '{"ok":false}')).not.toEqual([]);
    expect(contract.problems("GET /health", 200, "application/json", '{"ok":true,"extra":1}')).not.toEqual([]);
    expect(contract.problems("GET /health", 418, "application/json", "{}")).not.toEqual([]);
    const refusal = (code: string) => JSON.stringify({ error: { code, message: "m" } });
    expect(contract.problems("POST /api/rooms", 409, "application/json", refusal("ROOM_EXISTS"))).toEqual([]);
    expect(contract.problems("POST /api/rooms", 409, "application/json", refusal("SOMETHING_ELSE"))).not.toEqual([]);
    expect(contract.problems("GET /docs", 200, "application/json", "{}")).not.toEqual([]);
  });

  it("every operation documents at least two statuses with a body schema", () => {
    for (const key of contract.operations()) {
      const withSchema = Object.entries(contract.operation(key).responses as Record<string, { content?: unknown }>).filter(([, r]) => r.content);
      expect(withSchema.length, key).toBeGreaterThanOrEqual(2);
    }
  });
});

describe("reference and development routes", () => {
  it("GET /health, /openapi.json, /docs", async () => {
    await contract.expect("GET /health", 200);
    await contract.expect("GET /openapi.json", 200);
    const page = await contract.expect("GET /docs", 200);
    // The renderer comes from this Worker's own assets, so the page works offline.
    expect(page.text).toContain(`src="${SCALAR_SCRIPT}"`);
    expect(page.text).not.toMatch(/cdn\.jsdelivr|unpkg\.com/);
  });

  it("POST /dev/token", async () => {
    await contract.expect("POST /dev/token", 200, { body: { sub: "dev-user" } });
    await contract.expect("POST /dev/token", 400, { body: { name: "no sub" } });
    await contract.expect("POST /dev/token", 400, { body: "{not json" });
  });
});

describe("relay rooms", () => {
  let roomId: string;

  it("POST /api/rooms", async () => {
    roomId = fresh("r");
    await contract.expect("POST /api/rooms", 201, { token: admin, body: { roomId } });
    const taken = await contract.expect("POST /api/rooms", 409, { token: admin, body: { roomId } });
    expect(taken.json.error.code).toBe("ROOM_EXISTS");
    await contract.expect("POST /api/rooms", 400, { token: admin, body: { roomId: "bad id!" } });
    await contract.expect("POST /api/rooms", 401, {});
    await contract.expect("POST /api/rooms", 403, { token: user, body: {} });
  });

  it("GET /api/rooms/{roomId} and its history", async () => {
    await contract.expect("GET /api/rooms/{roomId}", 200, { token: user, params: { roomId } });
    const asAdmin = await contract.expect("GET /api/rooms/{roomId}", 200, { token: admin, params: { roomId } });
    expect(asAdmin.json.spread).toMatchObject({ objects: 1 });
    await contract.expect("GET /api/rooms/{roomId}", 404, { token: user, params: { roomId: fresh("none") } });
    await contract.expect("GET /api/rooms/{roomId}", 400, { token: user, params: { roomId: "bad.id" } });
    await contract.expect("GET /api/rooms/{roomId}/history", 200, { token: user, params: { roomId }, query: { limit: "5" } });
    await contract.expect("GET /api/rooms/{roomId}/history", 400, { token: user, params: { roomId }, query: { limit: "0" } });
    await contract.expect("GET /api/rooms/{roomId}/history", 401, { params: { roomId } });
    const confined = await token({ sub: "c", rooms: { [fresh("other")]: "member" } });
    await contract.expect("GET /api/rooms/{roomId}", 403, { token: confined, params: { roomId } });
  });

  it("POST /api/rooms/{roomId}/events, with Idempotency-Key", async () => {
    const ev = "POST /api/rooms/{roomId}/events";
    const svc = await token({ sub: "svc", scope: "events:publish" });
    const idem = { "Idempotency-Key": fresh("k") };
    await contract.expect(ev, 200, { token: svc, params: { roomId }, body: { type: "publish", data: { n: 1 } }, headers: idem });
    const replay = await contract.expect(ev, 200, { token: svc, params: { roomId }, body: { type: "publish", data: { n: 1 } }, headers: idem });
    expect(replay.json.replayed).toBe(true);
    await contract.expect(ev, 422, { token: svc, params: { roomId }, body: { type: "publish", data: { n: 2 } }, headers: idem });
    await contract.expect(ev, 400, { token: svc, params: { roomId }, body: { type: "publish" } });
    await contract.expect(ev, 400, { token: svc, params: { roomId }, body: { type: "publish", data: 1 }, headers: { "Idempotency-Key": "k".repeat(201) } });
    await contract.expect(ev, 404, { token: svc, params: { roomId }, body: { type: "whisper", to: "nobody-here", data: 1 } });
    await contract.expect(ev, 404, { token: svc, params: { roomId: fresh("none") }, body: { type: "publish", data: 1 } });
    const viewer = await token({ sub: "v", role: "viewer" });
    await contract.expect(ev, 403, { token: viewer, params: { roomId }, body: { type: "publish", data: 1 } });
  });

  it("POST /api/rooms/{roomId}/reset", async () => {
    await contract.expect("POST /api/rooms/{roomId}/reset", 200, { token: admin, params: { roomId } });
    await contract.expect("POST /api/rooms/{roomId}/reset", 403, { token: user, params: { roomId } });
    await contract.expect("POST /api/rooms/{roomId}/reset", 404, { token: admin, params: { roomId: fresh("none") } });
  });

  it("GET /ws/rooms/{roomId}", async () => {
    const ws = "GET /ws/rooms/{roomId}";
    await contract.expect(ws, 101, { upgrade: true, params: { roomId }, query: { token: user } });
    await contract.expect(ws, 426, { params: { roomId }, query: { token: user } });
    await contract.expect(ws, 401, { upgrade: true, params: { roomId } });
    await contract.expect(ws, 404, { upgrade: true, params: { roomId: fresh("none") }, query: { token: user } });
    await contract.expect(ws, 400, { upgrade: true, params: { roomId: "bad.id" }, query: { token: user } });
    const confined = await token({ sub: "c", rooms: { [fresh("other")]: "member" } });
    await contract.expect(ws, 403, { upgrade: true, params: { roomId }, query: { token: confined } });
  });
});

describe("operators", () => {
  let name: string;

  it("GET /api/rooms (the directory)", async () => {
    name = fresh("adm");
    await contract.expect("POST /api/rooms", 201, { token: admin, body: { roomId: name } });
    await contract.expect("GET /api/rooms", 200, { token: admin, query: { limit: "3" } });
    await contract.expect("GET /api/rooms", 400, { token: admin, query: { limit: "0" } });
    await contract.expect("GET /api/rooms", 403, { token: user });
  });

  it("GET /api/admin/rooms/{name}, /state and /log", async () => {
    await contract.call("POST /api/rooms/{roomId}/events", { token: admin, params: { roomId: name }, body: { type: "publish", data: 1 } });
    await contract.expect("GET /api/admin/rooms/{name}", 200, { token: admin, params: { name } });
    await contract.expect("GET /api/admin/rooms/{name}", 404, { token: admin, params: { name: fresh("none") } });
    await contract.expect("GET /api/admin/rooms/{name}", 400, { token: admin, params: { name: "bad name" } });
    const confined = await token({ sub: "a", scope: "rooms:admin", rooms: { [name]: "member" } });
    await contract.expect("GET /api/admin/rooms/{name}", 403, { token: confined, params: { name } });
    await contract.expect("GET /api/admin/rooms/{name}/state", 200, { token: admin, params: { name }, query: { at: "1" } });
    await contract.expect("GET /api/admin/rooms/{name}/state", 400, { token: admin, params: { name }, query: { at: "999" } });
    await contract.expect("GET /api/admin/rooms/{name}/state", 400, { token: admin, params: { name } });
    await contract.expect("GET /api/admin/rooms/{name}/log", 200, { token: admin, params: { name } });
    await contract.expect("GET /api/admin/rooms/{name}/log", 401, { params: { name } });
  });

  it("POST /api/objects/load", async () => {
    await contract.expect("POST /api/objects/load", 200, { token: admin, body: { names: [name] } });
    await contract.expect("POST /api/objects/load", 400, { token: admin, body: { names: [] } });
    await contract.expect("POST /api/objects/load", 403, { token: user, body: { names: [name] } });
  });

  it("POST /api/revocations", async () => {
    await contract.expect("POST /api/revocations", 200, { token: admin, body: { user_id: fresh("gone-") } });
    await contract.expect("POST /api/revocations", 400, { token: admin, body: {} });
    await contract.expect("POST /api/revocations", 403, { token: user, body: { jti: "x" } });
  });
});

describe("systems", () => {
  it("quest (seed 000)", async () => questCalls(contract, { admin, fresh }));
  it("tabletop (seed 002)", async () => tabletopCalls(contract, { admin, fresh }));
  it("campaign (seed 001)", async () => campaignCalls(contract, { admin, fresh }));
  it("games (seed 004)", async () => gamesCalls(contract, { admin, fresh }));
  it("feed (seed 003)", async () => feedCalls(contract, { admin, fresh }));
});

describe("coverage", () => {
  it("every documented operation was seen to answer a success and an error", () => {
    expect(contract.gaps(NO_CALLER_ERROR)).toEqual([]);
  });
});
