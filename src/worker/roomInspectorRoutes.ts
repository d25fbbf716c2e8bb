import { Hono, type MiddlewareHandler } from "hono";
import { z } from "zod";
import type { Actor } from "../core/kind.ts";
import type { SystemRegistry } from "../core/system.ts";
import { actorFor } from "../http/auth/actorFor.ts";
import { SCOPES } from "../core/scopes.ts";
import type { Env } from "../http/env.ts";
import { httpError, roomErrorResponse, roomJson } from "../http/middleware/httpError.ts";
import { queryParams } from "../http/middleware/queryParams.ts";
import { requireAuth, type AuthVars } from "../http/middleware/requireAuth.ts";
import { roomStub } from "../http/roomStub.ts";
import type { DirectoryRow } from "./roomDirectoryRoutes.ts";

/** An object name as the admin API takes it: one path segment, URL-encoded (`tabletop%3A<id>`). */
const NAME = /^[A-Za-z0-9_:.-]{1,200}$/;

const stateQuery = z.object({ at: z.coerce.number().int().min(0) });
const logQuery = z.object({
  /** Paging: the `next` of the previous page (entries before that seq). */
  before: z.coerce.number().int().min(1).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

type AdminRoomVars = { Variables: AuthVars & { admin: Actor; roomName: string } };

/** After requireAuth(rooms:admin): an unrestricted token, and a well-formed object name in `:name`. */
const adminRoom = (): MiddlewareHandler<{ Bindings: Env } & AdminRoomVars> => async (c, next) => {
  const name = c.req.param("name") ?? "";
  if (!NAME.test(name)) return httpError(c, 400, "BAD_ROOM_NAME", "A room name is 1-200 letters, digits and _ : . -");
  const actor = actorFor(c.get("claims"), null);
  if (!actor) return httpError(c, 403, "FORBIDDEN", "This token is limited to some rooms; the admin API needs an unrestricted one.");
  c.set("admin", actor);
  c.set("roomName", name);
  await next();
};

/**
 * One room, by object name, for operators (rooms:admin): its state as an
 * admin sees it, who is connected, its operating figures; its raw log with
 * the inputs behind each entry; and time travel, the state at any seq rebuilt
 * by replaying the journal through the pure kind ([J1]). The inspector page
 * (demo/inspector) reads only these.
 */
export function roomInspectorRoutes(systems: SystemRegistry) {
  const hrefOf = (r: DirectoryRow) => systems.get(r.kind)?.href?.(r.roomId) ?? null;
  const admin = requireAuth({ scope: SCOPES.admin });
  return new Hono<{ Bindings: Env } & AdminRoomVars>()
    .get("/api/admin/rooms/:name", admin, adminRoom(), async (c) => {
      const name = c.get("roomName");
      const stub = roomStub(c.env, name);
      const snap = await stub.snapshot(c.get("admin"));
      if (!snap.ok) return roomErrorResponse(c, snap);
      const [metrics, connections, row] = await Promise.all([
        stub.metrics(),
        stub.connections(),
        // Without the D1 directory (an optional binding) the room is simply not listed.
        c.env.DIRECTORY ? c.env.DIRECTORY.prepare("SELECT name, kind, room_id AS roomId, created_at AS createdAt FROM room_directory WHERE name = ?").bind(name).first<DirectoryRow>() : null,
      ]);
      const { ok: _ok, ...room } = snap;
      return c.json({
        name,
        ...room,
        href: hrefOf({ name, kind: snap.kind, roomId: snap.roomId, createdAt: snap.createdAt }),
        listed: row !== null,
        connections: connections.ok ? { total: connections.total, list: connections.list } : null,
        metrics: metrics.ok ? (({ ok: _m, ...m }) => m)(metrics) : null,
      });
    })
    .get("/api/admin/rooms/:name/state", admin, adminRoom(), queryParams(stateQuery, "Say which seq: ?at=<seq>."), async (c) =>
      roomJson(c, await roomStub(c.env, c.get("roomName")).stateAt(c.get("admin"), c.get("query").at)),
    )
    .get("/api/admin/rooms/:name/log", admin, adminRoom(), queryParams(logQuery, "Bad log paging parameters."), async (c) => {
      const { before, limit } = c.get("query");
      return roomJson(c, await roomStub(c.env, c.get("roomName")).inspectLog(before, limit));
    });
}
