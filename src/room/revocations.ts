/**
 * Revocation's store (issue 24; docs/security.md "Revocation", rules [V1]..[V7]): two D1 tables
 * (migrations/0005_revocations.sql), shared by the worker (the check on every connect and HTTP
 * call, the revoke route's fan-out) and the rooms (where a user's sockets are).
 *
 * D1 and not KV: KV takes up to 60 s to show a write in other locations, and a revocation must
 * refuse the next connect. D1 and not a Durable Object: D1 answers the route's one question
 * "which rooms hold this user's (or this token's) sockets" with an indexed query, for a user or
 * for a `jti` whose user nobody named, and is already bound to the worker and every room.
 */

/** What a token is, as far as revocation is concerned. */
export interface TokenIdentity {
  sub: string;
  jti?: string | undefined;
  /** Issued at (seconds), the token's `iat`. */
  iat?: number | undefined;
}

/** One row of `revocations`. */
export interface RevocationRow {
  subject: string;
  revoked_at: number;
  expires_at: number;
}

export const userSubject = (userId: string) => `u:${userId}`;
export const tokenSubject = (jti: string) => `j:${jti}`;

/** Close reason of a socket whose user or token was revoked (code 4001). */
export const REVOKED_REASON = "Token revoked";

/**
 * [V2] Whether a revocation row refuses this token: a token row always does; a user row refuses
 * the tokens issued at or before it (or carrying no `iat`), so a user the identity provider lets
 * back in with a fresh token is not locked out until the row expires.
 */
export function refuses(row: RevocationRow, t: TokenIdentity, nowMs: number): boolean {
  if (row.expires_at <= nowMs) return false;
  if (t.jti !== undefined && row.subject === tokenSubject(t.jti)) return true;
  if (row.subject !== userSubject(t.sub)) return false;
  return t.iat === undefined || t.iat * 1000 <= row.revoked_at;
}

const SELECT_ROWS = "SELECT subject, revoked_at, expires_at FROM revocations WHERE subject IN (?, ?) AND expires_at > ?";

/** The rows that may refuse this token (at most two rows read, by primary key). */
export function selectRevocations(db: D1Database, t: TokenIdentity, nowMs: number): D1PreparedStatement {
  return db.prepare(SELECT_ROWS).bind(userSubject(t.sub), t.jti === undefined ? "" : tokenSubject(t.jti), nowMs);
}

/** Until when (ms) this token is refused, or null when it is not revoked. */
export async function revokedUntil(db: D1Database, t: TokenIdentity, nowMs: number): Promise<number | null> {
  const { results } = await selectRevocations(db, t, nowMs).all<RevocationRow>();
  const refusing = results.filter((r) => refuses(r, t, nowMs));
  return refusing.length === 0 ? null : Math.max(...refusing.map((r) => r.expires_at));
}

/**
 * [V4] A room records that it holds a socket of (user, jti), and in the same batch (one D1
 * transaction on the primary) reads whether that user or token is revoked. The revoke route
 * writes its row before it reads `socket_rooms`, so a connect racing a revocation is seen by
 * one side or the other: either the route finds this room, or this batch finds the row.
 */
export async function recordSocketRoom(db: D1Database, t: TokenIdentity, room: string, nowMs: number): Promise<boolean> {
  const [, rows] = await db.batch<RevocationRow>([
    db.prepare("INSERT OR IGNORE INTO socket_rooms (user_id, jti, room, since) VALUES (?, ?, ?, ?)").bind(t.sub, t.jti ?? "", room, nowMs),
    selectRevocations(db, t, nowMs),
  ]);
  return (rows?.results ?? []).some((r) => refuses(r, t, nowMs));
}

/** The room's last socket of (user, jti) closed. */
export async function forgetSocketRoom(db: D1Database, userId: string, jti: string | undefined, room: string): Promise<void> {
  await db.prepare("DELETE FROM socket_rooms WHERE user_id = ? AND jti = ? AND room = ?").bind(userId, jti ?? "", room).run();
}

export interface Revocation {
  userId?: string | undefined;
  jti?: string | undefined;
  reason?: string | undefined;
  revokedBy: string;
  revokedAt: number;
  expiresAt: number;
}

/** [V1] Writes the revocation, then lists the rooms holding its sockets (with whose sockets they are). */
export async function writeRevocation(db: D1Database, r: Revocation): Promise<{ room: string; userId: string }[]> {
  const subject = r.userId !== undefined ? userSubject(r.userId) : tokenSubject(r.jti!);
  // A second revocation of the same subject moves it forward (later revoked_at, the later expiry).
  const write = db
    .prepare(
      `INSERT INTO revocations (subject, revoked_at, expires_at, reason, revoked_by) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (subject) DO UPDATE SET revoked_at = excluded.revoked_at, expires_at = max(expires_at, excluded.expires_at), reason = excluded.reason, revoked_by = excluded.revoked_by`,
    )
    .bind(subject, r.revokedAt, r.expiresAt, r.reason ?? null, r.revokedBy);
  const find =
    r.userId !== undefined
      ? db.prepare("SELECT DISTINCT room, user_id AS userId FROM socket_rooms WHERE user_id = ?").bind(r.userId)
      : db.prepare("SELECT DISTINCT room, user_id AS userId FROM socket_rooms WHERE jti = ?").bind(r.jti!);
  // Also drop rows no token can need any more (bounded: at most 100 a call).
  const purge = db.prepare("DELETE FROM revocations WHERE subject IN (SELECT subject FROM revocations WHERE expires_at <= ? LIMIT 100)").bind(r.revokedAt);
  const [, found] = await db.batch<{ room: string; userId: string }>([write, find, purge]);
  return found?.results ?? [];
}
