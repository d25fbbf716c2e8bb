/**
 * Answers an upgrade by accepting and immediately closing with `code`: how
 * seeds that demand close codes (4001, 4004, ...) learn why they were refused.
 * The socket is not hibernatable: it never reaches a room.
 */
export function closeWith(code: number, reason: string, protocol?: string): Response {
  const pair = new WebSocketPair();
  const client = pair[0];
  const server = pair[1];
  server.accept();
  server.close(code, reason);
  return new Response(null, { status: 101, webSocket: client, ...(protocol ? { headers: { "Sec-WebSocket-Protocol": protocol } } : {}) });
}
