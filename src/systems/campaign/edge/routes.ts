import { Hono, type Context, type MiddlewareHandler } from "hono";
import { z } from "zod";
import { objectName } from "../../../core/objectName.ts";
import { actorFor } from "../../../http/auth/actorFor.ts";
import type { Env } from "../../../http/env.ts";
import { idempotencyOptions } from "../../../http/idempotencyOptions.ts";
import { httpError, roomErrorResponse } from "../../../http/middleware/httpError.ts";
import { jsonBody } from "../../../http/middleware/jsonBody.ts";
import { requireAuth } from "../../../http/middleware/requireAuth.ts";
import { roomAccess, type RoomAccess, type RoomAccessOptions, type RoomAccessVars } from "../../../http/middleware/roomAccess.ts";
import { roomStub } from "../../../http/roomStub.ts";
import { socketUrl } from "../../../http/socketUrl.ts";
import { upgradeToRoom } from "../../../http/upgradeToRoom.ts";
import { ROLE } from "../roles.ts";
import { CAMPAIGN_ID, structuredData, userId } from "../schema.ts";
import { switchActive } from "./switchActive.ts";
import type { CampaignView } from "../view.ts";

/** One campaign, one room: `campaign:<campaign_id>`. */
export const campaignRoom = (campaignId: string) => objectName("campaign", campaignId);

const createCampaign = z.object({
  campaign_id: z.string().regex(CAMPAIGN_ID, "1-64 characters of A-Z a-z 0-9 _ -"),
  dm_user_id: userId,
  players: z.array(userId).max(500).optional(),
  /** Connection limit for this campaign (default 100); more sockets are closed 4009. */
  max_connections: z.number().int().min(1).max(1000).optional(),
});
const dataBody = z.object({ structured_data: structuredData });
const activeBody = z.object({ campaign_id: z.string().regex(CAMPAIGN_ID), structured_data: structuredData.optional() });

const campaign: RoomAccessOptions = {
  param: "id",
  pattern: CAMPAIGN_ID,
  kind: "campaign",
  invalid: { status: 404, code: "ROOM_NOT_FOUND", message: "Campaign not found." },
  forbidden: "This token is not valid for this campaign.",
};
const onSocket: RoomAccessOptions = { ...campaign, query: "campaign", upgrade: true, refuse: "close" };

/**
 * The caller's role in the campaign is decided here, by the route it came
 * through, never by the token's `role` claim or a frame: the kind tells the
 * DM socket from a player socket (and from an HTTP caller) by it.
 */
const as = (role: string): MiddlewareHandler<{ Bindings: Env; Variables: RoomAccessVars }> => async (c, next) => {
  const room = c.get("room");
  c.set("room", { ...room, actor: { ...room.actor, role } });
  await next();
};

type Arrival = { Variables: { receivedAt: number } };

/** First on a route: when the request arrived, the start of its broadcast latency (metrics). */
const arrived: MiddlewareHandler<Arrival> = async (c, next) => {
  c.set("receivedAt", Date.now());
  await next();
};

/** Runs one DM command through the room, with the caller's Idempotency-Key tied to the body text. */
async function dmCommand(c: Context, { stub, actor }: RoomAccess, command: Record<string, unknown>, bodyText: string, receivedAt: number) {
  const idem = await idempotencyOptions(c, bodyText);
  if (!idem.ok) return idem.response;
  const out = await stub.submit(actor, command, { ...idem.options, receivedAt });
  if (!out.ok) return roomErrorResponse(c, out);
  return c.json({ ...(out.result as object), seq: out.seq, epoch: out.epoch, ...(out.replayed ? { replayed: true } : {}) }, 200, out.replayed ? { "Idempotent-Replayed": "true" } : {});
}

/** Seed 001: campaigns a DM loads, updates and closes, pushed to every player's page. */
export const campaignRoutes = new Hono<{ Bindings: Env }>()
  .post("/api/campaigns", requireAuth(), jsonBody(createCampaign, { message: "Campaign request is not valid." }), async (c) => {
    const { max_connections, ...request } = c.get("body").value;
    const claims = c.get("claims");
    const actor = actorFor(claims, null);
    if (!actor?.service && claims.sub !== request.dm_user_id) {
      return httpError(c, 403, "FORBIDDEN", "Only a service or the campaign's DM may create it.");
    }
    const name = campaignRoom(request.campaign_id);
    // The DM's index row goes first: a row whose room never came to be (or belongs to another DM)
    // is skipped by switching, which reads the truth from the rooms; a room without its row would be missed.
    await c.env.DIRECTORY.prepare("INSERT OR IGNORE INTO campaigns (campaign_id, dm_user_id, created_at) VALUES (?, ?, ?)")
      .bind(request.campaign_id, request.dm_user_id, Date.now())
      .run();
    const created = await roomStub(c.env, name).create({
      roomId: request.campaign_id,
      name,
      kind: "campaign",
      config: { ...request, created_at: new Date().toISOString(), ...(max_connections ? { limits: { maxConnections: max_connections } } : {}) },
      createdBy: claims.sub,
    });
    if (!created.ok) return roomErrorResponse(c, created);
    const id = encodeURIComponent(request.campaign_id);
    return c.json(
      {
        campaign_id: request.campaign_id,
        websocket_urls: { player: socketUrl(c.req.url, `/ws/campaign/player?campaign=${id}`), dm: socketUrl(c.req.url, `/ws/campaign/dm?campaign=${id}`) },
      },
      201,
    );
  })
  .get("/api/campaigns/:id", roomAccess(campaign), as(ROLE.api), async (c) => {
    const { stub, actor } = c.get("room");
    const snap = await stub.snapshot(actor, "campaign");
    if (!snap.ok) return roomErrorResponse(c, snap);
    const view = snap.state as CampaignView;
    return c.json({ ...view, seq: snap.seq, epoch: snap.epoch });
  })
  .get("/api/campaigns/:id/metrics", roomAccess(campaign), as(ROLE.api), async (c) => {
    const { stub, actor, roomId } = c.get("room");
    const snap = await stub.snapshot(actor, "campaign");
    if (!snap.ok) return roomErrorResponse(c, snap);
    if (!actor.service && actor.userId !== (snap.state as CampaignView).dm_user_id) {
      return httpError(c, 403, "NOT_CAMPAIGN_DM", "Only the campaign's DM or a service may read its metrics.");
    }
    const figures = await stub.metrics("campaign");
    if (!figures.ok) return roomErrorResponse(c, figures);
    const { ok: _ok, ...report } = figures;
    return c.json({ campaign_id: roomId, ...report });
  })
  .post("/api/campaigns/:id/load", arrived, roomAccess(campaign), as(ROLE.api), jsonBody(dataBody), (c) =>
    dmCommand(c, c.get("room"), { type: "campaign_loaded", structured_data: c.get("body").value.structured_data }, c.get("body").text, c.get("receivedAt")),
  )
  .post("/api/campaigns/:id/update", arrived, roomAccess(campaign), as(ROLE.api), jsonBody(dataBody), (c) =>
    dmCommand(c, c.get("room"), { type: "campaign_updated", structured_data: c.get("body").value.structured_data }, c.get("body").text, c.get("receivedAt")),
  )
  // No body needed: an empty one (or `{}`) is fine.
  .post("/api/campaigns/:id/deactivate", arrived, roomAccess(campaign), as(ROLE.api), async (c) => dmCommand(c, c.get("room"), { type: "campaign_deactivated" }, await c.req.text(), c.get("receivedAt")))
  .post("/api/dms/:dm_user_id/active", arrived, requireAuth(), jsonBody(activeBody), async (c) => {
    const dm = c.req.param("dm_user_id");
    const claims = c.get("claims");
    if (!actorFor(claims, null)?.service && claims.sub !== dm) return httpError(c, 403, "FORBIDDEN", "Only this DM or a service may switch the DM's active campaign.");
    const { value, text } = c.get("body");
    const idem = await idempotencyOptions(c, text);
    if (!idem.ok) return idem.response;
    const out = await switchActive(c.env, { dm, claims, ...value }, { ...idem.options, receivedAt: c.get("receivedAt") });
    if (!out.ok) return roomErrorResponse(c, out);
    return c.json(out.result, 200);
  })
  .get("/ws/campaign/player", roomAccess(onSocket), as(ROLE.player), upgradeToRoom({ kind: "campaign" }))
  .get("/ws/campaign/dm", roomAccess(onSocket), as(ROLE.dm), upgradeToRoom({ kind: "campaign" }));
