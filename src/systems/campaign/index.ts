import { defineSystem } from "../../core/system.ts";
import { typeCodec } from "../../protocol/typeCodec.ts";
import { campaignKind } from "./campaignKind.ts";
import { campaignRoutes } from "./edge/routes.ts";
import { MAX_FRAME_BYTES } from "./schema.ts";
import { tableKind } from "./tableKind.ts";

/** Seed 001's frames: `{type, ...}`. */
const codec = typeCodec("campaign");

/** Seed 001: campaign state pushed from the DM to every player's page. One record object per campaign. */
export const campaignSystem = defineSystem({
  name: "campaign",
  kind: campaignKind,
  codec,
  routes: campaignRoutes,
  href: (id) => `/api/campaigns/${encodeURIComponent(id)}`,
  // structured_data may be as large over HTTP as over the DM socket (256 KiB).
  bodyLimits: [
    { prefix: "/api/campaigns", maxBytes: MAX_FRAME_BYTES },
    { prefix: "/api/dms", maxBytes: MAX_FRAME_BYTES },
  ],
  description: "Campaign sync (seed 001): a DM loads, updates and closes a campaign; every player's page follows live.",
});

/** A DM's table (`campaign.table:<dm>`): every socket of the DM's campaigns and the one active campaign; reached through the campaign routes. */
export const campaignTableSystem = defineSystem({
  name: tableKind.name,
  kind: tableKind,
  codec,
  href: () => null,
  description: "A DM's table (seed 001): the DM's active campaign, decided in one place; player sockets follow it across switches.",
});
