import { Hono } from "hono";
import { z } from "zod";
import type { SystemRegistry } from "../core/system.ts";
import { actorFor } from "../http/auth/actorFor.ts";
import { SCOPES } from "../http/auth/claims.ts";
import type { Env } from "../http/env.ts";
import { httpError, roomErrorResponse } from "../http/middleware/httpError.ts";
import { queryParams } from "../http/middleware/queryParams.ts";
import { requireAuth } from "../http/middleware/requireAuth.ts";
import { roomStub } from "../http/roomStub.ts";

const listQuery = z.object({
  kind: z.string().min(1).max(64).optional(),
  /** Paging: the `next` of the previous page (rooms created before it). */
  before: z.coerce.number().int().min(0).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(100),
});

/** An object name as the admin API takes it: one path segment, URL-encoded (`tabletop%3A<id>`). */
const NAME = /^[A-Za-z0-9_:.-]{1,200}$/;

type Row = { name: string; kind: string; roomId: string; createdAt: number };

/**
 * The room directory for operators (rooms:admin): every room of every system,
 * newest first, each with the route of its own system that resolves it
 * (`href`, from the system's `href`), and one room by object name with its
 * state as an admin sees it and its operating figures.
 */
export function roomDirectoryRoutes(systems: SystemRegistry) {
  const hrefOf = (r: Row) => systems.get(r.kind)?.href?.(r.roomId) ?? null;
  return new Hono<{ Bindings: Env }>()
    .get("/api/rooms", requireAuth({ scope: SCOPES.admin }), queryParams(listQuery, "Bad listing parameters."), async (c) => {
      const { kind, before, limit } = c.get("query");
      const where = [kind === undefined ? null : "kind = ?", before === undefined ? null : "created_at < ?"].filter(Boolean);
      const binds = [kind, before].filter((v) => v !== undefined);
      const { results } = await c.env.DIRECTORY.prepare(
        `SELECT name, kind, room_id AS roomId, created_at AS createdAt FROM room_directory ${where.length ? `WHERE ${where.join(" AND ")}` : ""} ORDER BY created_at DESC, name LIMIT ?`,
      )
        .bind(...binds, limit + 1)
        .all<Row>();
      const page = results.slice(0, limit);
      const next = results.length > limit ? page[page.length - 1]!.createdAt : null;
      return c.json({ rooms: page.map((r) => ({ ...r, href: hrefOf(r) })), next });
    })
    .get("/api/admin/rooms/:name", requireAuth({ scope: SCOPES.admin }), async (c) => {
      const name = c.req.param("name");
      if (!NAME.test(name)) return httpError(c, 400, "BAD_ROOM_NAME", "A room name is 1-200 letters, digits and _ : . -");
      const actor = actorFor(c.get("claims"), null);
      if (!actor) return httpError(c, 403, "FORBIDDEN", "This token is limited to some rooms; the admin API needs an unrestricted one.");
      const stub = roomStub(c.env, name);
      const snap = await stub.snapshot(actor);
      if (!snap.ok) return roomErrorResponse(c, snap);
      const metrics = await stub.metrics();
      const row = await c.env.DIRECTORY.prepare("SELECT name, kind, room_id AS roomId, created_at AS createdAt FROM room_directory WHERE name = ?").bind(name).first<Row>();
      const { ok: _ok, ...room } = snap;
      return c.json({
        name,
        ...room,
        href: hrefOf({ name, kind: snap.kind, roomId: snap.roomId, createdAt: snap.createdAt }),
        listed: row !== null,
        metrics: metrics.ok ? (({ ok: _m, ...m }) => m)(metrics) : null,
      });
    });
}
