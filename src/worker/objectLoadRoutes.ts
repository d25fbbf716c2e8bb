import { Hono } from "hono";
import { z } from "zod";
import { SCOPES } from "../core/scopes.ts";
import type { Env } from "../http/env.ts";
import { jsonBody } from "../http/middleware/jsonBody.ts";
import { requireAuth } from "../http/middleware/requireAuth.ts";
import { roomStub } from "../http/roomStub.ts";

const loadRequest = z.object({ names: z.array(z.string().min(1).max(300)).min(1).max(2000) });

/**
 * `POST /api/objects/load` (rooms:admin): how many inputs each named object took since it woke,
 * by way in ([S5]). Where a spread room's work lands: its own object, its gateways, its games.
 * Reading wakes an object that slept (its counts then start at zero).
 */
export const objectLoadRoutes = new Hono<{ Bindings: Env }>().post(
  "/api/objects/load",
  requireAuth({ scope: SCOPES.admin }),
  jsonBody(loadRequest, { message: "Name the objects: {names: [...]}." }),
  async (c) => {
    const { names } = c.get("body").value;
    const objects = await Promise.all(names.map(async (name) => ({ name, ...(await roomStub(c.env, name).load()) })));
    return c.json({ objects: objects.map(({ ok: _ok, ...o }) => o) });
  },
);
