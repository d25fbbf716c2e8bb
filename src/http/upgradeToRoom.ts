import type { Context, Handler } from "hono";
import { CONNECT_HEADER, GATEWAY_HEADER, PLACE_HEADER, REVOKED_UNTIL_HEADER, SOURCE_HEADER, type ConnectRequest, type RoomRpc } from "../room/rpc.ts";
import { revocationCheck } from "./auth/revocationCheck.ts";
import { roomStub } from "./roomStub.ts";
import type { Env } from "./env.ts";
import type { RoomAccessVars } from "./middleware/roomAccess.ts";
import { answerCompression, compressionFor, type WsCompression } from "./wsCompression.ts";

const MAX_PARAMS = 16;

/**
 * Hands an upgrade that roomAccess({ upgrade: true }) let through to the room,
 * with the verified identity in a header the outside can never set (the room
 * is only reachable through this Worker, and the header is always overwritten).
 *
 * `compression` is how a client's permessage-deflate offer is answered (wsCompression.ts): each
 * frame on its own unless the route says its frames repeat each other (`"context"`), or the client
 * asks with `?compression=`.
 *
 * @example app.get("/ws/rooms/:roomId", roomAccess({ upgrade: true }), upgradeToRoom({ kind: "relay" }))
 */
export function upgradeToRoom(options: { kind?: string; compression?: WsCompression } = {}): Handler<{ Bindings: Env; Variables: RoomAccessVars }> {
  const { compression, ...overrides } = options;
  return (c) => {
    const { stub } = c.get("room");
    return forwardUpgrade(stub, connectRequest(c, overrides), (name) => roomStub(c.env, name), compression);
  };
}

/**
 * The connect request for the upgrade roomAccess({ upgrade: true }) let through: the verified
 * actor, the query parameters (capped), the token's expiry and how to refuse. `overrides` lets a
 * route that places sockets itself (the feed's shards) aim it at another object and hear refusals.
 */
export function connectRequest(c: Context<{ Bindings: Env; Variables: RoomAccessVars }>, overrides: Partial<ConnectRequest> = {}): ConnectRequest {
  const { roomId, actor, claims, upgrade, grant, revocation } = c.get("room");
  if (!upgrade) throw new Error("upgradeToRoom runs behind roomAccess({ upgrade: true })");
  // Params ride in the socket attachment (16 KiB at most), so their count and size are capped.
  // Prototype-less and own-key checked: a param named `constructor` or `__proto__` is just a name.
  const params: Record<string, string> = Object.create(null);
  let kept = 0;
  for (const [k, v] of new URL(c.req.url).searchParams) {
    if (k === "token" || k.length > 64 || Object.hasOwn(params, k)) continue;
    if (++kept > MAX_PARAMS) break;
    params[k] = v.slice(0, 256);
  }
  return {
    roomId,
    actor,
    params,
    expiresAt: claims.exp ? claims.exp * 1000 : null,
    ...(claims.jti !== undefined ? { jti: claims.jti } : {}),
    ...(claims.iat !== undefined ? { iat: claims.iat } : {}),
    refuse: upgrade.refuse,
    ...(revocation ? { revocation } : {}),
    grant,
    ...(upgrade.protocol ? { protocol: upgrade.protocol } : {}),
    // Set by hono's requestId() in app.ts; typed loosely so every route's context fits.
    ...(typeof (c.var as Record<string, unknown>).requestId === "string" ? { requestId: (c.var as Record<string, unknown>).requestId as string } : {}),
    ...overrides,
  };
}

/**
 * Hands the upgrade to the room with the connect request in a header the outside can never set.
 * With `stubOf`, the room may place the socket on one of its gateways ([S5]): it answers 307 with
 * the gateway's name, and the same upgrade goes there (one more hop, only past the room's share).
 * The hops to the room carry no deflate offer, so frames travel between objects uncompressed;
 * only this last answer, to the client, negotiates compression: the route's `compression` unless
 * the client asked otherwise (`?compression=`, read from the connect request's params).
 */
export async function forwardUpgrade(stub: RoomRpc, connect: ConnectRequest, stubOf?: (name: string) => RoomRpc, compression: WsCompression = "message"): Promise<Response> {
  const json = JSON.stringify(connect);
  const headers = new Headers({ Upgrade: "websocket", [CONNECT_HEADER]: json, ...(stubOf ? { [PLACE_HEADER]: "1" } : {}) });
  let res = await stub.fetch(new Request("https://room/connect", { headers }));
  const gateway = stubOf && res.status === 307 ? res.headers.get(GATEWAY_HEADER) : null;
  if (gateway !== null) {
    const source = gateway.replace(/:gw:\d+$/, "");
    res = await stubOf!(gateway).fetch(new Request("https://room/connect", { headers: { Upgrade: "websocket", [CONNECT_HEADER]: json, [SOURCE_HEADER]: source } }));
  }
  return answerCompression(learned(connect, res), compressionFor(connect.params.compression, compression));
}

/**
 * [V5] A room refused the token as revoked: this isolate remembers it (the next try is refused
 * here, no room woken, as when the worker read it itself), and the header stays inside.
 */
function learned(connect: ConnectRequest, res: Response): Response {
  const until = res.headers.get(REVOKED_UNTIL_HEADER);
  if (until === null) return res;
  if (Number.isFinite(Number(until))) revocationCheck.revokedUntil({ sub: connect.actor.userId, jti: connect.jti, iat: connect.iat }, Number(until), Date.now());
  const out = new Response(res.body, res);
  out.headers.delete(REVOKED_UNTIL_HEADER);
  return out;
}
