import type { GatewayInput } from "../rpc.ts";

export interface SourceChannelDeps {
  deliver(source: string, items: GatewayInput[]): Promise<unknown>;
  keepAlive(work: Promise<unknown>): void;
  /** The room kept failing: the gateway gives up the sockets it holds for it. */
  lost(source: string): void;
  wait(ms: number): Promise<void>;
}

const MAX_ATTEMPTS = 8;
const backoff = (attempt: number) => Math.min(2_000, 50 * 2 ** attempt);

/**
 * [S3] What a gateway's sockets send their room, one ordered queue per room:
 * frames and closes leave in the order they arrived, one call in flight per
 * room, and whatever arrives meanwhile rides in the next call. A frame's
 * command id is what makes a retry safe (the room dedups it), as for a socket
 * of its own.
 */
export class SourceChannel {
  readonly #d: SourceChannelDeps;
  readonly #queues = new Map<string, { items: GatewayInput[]; busy: boolean }>();

  constructor(deps: SourceChannelDeps) {
    this.#d = deps;
  }

  /**
   * Queues `item` for `source`. `awaited`: the caller keeps its own event open until the delivery
   * this call started ends (a socket's message handler awaits what this returns), so it isn't kept
   * alive apart: a `waitUntil` per frame was 1-2% of a games roll. Null: nothing to await (the item
   * rides a delivery already under way, or the delivery is kept alive here).
   */
  enqueue(source: string, item: GatewayInput, awaited = false): Promise<void> | null {
    let q = this.#queues.get(source);
    if (!q) this.#queues.set(source, (q = { items: [], busy: false }));
    q.items.push(item);
    if (q.busy) return null;
    q.busy = true;
    const work = Promise.resolve().then(() => this.#drain(source, q));
    if (awaited) return work;
    this.#d.keepAlive(work);
    return null;
  }

  async #drain(source: string, q: { items: GatewayInput[]; busy: boolean }): Promise<void> {
    try {
      while (q.items.length) {
        const items = q.items.splice(0);
        if (!(await this.#deliver(source, items))) {
          q.items.length = 0;
          this.#d.lost(source);
          return;
        }
      }
    } finally {
      q.busy = false;
      if (!q.items.length) this.#queues.delete(source);
    }
  }

  async #deliver(source: string, items: GatewayInput[]): Promise<boolean> {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      try {
        await this.#d.deliver(source, items);
        return true;
      } catch {
        await this.#d.wait(backoff(attempt));
      }
    }
    return false;
  }
}
