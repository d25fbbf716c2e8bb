import type { HearthClaims } from "./claims.ts";

/** Most tokens remembered per isolate: ~1 KiB each (token + claims), so a few MiB at most. */
export const VERIFIED_TOKENS_MAX = 4_096;

/**
 * Tokens this isolate has already verified, with their claims, until they expire.
 * A reconnect storm (a deploy, a network blip) brings back the same sockets with the
 * same tokens: checking a signature again costs ~0.15 ms of CPU each (jose: base64,
 * JSON, HMAC) and proves nothing new, since a JWT's bytes cannot change before its `exp`.
 * A hit skips the signature only: revocation is checked after it on every call
 * (authenticate.ts, revocationCheck.ts, [V5]). Keyed by the whole token string, so a hit is
 * the same signed bytes.
 * Only successes are kept; the oldest entry goes first when full (insertion order).
 */
export class VerifiedTokens {
  readonly #entries = new Map<string, { claims: HearthClaims; expMs: number }>();
  readonly #max: number;

  constructor(max = VERIFIED_TOKENS_MAX) {
    this.#max = max;
  }

  /** The claims of a token verified earlier and not yet expired (no clock tolerance here). */
  get(token: string, nowMs: number): HearthClaims | undefined {
    const hit = this.#entries.get(token);
    if (!hit) return undefined;
    if (nowMs >= hit.expMs) {
      this.#entries.delete(token);
      return undefined;
    }
    return hit.claims;
  }

  /** Remembers a verified token; one without `exp` is not remembered (it would never leave). */
  set(token: string, claims: HearthClaims): void {
    const exp = (claims as { exp?: unknown }).exp;
    if (typeof exp !== "number") return;
    if (this.#entries.size >= this.#max) this.#entries.delete(this.#entries.keys().next().value!);
    this.#entries.set(token, { claims, expMs: exp * 1000 });
  }

  get size(): number {
    return this.#entries.size;
  }
}
