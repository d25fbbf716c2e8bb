// What `hearth tail` does after its socket closed, by close code (docs/protocol.md "WebSocket
// closes"; the SDK's packages/client/src/closePolicy.ts decides the same way).

/**
 * - "final": retrying cannot help (room ended, not allowed, not found);
 * - "auth": the token was refused: one retry with a freshly minted token, if the CLI minted it;
 * - "retry-slow": the server pushed back (rate limit, room full): retry, not at once;
 * - "retry": anything else, 1006 (server gone, restart, network) and 1001/1012 (deploy) included.
 */
export function closePolicy(code) {
  if (code === 1000 || code === 4003 || code === 4004) return "final";
  if (code === 4001) return "auth";
  if (code === 4008 || code === 4009) return "retry-slow";
  return "retry";
}

/** The wait before reconnect attempt `attempt` (0 first): 250 ms doubling, at most 3 s; slow: at least 2 s. */
export function retryDelayMs(attempt, slow = false) {
  const delay = Math.min(250 * 2 ** attempt, 3_000);
  return slow ? Math.max(delay, 2_000) : delay;
}
