import type { PushAck, PushBatch, PushItem, PushMark } from "../rpc.ts";

export interface PushChannelDeps {
  /** This room's object name and this incarnation's id (pushes are numbered per incarnation). */
  source: string;
  incarnation: string;
  deliver(gateway: string, batch: PushBatch): Promise<PushAck>;
  /** Keeps the object alive while a push is in flight (ctx.waitUntil). */
  keepAlive(work: Promise<unknown>): void;
  /** The gateway kept failing: the room gives up its sockets there. */
  lost(gateway: string): void;
  wait(ms: number): Promise<void>;
}

/** Attempts before a gateway is given up (about 6 s of backoff in all). */
const MAX_ATTEMPTS = 8;
const backoff = (attempt: number) => Math.min(2_000, 50 * 2 ** attempt);
/**
 * How long a push that rode on an input's answer waits, at least, for the gateway to say it
 * applied it (its next input call to this room does) before it is sent again as a `push` call
 * (the gateway applies a number once, so a second copy is harmless); at most twice this.
 *
 * Only a lost answer needs the resend, and a gateway whose call failed calls again, which sends
 * it at once (`ride`). So this is a backstop, and long: the next input call comes a round trip of
 * the app later (a game's next roll), and under load that is seconds. At 1 s, a saturated games
 * bench (1,000 games, p50 2.8 s) resent nearly every roll's push as a call: more work per roll,
 * so more latency, so more resends (bench/ROLL-COST.md, stop 34).
 */
export const RIDE_ACK_MS = 10_000;

interface Queue {
  items: PushItem[];
  /** A push is in flight (or about to start, or rode on an answer): new items wait for the next one. */
  busy: boolean;
  /** A push that rode on an input's answer and is not known to be applied yet. */
  riding?: PushBatch;
  /** The ack sweep has seen `riding` unacknowledged once: the next sweep sends it again. */
  ridingSeen?: boolean;
}

/**
 * [S1] What a room sends to sockets on gateways, one ordered queue per
 * gateway. While a push to a gateway is in flight, everything after it waits
 * and rides in the next push, so a busy room pays one RPC per gateway per
 * round trip, not per frame; a frame fanned out to many sockets of a gateway
 * travels once with their ids. (Never as "all of them": a socket being admitted
 * at the gateway while the push is built would get a frame its catch-up has.) A push is
 * numbered, and retried with the same number after a failure, so the gateway
 * applies it once.
 *
 * A push to the gateway whose input the room is handling rides on the answer to that input call
 * instead (`hold` / `ride`): a roll costs one RPC, not two (bench/ROLL-COST.md). It stays the
 * push in flight until the gateway's next input call says it applied it (`applied`); if that
 * doesn't come within RIDE_ACK_MS, or more items wait behind it, it is sent again as a `push`
 * call with the same number (an answer can be lost; the gateway applies a number once).
 */
export class PushChannel {
  readonly #d: PushChannelDeps;
  readonly #queues = new Map<string, Queue>();
  /** Gateways whose input call is being handled (a count: a retried call may overlap its original). */
  readonly #held = new Map<string, number>();
  #pushes = 0;
  /** The ack sweep's timer is set (one for the whole channel, not one per riding push). */
  #sweeping = false;

  constructor(deps: PushChannelDeps) {
    this.#d = deps;
  }

  send(gateway: string, conn: string, frame: string): void {
    const q = this.#queue(gateway);
    const last = q.items.at(-1);
    // Fan-out sends one frame to many sockets in a row: they share one item.
    if (last?.t === "send" && last.frame === frame) last.conns.push(conn);
    else q.items.push({ t: "send", conns: [conn], frame });
    this.#kick(gateway, q);
  }

  follow(gateway: string, conn: string, stream: string, since?: number, epoch?: string): void {
    const q = this.#queue(gateway);
    q.items.push({ t: "follow", conn, stream, ...(since === undefined ? {} : { since }), ...(epoch === undefined ? {} : { epoch }) });
    this.#kick(gateway, q);
  }

  close(gateway: string, conn: string, code: number, reason: string): void {
    const q = this.#queue(gateway);
    q.items.push({ t: "close", conn, code, reason });
    this.#kick(gateway, q);
  }

  /** Whether anything is still waiting or in flight (tests and the drain before eviction). */
  idle(): boolean {
    for (const q of this.#queues.values()) if (q.busy || q.items.length) return false;
    return true;
  }

  /** The gateway's input call says the last push of ours it applied: a riding push it covers is done. */
  applied(gateway: string, mark: PushMark | undefined): void {
    const q = this.#queues.get(gateway);
    if (!mark || !q?.riding || mark.incarnation !== this.#d.incarnation || mark.push < q.riding.push) return;
    q.riding = undefined;
    q.busy = false;
    if (q.items.length) this.#kick(gateway, q);
    else this.#queues.delete(gateway);
  }

  /** An input call from `gateway` is being handled: what it causes for that gateway waits for `ride`. */
  hold(gateway: string): void {
    this.#held.set(gateway, (this.#held.get(gateway) ?? 0) + 1);
  }

  /** The input call is done: its push to that gateway, to go in the answer (or undefined: none, or one is in flight). */
  ride(gateway: string): PushBatch | undefined {
    const n = (this.#held.get(gateway) ?? 1) - 1;
    if (n > 0) {
      this.#held.set(gateway, n);
      return undefined;
    }
    this.#held.delete(gateway);
    const q = this.#queues.get(gateway);
    if (!q || !q.items.length) return undefined;
    if (q.busy) {
      this.#kick(gateway, q);
      return undefined;
    }
    const batch = this.#batch(gateway, q.items.splice(0));
    q.busy = true;
    q.riding = batch;
    q.ridingSeen = false;
    this.#sweep();
    return batch;
  }

  /**
   * Not applied in time (its answer lost and the gateway calling no more): a riding push is sent
   * again as a call by the second sweep that finds it, RIDE_ACK_MS to twice that after it rode.
   * One timer for the channel: a roll doesn't pay for a timer and a waitUntil of its own.
   */
  #sweep(): void {
    if (this.#sweeping) return;
    this.#sweeping = true;
    this.#d.keepAlive(
      this.#d.wait(RIDE_ACK_MS).then(() => {
        this.#sweeping = false;
        let waiting = false;
        for (const [gateway, q] of this.#queues) {
          if (!q.riding) continue;
          if (q.ridingSeen) this.#resend(gateway, q);
          else waiting = q.ridingSeen = true;
        }
        if (waiting) this.#sweep();
      }),
    );
  }

  #queue(gateway: string): Queue {
    let q = this.#queues.get(gateway);
    if (!q) this.#queues.set(gateway, (q = { items: [], busy: false }));
    return q;
  }

  #kick(gateway: string, q: Queue): void {
    // Items behind a riding push: it is sent again as a call now (they must not wait for its ack).
    if (q.riding) {
      if (!this.#held.has(gateway)) this.#resend(gateway, q);
      return;
    }
    if (q.busy || this.#held.has(gateway)) return;
    q.busy = true;
    // After the current turn: one input's whole fan-out rides in one push.
    const work = Promise.resolve().then(() => this.#drain(gateway, q));
    this.#d.keepAlive(work);
  }

  /** The riding push goes again as a call, then the queue drains as usual. */
  #resend(gateway: string, q: Queue): void {
    const again = q.riding;
    if (!again) return;
    q.riding = undefined;
    // After the current turn, as #kick: the rest of the fan-out that sent it goes in the same call.
    this.#d.keepAlive(Promise.resolve().then(() => this.#drain(gateway, q, again)));
  }

  #batch(gateway: string, items: PushItem[]): PushBatch {
    return { source: this.#d.source, incarnation: this.#d.incarnation, push: ++this.#pushes, gateway, items };
  }

  async #drain(gateway: string, q: Queue, first?: PushBatch): Promise<void> {
    try {
      // A riding push sent again travels in the same call as what queued behind it (`prior`):
      // one call, not two, when a game's next frames for a gateway come from another's input.
      let batch = first && q.items.length ? { ...this.#batch(gateway, q.items.splice(0)), prior: first } : first;
      while (batch || q.items.length) {
        batch ??= this.#batch(gateway, q.items.splice(0));
        if (!(await this.#deliver(gateway, batch))) {
          q.items.length = 0;
          this.#d.lost(gateway);
          return;
        }
        batch = undefined;
      }
    } finally {
      q.busy = false;
      if (q.items.length) this.#kick(gateway, q);
      else this.#queues.delete(gateway);
    }
  }

  async #deliver(gateway: string, batch: PushBatch): Promise<boolean> {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      try {
        const ack = await this.#d.deliver(gateway, batch);
        if (ack.ok) return true;
        // A refusal (not this gateway's room, a malformed push) won't change on a retry.
        return false;
      } catch {
        await this.#d.wait(backoff(attempt));
      }
    }
    return false;
  }
}
