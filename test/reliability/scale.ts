import { env } from "cloudflare:test";

/**
 * Multiplies case counts: 1 inside `npm test` (the fast part), more under
 * `npm run test:reliability` (vitest.reliability.config.ts sets the binding).
 */
export const SCALE = Math.max(1, Number((env as { RELIABILITY_SCALE?: string }).RELIABILITY_SCALE ?? "1"));

/** Runs for a property: `base` in the fast part, `base * SCALE` in the slow one. */
export const runs = (base: number) => base * SCALE;
