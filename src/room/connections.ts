import type { Actor } from "../core/kind.ts";
import { OPEN, type HostSocket, type RoomHost } from "./RoomHost.ts";

/** Survives hibernation on the socket itself (at most 16 KiB: params are capped by the worker). */
export interface Attachment {
  v: 1;
  connId: string;
  actor: Actor;
  params: Record<string, string>;
  connectedAt: number;
  /** Last frame seen; written only when the system has an idle timeout, at most every timeout/4. */
  seenAt: number;
  /** Token expiry (ms): the socket is closed with 4001 at that time. */
  expiresAt: number | null;
}

/** Hibernation tag of a user's sockets (tags are capped at 256 chars; ids are capped at 200). */
export const userTag = (userId: string) => `u:${userId}`;

/**
 * The socket registry: which sockets are open, who each one is (its
 * attachment, decoded once per wake-up), and which ones died mid-fan-out.
 */
export class Connections {
  readonly #host: RoomHost;
  #attachments = new WeakMap<HostSocket, Attachment>();
  #seen = new WeakMap<HostSocket, number>();
  #gone = new WeakSet<HostSocket>();

  readonly #onSent: ((frame: string) => void) | undefined;

  /** `onSent`: told of every frame that went out (metrics). */
  constructor(host: RoomHost, onSent?: (frame: string) => void) {
    this.#host = host;
    this.#onSent = onSent;
  }

  add(ws: HostSocket, att: Attachment): void {
    this.#host.accept(ws, [userTag(att.actor.userId)]);
    ws.serializeAttachment(att);
    this.#attachments.set(ws, att);
  }

  attachment(ws: HostSocket): Attachment | null {
    let att = this.#attachments.get(ws);
    if (!att) {
      const raw = ws.deserializeAttachment() as Attachment | null;
      if (!raw || raw.v !== 1) return null;
      att = raw;
      this.#attachments.set(ws, att);
    }
    return att;
  }

  /** Open sockets (all, or one user's), minus those that failed a send or were closed by us. */
  open(userId?: string): HostSocket[] {
    return this.#host.sockets(userId === undefined ? undefined : userTag(userId)).filter((ws) => !this.#gone.has(ws) && ws.readyState === OPEN);
  }

  /** Records that the client spoke; persisted (sparingly) only when an idle timeout needs it. */
  touch(ws: HostSocket, att: Attachment, now: number, idleTimeoutMs: number | null): void {
    if (idleTimeoutMs === null) return;
    this.#seen.set(ws, now);
    if (now - att.seenAt > idleTimeoutMs / 4) {
      att.seenAt = now;
      ws.serializeAttachment(att);
    }
  }

  /** When the client last showed life: a frame, or a `ping` the runtime answered while we slept. */
  lastSeen(ws: HostSocket, att: Attachment): number {
    return Math.max(this.#seen.get(ws) ?? 0, att.seenAt, this.#host.autoPongAt(ws) ?? 0);
  }

  /** Closes (never throws) and forgets the socket for fan-out at once. */
  close(ws: HostSocket, code: number, reason: string): void {
    this.#gone.add(ws);
    try {
      ws.close(code, reason);
    } catch {
      // Already closed or closing: nothing to do.
    }
  }

  /**
   * Sends, or marks the socket dead on the first failed send (seed 003). Returns
   * false when it failed so the caller can process the user's leave later.
   */
  send(ws: HostSocket, frame: string): boolean {
    try {
      ws.send(frame);
      this.#onSent?.(frame);
      return true;
    } catch {
      this.#gone.add(ws);
      return false;
    }
  }
}
