import { Hono } from "hono";
import { z } from "zod";
import type { SystemRegistry } from "../core/system.ts";
import { SCOPES } from "../core/scopes.ts";
import type { Env } from "../http/env.ts";
import { queryParams } from "../http/middleware/queryParams.ts";
import { describeRoute } from "../http/openapi/routeDocs.ts";
import { requireAuth } from "../http/middleware/requireAuth.ts";

const listQuery = z.object({
  kind: z.string().min(1).max(64).optional(),
  /** Paging: the `next` of the previous page (rooms created before it). */
  before: z.coerce.number().int().min(0).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(100),
});

export type DirectoryRow = { name: string; kind: string; roomId: string; createdAt: number };

/** What the route answers (/openapi.json, /docs). */
const doc = describeRoute({
  summary: "Every system's rooms, newest first",
  tags: ["admin"],
  responses: {
    200: {
      description: "One page of the directory",
      schema: z.object({
        rooms: z.array(
          z.object({
            name: z.string().describe("The object's name"),
            kind: z.string(),
            roomId: z.string().describe("The id its own system uses"),
            createdAt: z.number(),
            href: z.string().nullable().describe("Its system's GET route for it"),
          }),
        ),
        next: z.number().nullable().describe("The `before` of the next page"),
      }),
    },
  },
});

/**
 * The room directory for operators (rooms:admin): every room of every system,
 * newest first, each with the route of its own system that resolves it
 * (`href`, from the system's `href`). One room, by object name, is
 * roomInspectorRoutes.ts.
 */
export function roomDirectoryRoutes(systems: SystemRegistry) {
  const hrefOf = (r: DirectoryRow) => systems.get(r.kind)?.href?.(r.roomId) ?? null;
  return new Hono<{ Bindings: Env }>()
    .get("/api/rooms", doc, requireAuth({ scope: SCOPES.admin }), queryParams(listQuery, "Bad listing parameters."), async (c) => {
      const { kind, before, limit } = c.get("query");
      const where = [kind === undefined ? null : "kind = ?", before === undefined ? null : "created_at < ?"].filter(Boolean);
      const binds = [kind, before].filter((v) => v !== undefined);
      const { results } = await c.env.DIRECTORY.prepare(
        `SELECT name, kind, room_id AS roomId, created_at AS createdAt FROM room_directory ${where.length ? `WHERE ${where.join(" AND ")}` : ""} ORDER BY created_at DESC, name LIMIT ?`,
      )
        .bind(...binds, limit + 1)
        .all<DirectoryRow>();
      const page = results.slice(0, limit);
      const next = results.length > limit ? page[page.length - 1]!.createdAt : null;
      return c.json({ rooms: page.map((r) => ({ ...r, href: hrefOf(r) })), next });
    });
}
