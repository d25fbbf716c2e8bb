// What one games measurement counts, the same way for every target: rolls the roller saw come
// back (`bigger_dice.rolled` with its own player_id) and their latency from its send, games
// started and finished, errors by code, and sockets the server closed (by close code).
// And the phases the load generators share: set-up in a pool, the wait for every game to start,
// the measured window.
import { now, round, Samples, sleep } from "./loadgen.mjs";

export class Tally {
  constructor() {
    this.lat = new Samples(1 << 16);
    this.measuring = false;
    this.rolls = 0;
    this.gamesFinished = 0;
    this.errors = {};
    this.closed = {};
    this.closedDuringSetup = 0;
    this.setupDone = false;
    /** Frames and bytes each socket received, by frame type, in set-up and in the window. */
    this.received = { setup: {}, window: {} };
  }
  /** A frame a socket received (where set-up's bytes go: lobby-wide frames, game frames). */
  frame(type, bytes) {
    const phase = this.measuring ? this.received.window : this.setupDone ? null : this.received.setup;
    if (!phase) return;
    const row = (phase[type] ??= { frames: 0, bytes: 0 });
    row.frames++;
    row.bytes += bytes;
  }
  rolled(sentAt) {
    if (!this.measuring || sentAt === null) return;
    this.rolls++;
    this.lat.push(now() - sentAt);
  }
  finished() {
    if (this.measuring) this.gamesFinished++;
  }
  error(code) {
    this.errors[code] = (this.errors[code] ?? 0) + 1;
  }
  /** A socket the server (or the network) closed: `ours` closes at the end don't count. */
  close(code) {
    this.closed[code] = (this.closed[code] ?? 0) + 1;
    if (!this.setupDone) this.closedDuringSetup++;
  }
  summary(secs) {
    const l = this.lat.summary();
    return { rolls: this.rolls, rollsPerSec: round(this.rolls / secs, 1), p50Ms: l.p50Ms, p95Ms: l.p95Ms, p99Ms: l.p99Ms, maxMs: l.maxMs, gamesFinished: this.gamesFinished, errors: this.errors, closedByServer: this.closed, closedDuringSetup: this.closedDuringSetup, received: this.received };
  }
}

/** Runs `fn(i)` for i in [0, n) with at most `limit` in flight. */
export async function pool(n, limit, fn) {
  let next = 0;
  const worker = async () => {
    while (next < n) await fn(next++);
  };
  await Promise.all(Array.from({ length: Math.min(limit, n) }, worker));
}

/**
 * The phases the one-connection-per-room load generators share (gamesColyseus.mjs, gamesRaw.mjs):
 * set up G games, openConcurrency / 3 at a time (`setUp(i)`; a throw counts the game as failed to
 * join); wait up to setupMs while `waiting()` says games that could start have not; then the window
 * of measureMs with `t` counting. Returns what the result rows report about set-up, and `secs`.
 */
export async function setUpAndMeasure({ G, openConcurrency, setupMs, measureMs, t, log, setUp, waiting, started }) {
  const t0 = now();
  let openFailed = 0;
  await pool(G, Math.max(1, Math.floor(openConcurrency / 3)), async (i) => {
    try {
      await setUp(i);
    } catch (err) {
      openFailed++;
      t.error(`JOIN_FAILED ${String(err?.message ?? err).slice(0, 60)}`);
    }
  });
  const socketsOpenMs = now() - t0;
  log(`G=${G}: ${G - openFailed}/${G} games joined (3 sockets each) in ${(socketsOpenMs / 1000).toFixed(1)} s`);
  const setupEnd = Date.now() + setupMs;
  while (waiting() && Date.now() < setupEnd) await sleep(50);
  const gamesStarted = started();
  const startedMs = gamesStarted === G ? now() - t0 : null;
  t.setupDone = true;
  log(`G=${G}: ${gamesStarted}/${G} games started${startedMs === null ? "" : ` in ${(startedMs / 1000).toFixed(1)} s`}`);
  const secs = await measureWindow(t, G, measureMs, log);
  return { sockets: G * 3, socketsOpen: (G - openFailed) * 3, openFailed, socketsOpenMs: Math.round(socketsOpenMs), gamesStarted, openAndStartMs: startedMs === null ? null : Math.round(startedMs), secs };
}

/** The measured window: `t` counts for measureMs; its seconds as measured. Its log line marks the start (bench/rollProfile.mjs waits for it). */
export async function measureWindow(t, G, measureMs, log) {
  t.measuring = true;
  const m0 = now();
  log(`G=${G}: window of ${measureMs / 1000} s starts`);
  await sleep(measureMs);
  t.measuring = false;
  return (now() - m0) / 1000;
}
