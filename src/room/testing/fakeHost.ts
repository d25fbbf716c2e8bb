import type { MetricsPoint } from "../metricsPoint.ts";
import type { DeliveryAck, Envelope, HostSocket, RoomHost } from "../RoomHost.ts";

/**
 * A socket whose outgoing frames wait in a queue the test reads explicitly
 * (`take()`), after tldraw's sync-core test sockets: no timers, no sleeps.
 */
export class FakeSocket implements HostSocket {
  readyState = 1;
  readonly outgoing: string[] = [];
  closed: { code: number | undefined; reason: string | undefined } | null = null;
  tags: string[] = [];
  /** The next sends throw, as a dead connection's would. */
  failSends = false;
  #attachment: unknown = null;

  send(text: string): void {
    if (this.readyState !== 1 || this.failSends) throw new Error("socket is not open");
    this.outgoing.push(text);
  }

  close(code?: number, reason?: string): void {
    if (this.readyState === 3) throw new Error("already closed");
    this.readyState = 3;
    this.closed = { code, reason };
  }

  serializeAttachment(value: unknown): void {
    this.#attachment = structuredClone(value);
  }

  deserializeAttachment(): unknown {
    return structuredClone(this.#attachment);
  }

  /** Every frame sent since the last take, parsed. */
  take(): Record<string, unknown>[] {
    return this.outgoing.splice(0).map((t) => JSON.parse(t) as Record<string, unknown>);
  }

  /** The peer went away without a close frame (the runtime reports it later, or never). */
  die(): void {
    this.failSends = true;
  }
}

/** A delivery waiting for the test to run it. */
export interface PendingDelivery {
  to: string;
  envelope: Envelope;
  resolve(ack: DeliveryAck): void;
  reject(err: unknown): void;
}

/** The runtime as a test drives it: sockets, one alarm, and an outbox queue flushed by hand. */
export class FakeHost implements RoomHost {
  readonly all: FakeSocket[] = [];
  /** What the room handed to Analytics Engine. */
  readonly points: MetricsPoint[] = [];
  alarmAt: number | null = null;
  readonly deliveries: PendingDelivery[] = [];
  setAlarmCalls = 0;

  /** Timers the room set with `later`, in order; `runLater()` runs them. */
  readonly timers: { fn: () => void; ms: number }[] = [];

  later(fn: () => void, ms: number): void {
    this.timers.push({ fn, ms });
  }

  /** Runs every pending `later` timer (and those they set), as if their time had come. */
  runLater(): number {
    let n = 0;
    for (let t = this.timers.shift(); t; t = this.timers.shift()) {
      t.fn();
      n++;
    }
    return n;
  }

  exportMetrics(point: MetricsPoint): void {
    this.points.push(point);
  }

  accept(ws: HostSocket, tags: string[]): void {
    const s = ws as FakeSocket;
    s.tags = tags;
    this.all.push(s);
  }

  sockets(tag?: string): HostSocket[] {
    return this.all.filter((s) => s.readyState === 1 && (tag === undefined || s.tags.includes(tag)));
  }

  /** When the runtime "auto-answered" a text `ping` per socket; tests set it (`pongs.set(ws, t)`). */
  readonly pongs = new Map<HostSocket, number>();

  autoPongAt(ws: HostSocket): number | null {
    return this.pongs.get(ws) ?? null;
  }

  /** Which sockets the room keeps the idle rule of (RoomHost.idlesHere); tests set it for sockets "on a gateway". */
  idlesHereOf: (ws: HostSocket) => boolean = () => true;

  idlesHere(ws: HostSocket): boolean {
    return this.idlesHereOf(ws);
  }

  async getAlarm(): Promise<number | null> {
    return this.alarmAt;
  }

  async setAlarm(at: number): Promise<void> {
    this.setAlarmCalls++;
    this.alarmAt = at;
  }

  deliver(to: string, envelope: Envelope): Promise<DeliveryAck> {
    return new Promise((resolve, reject) => this.deliveries.push({ to, envelope: structuredClone(envelope), resolve, reject }));
  }
}
