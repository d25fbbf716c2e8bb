/**
 * The one way a refused upgrade is answered with a close: accept the socket
 * pair and close the server end with `code` at once, so the client learns why
 * by the close itself (seeds that demand 4001/4003/4004/4009, every client
 * offering `hearth`). Used by the worker before any room is involved and by
 * a room's object for refusals inside it.
 *
 * `accept`: how the server end is accepted. Never as hibernatable: the runtime
 * keeps a hibernatable socket's TCP connection open after the closing handshake
 * until its object hibernates (~10 s under wrangler dev), and clients (Node's
 * WebSocket, `ws`) fire `close` only when TCP ends (issue 23, docs/closes.md).
 * A Durable Object accepts it half-open (RoomObject.ts), so the runtime's own
 * reply to the client's echoed close can't log "Uncaught Error: Network
 * connection lost" (issue 15 item 8); the worker accepts plainly.
 */
export function refuseWithClose(code: number, reason: string, protocol?: string, accept: (server: WebSocket) => void = (server) => server.accept(), headers: Record<string, string> = {}): Response {
  const [client, server] = Object.values(new WebSocketPair()) as [WebSocket, WebSocket];
  accept(server);
  server.close(code, reason);
  return new Response(null, { status: 101, webSocket: client, headers: { ...headers, ...(protocol ? { "Sec-WebSocket-Protocol": protocol } : {}) } });
}
