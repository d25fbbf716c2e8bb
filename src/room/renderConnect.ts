import { refuseWithClose } from "./refuseWithClose.ts";
import { REVOKED_UNTIL_HEADER, type ConnectResult } from "./rpc.ts";

/** A connect's answer as the runtime wants it: the socket, a JSON refusal, or a close. */
export function renderConnect(result: { ok: true } | Extract<ConnectResult, { ok: false }>, client: WebSocket, protocol: string | undefined): Response {
  if (result.ok) return new Response(null, { status: 101, webSocket: client, ...(protocol ? { headers: { "Sec-WebSocket-Protocol": protocol } } : {}) });
  return renderRefusal(result, protocol);
}

/** A refused connect: JSON over HTTP, or a socket of its own accepted and closed with the code. */
export function renderRefusal(result: Extract<ConnectResult, { ok: false }>, protocol: string | undefined): Response {
  // [V5] For the worker, which remembers a revoked token and takes this header off.
  const revoked: Record<string, string> = result.revokedUntil === undefined ? {} : { [REVOKED_UNTIL_HEADER]: String(result.revokedUntil) };
  if (result.overHttp) {
    const status = result.error.status ?? 403;
    // A 401 names its scheme (a revoked token refused by the room, as the worker's refusal does).
    const headers = { ...revoked, ...(status === 401 ? { "WWW-Authenticate": 'Bearer error="invalid_token"' } : {}) };
    return Response.json({ error: { code: result.error.code, message: result.error.message } }, { status, headers });
  }
  // Accepted plainly, never as hibernatable: the runtime keeps a hibernatable socket's TCP
  // connection open after its closing handshake until the object hibernates (~10 s under
  // wrangler dev), and the client's close event waits for it (bench/closeLatency.mjs,
  // docs/closes.md). Half-open, so the runtime doesn't tear the socket down itself when the
  // client echoes the close: that auto-teardown is what logged "Network connection lost".
  // Never in ctx.getWebSockets(), so no room part ever counts it.
  return refuseWithClose(result.close.code, result.close.reason, protocol, (refused) => refused.accept({ allowHalfOpen: true }), revoked);
}
