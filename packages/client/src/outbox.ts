import { HearthClientError } from "./hearthClientError.js";

/** One message the SDK holds on to. */
export interface OutboxEntry {
  /** Serialized once, when the app handed it over, so later mutations of the object don't leak in. */
  readonly text: string;
  /** Present for commands: kept until acknowledged, resent on every new connection. */
  readonly id?: string;
  /** Connection generation it was last sent on; -1 = never sent. */
  sentOn: number;
  onAck?: (value: unknown) => void;
  onFail?: (error: HearthClientError) => void;
}

/**
 * Ordered, bounded store of outgoing messages: plain sends queued while not
 * live (dropped once sent) and id-carrying commands (dropped once acked).
 * Keeping both in one list preserves the app's original order across
 * reconnects, and one bound covers all memory the SDK holds for the app.
 *
 * When full, `push` throws QUEUE_FULL rather than dropping the oldest entry:
 * silently losing a message the app believes is on its way is worse than a
 * synchronous error the app can show ("you are offline, try again").
 */
export class Outbox {
  private entries: OutboxEntry[] = [];

  constructor(private readonly max: number) {}

  get size(): number {
    return this.entries.length;
  }

  push(entry: OutboxEntry): void {
    if (this.entries.length >= this.max) {
      throw new HearthClientError(
        "QUEUE_FULL",
        `Hearth client already holds ${this.max} unsent or unacknowledged messages (queueMax)`,
      );
    }
    this.entries.push(entry);
  }

  /**
   * Holds a command until the server answers its id; the promise settles with the answer or
   * the failure. Pre-marked as handled, so an app that never awaits it gets no unhandled rejection.
   * @throws HearthClientError QUEUE_FULL, as `push`.
   */
  pushCommand<Ack>(text: string, id: string): Promise<Ack> {
    let entry!: OutboxEntry;
    const answered = new Promise<Ack>((resolve, reject) => {
      entry = { text, id, sentOn: -1, onAck: (ack) => resolve(ack as Ack), onFail: reject };
    });
    answered.catch(() => {});
    this.push(entry);
    return answered;
  }

  /** Sends, oldest first, what connection `generation` has not had yet: plain sends leave, commands stay until answered. */
  sendUnsent(generation: number, send: (text: string) => void): void {
    for (const entry of this.unsent(generation)) {
      send(entry.text);
      this.markSent(entry, generation);
    }
  }

  /** Entries not yet sent on connection `generation`, oldest first. */
  unsent(generation: number): OutboxEntry[] {
    return this.entries.filter((entry) => entry.sentOn !== generation);
  }

  markSent(entry: OutboxEntry, generation: number): void {
    if (entry.id === undefined) {
      this.remove(entry);
    } else {
      entry.sentOn = generation;
    }
  }

  /** Removes and returns the oldest command with this id (the one the server answered). */
  settle(id: string): OutboxEntry | undefined {
    const entry = this.entries.find((candidate) => candidate.id === id);
    if (entry) this.remove(entry);
    return entry;
  }

  /** Empties the outbox, returning what was in it. */
  drain(): OutboxEntry[] {
    const all = this.entries;
    this.entries = [];
    return all;
  }

  /** Empties the outbox and fails every command that was in it, each with an error of its own. */
  failAll(error: () => HearthClientError): void {
    for (const entry of this.drain()) entry.onFail?.(error());
  }

  private remove(entry: OutboxEntry): void {
    const index = this.entries.indexOf(entry);
    if (index >= 0) this.entries.splice(index, 1);
  }
}
