/** Subprotocol Hearth echoes when a browser sends its token as `bearer.<jwt>`. */
export const HEARTH_PROTOCOL = "hearth";
const BEARER_PROTOCOL = "bearer.";

/**
 * Finds the caller's token: `Authorization: Bearer`, then the
 * `Sec-WebSocket-Protocol` entry `bearer.<jwt>`, then `?token=` (seed 002), then a `token`
 * cookie (seed 004: "JWT token via cookie or query param").
 * Also says which subprotocol to echo: a fixed name, never the token.
 */
export function tokenFrom(req: Request): { token: string | null; protocol?: string } {
  const auth = req.headers.get("Authorization");
  const match = auth ? /^Bearer\s+(\S+)$/i.exec(auth) : null;
  const offered = (req.headers.get("Sec-WebSocket-Protocol") ?? "").split(",").map((p) => p.trim()).filter(Boolean);
  const protocol = offered.includes(HEARTH_PROTOCOL) ? HEARTH_PROTOCOL : undefined;
  if (match?.[1]) return { token: match[1], ...(protocol ? { protocol } : {}) };
  const fromProtocol = offered.find((p) => p.startsWith(BEARER_PROTOCOL));
  if (fromProtocol) return { token: fromProtocol.slice(BEARER_PROTOCOL.length), ...(protocol ? { protocol } : {}) };
  const query = new URL(req.url).searchParams.get("token");
  return { token: query || cookie(req, "token"), ...(protocol ? { protocol } : {}) };
}

/** One cookie's value from the `Cookie` header, or null. */
function cookie(req: Request, name: string): string | null {
  for (const part of (req.headers.get("Cookie") ?? "").split(";")) {
    const eq = part.indexOf("=");
    if (eq > 0 && part.slice(0, eq).trim() === name) return decodeURIComponent(part.slice(eq + 1).trim()) || null;
  }
  return null;
}
