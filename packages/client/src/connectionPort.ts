import type { NamedTimers } from "./namedTimers.js";

/**
 * What a helper of HearthSocket that works on the current connection gets of it (the heartbeat,
 * the token refresh, the flow-control cursor): the socket's one set of named timers, limited to
 * the names the helper uses (so the socket's clearAll still stops them), a way to tell whether a
 * connection is still the current one, and a way to send. Never the socket or its phase.
 */
export interface ConnectionPort<Timer extends string> {
  readonly timers: Pick<NamedTimers<Timer>, "set" | "has">;
  /** Whether `generation` is still the socket's connection: a timer or promise of an abandoned one does nothing. */
  isCurrent(generation: number): boolean;
  /** Sends text on the open socket; false when there is none. */
  sendRaw(text: string): boolean;
}
