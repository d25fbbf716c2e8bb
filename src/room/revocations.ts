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

import { CloseCode } from "../core/closeCodes.ts";
import { hearthError } from "../core/hearthError.ts";
import type { RefusalStyle } from "../core/refusal.ts";
import type { ConnectResult } from "./rpc.ts";

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
/** The refusal's message, from the worker or from a room ([V5]). */
export const REVOKED_MESSAGE = "This token (or its user) was revoked.";

/** A room's refusal of a connect whose token is revoked, in the style the worker would have used ([V5]). */
export function revokedConnect(refuse: RefusalStyle, until: number): Extract<ConnectResult, { ok: false }> {
  return { ok: false, close: { code: CloseCode.invalidToken, reason: REVOKED_REASON }, error: hearthError("TOKEN_REVOKED", REVOKED_MESSAGE, 401), overHttp: refuse === "http", revokedUntil: until };
}

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

/** Tokens per read of `revocations`: two subjects each plus the time, within D1's 100 bound values a statement. */
export const MAX_TOKENS_PER_READ = 49;

/** The rows that may refuse any of these tokens (at most two subjects a token, read by primary key). */
export function selectRevocations(db: D1Database, tokens: readonly TokenIdentity[], nowMs: number): D1PreparedStatement {
  const subjects = new Set<string>();
  for (const t of tokens) {
    subjects.add(userSubject(t.sub));
    if (t.jti !== undefined) subjects.add(tokenSubject(t.jti));
  }
  const list = [...subjects];
  return db.prepare(`SELECT subject, revoked_at, expires_at FROM revocations WHERE subject IN (${list.map(() => "?").join(", ")}) AND expires_at > ?`).bind(...list, nowMs);
}

/** Until when (ms) these rows refuse the token: the latest expiry among those that do, or null. */
export function refusedUntil(rows: readonly RevocationRow[], t: TokenIdentity, nowMs: number): number | null {
  let until: number | null = null;
  for (const r of rows) if (refuses(r, t, nowMs) && (until === null || r.expires_at > until)) until = r.expires_at;
  return until;
}

/** The rows that may refuse any of these tokens (at most MAX_TOKENS_PER_READ of them). */
export async function revocationRows(db: D1Database, tokens: readonly TokenIdentity[], nowMs: number): Promise<RevocationRow[]> {
  const { results } = await selectRevocations(db, tokens, nowMs).all<RevocationRow>();
  return results;
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
