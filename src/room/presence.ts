import type { Actor } from "../core/kind.ts";
import type { Attachment } from "./connections.ts";
import type { Input } from "./pipeline/input.ts";
import type { HostSocket } from "./RoomHost.ts";

/**
 * Who is here. Presence is per user, not per socket: the first socket of a
 * user joins, the last one to close leaves. The set of users whose join was
 * announced is persisted (table `presence`), so duplicate close events,
 * alarm retries and evictions never announce a join or leave twice. Joins
 * and leaves run through the pipeline like any input (dedup is this set).
 */
export class Presence {
  #present: Set<string>;
  #online = new Map<string, Actor>();
  /** `#online` as the list kinds read; rebuilt only after a join or leave, not per command. */
  #list: readonly Actor[] | null = null;
  readonly #run: (input: Input) => void;
  readonly #hasOpenSocket: (userId: string) => boolean;

  /**
   * `present`: the persisted set; `connected`: actors of the open sockets (after a wake-up);
   * `run`: the pipeline; `hasOpenSocket`: the socket registry's answer.
   */
  constructor(present: readonly string[], connected: readonly Actor[], run: (input: Input) => void, hasOpenSocket: (userId: string) => boolean) {
    this.#present = new Set(present);
    for (const a of connected) this.#online.set(a.userId, a);
    this.#run = run;
    this.#hasOpenSocket = hasOpenSocket;
  }

  isPresent(userId: string): boolean {
    return this.#present.has(userId);
  }

  present(): string[] {
    return [...this.#present];
  }

  onlineList(): readonly Actor[] {
    return (this.#list ??= [...this.#online.values()]);
  }

  /** A socket of this user opened: it is online now, and joins unless the user is already present. */
  connected(att: Attachment, exclude?: HostSocket): void {
    this.#online.set(att.actor.userId, att.actor);
    this.#list = null;
    this.#run({ source: "presence", change: { kind: "join", actor: att.actor, params: att.params }, ...(exclude ? { exclude } : {}) });
  }

  /** Leaves if no socket of this user is open any more (dedup.ts checks both). */
  leaveIfLast(userId: string): void {
    if (!this.#present.has(userId) || this.#hasOpenSocket(userId)) return;
    const actor = this.#online.get(userId) ?? { userId, name: userId, role: "member", service: false, scopes: [] };
    this.#online.delete(userId);
    this.#list = null;
    this.#run({ source: "presence", change: { kind: "leave", actor, params: {} } });
  }

  /** commit.ts: the change is durable; mirror it in memory. */
  committed(change: { add?: readonly string[]; remove?: readonly string[] }): void {
    for (const u of change.add ?? []) this.#present.add(u);
    for (const u of change.remove ?? []) this.#present.delete(u);
  }
}
