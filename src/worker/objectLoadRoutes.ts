import { Hono } from "hono";
import { z } from "zod";
import { SCOPES } from "../core/scopes.ts";
import type { Env } from "../http/env.ts";
import { jsonBody } from "../http/middleware/jsonBody.ts";
import { describeRoute } from "../http/openapi/routeDocs.ts";
import { requireAuth } from "../http/middleware/requireAuth.ts";
import { roomStub } from "../http/roomStub.ts";

const loadRequest = z.object({ names: z.array(z.string().min(1).max(300)).min(1).max(2000) });

/** What the route answers (/openapi.json, /docs). */
const doc = describeRoute({
  summary: "How many inputs each named object took since it woke, by way in",
  description: "Where a spread room's work lands: its own object, its gateways, its games. Reading wakes an object that slept (its counts then start at zero).",
  tags: ["admin"],
  responses: {
    200: {
      description: "One entry per name, in the order asked",
      schema: z.object({
        objects: z.array(z.object({ name: z.string(), since: z.number().describe("ms since the epoch: when it woke"), inputs: z.record(z.string(), z.number()), total: z.number() })),
      }),
    },
  },
});

/**
 * `POST /api/objects/load` (rooms:admin): how many inputs each named object took since it woke,
 * by way in ([S5]). Where a spread room's work lands: its own object, its gateways, its games.
 * Reading wakes an object that slept (its counts then start at zero).
 */
export const objectLoadRoutes = new Hono<{ Bindings: Env }>().post(
  "/api/objects/load",
  doc,
  requireAuth({ scope: SCOPES.admin }),
  jsonBody(loadRequest, { message: "Name the objects: {names: [...]}." }),
  async (c) => {
    const { names } = c.get("body").value;
    const objects = await Promise.all(names.map(async (name) => ({ name, ...(await roomStub(c.env, name).load()) })));
    return c.json({ objects: objects.map(({ ok: _ok, ...o }) => o) });
  },
);
