/** Typed frames per system, both directions. Types only (nothing here exists at runtime). */
export type * as relayFrames from "./relay.js";
export type * as feedFrames from "./feed.js";
export type * as campaignFrames from "./campaign.js";
export type * as questFrames from "./quest.js";
export type * as tabletopFrames from "./tabletop.js";
export type * as gamesFrames from "./games.js";
export type { IsoTime, Sequenced } from "./common.js";
