import { HearthSocket, type HearthSocketOptions } from "./hearthSocket.js";

/** One workflow event as a feed subscriber receives it (seed 003's fields plus Hearth's seq and epoch). */
export interface FeedEvent {
  type: string;
  tournamentId: string;
  data: Record<string, unknown>;
  /** ISO-8601, set once when the event was published. */
  timestamp: string;
  seq: number;
  epoch: string;
}

export interface FeedSocketOptions extends Omit<HearthSocketOptions<Record<string, unknown>>, "url"> {
  /** Default `/ws/feed` on the page's host. */
  url?: string;
  /** Which feed; the server's default one when absent. */
  feed?: string;
}

/** Tells a feed event from Hearth's own frames (snapshot, recovered) and the seed's pong/ack replies. */
export function isFeedEvent(frame: Record<string, unknown>): frame is FeedEvent & Record<string, unknown> {
  return typeof frame.seq === "number" && typeof frame.type === "string" && typeof frame.tournamentId === "string" && typeof frame.timestamp === "string";
}

/**
 * Subscribes to a workflow event feed: a HearthSocket on `/ws/feed` that
 * reconnects and resumes with `since`/`epoch` (on whichever object the server
 * places it: one feed, one log, one set of seqs), and that reconnects at once
 * when the server closes an hour-old connection (4010).
 *
 * @example
 * const feed = feedSocket({ getToken: () => auth.jwt() });
 * feed.on("frame", (f) => { if (isFeedEvent(f)) render(f.type, f.data); });
 */
export function feedSocket(options: FeedSocketOptions = {}): HearthSocket<Record<string, unknown>, Record<string, unknown>> {
  const { feed, url = "/ws/feed", params, ...rest } = options;
  return new HearthSocket({ ...rest, url, params: { ...params, ...(feed ? { feed } : {}) } });
}
