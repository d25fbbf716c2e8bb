import type { Clock } from "../systemClock.js";

interface Timer {
  at: number;
  order: number;
  callback: () => void;
}

/** Lets queued promise callbacks (token getters, then-chains) run to completion. */
export async function flushMicrotasks(rounds = 20): Promise<void> {
  for (let i = 0; i < rounds; i++) await Promise.resolve();
}

/**
 * A deterministic clock: time moves only in `advance`, timers fire in due-time
 * order (ties in scheduling order), and microtasks are flushed after each one,
 * so async steps triggered by a timer complete before the next timer fires.
 */
export class FakeClock implements Clock {
  private time: number;
  private nextOrder = 0;
  private readonly timers = new Map<number, Timer>();

  constructor(start = 1_000_000) {
    this.time = start;
  }

  now(): number {
    return this.time;
  }

  setTimeout(callback: () => void, ms: number): unknown {
    const order = ++this.nextOrder;
    this.timers.set(order, { at: this.time + Math.max(0, ms), order, callback });
    return order;
  }

  clearTimeout(handle: unknown): void {
    this.timers.delete(handle as number);
  }

  /** Number of scheduled timers (a closed client must leave none behind). */
  get pendingTimers(): number {
    return this.timers.size;
  }

  async advance(ms: number): Promise<void> {
    const target = this.time + ms;
    await flushMicrotasks();
    for (;;) {
      const due = [...this.timers.values()]
        .filter((timer) => timer.at <= target)
        .sort((a, b) => a.at - b.at || a.order - b.order)[0];
      if (!due) break;
      this.timers.delete(due.order);
      this.time = due.at;
      due.callback();
      await flushMicrotasks();
    }
    this.time = target;
  }

  /** Moves the wall clock without running timers: what a laptop sleep or a throttled tab looks like. */
  jump(ms: number): void {
    this.time += ms;
  }
}
