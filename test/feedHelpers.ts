import { expect } from "vitest";
import { eventually } from "./helpers/objects.ts";
import { api, open, type Frame, type TestSocket } from "./helpers/socket.ts";
import { adminToken, token } from "./helpers/tokens.ts";
import type { FeedMetrics } from "../src/systems/feed/edge/feedMetrics.ts";

/** Seed 003's four workflow events, payloads exactly as the seed shows them. */
export const SEED_EVENTS = [
  { type: "workflow.started", tournamentId: "tournament-123", data: { tournamentId: "tournament-123", executionArn: "arn:aws:states:..." } },
  { type: "tournament.registered", tournamentId: "tournament-123", data: { tournamentId: "tournament-123", startTime: "2024-01-01T18:00:00.000Z" } },
  { type: "players.assigned", tournamentId: "tournament-123", data: { tournamentId: "tournament-123", teamId: "team-tournament-123", assignedCount: 5 } },
  { type: "teams.locked", tournamentId: "tournament-123", data: { tournamentId: "tournament-123", teamId: "team-tournament-123", status: "locked" } },
];

export const publisher = () => token({ sub: "workflow-svc", scope: "events:publish" });

/** A fresh feed with a small `shardSize` (and other settings) so tests can spread a few sockets over several objects. */
export async function newFeed(settings: Record<string, unknown> = {}): Promise<string> {
  const feed = `f${crypto.randomUUID().slice(0, 10)}`;
  const res = await api("POST", "/api/feeds", await adminToken(), { feed, ...settings });
  expect(res.status, JSON.stringify(res.json)).toBe(201);
  return feed;
}

export async function publishTo(feed: string, event: Record<string, unknown>, headers: Record<string, string> = {}) {
  return api("POST", `/api/feed/events?feed=${feed}`, await publisher(), event, headers);
}

/** Opens a subscriber and reads its first frame (the snapshot, or a resume's replay). */
export async function subscribe(feed: string, sub: string, query = ""): Promise<{ socket: TestSocket; first: Frame }> {
  const socket = await open(`/ws/feed?feed=${feed}&token=${await token({ sub })}${query}`);
  return { socket, first: await socket.next() };
}

/** What `GET /api/feed` answers an admin: the route's own type, with the spread present. */
export type FeedFigures = FeedMetrics & { spread: NonNullable<FeedMetrics["spread"]> };

/** `GET /api/feed` as an admin: the feed's figures and its spread over objects ([S5]). */
export async function metrics(feed: string): Promise<FeedFigures> {
  const res = await api("GET", `/api/feed?feed=${feed}`, await adminToken());
  expect(res.status, JSON.stringify(res.json)).toBe(200);
  return res.json as FeedFigures;
}

/** Waits until the feed has heard every close (gateways forward them): nothing left in flight at teardown. */
export async function allClosed(feed: string): Promise<void> {
  await eventually(async () => expect((await metrics(feed)).sockets).toBe(0), 10_000);
}

/** The feed frames (those with a seq) a socket has been sent, read until it holds `n` of them. */
export async function events(socket: TestSocket, n: number): Promise<Frame[]> {
  const out: Frame[] = [];
  while (out.length < n) {
    const f = await socket.next(4000);
    if (typeof f.seq === "number" && f.type !== "snapshot" && f.type !== "recovered") out.push(f);
  }
  return out;
}
