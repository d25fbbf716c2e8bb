import type { WebSocketConstructor, WebSocketLike } from "../webSocketLike.js";

type Listener = (event: unknown) => void;

/** How `FakeWebSocket.open` plays the server's first frame on a fresh connection. */
export interface OpenOptions {
  /** `false`: no snapshot (the test sends its own, or none); an object: fields overriding the default one. */
  snapshot?: Record<string, unknown> | false;
}

/**
 * A WebSocket whose server side the test drives by hand: nothing happens
 * until the test calls `open`, `receive` or `serverClose`. A client-side
 * `close()` only records the call and moves to CLOSING, as on a dead network
 * where the close event may come much later or never; tests can still fire
 * late events on it to prove they are ignored.
 */
export class FakeWebSocket implements WebSocketLike {
  readyState = 0;
  readonly sent: string[] = [];
  clientClose: { code?: number; reason?: string } | undefined;
  private readonly listeners = new Map<string, Set<Listener>>();

  constructor(
    readonly url: string,
    readonly protocols?: string | string[],
  ) {}

  get query(): URLSearchParams {
    return new URL(this.url).searchParams;
  }

  /** Sent frames other than heartbeat pings, parsed. */
  get sentFrames(): Record<string, unknown>[] {
    return this.sent.filter((text) => text !== "ping").map((text) => JSON.parse(text) as Record<string, unknown>);
  }

  get pings(): number {
    return this.sent.filter((text) => text === "ping").length;
  }

  addEventListener(type: string, listener: Listener): void {
    let set = this.listeners.get(type);
    if (!set) this.listeners.set(type, (set = new Set()));
    set.add(listener);
  }

  send(data: string): void {
    if (this.readyState === 0) throw new Error("InvalidStateError: still CONNECTING");
    // Like browsers: sending on a CLOSING/CLOSED socket silently does nothing.
    if (this.readyState !== 1) return;
    this.sent.push(data);
  }

  close(code?: number, reason?: string): void {
    this.clientClose = { code, reason };
    if (this.readyState <= 1) this.readyState = 2;
  }

  // ---- test controls (the "server") ----

  /**
   * Opens the socket as Hearth does: a fresh connection (no `since` in the URL) gets its
   * snapshot right away (`{seq: 0, epoch: "e0"}` unless given); a resuming one gets nothing
   * until the test replays. `snapshot: false` opens with no frame at all.
   */
  open(options: OpenOptions = {}): void {
    this.readyState = 1;
    this.fire("open", {});
    if (this.readyState !== 1 || options.snapshot === false) return;
    if (new URL(this.url).searchParams.has("since")) return;
    this.receive({ type: "snapshot", seq: 0, epoch: "e0", state: null, ...options.snapshot });
  }

  receive(frame: unknown): void {
    this.fire("message", { data: typeof frame === "string" ? frame : JSON.stringify(frame) });
  }

  /** Delivers raw data as-is (e.g. a binary ArrayBuffer). */
  receiveRaw(data: unknown): void {
    this.fire("message", { data });
  }

  serverClose(code = 1006, reason = ""): void {
    this.readyState = 3;
    this.fire("close", { code, reason, wasClean: code !== 1006 });
  }

  private fire(type: string, event: unknown): void {
    for (const listener of [...(this.listeners.get(type) ?? [])]) listener(event);
  }
}

/** A WebSocket class bound to a list recording every socket it created, in order. */
export function fakeWebSocketClass(): { WebSocket: WebSocketConstructor; sockets: FakeWebSocket[] } {
  const sockets: FakeWebSocket[] = [];
  class RecordingFakeWebSocket extends FakeWebSocket {
    constructor(url: string, protocols?: string | string[]) {
      super(url, protocols);
      sockets.push(this);
    }
  }
  return { WebSocket: RecordingFakeWebSocket, sockets };
}
