import type { Clock } from "./systemClock.js";

/**
 * At most one pending timer per name (retry, connect, ping, ...): setting a name again
 * replaces its timer, so a state machine never has two of the same kind racing.
 */
export class NamedTimers<Name extends string> {
  readonly #clock: Clock;
  readonly #handles = new Map<Name, unknown>();

  constructor(clock: Clock) {
    this.#clock = clock;
  }

  set(name: Name, ms: number, callback: () => void): void {
    this.clear(name);
    this.#handles.set(
      name,
      this.#clock.setTimeout(() => {
        this.#handles.delete(name);
        callback();
      }, ms),
    );
  }

  /** Whether a timer of this name is pending. */
  has(name: Name): boolean {
    return this.#handles.has(name);
  }

  clear(name: Name): void {
    const handle = this.#handles.get(name);
    if (handle === undefined) return;
    this.#clock.clearTimeout(handle);
    this.#handles.delete(name);
  }

  clearAll(): void {
    for (const name of [...this.#handles.keys()]) this.clear(name);
  }
}
