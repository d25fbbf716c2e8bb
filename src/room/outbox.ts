import type { AlarmClock } from "./alarmClock.ts";
import type { Logger } from "./logger.ts";
import type { DeliveryAck, RoomHost } from "./RoomHost.ts";
import type { OutboxEntry, RoomStore } from "./store/RoomStore.ts";

/** Messages read per pass; a full pass runs another. */
const BATCH = 100;
/** A receiver that keeps failing is given up on after this many attempts (about 1.5 h), logged as a dead letter. */
export const MAX_ATTEMPTS = 100;

/** Retry delay after `attempts` failures: 250 ms doubling, at most a minute. */
export const retryDelay = (attempts: number) => Math.min(60_000, 250 * 2 ** Math.min(attempts, 10));

/**
 * Delivers the messages a kind addressed to other objects (Applied.effects).
 * They were stored by the same transaction as the change that caused them;
 * here they go out after commit, per receiver in commit order, and each is
 * deleted only once the receiver acknowledged it (the receiver dedups by
 * sender and seq, so a retry after a lost ack applies nothing twice). A
 * failure waits for the alarm with backoff; an evicted sender picks up where
 * it was on its next alarm.
 */
export class Outbox {
  readonly #store: RoomStore;
  readonly #host: RoomHost;
  readonly #log: Logger;
  readonly #from: string;
  readonly #now: () => number;
  readonly #alarm: AlarmClock;
  #flushing: Promise<void> | null = null;
  #again = false;

  constructor(deps: { store: RoomStore; host: RoomHost; log: Logger; from: string; now: () => number; alarm: AlarmClock }) {
    this.#store = deps.store;
    this.#host = deps.host;
    this.#log = deps.log;
    this.#from = deps.from;
    this.#now = deps.now;
    this.#alarm = deps.alarm;
  }

  /** Something was committed: deliver it (in the background of the current input). */
  kick(): void {
    void this.flush();
  }

  /** Delivers what is due; one flush at a time, and another pass if more arrived meanwhile. */
  flush(): Promise<void> {
    if (this.#flushing) {
      this.#again = true;
      return this.#flushing;
    }
    this.#flushing = (async () => {
      do {
        this.#again = false;
        const pending = this.#store.outbox(BATCH);
        const byReceiver = new Map<string, OutboxEntry[]>();
        for (const m of pending) byReceiver.set(m.to, [...(byReceiver.get(m.to) ?? []), m]);
        const progressed = await Promise.all([...byReceiver].map(([to, list]) => this.#deliverInOrder(to, list)));
        if (pending.length === BATCH && progressed.some(Boolean)) this.#again = true;
      } while (this.#again);
      await this.#alarm.ensure(this.nextAt());
    })().finally(() => {
      this.#flushing = null;
    });
    return this.#flushing;
  }

  /** When the next delivery is due (only a receiver's first message counts: the rest wait for it), or null. */
  nextAt(): number | null {
    let min: number | null = null;
    let last: string | null = null;
    for (const m of this.#store.outbox(BATCH)) {
      if (m.to === last) continue;
      last = m.to;
      if (min === null || m.nextAt < min) min = m.nextAt;
    }
    return min;
  }

  /** In seq order; stops at the first failure so a receiver never sees 3 before 2. True if any was delivered. */
  async #deliverInOrder(to: string, list: readonly OutboxEntry[]): Promise<boolean> {
    let progressed = false;
    for (const m of list) {
      const now = this.#now();
      if (m.nextAt > now) return progressed;
      let ack: DeliveryAck;
      try {
        ack = await this.#host.deliver(to, { from: this.#from, to, seq: m.seq, body: m.body, ...(m.create ? { create: m.create } : {}) });
      } catch (err) {
        ack = { ok: false, retry: true, code: "DELIVERY_FAILED", message: String(err) };
      }
      if (ack.ok) {
        this.#store.outboxDone(to, m.seq);
        progressed = true;
        continue;
      }
      if (ack.retry && m.attempts + 1 < MAX_ATTEMPTS) {
        this.#store.outboxRetry(to, m.seq, now + retryDelay(m.attempts));
        return progressed;
      }
      this.#log.error("outbox_dead_letter", { from: this.#from, to, seq: m.seq, code: ack.code, message: ack.message, attempts: m.attempts + 1 });
      this.#store.outboxDone(to, m.seq);
      progressed = true;
    }
    return progressed;
  }
}
