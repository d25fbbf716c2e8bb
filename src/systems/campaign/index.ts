import { defineSystem } from "../../core/system.ts";
import { typeCodec } from "../../protocol/typeCodec.ts";
import { campaignKind } from "./campaignKind.ts";
import { campaignRoutes } from "./edge/routes.ts";
import { MAX_FRAME_BYTES } from "./schema.ts";

/** Seed 001: campaign state pushed from the DM to every player's page. */
export const campaignSystem = defineSystem({
  name: "campaign",
  kind: campaignKind,
  codec: typeCodec("campaign"),
  routes: campaignRoutes,
  href: (id) => `/api/campaigns/${encodeURIComponent(id)}`,
  // structured_data may be as large over HTTP as over the DM socket (256 KiB).
  bodyLimits: [
    { prefix: "/api/campaigns", maxBytes: MAX_FRAME_BYTES },
    { prefix: "/api/dms", maxBytes: MAX_FRAME_BYTES },
  ],
  description: "Campaign sync (seed 001): a DM loads, updates and closes a campaign; every player's page follows live.",
});
