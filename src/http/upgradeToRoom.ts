import type { Context } from "hono";
import { CloseCode, CloseReason } from "../core/closeCodes.ts";
import { closeWith } from "./closeWith.ts";
import { CONNECT_HEADER, type ConnectRequest } from "../room/rpc.ts";
import { actorFor } from "./auth/actorFor.ts";
import { HEARTH_PROTOCOL, tokenFrom } from "./auth/tokenFrom.ts";
import { verifierFor } from "./auth/verifierFor.ts";
import type { Env } from "./env.ts";
import { httpError } from "./middleware/httpError.ts";
import { originAllowed } from "./middleware/originGuard.ts";
import { roomStub } from "./roomStub.ts";

const MAX_PARAMS = 16;

export interface UpgradeOptions {
  /** Durable Object name (system-prefixed). */
  name: string;
  /** Room id as tokens name it in `rooms` claims. */
  roomId: string;
  kind?: string;
  /** "close": refuse with close codes (seeds 002, 004); "http": JSON errors before the upgrade. */
  refuse: "http" | "close";
}

/**
 * Authenticates a WebSocket upgrade and hands it to the room with the
 * verified identity in a header the outside can never set (the room is only
 * reachable through this Worker, and the header is always overwritten).
 */
export async function upgradeToRoom<E extends { Bindings: Env }>(c: Context<E>, opts: UpgradeOptions): Promise<Response> {
  if (c.req.header("Upgrade")?.toLowerCase() !== "websocket") {
    return httpError(c, 426, "UPGRADE_REQUIRED", "This endpoint speaks WebSocket only.");
  }
  const { token, protocol } = tokenFrom(c.req.raw);
  // A client offering `hearth` (the SDK) reads close codes; a browser can't read an HTTP refusal
  // (it only sees 1006), so such clients are refused by closing with the table's code.
  const refuse = protocol === HEARTH_PROTOCOL ? "close" : opts.refuse;
  const origin = c.req.header("Origin");
  if (origin && !originAllowed(origin, c.req.url, c.env)) {
    if (refuse === "close") return closeWith(CloseCode.forbidden, "Origin not allowed", protocol);
    return httpError(c, 403, "ORIGIN_NOT_ALLOWED", `Origin ${origin} may not open sockets here.`);
  }
  const verified = token ? await verifierFor(c.env)(token) : null;
  if (!verified?.ok) {
    if (refuse === "close") return closeWith(CloseCode.invalidToken, CloseReason.invalidToken, protocol);
    return httpError(c, 401, verified?.code ?? "TOKEN_MISSING", verified?.message ?? "A bearer token is required.");
  }
  const actor = actorFor(verified.claims, opts.roomId);
  if (!actor) {
    if (refuse === "close") return closeWith(CloseCode.forbidden, "Token is not valid for this room", protocol);
    return httpError(c, 403, "ROOM_FORBIDDEN", "This token is not valid for this room.");
  }
  // Params ride in the socket attachment (16 KiB at most), so their count and size are capped.
  // Prototype-less and own-key checked: a param named `constructor` or `__proto__` is just a name.
  const params: Record<string, string> = Object.create(null);
  let kept = 0;
  for (const [k, v] of new URL(c.req.url).searchParams) {
    if (k === "token" || k.length > 64 || Object.hasOwn(params, k)) continue;
    if (++kept > MAX_PARAMS) break;
    params[k] = v.slice(0, 256);
  }
  const connect: ConnectRequest = {
    roomId: opts.roomId,
    actor,
    params,
    expiresAt: verified.claims.exp ? verified.claims.exp * 1000 : null,
    refuse,
    ...(opts.kind ? { kind: opts.kind } : {}),
    ...(protocol ? { protocol } : {}),
  };
  const headers = new Headers({ Upgrade: "websocket", [CONNECT_HEADER]: JSON.stringify(connect) });
  return roomStub(c.env, opts.name).fetch(new Request("https://room/connect", { headers }));
}
