/**
 * Per-room operating figures (seed 001 "Monitoring"): connections, frames
 * and bytes in and out, errors by code, and broadcast latency. Every room
 * keeps them ([M1]). Counted in memory on the hot path and written to storage
 * by the first event at least FLUSH_MS after the last write, never inside a
 * commit: a heartbeat still changes no room data. What a room counted after
 * its last event (the tail) is written by the alarm TAIL_MS after the last
 * write. Each write also hands the change since the last one to `exported`
 * (Analytics Engine in production).
 */
export const METRICS_FLUSH_MS = 5_000;
/**
 * Why the tail waits 30 s and not 5: a busy room's events write its figures every 5 s anyway, so
 * an alarm every 5 s per object was pure overhead; at 500 games (515 objects) it cost about 16% of the
 * server's CPU per roll (bench/ROLL-COST.md). Unsaved counts are still at most 5 s of activity; a
 * room that falls quiet and is evicted before its tail alarm loses those (docs/protocol.md).
 */
export const METRICS_TAIL_MS = 30_000;
/**
 * [S8] A room hosted inside a gateway saves its figures at most this often. A game there lasts
 * minutes at a roll a second, so every 5 s it wrote its figures' row and moved its share of the
 * gateway's alarm (the registry row, the object's alarm): at 1,000 games that was a row and an
 * alarm move per five rolls, the part of a roll that grew most from 100 games (bench/ROLL-COST.md,
 * stop 38). The gateway holds its sockets, so it is rarely evicted while its games play; a save
 * still comes at least this long after the last, and the tail alarm writes what the last events counted.
 */
export const HOSTED_METRICS_FLUSH_MS = 30_000;

/** Upper bounds (ms) of the latency histogram; the last bucket is everything above. */
export const LATENCY_BUCKETS_MS = [1, 5, 10, 25, 50, 100, 250, 500, 1000, 2500] as const;

export interface MetricsCounters {
  since: number;
  connections: { opened: number; closed: number; refused: number; peak: number };
  messages: { in: number; out: number; http: number };
  bytes: { in: number; out: number };
  errors: { total: number; byCode: Record<string, number> };
  broadcasts: { count: number; recipients: number; latencyMs: { total: number; max: number; buckets: number[] } };
  /** Fan-out: frames handed to sockets, and sends that failed (the socket is dropped on the first, seed 003). */
  deliveries: { sent: number; failed: number };
}

export interface MetricsReport extends MetricsCounters {
  connections: MetricsCounters["connections"] & { current: number };
  broadcasts: MetricsCounters["broadcasts"] & { latencyMs: MetricsCounters["broadcasts"]["latencyMs"] & { mean: number; p50: number | null; p95: number | null; bucketsMs: readonly number[] } };
}

const fresh = (now: number): MetricsCounters => ({
  since: now,
  connections: { opened: 0, closed: 0, refused: 0, peak: 0 },
  messages: { in: 0, out: 0, http: 0 },
  bytes: { in: 0, out: 0 },
  errors: { total: 0, byCode: Object.create(null) as Record<string, number> },
  broadcasts: { count: 0, recipients: 0, latencyMs: { total: 0, max: 0, buckets: LATENCY_BUCKETS_MS.map(() => 0).concat(0) } },
  deliveries: { sent: 0, failed: 0 },
});

/** Only codes that look like Hearth's (SNAKE_CASE, bounded) become keys, so the table stays small. */
const codeKey = (code: string) => (/^[A-Z][A-Z0-9_]{0,63}$/.test(code) ? code : "OTHER");

export class RoomMetrics {
  #c: MetricsCounters;
  #dirty = false;
  #flushedAt: number;
  readonly #save: (json: string) => void;
  readonly #exported: ((now: MetricsCounters, before: MetricsCounters) => void) | undefined;
  /** The counters as last saved: the base of the next export's deltas. */
  #saved: MetricsCounters;

  /** `saved`: what storage holds (null: start counting now). `exported`: told of each save, with the counters before it. */
  constructor(
    saved: string | null,
    now: number,
    save: (json: string) => void,
    exported?: (now: MetricsCounters, before: MetricsCounters) => void,
    readonly flushMs: number = METRICS_FLUSH_MS,
    readonly tailMs: number = Math.max(flushMs, METRICS_TAIL_MS),
  ) {
    this.#c = saved ? (JSON.parse(saved) as MetricsCounters) : fresh(now);
    // Figures saved before deliveries were counted here start them at zero.
    this.#c.deliveries ??= { sent: 0, failed: 0 };
    Object.setPrototypeOf(this.#c.errors.byCode, null);
    this.#saved = structuredClone(this.#c);
    this.#flushedAt = now;
    this.#save = save;
    this.#exported = exported;
  }

  connected(openNow: number) {
    this.#c.connections.opened++;
    this.#c.connections.peak = Math.max(this.#c.connections.peak, openNow);
    this.#dirty = true;
  }
  closed() {
    this.#c.connections.closed++;
    this.#dirty = true;
  }
  refused(code: string) {
    this.#c.connections.refused++;
    this.error(code);
  }
  received(bytes: number) {
    this.#c.messages.in++;
    this.#c.bytes.in += bytes;
    this.#dirty = true;
  }
  http() {
    this.#c.messages.http++;
    this.#dirty = true;
  }
  #lastFrame = "";
  #lastBytes = 0;
  /** A frame went out. A fan-out sends one string to many sockets: its byte length is computed once. */
  sent(frame: string) {
    if (frame !== this.#lastFrame) {
      this.#lastFrame = frame;
      this.#lastBytes = utf8Length(frame);
    }
    this.#c.messages.out++;
    this.#c.bytes.out += this.#lastBytes;
    this.#dirty = true;
  }
  /** One fan-out delivery went out, or failed (the socket was dead). */
  delivered(ok: boolean) {
    if (ok) this.#c.deliveries.sent++;
    else this.#c.deliveries.failed++;
    this.#dirty = true;
  }
  error(code: string) {
    const key = codeKey(code);
    this.#c.errors.total++;
    this.#c.errors.byCode[key] = (this.#c.errors.byCode[key] ?? 0) + 1;
    this.#dirty = true;
  }
  /** One input's broadcast went out to `recipients` sockets, `latencyMs` after the input arrived. */
  broadcast(latencyMs: number, recipients: number) {
    const ms = Math.max(0, latencyMs);
    const b = this.#c.broadcasts;
    b.count++;
    b.recipients += recipients;
    b.latencyMs.total += ms;
    b.latencyMs.max = Math.max(b.latencyMs.max, ms);
    const i = LATENCY_BUCKETS_MS.findIndex((upper) => ms <= upper);
    b.latencyMs.buckets[i === -1 ? LATENCY_BUCKETS_MS.length : i]!++;
    this.#dirty = true;
  }

  /** When the alarm should write unsaved counts (the tail), or null when all are saved. */
  flushAt(): number | null {
    return this.#dirty ? this.#flushedAt + this.tailMs : null;
  }

  /** Writes the counters if they changed and (unless `force`) the last write is FLUSH_MS old. */
  flush(now: number, force = false) {
    if (!this.#dirty || (!force && now - this.#flushedAt < this.flushMs)) return;
    const json = JSON.stringify(this.#c);
    this.#save(json);
    this.#dirty = false;
    this.#flushedAt = now;
    const before = this.#saved;
    this.#saved = JSON.parse(json) as MetricsCounters;
    this.#exported?.(this.#c, before);
  }

  report(current: number): MetricsReport {
    const c = structuredClone(this.#c);
    const l = c.broadcasts.latencyMs;
    return {
      ...c,
      connections: { ...c.connections, current },
      broadcasts: { ...c.broadcasts, latencyMs: { ...l, mean: c.broadcasts.count ? l.total / c.broadcasts.count : 0, p50: quantile(l.buckets, 0.5), p95: quantile(l.buckets, 0.95), bucketsMs: LATENCY_BUCKETS_MS } },
    };
  }
}

/** The bucket bound holding quantile q (an upper estimate); null without samples; Infinity-bucket reports the last bound. */
function quantile(buckets: readonly number[], q: number): number | null {
  const n = buckets.reduce((a, b) => a + b, 0);
  if (n === 0) return null;
  let seen = 0;
  for (let i = 0; i < buckets.length; i++) {
    seen += buckets[i]!;
    if (seen >= q * n) return LATENCY_BUCKETS_MS[Math.min(i, LATENCY_BUCKETS_MS.length - 1)]!;
  }
  return LATENCY_BUCKETS_MS.at(-1)!;
}

const encoder = new TextEncoder();
/** UTF-8 length; ASCII (most JSON) costs no encoding. */
export function utf8Length(text: string): number {
  // eslint-disable-next-line no-control-regex
  return /^[\x00-\x7f]*$/.test(text) ? text.length : encoder.encode(text).byteLength;
}
