import { refusedUntil, revocationRows, type TokenIdentity } from "../../room/revocations.ts";

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
 *
 * Each lookup that misses reads D1 itself: a Worker request can't wait on I/O another request
 * started (the runtime cancels it as hung), so reads can't be shared here. Upgrades handed to a
 * room leave the read to the room, which can share them (authenticate's `deferRevocation`, [V8]).
 */
export class RevocationCheck {
  readonly #clear = new Map<string, number>();
  readonly #revoked = new Map<string, number>();
  readonly #ttlMs: number;
  /** Bumped by invalidate(): a read that was out meanwhile may not cache "not revoked". */
  #generation = 0;

  constructor(ttlMs = REVOCATION_CACHE_MS) {
    this.#ttlMs = ttlMs;
  }

  async revoked(db: D1Database, t: TokenIdentity, nowMs: number): Promise<boolean> {
    const known = this.cached(t, nowMs);
    if (known !== undefined) return known;
    const generation = this.#generation;
    const until = refusedUntil(await revocationRows(db, [t], nowMs), t, nowMs);
    if (until !== null) this.revokedUntil(t, until, nowMs);
    // Read before this isolate revoked something: it may predate the row, so it is answered, not remembered.
    else if (generation === this.#generation) this.#remember(this.#clear, keyOf(t), nowMs + this.#ttlMs);
    return until !== null;
  }

  /** What this isolate knows of the token without asking D1: revoked, not revoked, or undefined (ask). */
  cached(t: TokenIdentity, nowMs: number): boolean | undefined {
    const key = keyOf(t);
    const refusedUntil = this.#revoked.get(key);
    if (refusedUntil !== undefined && nowMs < refusedUntil) return true;
    const clearUntil = this.#clear.get(key);
    if (clearUntil !== undefined && nowMs < clearUntil) return false;
    return undefined;
  }

  /** Remembers that the token is refused until `until` (a read here, or a room's refusal: REVOKED_UNTIL_HEADER). */
  revokedUntil(t: TokenIdentity, until: number, nowMs: number): void {
    this.#remember(this.#revoked, keyOf(t), Math.min(until, nowMs + 60 * 60_000));
  }

  /** A revocation made in this isolate: forget every "not revoked" answer, so it applies here at once. */
  invalidate(): void {
    this.#clear.clear();
    this.#generation++;
  }

  #remember(map: Map<string, number>, key: string, until: number): void {
    map.delete(key);
    if (map.size >= MAX_ENTRIES) map.delete(map.keys().next().value!);
    map.set(key, until);
  }
}

const keyOf = (t: TokenIdentity) => `${t.sub}\u0000${t.jti ?? ""}\u0000${t.iat ?? ""}`;

/** One per isolate. */
export const revocationCheck = new RevocationCheck();
