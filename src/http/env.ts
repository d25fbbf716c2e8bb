
export interface Env {
  /** Every room; typed through RoomRpc (src/room/rpc.ts) where it is used. */
  ROOMS: DurableObjectNamespace;
  DIRECTORY: D1Database;
  /** Local runs: HS256 shared secret. */
  HEARTH_JWT_SECRET?: string;
  /** Production: RS256/ES256 keys from this JWKS URL (e.g. Auth0). */
  HEARTH_JWKS_URL?: string;
  HEARTH_JWT_ISSUER?: string;
  HEARTH_JWT_AUDIENCE?: string;
  /** "1" only in the local config: enables POST /dev/token and open origins. */
  HEARTH_DEV_AUTH?: string;
  /** Per-user budget of team creations and joins (wrangler.toml [[ratelimits]]). */
  TEAMS_RATE_LIMIT?: RateLimit;
  /** Workers Analytics Engine dataset for per-room figures (production; absent locally: no-op). */
  METRICS?: AnalyticsEngineDataset;
  /** Comma-separated browser origins allowed to open sockets. */
  HEARTH_ALLOWED_ORIGINS?: string;
}
