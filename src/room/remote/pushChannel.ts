import type { PushAck, PushBatch, PushItem } from "../rpc.ts";

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

interface Queue {
  items: PushItem[];
  /** A push is in flight (or about to start): new items wait for the next one. */
  busy: boolean;
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
 */
export class PushChannel {
  readonly #d: PushChannelDeps;
  readonly #queues = new Map<string, Queue>();
  #pushes = 0;

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

  #queue(gateway: string): Queue {
    let q = this.#queues.get(gateway);
    if (!q) this.#queues.set(gateway, (q = { items: [], busy: false }));
    return q;
  }

  #kick(gateway: string, q: Queue): void {
    if (q.busy) return;
    q.busy = true;
    // After the current turn: one input's whole fan-out rides in one push.
    const work = Promise.resolve().then(() => this.#drain(gateway, q));
    this.#d.keepAlive(work);
  }

  async #drain(gateway: string, q: Queue): Promise<void> {
    try {
      while (q.items.length) {
        const items = q.items.splice(0);
        const batch: PushBatch = { source: this.#d.source, incarnation: this.#d.incarnation, push: ++this.#pushes, gateway, items };
        if (!(await this.#deliver(gateway, batch))) {
          q.items.length = 0;
          this.#d.lost(gateway);
          return;
        }
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
