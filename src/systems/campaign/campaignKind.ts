import type { CommandKind } from "../../core/kind.ts";
import { admit } from "./admit.ts";
import { presence } from "./presence.ts";
import { apply } from "./rules.ts";
import { campaignCommand, campaignConfig, DEFAULT_MAX_CONNECTIONS, MAX_FRAME_BYTES, type CampaignCommand } from "./schema.ts";
import { initCampaignState, type CampaignState } from "./state.ts";
import { view } from "./view.ts";
import { welcome } from "./welcome.ts";

/** Seed 001: a DM pushes campaign state (load, update, deactivate) to every player's page. */
export const campaignKind: CommandKind<CampaignState, CampaignCommand> = {
  name: "campaign",
  command: campaignCommand,
  config: campaignConfig,
  init: initCampaignState,
  apply,
  view,
  sockets: { presence, admit, welcome },
  // Seed 001 "Monitoring": connections, messages, bytes, errors and broadcast latency per campaign.
  limits: { maxFrameBytes: MAX_FRAME_BYTES, maxConnections: DEFAULT_MAX_CONNECTIONS },
};

export type { CampaignState } from "./state.ts";
export type { CampaignCommand } from "./schema.ts";
