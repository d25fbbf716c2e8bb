/**
 * The one way a refused upgrade is answered with a close: accept the socket
 * pair and close the server end with `code` at once, so the client learns why
 * by the close itself (seeds that demand 4001/4003/4004/4009, every client
 * offering `hearth`). Used by the worker before any room is involved and by
 * a room's object for refusals inside it.
 *
 * `accept`: how the server end is accepted. A Durable Object accepts it as
 * hibernatable with a tag no room part ever reads (RoomObject.ts): a plain
 * accept() + close() inside an object made every such refusal log "Uncaught
 * Error: Network connection lost" under wrangler dev (issue 15 item 8). The
 * worker, which holds no sockets, accepts plainly.
 */
export function refuseWithClose(code: number, reason: string, protocol?: string, accept: (server: WebSocket) => void = (server) => server.accept()): Response {
  const [client, server] = Object.values(new WebSocketPair()) as [WebSocket, WebSocket];
  accept(server);
  server.close(code, reason);
  return new Response(null, { status: 101, webSocket: client, ...(protocol ? { headers: { "Sec-WebSocket-Protocol": protocol } } : {}) });
}
