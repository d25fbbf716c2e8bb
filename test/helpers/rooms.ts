import { env } from "cloudflare:test";
import { expect } from "vitest";
import { api, open, type Frame, type TestSocket } from "./socket.ts";
import { adminToken, token } from "./tokens.ts";

/** Creates a relay room (optionally with limit overrides) and returns its id. */
export async function newRoom(config: Record<string, unknown> = {}): Promise<string> {
  const roomId = `r${crypto.randomUUID().slice(0, 12)}`;
  const res = await api("POST", "/api/rooms", await adminToken(), { roomId, config });
  expect(res.status, JSON.stringify(res.json)).toBe(201);
  return roomId;
}

export const stubFor = (roomId: string) => env.ROOMS.get(env.ROOMS.idFromName(roomId));

/** Opens a user's socket and reads its snapshot (and, for a fresh user, its own join). */
export async function joinAs(roomId: string, sub: string, query = ""): Promise<{ socket: TestSocket; snapshot: Frame }> {
  const socket = await open(`/ws/rooms/${roomId}?token=${await token({ sub, name: sub })}${query}`);
  const snapshot = await socket.next();
  return { socket, snapshot };
}

export async function publish(roomId: string, data: unknown, sub = "svc", headers: Record<string, string> = {}) {
  return api("POST", `/api/rooms/${roomId}/events`, await token({ sub, scope: "events:publish" }), { type: "publish", data }, headers);
}
