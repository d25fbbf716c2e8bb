/** Typed frames per system, both directions. Types only (nothing here exists at runtime). */
export type * as relayFrames from "./relay";
export type * as feedFrames from "./feed";
export type * as campaignFrames from "./campaign";
export type * as questFrames from "./quest";
export type * as tabletopFrames from "./tabletop";
export type * as gamesFrames from "./games";
export type { IsoTime, Sequenced } from "./common";
