import type { Context } from "hono";
import { closeWith } from "./closeWith.ts";
import { httpError } from "./middleware/httpError.ts";

/**
 * Why a request may not reach its room, in both forms a refusal takes: an
 * HTTP error, and the close code (src/core/closeCodes.ts) a socket client
 * that cannot read HTTP refusals gets instead.
 */
export interface Refusal {
  status: number;
  code: string;
  message: string;
  close: { code: number; reason: string };
  headers?: Record<string, string>;
}

/** How one upgrade request is refused, decided once per request by roomAccess. */
export interface UpgradeRefusal {
  /** "close": accept and close with the code (seeds that demand it, every `hearth` client); "http": JSON. */
  refuse: "http" | "close";
  /** Whether the request really asks for a WebSocket. */
  upgrade: boolean;
  /** Subprotocol to echo (never the token). */
  protocol?: string;
}

/** 426: a socket route reached without `Upgrade: websocket`. */
export function upgradeRequired(c: Context): Response {
  return httpError(c, 426, "UPGRADE_REQUIRED", "This endpoint speaks WebSocket only.");
}

/**
 * Renders a refusal. A close needs a socket: a request that should be refused
 * with a close but asks for no upgrade can only learn that it must.
 */
export function refusalResponse(c: Context, refusal: Refusal, upgrade?: UpgradeRefusal): Response {
  if (upgrade?.refuse === "close") return upgrade.upgrade ? closeWith(refusal.close.code, refusal.close.reason, upgrade.protocol) : upgradeRequired(c);
  return httpError(c, refusal.status, refusal.code, refusal.message, undefined, refusal.headers);
}
