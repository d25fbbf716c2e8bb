import { Hono, type MiddlewareHandler } from "hono";
import { z } from "zod";
import type { Actor } from "../core/kind.ts";
import type { SystemRegistry } from "../core/system.ts";
import { actorFor } from "../http/auth/actorFor.ts";
import { SCOPES } from "../core/scopes.ts";
import type { Env } from "../http/env.ts";
import { httpError, roomErrorResponse, roomJson } from "../http/middleware/httpError.ts";
import { queryParams } from "../http/middleware/queryParams.ts";
import { describeRoute } from "../http/openapi/routeDocs.ts";
import { metricsReport, roomSnapshot } from "../http/openapi/schemas.ts";
import { requireAuth, type AuthVars } from "../http/middleware/requireAuth.ts";
import { readableRoom } from "../http/roomStub.ts";
import type { DirectoryRow } from "./roomDirectoryRoutes.ts";

/** An object name as the admin API takes it: one path segment, URL-encoded (`tabletop%3A<id>`). */
/** An object name, or a hosted room's address in a gateway object ([S8], `<object>/<room>`). */
const NAME = /^[A-Za-z0-9_:.-]{1,200}(\/[A-Za-z0-9_:.-]{1,200})?$/;

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
  if (!NAME.test(name)) return httpError(c, 400, "BAD_ROOM_NAME", "A room name is 1-200 letters, digits and _ : . - (a hosted room's: <object>/<room>)");
  const actor = actorFor(c.get("claims"), null);
  if (!actor) return httpError(c, 403, "FORBIDDEN", "This token is limited to some rooms; the admin API needs an unrestricted one.");
  c.set("admin", actor);
  c.set("roomName", name);
  await next();
};

const tags = ["admin"];
const roomErrors = { 400: ["BAD_ROOM_NAME"], 403: ["FORBIDDEN"], 404: ["ROOM_NOT_FOUND"] };
const connection = z.object({ connId: z.string(), userId: z.string(), name: z.string(), role: z.string(), connectedAt: z.number(), params: z.record(z.string(), z.string()) });

/** What each route answers (/openapi.json, /docs). */
const doc = {
  room: describeRoute({
    summary: "One room of any system, by object name (URL-encoded, e.g. `tabletop%3A<id>`), or a hosted room by its address (`<gateway>%2F<room>`, as the directory lists it)",
    tags,
    responses: {
      200: {
        description: "Its state as an admin sees it, its sockets and its figures",
        schema: roomSnapshot.extend({
          name: z.string(),
          href: z.string().nullable(),
          listed: z.boolean().describe("Whether the directory lists it"),
          connections: z.object({ total: z.number().int(), list: z.array(connection) }).nullable(),
          metrics: z.object(metricsReport).nullable(),
        }),
      },
    },
    errors: roomErrors,
  }),
  state: describeRoute({
    summary: "Time travel: the room's state at a seq, rebuilt from its journal",
    tags,
    responses: {
      200: {
        description: "The state at `at` as an admin would have seen it",
        schema: z.object({ at: z.number().int(), head: z.number().int(), state: z.unknown(), online: z.array(z.string()), inputs: z.number().int() }),
      },
    },
    errors: { ...roomErrors, 400: ["BAD_ROOM_NAME", "BAD_SEQ"], 409: ["LOG_TRIMMED", "NO_JOURNAL"] },
  }),
  log: describeRoute({
    summary: "The room's raw log, newest first, with the inputs behind it",
    tags,
    responses: {
      200: {
        description: "One page",
        schema: z.object({
          head: z.number().int(),
          tail: z.number().int(),
          entries: z.array(z.object({ seq: z.number().int(), at: z.number(), frame: z.unknown(), to: z.array(z.string()).nullable(), groups: z.array(z.string()).optional() })),
          inputs: z.array(
            z.object({
              seq: z.number().int(),
              h: z.number().int(),
              at: z.number(),
              source: z.enum(["socket", "http", "timer", "object", "presence"]),
              actor: z.record(z.string(), z.unknown()),
              conn: z.string().nullable(),
              body: z.unknown(),
            }),
          ),
          next: z.number().int().nullable(),
        }),
      },
    },
    errors: roomErrors,
  }),
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
    .get("/api/admin/rooms/:name", doc.room, admin, adminRoom(), async (c) => {
      const name = c.get("roomName");
      const stub = readableRoom(c.env, name);
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
    .get("/api/admin/rooms/:name/state", doc.state, admin, adminRoom(), queryParams(stateQuery, "Say which seq: ?at=<seq>."), async (c) =>
      roomJson(c, await readableRoom(c.env, c.get("roomName")).stateAt(c.get("admin"), c.get("query").at)),
    )
    .get("/api/admin/rooms/:name/log", doc.log, admin, adminRoom(), queryParams(logQuery, "Bad log paging parameters."), async (c) => {
      const { before, limit } = c.get("query");
      return roomJson(c, await readableRoom(c.env, c.get("roomName")).inspectLog(before, limit));
    });
}
