import { hearthError, type HearthError } from "../../../core/hearthError.ts";
import type { Actor } from "../../../core/kind.ts";
import { objectName } from "../../../core/objectName.ts";
import { actorFor } from "../../../http/auth/actorFor.ts";
import type { HearthClaims } from "../../../http/auth/claims.ts";
import type { Env } from "../../../http/env.ts";
import { roomStub } from "../../../http/roomStub.ts";
import { WORKER_ACTOR } from "../../../http/serviceActor.ts";
import type { SubmitOptions } from "../../../room/rpc.ts";
import { ROLE } from "../roles.ts";
import type { StructuredData } from "../schema.ts";
import type { CampaignView } from "../view.ts";

export interface SwitchRequest {
  dm: string;
  claims: HearthClaims;
  campaign_id: string;
  structured_data?: StructuredData | undefined;
}

export interface Switched {
  ok: true;
  result: { dm_user_id: string; campaign_id: string; deactivated: string[]; active: true; structured_data: StructuredData; seq: number; epoch: string };
}

/** How many of a DM's campaigns a switch looks at (newest first). */
const MAX_CAMPAIGNS_PER_DM = 100;

const roomOf = (env: Env, campaignId: string) => roomStub(env, objectName("campaign", campaignId));

/**
 * A DM-level "active campaign" (seed 001's campaign switching) over
 * per-campaign rooms: every other active campaign of this DM is deactivated
 * first (its players get `campaign_deactivated`), and only once those are
 * committed is the new one loaded (`campaign_loaded`). Each step is one
 * room's command; the caller's Idempotency-Key is passed to each, so a retry
 * after a failure part-way applies nothing twice and finishes the rest.
 */
export async function switchActive(env: Env, req: SwitchRequest, opts: SubmitOptions): Promise<Switched | HearthError> {
  const actorIn = (campaignId: string): Actor | null => {
    const actor = actorFor(req.claims, campaignId);
    return actor ? { ...actor, role: ROLE.api } : null;
  };
  const target = actorIn(req.campaign_id);
  if (!target) return hearthError("ROOM_FORBIDDEN", "This token is not valid for this campaign.", 403);
  const snap = await roomOf(env, req.campaign_id).snapshot(WORKER_ACTOR, "campaign");
  if (!snap.ok) return snap;
  const wanted = snap.state as CampaignView;
  if (wanted.dm_user_id !== req.dm) return hearthError("NOT_DMS_CAMPAIGN", `Campaign ${req.campaign_id} is not run by ${req.dm}.`, 409);

  const { results } = await env.DIRECTORY.prepare("SELECT campaign_id FROM campaigns WHERE dm_user_id = ? AND campaign_id != ? ORDER BY created_at DESC LIMIT ?")
    .bind(req.dm, req.campaign_id, MAX_CAMPAIGNS_PER_DM)
    .all<{ campaign_id: string }>();
  const others = await Promise.all(
    results.map(async ({ campaign_id }) => ({ campaign_id, snap: await roomOf(env, campaign_id).snapshot(WORKER_ACTOR, "campaign") })),
  );
  const deactivated: string[] = [];
  for (const { campaign_id, snap: other } of others) {
    if (!other.ok) continue;
    const view = other.state as CampaignView;
    if (!view.active || view.dm_user_id !== req.dm) continue;
    const actor = actorIn(campaign_id);
    if (!actor) return hearthError("ROOM_FORBIDDEN", `This token may not deactivate campaign ${campaign_id}.`, 403);
    const out = await roomOf(env, campaign_id).submit(actor, { type: "campaign_deactivated" }, opts);
    // Someone deactivated it meanwhile: that is what was asked for.
    if (!out.ok && out.code !== "CAMPAIGN_INACTIVE") return out;
    deactivated.push(campaign_id);
  }

  const structured_data = req.structured_data ?? wanted.structured_data ?? {};
  const loaded = await roomOf(env, req.campaign_id).submit(target, { type: "campaign_loaded", structured_data }, opts);
  if (!loaded.ok) return loaded;
  const result = loaded.result as { structured_data: StructuredData };
  return {
    ok: true,
    result: { dm_user_id: req.dm, campaign_id: req.campaign_id, deactivated, active: true, structured_data: result.structured_data, seq: loaded.seq, epoch: loaded.epoch },
  };
}
