/**
 * Token refresh on an open socket ([K6], docs/protocol.md "Presenting a fresh token"): the
 * frame the SDK sends, the answer it reads, and when to refresh. The SDK never verifies a
 * token; it only reads the payload's `exp` to know when the current one runs out.
 */
export const TOKEN_FRAME = "hearth.token";

/** Default: present a fresh token this long before the current one's `exp`. */
export const DEFAULT_REFRESH_MARGIN_MS = 60_000;

/** The `exp` of a JWT in ms, read without verifying; undefined for anything that is not a JWT with a numeric `exp`. */
export function tokenExpiry(token: string): number | undefined {
  const part = token.split(".")[1];
  if (!part) return undefined;
  try {
    const b64 = part.replace(/-/g, "+").replace(/_/g, "/");
    const json = atob(b64 + "=".repeat((4 - (b64.length % 4)) % 4));
    const payload = JSON.parse(json) as { exp?: unknown };
    return typeof payload.exp === "number" && Number.isFinite(payload.exp) ? payload.exp * 1000 : undefined;
  } catch {
    return undefined;
  }
}

/**
 * How long to wait before refreshing a token that expires at `expiresAt`: `marginMs` before it,
 * but never sooner than half its remaining life (a token shorter than the margin would
 * otherwise be refreshed in a loop), and at least 1 s.
 */
export function refreshDelay(expiresAt: number, now: number, marginMs: number): number {
  const left = expiresAt - now;
  return Math.max(1_000, left - marginMs, Math.floor(left / 2));
}

/** The server's answer to a presented token: `expiresAt` is the fresh token's, when it was taken. */
export interface TokenAnswer {
  ok: boolean;
  expiresAt: number | null;
  code?: string;
}

/** The server's answer to a token frame, in either family; undefined for any other frame. */
export function tokenAnswer(frame: Record<string, unknown>): TokenAnswer | undefined {
  let body: Record<string, unknown> | undefined;
  if (frame.type === TOKEN_FRAME) body = frame;
  else if (frame.event === TOKEN_FRAME && typeof frame.data === "object" && frame.data !== null) body = frame.data as Record<string, unknown>;
  if (!body) return undefined;
  return {
    ok: body.ok === true,
    expiresAt: typeof body.expiresAt === "number" ? body.expiresAt : null,
    ...(typeof body.code === "string" ? { code: body.code } : {}),
  };
}
