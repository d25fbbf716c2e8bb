import { CloseCode, CloseReason } from "../core/closeCodes.ts";
import { wantsBatches, type Attachment } from "./connections.ts";
import type { FlowControl } from "./flowControl.ts";
import { FrameBatcher, type FrameBatcherDeps } from "./frameBatcher.ts";
import { OPEN, type HostSocket } from "./RoomHost.ts";

/** The socket registry as the outlet needs it. */
export interface OutletSockets {
  attachment(ws: HostSocket): Attachment | null;
  /** Drops the socket from the index (it failed a send, or is being closed). */
  forget(ws: HostSocket): void;
  /** Whether the socket was dropped already (its death was handled). */
  isGone(ws: HostSocket): boolean;
  /** Whether any socket asked for batches ([B1]): when none did, a send looks no socket up. */
  anyBatching(): boolean;
}

/** What the outlet tells of what went out (metrics.ts). */
export interface OutletFigures {
  sent(frame: string): void;
  /** A fan-out delivery went out (`ok`) or failed. */
  delivered(ok: boolean): void;
}

export interface OutletDeps {
  sockets: OutletSockets;
  figures: OutletFigures;
  /** A user whose socket died on a send: their leave runs on its own turn (after the current fan-out, so peers never see N+1 before N). */
  onDead(userId: string): void;
  /** How sockets that asked for batches ([B1]) get them; absent: no batching. */
  batch?: Omit<FrameBatcherDeps, "write">;
  /** Per-socket backlog bounds for slow readers ([F2], [F3]); absent or disabled: nothing is counted. */
  flow?: Pick<FlowControl, "sent" | "forget" | "enabled">;
}

/**
 * The one way a frame leaves a room for a socket: fan-out, replies, acks,
 * errors, catch-up, welcome frames and batch flushes all pass here. It
 * batches for sockets that asked, counts every frame, and treats a failed
 * send the same wherever it happens: the socket is dropped from the index at
 * once and its user's leave runs on the next turn. A socket that falls past
 * its flow-control bound ([F2], [F3], flowControl.ts) is closed with 4011 the
 * same way, right after the frame that crossed it.
 */
export class Outlet {
  readonly #d: OutletDeps;
  readonly #batcher: FrameBatcher | undefined;
  readonly #flow: OutletDeps["flow"];

  constructor(deps: OutletDeps) {
    this.#d = deps;
    this.#flow = deps.flow?.enabled ? deps.flow : undefined;
    this.#batcher = deps.batch && new FrameBatcher({ ...deps.batch, write: (ws, text) => this.#write(ws, text) });
  }

  /** Sends one encoded frame (a reply, an ack, a catch-up frame); false when the socket is dead. */
  send(ws: HostSocket, frame: string): boolean {
    const att = this.#batcher && this.#d.sockets.anyBatching() ? this.#d.sockets.attachment(ws) : null;
    return att && wantsBatches(att) ? this.#batcher!.send(ws, frame) : this.#write(ws, frame);
  }

  /** A fan-out delivery: a send that also counts as one delivery (or failure) of a broadcast. */
  deliver(ws: HostSocket, frame: string): boolean {
    const ok = this.send(ws, frame);
    this.#d.figures.delivered(ok);
    return ok;
  }

  /** Sends what waits in `ws`'s batch now (the end of a catch-up: no reason to wait). */
  flush(ws: HostSocket): void {
    this.#batcher?.flush(ws);
  }

  /** Sends every batch whose flush timer was dropped (FrameBatcher.flushOverdue); runs on every event. */
  flushOverdue(): void {
    this.#batcher?.flushOverdue();
  }

  /** Closes (never throws): what waits in its batch (the error that explains the close, say) goes first. */
  close(ws: HostSocket, code: number, reason: string): void {
    if (ws.readyState === OPEN) this.#batcher?.flush(ws);
    this.#batcher?.forget(ws);
    this.#flow?.forget(ws);
    this.#d.sockets.forget(ws);
    try {
      ws.close(code, reason);
    } catch {
      // Already closed or closing: nothing to do.
    }
  }

  #write(ws: HostSocket, frame: string): boolean {
    try {
      ws.send(frame);
      this.#d.figures.sent(frame);
    } catch {
      this.#bury(ws);
      return false;
    }
    if (this.#flow?.sent(ws, frame)) this.#tooFarBehind(ws);
    return true;
  }

  /** Drops a socket from the index and runs its user's leave on the next turn (once). */
  #bury(ws: HostSocket): void {
    const { sockets, onDead } = this.#d;
    const user = sockets.isGone(ws) ? undefined : sockets.attachment(ws)?.actor.userId;
    this.#batcher?.forget(ws);
    this.#flow?.forget(ws);
    sockets.forget(ws);
    if (user !== undefined) onDead(user);
  }

  /**
   * Past its backlog bound ([F2], [F3]): closed with 4011 at once, without sending what waits in
   * its batch (the client resumes from its cursor), and buried like a dead socket: its user's
   * leave runs after the current fan-out. The frame that crossed the bound did go out.
   */
  #tooFarBehind(ws: HostSocket): void {
    this.#bury(ws);
    try {
      ws.close(CloseCode.tooSlow, CloseReason.tooSlow);
    } catch {
      // Already closed or closing.
    }
  }
}
