import { revokedUntil, type TokenIdentity } from "../../room/revocations.ts";

/**
 * How long this isolate trusts "not revoked" for one (user, token id) before asking D1 again:
 * a revocation made elsewhere refuses new connects and HTTP calls here within this time ([V5]).
 */
export const REVOCATION_CACHE_MS = 1_000;
/** Most entries kept (~100 bytes each); the oldest go first. */
const MAX_ENTRIES = 8_192;

/**
 * The check after the signature ([V5]): every authenticated connect and HTTP call asks whether
 * the token's user or `jti` was revoked. The verified-tokens cache (verifiedTokens.ts) only skips
 * the signature, never this. A "not revoked" answer is remembered for REVOCATION_CACHE_MS per
 * (sub, jti, iat), a "revoked" one until its row expires (at most an hour; a revocation is never
 * undone early), and one made in this isolate is known here at once.
 */
export class RevocationCheck {
  readonly #clear = new Map<string, number>();
  readonly #revoked = new Map<string, number>();
  readonly #ttlMs: number;

  constructor(ttlMs = REVOCATION_CACHE_MS) {
    this.#ttlMs = ttlMs;
  }

  async revoked(db: D1Database, t: TokenIdentity, nowMs: number): Promise<boolean> {
    const key = `${t.sub}\u0000${t.jti ?? ""}\u0000${t.iat ?? ""}`;
    const refusedUntil = this.#revoked.get(key);
    if (refusedUntil !== undefined && nowMs < refusedUntil) return true;
    const clearUntil = this.#clear.get(key);
    if (clearUntil !== undefined && nowMs < clearUntil) return false;
    const until = await revokedUntil(db, t, nowMs);
    const map = until !== null ? this.#revoked : this.#clear;
    if (map.size >= MAX_ENTRIES) map.delete(map.keys().next().value!);
    map.delete(key);
    map.set(key, until !== null ? Math.min(until, nowMs + 60 * 60_000) : nowMs + this.#ttlMs);
    return until !== null;
  }

  /** A revocation made in this isolate: forget every "not revoked" answer, so it applies here at once. */
  invalidate(): void {
    this.#clear.clear();
  }
}

/** One per isolate. */
export const revocationCheck = new RevocationCheck();
