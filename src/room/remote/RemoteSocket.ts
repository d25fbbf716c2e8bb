import { OPEN, type HostSocket } from "../RoomHost.ts";

/** WebSocket.CLOSED */
const CLOSED = 3;

/** Where a remote socket's frames and close go: the push channel to its gateway, and the saved attachment. */
export interface RemoteSink {
  send(gateway: string, conn: string, frame: string): void;
  close(gateway: string, conn: string, code: number, reason: string): void;
  save(socket: RemoteSocket): void;
  follow(gateway: string, conn: string, stream: string, since?: number, epoch?: string): void;
}

/**
 * A socket the room holds on a gateway object ([S2]), as the room sees it: a
 * HostSocket like its own, so every part of the room (connect, catch-up,
 * fan-out, audiences, replies, acks, the sweep, revocations, token refresh)
 * treats it the same. What it sends goes into the push channel to its gateway,
 * in order; its attachment is kept in the room's storage (remoteSockets.ts),
 * since the real socket and its attachment live in the gateway.
 */
export class RemoteSocket implements HostSocket {
  #state = OPEN;
  #attachment: unknown;

  constructor(
    readonly gateway: string,
    readonly conn: string,
    readonly tags: readonly string[],
    attachment: unknown,
    readonly sink: RemoteSink,
  ) {
    this.#attachment = attachment;
  }

  get readyState(): number {
    return this.#state;
  }

  send(text: string): void {
    if (this.#state !== OPEN) throw new Error("remote socket closed");
    this.sink.send(this.gateway, this.conn, text);
  }

  close(code?: number, reason?: string): void {
    if (this.#state !== OPEN) return;
    this.#state = CLOSED;
    this.sink.close(this.gateway, this.conn, code ?? 1000, reason ?? "");
  }

  follow(stream: string, since?: number, epoch?: string): void {
    if (this.#state === OPEN) this.sink.follow(this.gateway, this.conn, stream, since, epoch);
  }

  /** The gateway said the socket closed (its client left, or the gateway gave it up). */
  markClosed(): void {
    this.#state = CLOSED;
  }

  serializeAttachment(value: unknown): void {
    this.#attachment = value;
    this.sink.save(this);
  }

  deserializeAttachment(): unknown {
    return this.#attachment;
  }
}
