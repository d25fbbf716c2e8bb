/** Workflow event feed (`/ws/feed`, seed 003, src/systems/feed). Types only. */
import type { IsoTime, Sequenced } from "./common.js";

/** Client -> server: `ping` is answered `pong`; any other frame gets `ack`. */
export type FeedClientFrame = { type: "ping" } | ({ type: string } & Record<string, unknown>);

/** Event types named by seed 003 (others may be published too). */
export type FeedEventType = "workflow.started" | "tournament.registered" | "players.assigned" | "teams.locked";

/** One published event, as every subscriber receives it. */
export interface FeedEventFrame extends Sequenced {
  type: FeedEventType | (string & {});
  tournamentId: string;
  data: Record<string, unknown>;
  timestamp: IsoTime;
}

export type FeedServerFrame = FeedEventFrame | { type: "pong"; timestamp: IsoTime } | { type: "ack"; message: "Message received" };
