/** Time as the SDK sees it; injectable so tests run without real timers. */
export interface Clock {
  now(): number;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/**
 * Date.now rather than performance.now on purpose: the wall clock keeps
 * running while a laptop sleeps, so "nothing received for N ms" is measured
 * correctly right after a wake-up (the stuck-after-sleep bug class).
 */
export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (callback, ms) => globalThis.setTimeout(callback, ms),
  clearTimeout: (handle) => globalThis.clearTimeout(handle as Parameters<typeof globalThis.clearTimeout>[0]),
};
