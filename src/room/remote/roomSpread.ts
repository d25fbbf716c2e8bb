import type { RoomParts } from "../assemble.ts";
import type { Spread } from "../rpc.ts";

/** What the room asks of its gateways' registry (remoteSockets.ts). */
export interface SpreadPort {
  place(local: number, perObject: number | null, own?: number): string | null;
  hasRoom(gateway: string, perObject: number | null): boolean;
  gateways(): { name: string; sockets: number }[];
  count(): number;
}

type Parts = Pick<RoomParts, "limits" | "kind" | "conns" | "meta">;

/**
 * [S5] Where a new socket goes: null for the room's own object, or the gateway the worker should
 * forward it to. The room's own object fills first (none for a `gatewaysOnly` kind), then each
 * gateway up to the same size.
 */
export function placement(rc: Parts, spread: SpreadPort | undefined): string | null {
  const perObject = rc.limits.socketsPerObject;
  if (!spread || perObject === null || !rc.kind.sockets) return null;
  const own = rc.kind.sockets.gatewaysOnly ? 0 : perObject;
  return spread.place(rc.conns.size() - spread.count(), perObject, own);
}

/**
 * [S5] Whether `gateway` may hold one more of this room's sockets, and the idle rule it keeps for
 * them. A follower ([S6]) is held by the gateway of the room it came through: this room doesn't place it.
 */
export function gatewayRules(rc: Parts, spread: SpreadPort | undefined, gateway: string, following: boolean) {
  const admits = following || !!spread?.hasRoom(gateway, rc.limits.socketsPerObject);
  return { admits, idleTimeoutMs: rc.limits.idleTimeoutMs, kind: rc.meta.kind };
}

/** [S5] The room's sockets over its objects: its own (when it holds any, or has no gateway) and each gateway. */
export function spreadOf(rc: Parts, spread: SpreadPort | undefined): Spread {
  const gateways = spread?.gateways() ?? [];
  const sockets = rc.conns.count();
  const remote = gateways.reduce((n, g) => n + g.sockets, 0);
  return { objects: (sockets > remote || gateways.length === 0 ? 1 : 0) + gateways.length, sockets, gateways };
}
