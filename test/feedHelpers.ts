import { expect } from "vitest";
import { api, open, type Frame, type TestSocket } from "./helpers/socket.ts";
import { adminToken, token } from "./helpers/tokens.ts";

/** Seed 003's four workflow events, payloads exactly as the seed shows them. */
export const SEED_EVENTS = [
  { type: "workflow.started", tournamentId: "tournament-123", data: { tournamentId: "tournament-123", executionArn: "arn:aws:states:..." } },
  { type: "tournament.registered", tournamentId: "tournament-123", data: { tournamentId: "tournament-123", startTime: "2024-01-01T18:00:00.000Z" } },
  { type: "players.assigned", tournamentId: "tournament-123", data: { tournamentId: "tournament-123", teamId: "team-tournament-123", assignedCount: 5 } },
  { type: "teams.locked", tournamentId: "tournament-123", data: { tournamentId: "tournament-123", teamId: "team-tournament-123", status: "locked" } },
];

export const publisher = () => token({ sub: "workflow-svc", scope: "events:publish" });

/** A fresh feed with small shards (and other settings) so tests can spread a few sockets over several. */
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

export async function metrics(feed: string) {
  const res = await api("GET", `/api/feed?feed=${feed}`, await adminToken());
  expect(res.status, JSON.stringify(res.json)).toBe(200);
  return res.json as { head: number; shardCount: number; subscribers: number; shards: { shard: number; subscribers: number; sockets: number; deliveries: number; failures: number; lastSeq: number; behind: number; events: number }[]; lastPublishToLastDeliveryMs: number | null };
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
