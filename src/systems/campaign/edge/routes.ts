import { Hono, type Context, type MiddlewareHandler } from "hono";
import { z } from "zod";
import type { HearthError } from "../../../core/hearthError.ts";
import { objectName } from "../../../core/objectName.ts";
import { actorFor } from "../../../http/auth/actorFor.ts";
import type { Env } from "../../../http/env.ts";
import { idempotencyOptions } from "../../../http/idempotencyOptions.ts";
import { httpError, roomErrorResponse } from "../../../http/middleware/httpError.ts";
import { jsonBody } from "../../../http/middleware/jsonBody.ts";
import { describeRoute, documented, docOf, type OperationDoc } from "../../../http/openapi/routeDocs.ts";
import { metricsReport, seqEpoch } from "../../../http/openapi/schemas.ts";
import { requireAuth } from "../../../http/middleware/requireAuth.ts";
import { roomAccess, type RoomAccess, type RoomAccessOptions, type RoomAccessVars } from "../../../http/middleware/roomAccess.ts";
import { roomStub } from "../../../http/roomStub.ts";
import { socketUrl } from "../../../http/socketUrl.ts";
import { upgradeToRoom } from "../../../http/upgradeToRoom.ts";
import type { Outcome } from "../../../room/rpc.ts";
import { ROLE, roleVia } from "../roles.ts";
import { CAMPAIGN_ID, structuredData, userId } from "../schema.ts";
import { TABLE_KIND, type TableView } from "../tableKind.ts";
import { campaignRecord, campaignRoom, ensureRegistered, repairRegistration, retrying, storedData, tableOf } from "./table.ts";

export { campaignRoom } from "./table.ts";

const createCampaign = z.object({
  campaign_id: z.string().regex(CAMPAIGN_ID, "1-64 characters of A-Z a-z 0-9 _ -"),
  dm_user_id: userId,
  players: z.array(userId).max(500).optional(),
  /** Connection limit of the DM's table (default 100), set by the DM's first campaign; more sockets are closed 4009. */
  max_connections: z.number().int().min(1).max(1000).optional(),
  /** Hearth's addition ([S5]): past this many sockets in the table's own object, they go to its gateways. */
  sockets_per_object: z.number().int().min(2).max(32_000).optional(),
});
const dataBody = z.object({ structured_data: structuredData });
const activeBody = z.object({ campaign_id: z.string().regex(CAMPAIGN_ID), structured_data: structuredData.optional() });

/** A DM's user id as `?dm=` carries it (the seed's ids: strings or numbers). */
const DM_ID = /^\S{1,200}$/;

const campaign: RoomAccessOptions = {
  param: "id",
  pattern: CAMPAIGN_ID,
  kind: "campaign",
  invalid: { status: 404, code: "ROOM_NOT_FOUND", message: "Campaign not found." },
  forbidden: "This token is not valid for this campaign.",
};
const byCampaign = roomAccess({ ...campaign, query: "campaign", upgrade: true, refuse: "close" });
const byDm = roomAccess({
  query: "dm",
  pattern: DM_ID,
  upgrade: true,
  refuse: "close",
  invalid: { status: 404, code: "ROOM_NOT_FOUND", message: "No such DM." },
  forbidden: "This token is not valid for this DM's table.",
});

type Vars = { Bindings: Env; Variables: RoomAccessVars };

/** A socket that names a DM and no campaign: `?dm=` (`?campaign=` wins when both are given). */
const namesDm = (c: Context) => c.req.query("campaign") === undefined && c.req.query("dm") !== undefined;

/** `?dm=<dm_user_id>` seats a socket at that DM's table; `?campaign=<id>` (or neither: 4004) at the table of that campaign's DM. */
const socketAccess: MiddlewareHandler<Vars> = documented((c, next) => (namesDm(c) ? byDm : byCampaign)(c, next), { ...docOf(byCampaign), roomQuery: undefined });

/**
 * Every campaign route reaches the DM's table (tableKind.ts), the one object that holds the DM's
 * sockets and decides which campaign is active. The caller's role is decided here, by the route it
 * came through (never by the token's `role` claim or a frame), with the campaign it came through:
 * `player:<id>`, `dm:<id>`, `api:<id>`, or the bare role for `?dm=`.
 *
 * A campaign that does not exist keeps its own name: a socket is then refused by that (absent)
 * room exactly as before (4004), an HTTP call gets 404.
 */
const atTable = (role: string): MiddlewareHandler<Vars> => async (c, next) => {
  const room = c.get("room");
  const viaDm = room.upgrade !== undefined && namesDm(c);
  let dm = room.roomId;
  if (!viaDm) {
    const record = await campaignRecord(c.env, room.roomId);
    if (!record.ok) {
      if (room.upgrade) return next();
      return roomErrorResponse(c, record);
    }
    dm = record.dm;
  }
  const table = await tableOf(c.env, dm);
  const actor = { ...room.actor, role: roleVia(role, viaDm ? null : room.roomId) };
  c.set("room", { ...room, roomId: table.key, name: table.name, stub: table.stub, actor });
  await next();
};

type Arrival = { Variables: { receivedAt: number } };

/** First on a route: when the request arrived, the start of its broadcast latency (metrics). */
const arrived: MiddlewareHandler<Arrival> = async (c, next) => {
  c.set("receivedAt", Date.now());
  await next();
};

/** The table never heard of the campaign, or does not exist: a creation was cut short between the record and the table. */
const unregistered = (code: string) => code === "CAMPAIGN_NOT_FOUND" || code === "ROOM_NOT_FOUND";

/** A table command naming a campaign the table never heard of (a creation cut short) registers it and runs once more. */
async function withRepair(campaignId: string, env: Env, run: () => Promise<Outcome>): Promise<Outcome | HearthError> {
  const out = await run();
  if (out.ok || !unregistered(out.code)) return out;
  const repaired = await repairRegistration(env, campaignId);
  return repaired.ok ? run() : repaired;
}

/** Runs one DM command through the DM's table, with the caller's Idempotency-Key tied to the body text. */
async function dmCommand(c: Context, { stub, actor }: RoomAccess, campaignId: string, command: Record<string, unknown>, bodyText: string, receivedAt: number) {
  const idem = await idempotencyOptions(c, bodyText);
  if (!idem.ok) return idem.response;
  const out = await withRepair(campaignId, c.env as Env, () => stub.submit(actor, { ...command, campaign_id: campaignId }, { ...idem.options, receivedAt }));
  if (!out.ok) return roomErrorResponse(c, out);
  return c.json({ ...(out.result as object), seq: out.seq, epoch: out.epoch, ...(out.replayed ? { replayed: true } : {}) }, 200, out.replayed ? { "Idempotent-Replayed": "true" } : {});
}

/** The campaign id a `/api/campaigns/:id/...` call is about (roomAccess checked it; atTable replaced `roomId` with the table's key). */
const idOf = (c: Context) => c.req.param("id") ?? "";

const tags = ["campaign"];
const data = structuredData.nullable().describe("The campaign's data (src/systems/campaign/README.md).");
/** What a DM command answers: the table's result, with its log position. */
const commandResult = z.object({
  campaign_id: z.string(),
  active: z.boolean(),
  structured_data: data,
  deactivated: z.array(z.string()).describe("The campaign this call replaced as the DM's active one, if any."),
  ...seqEpoch,
  replayed: z.literal(true).optional().describe("Present on an `Idempotency-Key` replay."),
});
const commandDoc = (summary: string): OperationDoc => ({
  summary,
  description: "The campaign's DM or a service. `seq`/`epoch` are the DM's table's: one counter for all of a DM's campaigns.",
  tags,
  idempotent: true,
  responses: { 200: { description: "Applied", schema: commandResult } },
  errors: { 403: ["NOT_CAMPAIGN_DM", "DM_ONLY"], 404: ["ROOM_NOT_FOUND", "CAMPAIGN_NOT_FOUND"], 409: ["CAMPAIGN_INACTIVE", "NO_ACTIVE_CAMPAIGN"], 413: ["STRUCTURED_DATA_TOO_LARGE"], 429: ["RATE_LIMITED"] },
});
const socketDoc = (who: string) =>
  describeRoute({
    summary: `A ${who} socket at the DM's table`,
    description: "The socket follows the DM's active campaign. Name the table by `?campaign=` (any campaign of that DM) or `?dm=`.",
    tags,
    frames: "Campaign sync (seed 001)",
    query: z.object({
      campaign: z.string().optional().describe("A campaign id (wins over `dm`)."),
      dm: z.string().optional().describe("The DM's user id."),
    }),
    responses: {},
  });

/** What each route answers (/openapi.json, /docs). */
const doc = {
  create: describeRoute({
    summary: "Create a campaign",
    description: "A service token or the DM's own. Registers the campaign with its DM's table; `max_connections` counts only on the DM's first campaign.",
    tags,
    responses: {
      201: { description: "Created", schema: z.object({ campaign_id: z.string(), websocket_urls: z.object({ player: z.string(), dm: z.string() }) }) },
    },
    errors: { 403: ["FORBIDDEN"], 409: ["ROOM_EXISTS"] },
  }),
  read: describeRoute({
    summary: "A campaign, as its DM, a player or a service sees it",
    tags,
    responses: {
      200: {
        description: "The campaign; `online`, `seq` and `epoch` are its DM's table's",
        schema: z.object({
          campaign_id: z.string().nullable(),
          dm_user_id: z.string(),
          active: z.boolean(),
          active_campaign_id: z.string().nullable(),
          structured_data: data,
          changed_at: z.string().nullable(),
          created_at: z.string().nullable(),
          online: z.object({ dm: z.boolean(), players: z.array(z.object({ user_id: z.string(), username: z.string(), connected_at: z.string() })) }),
          players: z.array(z.string()).nullable().optional().describe("The invite list: for the DM and services only."),
          ...seqEpoch,
        }),
      },
    },
    errors: { 403: ["NOT_INVITED"], 404: ["ROOM_NOT_FOUND", "CAMPAIGN_NOT_FOUND"] },
  }),
  metrics: describeRoute({
    summary: "The figures of the campaign's DM's table",
    tags,
    responses: { 200: { description: "The figures", schema: z.object({ campaign_id: z.string(), ...metricsReport }) } },
    errors: { 403: ["NOT_CAMPAIGN_DM"], 404: ["ROOM_NOT_FOUND"] },
  }),
  load: describeRoute(commandDoc("Load a campaign: it becomes the DM's one active campaign")),
  update: describeRoute(commandDoc("Update an active campaign's data")),
  deactivate: describeRoute({ ...commandDoc("Deactivate a campaign"), body: z.object({}).describe("No body is needed: an empty one, or `{}`."), bodyOptional: true }),
  active: describeRoute({
    summary: "Switch a DM's active campaign",
    description: "That DM or a service. Deactivates the active campaign (if another) and loads this one in one commit.",
    tags,
    idempotent: true,
    responses: { 200: { description: "Switched", schema: commandResult.extend({ dm_user_id: z.string() }) } },
    errors: { 403: ["FORBIDDEN", "ROOM_FORBIDDEN"], 404: ["ROOM_NOT_FOUND", "CAMPAIGN_NOT_FOUND"], 409: ["NOT_DMS_CAMPAIGN", "STALE_DATA"], 429: ["RATE_LIMITED"] },
  }),
  player: socketDoc("player"),
  dm: socketDoc("DM"),
};

/** Seed 001: campaigns a DM loads, updates, closes and switches, pushed to every player's page. */
export const campaignRoutes = new Hono<{ Bindings: Env }>()
  .post("/api/campaigns", doc.create, requireAuth(), jsonBody(createCampaign, { message: "Campaign request is not valid." }), async (c) => {
    const { max_connections, sockets_per_object, ...request } = c.get("body").value;
    const claims = c.get("claims");
    const actor = actorFor(claims, null);
    if (!actor?.service && claims.sub !== request.dm_user_id) {
      return httpError(c, 403, "FORBIDDEN", "Only a service or the campaign's DM may create it.");
    }
    const created_at = new Date().toISOString();
    // The campaign's record object first: it says whether the id is taken (409) and whose it is.
    const created = await roomStub(c.env, campaignRoom(request.campaign_id)).create({
      roomId: request.campaign_id,
      name: campaignRoom(request.campaign_id),
      kind: "campaign",
      config: { ...request, created_at },
      createdBy: claims.sub,
    });
    if (!created.ok) {
      // A retry after a creation cut short between the record and the table finishes the registration.
      if (created.code === "ROOM_EXISTS") await repairRegistration(c.env, request.campaign_id);
      return roomErrorResponse(c, created);
    }
    const registered = await ensureRegistered(
      c.env,
      request.dm_user_id,
      { campaign_id: request.campaign_id, created_at, ...(request.players ? { players: request.players } : {}) },
      max_connections || sockets_per_object ? { ...(max_connections ? { maxConnections: max_connections } : {}), ...(sockets_per_object ? { socketsPerObject: sockets_per_object } : {}) } : undefined,
    );
    if (!registered.ok) return roomErrorResponse(c, registered);
    const id = encodeURIComponent(request.campaign_id);
    return c.json(
      {
        campaign_id: request.campaign_id,
        websocket_urls: { player: socketUrl(c.req.url, `/ws/campaign/player?campaign=${id}`), dm: socketUrl(c.req.url, `/ws/campaign/dm?campaign=${id}`) },
      },
      201,
    );
  })
  .get("/api/campaigns/:id", doc.read, roomAccess(campaign), atTable(ROLE.api), async (c) => {
    const { stub, actor } = c.get("room");
    let snap = await stub.snapshot(actor, TABLE_KIND);
    const missing = snap.ok ? (snap.state as TableView).campaign_id === null : unregistered(snap.code);
    if (missing) {
      const repaired = await repairRegistration(c.env, idOf(c));
      if (!repaired.ok) return roomErrorResponse(c, repaired);
      snap = await stub.snapshot(actor, TABLE_KIND);
    }
    if (!snap.ok) return roomErrorResponse(c, snap);
    const { saves, ...view } = snap.state as TableView;
    if (saves !== undefined) {
      // Inactive: its data is in its record, complete once the record has every save the table sent.
      const stored = await retrying("STALE_DATA", async () => {
        const read = await storedData(c.env, idOf(c));
        return read.ok && read.saves < saves ? { ok: false as const, code: "STALE_DATA" } : read;
      });
      if (stored.ok && "structured_data" in stored) view.structured_data = stored.structured_data;
    }
    return c.json({ ...view, seq: snap.seq, epoch: snap.epoch });
  })
  .get("/api/campaigns/:id/metrics", doc.metrics, roomAccess(campaign), atTable(ROLE.api), async (c) => {
    const { stub, actor } = c.get("room");
    const record = await campaignRecord(c.env, idOf(c));
    if (!record.ok) return roomErrorResponse(c, record);
    if (!actor.service && actor.userId !== record.dm) {
      return httpError(c, 403, "NOT_CAMPAIGN_DM", "Only the campaign's DM or a service may read its metrics.");
    }
    // The sockets of a campaign sit at its DM's table: these are the table's figures.
    const figures = await stub.metrics(TABLE_KIND);
    if (!figures.ok) return roomErrorResponse(c, figures);
    const { ok: _ok, ...report } = figures;
    return c.json({ campaign_id: idOf(c), ...report });
  })
  .post("/api/campaigns/:id/load", doc.load, arrived, roomAccess(campaign), atTable(ROLE.api), jsonBody(dataBody), (c) =>
    dmCommand(c, c.get("room"), idOf(c), { type: "campaign_loaded", structured_data: c.get("body").value.structured_data }, c.get("body").text, c.get("receivedAt")),
  )
  .post("/api/campaigns/:id/update", doc.update, arrived, roomAccess(campaign), atTable(ROLE.api), jsonBody(dataBody), (c) =>
    dmCommand(c, c.get("room"), idOf(c), { type: "campaign_updated", structured_data: c.get("body").value.structured_data }, c.get("body").text, c.get("receivedAt")),
  )
  // No body needed: an empty one (or `{}`) is fine.
  .post("/api/campaigns/:id/deactivate", doc.deactivate, arrived, roomAccess(campaign), atTable(ROLE.api), async (c) =>
    dmCommand(c, c.get("room"), idOf(c), { type: "campaign_deactivated" }, await c.req.text(), c.get("receivedAt")),
  )
  .post("/api/dms/:dm_user_id/active", doc.active, arrived, requireAuth(), jsonBody(activeBody), async (c) => {
    const dm = c.req.param("dm_user_id");
    const claims = c.get("claims");
    if (!actorFor(claims, null)?.service && claims.sub !== dm) return httpError(c, 403, "FORBIDDEN", "Only this DM or a service may switch the DM's active campaign.");
    const { value, text } = c.get("body");
    const record = await campaignRecord(c.env, value.campaign_id);
    if (!record.ok) return roomErrorResponse(c, record);
    if (record.dm !== dm) return httpError(c, 409, "NOT_DMS_CAMPAIGN", `Campaign ${value.campaign_id} is not run by ${dm}.`);
    const actor = actorFor(claims, objectName("campaign", value.campaign_id));
    if (!actor) return httpError(c, 403, "ROOM_FORBIDDEN", "This token is not valid for this campaign.");
    const idem = await idempotencyOptions(c, text);
    if (!idem.ok) return idem.response;
    const { stub } = await tableOf(c.env, dm);
    // One command to the one object that owns the DM's active campaign: concurrent switches run one after another there.
    // Without data, the campaign's last data comes from its record, which the table checks is complete (else STALE_DATA: read again).
    const submit = async (): Promise<Outcome | HearthError> => {
      const stored = value.structured_data === undefined ? await storedData(c.env, value.campaign_id) : undefined;
      if (stored && !stored.ok) return stored;
      const command = { type: "switch", ...value, ...(stored ? { stored: { saves: stored.saves, structured_data: stored.structured_data } } : {}) };
      return stub.submit({ ...actor, role: roleVia(ROLE.api, value.campaign_id) }, command, { ...idem.options, receivedAt: c.get("receivedAt") });
    };
    const out = await withRepair(value.campaign_id, c.env, () => retrying("STALE_DATA", submit));
    if (!out.ok) return roomErrorResponse(c, out);
    return c.json({ ...(out.result as object), seq: out.seq, epoch: out.epoch, ...(out.replayed ? { replayed: true } : {}) }, 200, out.replayed ? { "Idempotent-Replayed": "true" } : {});
  })
  .get("/ws/campaign/player", doc.player, socketAccess, atTable(ROLE.player), upgradeToRoom({ kind: TABLE_KIND, compression: "context" }))
  .get("/ws/campaign/dm", doc.dm, socketAccess, atTable(ROLE.dm), upgradeToRoom({ kind: TABLE_KIND, compression: "context" }));
