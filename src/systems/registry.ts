import { systemRegistry } from "../core/system.ts";
import { gamesGameSystem, gamesLobbySystem } from "./games/index.ts";
import { feedSystem } from "./feed/index.ts";
import { campaignSystem, campaignTableSystem } from "./campaign/index.ts";
import { questSystem } from "./quest/index.ts";
import { relaySystem } from "./relay/index.ts";
import { tabletopSystem } from "./tabletop/index.ts";

/** Every system Hearth serves. A new system is a folder beside this file and one line here. */
export const registry = systemRegistry([relaySystem, questSystem, tabletopSystem, campaignSystem, campaignTableSystem, gamesLobbySystem, gamesGameSystem, feedSystem]);
