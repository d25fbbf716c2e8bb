import { hearthError, type HearthError } from "../../../core/hearthError.ts";
import { objectName, ROOM_ID } from "../../../core/objectName.ts";
import type { Env } from "../../../http/env.ts";
import { roomStub, type RoomRpc } from "../../../http/roomStub.ts";
import { WORKER_ACTOR } from "../../../http/serviceActor.ts";
import { TABLE_KIND, tableObjectName } from "../tableKind.ts";
import type { CampaignView } from "../view.ts";

/** One campaign, one record object: `campaign:<campaign_id>` (its DM, invite list and creation time). */
export const campaignRoom = (campaignId: string) => objectName("campaign", campaignId);

const hex = (buf: ArrayBuffer) => [...new Uint8Array(buf)].map((b) => b.toString(16).padStart(2, "0")).join("");

/**
 * The key of a DM's table: the DM's user id when it is a room id, else `#` and a SHA-256 digest of
 * it (`auth0|abc` has a `|`). `#` is never in a room id, so the two forms never meet.
 */
export async function tableKey(dm: string): Promise<string> {
  if (ROOM_ID.test(dm)) return dm;
  return `#${hex(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(dm)))}`;
}

export interface Table {
  key: string;
  name: string;
  stub: RoomRpc;
}

export async function tableOf(env: Env, dm: string): Promise<Table> {
  const key = await tableKey(dm);
  const name = tableObjectName(key);
  return { key, name, stub: roomStub(env, name) };
}

/**
 * A campaign's DM never changes once the campaign exists, so the answer is kept for the isolate's
 * life (a reset room keeps its config). Unknown campaigns are asked again next time.
 */
const dmByCampaign = new Map<string, { dm: string; players: string[] | null; created_at: string }>();
const MAX_CACHED = 10_000;

/** Who runs a campaign, read from its record object; ROOM_NOT_FOUND (404) when there is none. */
export async function campaignRecord(env: Env, campaignId: string): Promise<{ ok: true; dm: string; players: string[] | null; created_at: string } | HearthError> {
  const known = dmByCampaign.get(campaignId);
  if (known) return { ok: true, ...known };
  const snap = await roomStub(env, campaignRoom(campaignId)).snapshot(WORKER_ACTOR, "campaign");
  if (!snap.ok) return snap.code === "ROOM_NOT_FOUND" ? hearthError("ROOM_NOT_FOUND", "Campaign not found.", 404) : snap;
  const view = snap.state as CampaignView;
  const record = { dm: view.dm_user_id, players: view.players ?? null, created_at: view.created_at };
  if (dmByCampaign.size >= MAX_CACHED) dmByCampaign.clear();
  dmByCampaign.set(campaignId, record);
  return { ok: true, ...record };
}

/**
 * A campaign's data while inactive, read fresh from its record (never cached: the table saves it
 * there on every deactivation), with how many saves the record has applied.
 */
export async function storedData(env: Env, campaignId: string): Promise<{ ok: true; saves: number; structured_data: CampaignView["structured_data"] } | HearthError> {
  const snap = await roomStub(env, campaignRoom(campaignId)).snapshot(WORKER_ACTOR, "campaign");
  if (!snap.ok) return snap;
  const view = snap.state as CampaignView;
  return { ok: true, saves: view.saves, structured_data: view.structured_data };
}

/**
 * Runs `attempt` until it is not refused with `code`, waiting 20 ms doubling between tries (at most
 * about 2.5 s in all): for reads that wait for an outbox message the table sent right before.
 */
export async function retrying<T extends { ok: boolean; code?: string }>(code: string, attempt: () => Promise<T>): Promise<T> {
  let out = await attempt();
  for (let wait = 20; !out.ok && out.code === code && wait <= 1280; wait *= 2) {
    await new Promise((r) => setTimeout(r, wait));
    out = await attempt();
  }
  return out;
}

export interface Registration {
  campaign_id: string;
  players?: string[] | undefined;
  created_at: string;
}

/**
 * Makes sure the DM's table exists and knows the campaign: the first campaign of a DM creates the
 * table with itself in the config (and the connection limit it asked for), later ones register
 * with a command (idempotent: registering a known campaign changes nothing).
 */
export async function ensureRegistered(env: Env, dm: string, reg: Registration, limits?: { maxConnections?: number; socketsPerObject?: number }): Promise<{ ok: true } | HearthError> {
  const { key, name, stub } = await tableOf(env, dm);
  const made = await stub.create({ roomId: key, name, kind: TABLE_KIND, config: { dm_user_id: dm, campaigns: [reg], ...(limits ? { limits } : {}) }, createdBy: "hearth" });
  if (made.ok) return { ok: true };
  if (made.code !== "ROOM_EXISTS") return made;
  const out = await stub.submit(WORKER_ACTOR, { type: "register", ...reg });
  return out.ok ? { ok: true } : out;
}

/** A campaign whose record exists but whose table never heard of it (a creation cut short): registered now. */
export async function repairRegistration(env: Env, campaignId: string): Promise<{ ok: true } | HearthError> {
  const record = await campaignRecord(env, campaignId);
  if (!record.ok) return record;
  return ensureRegistered(env, record.dm, { campaign_id: campaignId, created_at: record.created_at, ...(record.players ? { players: record.players } : {}) });
}
